"""Errors of case handling, as gateway errors (the HTTP layer renders ``{"error": {code, message}}``).

Hierarchy (``GatewayError`` and ``InputError`` are the gateway's, in ``bot.errors``)::

    GatewayError
    ├── InputError
    │   ├── CaseMessageEmpty        the message is empty after cleaning (422)
    │   ├── CaseMessageTooLong      the message is longer than the limit (413)
    │   ├── MalformedAuditId        the Svar-ID cannot be an audit id (422)
    │   ├── InvalidIdempotencyKey   the idempotency key has the wrong form (422)
    │   ├── InvalidContact          an e-mail or phone number is not valid (422, names the field)
    │   └── VaultValueUnavailable   the placeholder is not (or no longer) in the vault (422)
    ├── AnswerNotFound              no answer with that Svar-ID (404)
    ├── CaseUnknown                 no case with that number (404)
    ├── CaseStepNotAllowed          the step does not fit the case's status (409)
    ├── IdempotencyConflict         the idempotency key was used for another answer (409)
    ├── InternalAccessDenied        the internal API was called without the token or not on loopback (403)
    └── CaseStoreDown               the case store cannot answer (503)
"""

from __future__ import annotations

from bot.errors import GatewayError, InputError


class CaseMessageEmpty(InputError):
    """Raised when the citizen's message is empty."""

    code = "empty_message"
    message_sv = "Skriv vad som är fel innan du skickar."


class CaseMessageTooLong(InputError):
    """Raised when the message has more characters than allowed."""

    status_code = 413
    code = "message_too_long"

    def __init__(self, limit: int) -> None:
        super().__init__(f"message longer than {limit} characters")
        self.message_sv = f"Meddelandet är för långt. Skriv högst {limit} tecken."


class MalformedAuditId(InputError):
    """Raised when the Svar-ID does not have the form of an audit id."""

    code = "invalid_audit_id"
    message_sv = "Svar-ID:t har fel form. Det ser ut ungefär så här: KS-7K3M9Q2X4B."


class InvalidIdempotencyKey(InputError):
    """Raised when the idempotency key has the wrong form."""

    code = "invalid_request"
    message_sv = "Fel i förfrågan: idempotency_key"


class InvalidContact(InputError):
    """Raised when a contact detail is not valid; ``field`` names it (``contact.email``)."""

    code = "invalid_contact"

    def __init__(self, field: str, message_sv: str) -> None:
        super().__init__(f"invalid {field}")
        self.field = field
        self.message_sv = f"Fel i fältet {field}: {message_sv}"


class VaultValueUnavailable(InputError):
    """Raised when a placeholder's value is not (or no longer) in the vault."""

    code = "value_unavailable"
    message_sv = "Kontaktuppgiften finns inte längre kvar. Skriv den igen."


class AnswerNotFound(GatewayError):
    """Raised when no answer has the given Svar-ID."""

    status_code = 404
    code = "answer_not_found"
    message_sv = "Det finns inget svar med det Svar-ID:t. Kontrollera att du har skrivit av det rätt."


class CaseUnknown(GatewayError):
    """Raised when no case has the given number."""

    status_code = 404
    code = "case_not_found"
    message_sv = "Ärendet finns inte."


class CaseStepNotAllowed(GatewayError):
    """Raised when a step does not fit the case's status (e.g. acknowledging a resolved case)."""

    status_code = 409
    code = "step_not_allowed"
    message_sv = "Det går inte att göra så med ärendet i dess nuvarande status."


class IdempotencyConflict(GatewayError):
    """Raised when an idempotency key comes back with another Svar-ID."""

    status_code = 409
    code = "idempotency_conflict"
    message_sv = "Den här begäran har redan skickats för ett annat svar. Ladda om sidan och försök igen."


class InternalAccessDenied(GatewayError):
    """Raised when the internal API is called without the right token or from another machine."""

    status_code = 403
    code = "forbidden"
    message_sv = "Åtkomst nekad."


class CaseStoreDown(GatewayError):
    """Raised when the case store cannot answer."""

    status_code = 503
    code = "service_unavailable"
    message_sv = (
        "Det går inte att registrera ärenden just nu. Försök igen om en stund, eller ring kontaktcenter."
    )
