"""``POST /api/cases`` (a citizen contests an answer) and the loopback-only ``POST /internal/cases``.

The internal route is for the action server: a chat form has collected a complaint or a call-back
request, and the contact typed in the chat is still a placeholder (``<EMAIL_1>``). The gateway takes
the value from its vault for the named purpose, validates it and stores it encrypted in the case; the
action server never sees it. Callers must be on loopback and present ``KOMMUNSVAR_INTERNAL_TOKEN``.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any, Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from bot.api.body import read_json
from bot.api.deps import Cases, ClientAddress, Limits
from bot.api.openapi import error_responses, json_body
from bot.errors import InternalAccessDenied
from bot.services.vault_contact import contact_from_vault
from cases.contact import valid_email, valid_phone

router = APIRouter(prefix="/api", tags=["cases"])
internal_router = APIRouter(prefix="/internal", tags=["internal"], include_in_schema=False)


class ContactIn(BaseModel):
    """How the citizen wants an answer (both optional)."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)


class ContestIn(BaseModel):
    """Body of ``POST /api/cases``. Only answers can be contested here: there is no appeal kind."""

    model_config = ConfigDict(extra="ignore")

    audit_id: str = Field(max_length=64)
    message: str
    contact: ContactIn | None = None
    idempotency_key: str | None = Field(default=None, max_length=128)
    conversation_id: str | None = Field(default=None, max_length=64)
    contest_token: str = Field(default="", max_length=64)  # from the chat reply that gave the answer
    kind: Literal["contest"] | None = None


class InternalCaseIn(BaseModel):
    """Body of ``POST /internal/cases`` (from the action server)."""

    model_config = ConfigDict(extra="forbid")

    conversation: str = Field(pattern=r"^[A-Za-z0-9_-]{8,128}$")
    kind: Literal["complaint", "callback"]
    message: str
    contact_placeholder: str | None = Field(default=None, pattern=r"^<(EMAIL|PHONE)_\d{1,4}>$")
    purpose: Literal["case_contact"] = "case_contact"
    language: Literal["sv", "en"] = "sv"
    idempotency_key: str | None = Field(default=None, max_length=128)


@router.post(
    "/cases",
    status_code=201,
    openapi_extra=json_body(ContestIn),
    responses={
        200: {"description": "The same contest again (idempotency key)"},
        **error_responses("400", "404", "413", "415", "422", "429", "503"),
    },
)
async def create_case(
    request: Request, service: Cases, limits: Limits, address: ClientAddress
) -> JSONResponse:
    """Contest an answer: 201 with the case number and response times (200 when repeated)."""
    req = await read_json(request, ContestIn)
    limits.case(address)
    contact = None
    if req.contact is not None:
        if req.contact.email:
            contact = valid_email(req.contact.email)
        if req.contact.phone:
            phone = valid_phone(req.contact.phone)
            contact = contact or phone
    receipt = await anyio.to_thread.run_sync(
        lambda: service.contest(
            req.audit_id, req.message, contact, req.idempotency_key, req.conversation_id, req.contest_token
        )
    )
    return JSONResponse(receipt.to_dict(), status_code=201 if receipt.created else 200)


def _require_internal(request: Request) -> None:
    token: str = getattr(request.app.state, "internal_token", "")
    given = request.headers.get("authorization", "")
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not token or not loopback or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise InternalAccessDenied("internal API refused")


@internal_router.post("/cases")
async def create_case_from_chat(request: Request, service: Cases) -> JSONResponse:
    """Create a complaint or call-back case from a chat form; the contact comes from the vault."""
    _require_internal(request)
    req = await read_json(request, InternalCaseIn)

    vault = request.app.state.chat_service.redactor.vault  # the raw values live only in the gateway

    def _create() -> Any:
        contact, use = None, None
        if req.contact_placeholder:
            contact, use = contact_from_vault(vault, req.conversation, req.contact_placeholder, req.purpose)
        return service.from_chat(
            conversation=req.conversation,
            kind=req.kind,
            message_redacted=req.message,
            contact=contact,
            language=req.language,
            idempotency_key=req.idempotency_key,
            vault_use=use,
        )

    receipt = await anyio.to_thread.run_sync(_create)
    return JSONResponse(receipt.to_dict(), status_code=201 if receipt.created else 200)
