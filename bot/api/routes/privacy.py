"""Loopback-only ``POST /internal/privacy/forget`` and ``POST /internal/privacy/retention``.

A deletion request or a retention run over every store that holds a conversation — the audit
content, Rasa's tracker store and this gateway's in-memory vault (:mod:`audit.purge`). Callers must be
on loopback and present ``KOMMUNSVAR_INTERNAL_TOKEN``; ``python -m audit forget --gateway URL`` does.
"""

from __future__ import annotations

import anyio
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.api.deps import Privacy

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
