"""The one table that turns errors into responses, and the one handler that applies it.

Every error the gateway answers has an entry in :data:`ERRORS`: the gateway's own (``bot.errors``),
login and roles (``bot.auth.errors``), the audit store (``audit.errors``), case handling
(``cases.errors``) and the framework's (request validation, unknown paths). An error is looked up along
its class hierarchy, so the most specific entry wins. An entry gives the status, the code and the plain
Swedish message (``{name}`` is filled from the error's attribute ``name``), and the kind of response:

- ``json`` (default): ``{"error": {"code", "message"}}`` for every caller;
- ``page``: browsers get a console page rendered from ``page`` with the status, API callers the JSON;
- ``login``: browsers are sent to the login page (303), API callers get the JSON.

An error that only ``Exception`` matches is a bug: it is logged by name and answered 500, never with a
stack trace. :func:`install_error_handlers` registers the handler once per entry.
"""

from __future__ import annotations

import logging
import string
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from audit.errors import AuditStoreUnavailable
from bot.auth.errors import CsrfFailed, Forbidden, NotAuthenticated
from bot.auth.pages import login_redirect, render, wants_json
from bot.errors import (
    BodyNotJson,
    BodyNotUtf8,
    BodyTooLarge,
    EmptyMessage,
    GatewayError,
    InputError,
    InternalAccessDenied,
    InvalidConversationId,
    InvalidRequest,
    MessageTooLong,
    RateLimited,
    ReferenceNotFound,
    UnsupportedMediaType,
    UpstreamUnavailable,
)
from cases.errors import (
    AnswerNotFound,
    CaseError,
    CaseMessageEmpty,
    CaseMessageTooLong,
    CaseStepNotAllowed,
    CaseStoreDown,
    CaseUnknown,
    IdempotencyConflict,
    InvalidContact,
    InvalidIdempotencyKey,
    MalformedAuditId,
    VaultValueUnavailable,
)

ResponseKind = Literal["json", "page", "login"]


@dataclass(frozen=True)
class LogAs:
    """An event logged when the error is answered (with the path and the error's class, never content)."""

    logger: str
    level: int
    event: str


@dataclass(frozen=True)
class ErrorResponse:
    """How one class of errors is answered."""

    status: int | None  # None: the error's own ``status_code`` (the framework's HTTP errors)
    code: str
    message: str
    kind: ResponseKind = "json"
    page: str = ""  # template of a "page" response
    page_context: Mapping[str, str] = field(default_factory=dict)
    log: LogAs | None = None


UNEXPECTED = "Något gick fel. Försök igen om en stund."
NO_SUCH_ANSWER = "Det finns inget svar med det Svar-ID:t. Kontrollera att du har skrivit av det rätt."

ERRORS: dict[type[Exception], ErrorResponse] = {
    # --- the gateway (bot.errors) ---------------------------------------------------------------
    GatewayError: ErrorResponse(500, "internal_error", UNEXPECTED),
    InputError: ErrorResponse(422, "invalid_input", "Meddelandet kunde inte tas emot."),
    EmptyMessage: ErrorResponse(422, "empty_message", "Skriv en fråga innan du skickar."),
    MessageTooLong: ErrorResponse(
        413, "message_too_long", "Meddelandet är för långt. Skriv högst {limit} tecken."
    ),
    InvalidConversationId: ErrorResponse(
        422, "invalid_conversation_id", "Samtalets id är felaktigt. Ladda om sidan och börja om."
    ),
    BodyTooLarge: ErrorResponse(413, "message_too_long", "Meddelandet är för långt."),
    BodyNotUtf8: ErrorResponse(400, "invalid_encoding", "Meddelandet måste vara kodat som UTF-8."),
    BodyNotJson: ErrorResponse(400, "invalid_json", "Förfrågan är inte giltig JSON."),
    InvalidRequest: ErrorResponse(422, "invalid_request", "Fel i förfrågan: {fields}"),
    UnsupportedMediaType: ErrorResponse(
        415, "unsupported_media_type", "Förfrågan måste skickas som JSON (Content-Type: application/json)."
    ),
    RateLimited: ErrorResponse(
        429,
        "rate_limited",
        "Du har skickat många förfrågningar på kort tid. Vänta {retry_after} sekunder och försök igen.",
        log=LogAs("kommunsvar.http", logging.WARNING, "rate_limited"),
    ),
    ReferenceNotFound: ErrorResponse(404, "answer_not_found", NO_SUCH_ANSWER),
    InternalAccessDenied: ErrorResponse(403, "forbidden", "Åtkomst nekad."),
    UpstreamUnavailable: ErrorResponse(
        503,
        "service_unavailable",
        "Chatten kan inte svara just nu. Försök igen om en stund, eller kontakta kommunens kontaktcenter.",
        log=LogAs("kommunsvar.http", logging.WARNING, "upstream_unavailable"),
    ),
    # --- login and roles (bot.auth.errors) ------------------------------------------------------
    NotAuthenticated: ErrorResponse(401, "not_authenticated", "Du måste logga in.", kind="login"),
    Forbidden: ErrorResponse(
        403,
        "forbidden",
        "Du har inte behörighet till det här.",
        kind="page",
        page="auth/forbidden.html",
        page_context={"reason": "role"},
        log=LogAs("kommunsvar.auth", logging.INFO, "access_denied"),
    ),
    CsrfFailed: ErrorResponse(
        403,
        "csrf_failed",
        "Förfrågan saknar en giltig säkerhetskod.",
        kind="page",
        page="auth/forbidden.html",
        page_context={"reason": "csrf"},
        log=LogAs("kommunsvar.auth", logging.WARNING, "csrf_rejected"),
    ),
    # --- the audit store (audit.errors) ---------------------------------------------------------
    AuditStoreUnavailable: ErrorResponse(
        503,
        "service_unavailable",
        "Svarsloggen går inte att nå just nu. Försök igen om en stund.",
        kind="page",
        page="admin/unavailable.html",
    ),
    # --- case handling (cases.errors); the store's own errors are translated by the workflow -----
    CaseMessageEmpty: ErrorResponse(422, "empty_message", "Skriv vad som är fel innan du skickar."),
    CaseMessageTooLong: ErrorResponse(
        413, "message_too_long", "Meddelandet är för långt. Skriv högst {limit} tecken."
    ),
    MalformedAuditId: ErrorResponse(
        422, "invalid_audit_id", "Svar-ID:t har fel form. Det ser ut ungefär så här: KS-7K3M9Q2X4B."
    ),
    InvalidIdempotencyKey: ErrorResponse(422, "invalid_request", "Fel i förfrågan: idempotency_key"),
    InvalidContact: ErrorResponse(422, "invalid_contact", "Fel i fältet {field}: {hint}"),
    VaultValueUnavailable: ErrorResponse(
        422, "value_unavailable", "Kontaktuppgiften finns inte längre kvar. Skriv den igen."
    ),
    AnswerNotFound: ErrorResponse(404, "answer_not_found", NO_SUCH_ANSWER),
    CaseUnknown: ErrorResponse(404, "case_not_found", "Ärendet finns inte."),
    CaseStepNotAllowed: ErrorResponse(
        409, "step_not_allowed", "Det går inte att göra så med ärendet i dess nuvarande status."
    ),
    IdempotencyConflict: ErrorResponse(
        409,
        "idempotency_conflict",
        "Den här begäran har redan skickats för ett annat svar. Ladda om sidan och försök igen.",
    ),
    CaseStoreDown: ErrorResponse(
        503,
        "service_unavailable",
        "Det går inte att registrera ärenden just nu. Försök igen om en stund, eller ring kontaktcenter.",
    ),
    # --- the framework --------------------------------------------------------------------------
    RequestValidationError: ErrorResponse(422, "invalid_request", "Fel i förfrågan: {fields}"),
    StarletteHTTPException: ErrorResponse(None, "http_error", "{http_message}"),
    Exception: ErrorResponse(
        500, "internal_error", UNEXPECTED, log=LogAs("kommunsvar.http", logging.ERROR, "unexpected_error")
    ),
}

# What is wrong with a contact (``InvalidContact.reason``), said to the citizen.
CONTACT_HINTS = {
    "email_missing": "skriv en e-postadress som namn@exempel.se.",
    "email_invalid": "e-postadressen ser inte giltig ut. Skriv den som namn@exempel.se.",
    "phone_missing": "skriv ett telefonnummer som 070-123 45 67.",
    "phone_invalid": "telefonnumret ser inte giltigt ut. Skriv det som 070-123 45 67.",
}
HTTP_MESSAGES = {404: "Sidan finns inte.", 405: "Metoden stöds inte."}


class _Values(dict[str, Any]):
    """Message fields; a field the error does not have is left empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _values(exc: Exception) -> _Values:
    """What a message may name: the error's attributes, and a few values derived from them."""
    values = _Values(vars(exc))
    if isinstance(exc, InvalidContact):
        values["hint"] = CONTACT_HINTS.get(exc.reason, "")
    elif isinstance(exc, RequestValidationError):
        fields = sorted({".".join(str(p) for p in err.get("loc", ())[1:]) for err in exc.errors()})
        values["fields"] = ", ".join(fields or ["okänt fält"])
    elif isinstance(exc, StarletteHTTPException):
        values["http_message"] = HTTP_MESSAGES.get(exc.status_code, "Fel i förfrågan.")
    return values


def entry_for(exc: Exception) -> tuple[type[Exception], ErrorResponse]:
    """The most specific entry of :data:`ERRORS` for ``exc`` (``Exception``'s at the least)."""
    cls = next(c for c in type(exc).__mro__ if c in ERRORS)
    return cls, ERRORS[cls]


def response_for(exc: Exception) -> tuple[int, str, str] | None:
    """(status, code, message) that ``exc`` is answered with; None when only ``Exception`` matches it."""
    cls, entry = entry_for(exc)
    if cls is Exception:
        return None
    status = entry.status if entry.status is not None else int(getattr(exc, "status_code", 500))
    return status, entry.code, string.Formatter().vformat(entry.message, (), _values(exc))


def case_response(exc: CaseError) -> tuple[int, str, str] | None:
    """(status, code, message) of a case error; None for the store's own (a bug when one escapes)."""
    return response_for(exc)


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape of the API."""
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


async def handle_error(request: Request, exc: Exception) -> Response:
    """Answer ``exc`` as its entry in :data:`ERRORS` says."""
    _cls, entry = entry_for(exc)
    if entry.log is not None:
        extra: dict[str, Any] = {"path": request.url.path, "error": type(exc).__name__}
        if isinstance(exc, UpstreamUnavailable):
            extra["part"] = exc.part
        if isinstance(exc, RateLimited):
            extra["scope"] = exc.scope
        if entry.status == 500:
            # Where it broke, as code locations only (file, line, function): never values or messages.
            frames = traceback.extract_tb(exc.__traceback__)[-4:]
            extra["where"] = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in frames]
        logging.getLogger(entry.log.logger).log(entry.log.level, entry.log.event, extra=extra)
    status, code, message = response_for(exc) or (500, entry.code, entry.message)
    if entry.kind != "json" and not wants_json(request):
        if entry.kind == "login":
            return login_redirect(request)
        return render(request, entry.page, dict(entry.page_context), status_code=status)
    response = error_response(status, code, message)
    if isinstance(exc, RateLimited):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def install_error_handlers(app: FastAPI) -> None:
    """Register :func:`handle_error` on ``app`` for every class in the table."""
    for error in ERRORS:
        app.add_exception_handler(error, handle_error)
