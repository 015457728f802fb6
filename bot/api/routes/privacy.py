"""Deleting conversations: the loopback-only internal API and the citizen's own deletion.

``POST /internal/privacy/forget`` and ``POST /internal/privacy/retention`` on the internal listener, and
``POST /api/conversation/delete`` ("Radera mitt samtal" in the chat) on the public one.

A deletion request or a retention run over every store that holds a conversation — the audit
content, Rasa's tracker store and this gateway's in-memory vault (:mod:`audit.purge`). Callers must be
on loopback and present ``KOMMUNSVAR_INTERNAL_TOKEN``; ``python -m audit forget --gateway URL`` does.
"""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.api.body import read_json
from bot.api.deps import Chat, ClientAddress, Limits, Privacy
from bot.api.openapi import error_responses, json_body
from bot.errors import InvalidConversationId, ReferenceNotFound, UpstreamUnavailable
from bot.services.privacy import PrivacyService
from bot.services.transparency import retention
from bot.settings import get_settings

router = APIRouter(prefix="/internal/privacy", tags=["internal"], include_in_schema=False)


class ForgetIn(BaseModel):
    """Which conversation: an audit id (Svar-ID) or pseudonym, or the id the citizen's browser holds."""

    model_config = ConfigDict(extra="forbid")

    reference: str | None = Field(default=None, max_length=128)
    conversation_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{8,64}$")
    dry_run: bool = False


class RetentionIn(BaseModel):
    """A retention run (``dry_run``: only count)."""

    model_config = ConfigDict(extra="forbid")

    dry_run: bool = False


@router.post("/forget")
async def forget_conversation(body: ForgetIn, service: Privacy) -> JSONResponse:
    """Delete one conversation's content from the audit trail, the tracker store and the vault."""
    report = await anyio.to_thread.run_sync(
        lambda: service.forget(body.reference, body.conversation_id, body.dry_run)
    )
    return JSONResponse(report)


@router.post("/retention")
async def run_retention(body: RetentionIn, service: Privacy) -> JSONResponse:
    """Apply retention everywhere now."""
    report = await anyio.to_thread.run_sync(lambda: service.retention(body.dry_run))
    return JSONResponse(report)


# --- the citizen's own deletion ("Radera mitt samtal" in the chat) ------------------------------------

public_router = APIRouter(prefix="/api", tags=["privacy"])


class DeleteConversationIn(BaseModel):
    """The conversation id the citizen's browser holds: the gateway signed it, so only its holder has it."""

    model_config = ConfigDict(extra="forbid")

    conversation_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$")


@public_router.post(
    "/conversation/delete",
    openapi_extra=json_body(DeleteConversationIn),
    responses=error_responses("400", "413", "415", "422", "429", "503"),
)
async def delete_my_conversation(
    request: Request, chat: Chat, limits: Limits, address: ClientAddress
) -> JSONResponse:
    """Delete the caller's conversation everywhere and say what is kept, and for how long.

    The conversation's text goes from the tracker store, the vault and the audit trail (its content key
    is shredded); what stays is each answer's redacted skeleton (when, topic, source, model), a public
    record kept as the municipality's retention decision says, so the log remains verifiable. A
    conversation with nothing stored (yet) is answered the same way: there is nothing left of it.
    """
    req = await read_json(request, DeleteConversationIn)
    limits.deletion(address)
    if not chat.issued_here(req.conversation_id):
        raise InvalidConversationId("bad conversation id")
    # The internal routes' dependency checks loopback and the token; this one checked the signed id.
    service: PrivacyService | None = getattr(request.app.state, "privacy", None)
    if service is None:
        raise UpstreamUnavailable("privacy", "not started")

    def _forget() -> dict[str, Any]:
        try:
            return service.forget(None, req.conversation_id, False)
        except ReferenceNotFound:
            return {}

    report = await anyio.to_thread.run_sync(_forget)
    audit = report.get("audit") or {}
    kept = retention(get_settings())
    return JSONResponse(
        {
            "deleted": True,
            "answers_deleted": int(sum((audit.get("content_deleted") or {}).values())),
            "kept": {
                "what": "answer_metadata",
                "metadata_days": kept.audit_metadata_days,
                "cases_kept": True,
            },
        }
    )
