"""Errors of the gateway.

Hierarchy::

    GatewayError
    ├── InputError                 the citizen's request is not acceptable (4xx)
    │   ├── EmptyMessage           nothing left after stripping whitespace and control characters
    │   ├── MessageTooLong         more characters than the limit
    │   └── InvalidConversationId  the conversation id has the wrong form
    └── UpstreamUnavailable        Rasa, the action server or the audit store cannot answer (503)
"""

from __future__ import annotations


class GatewayError(Exception):
    """Root of the gateway's errors; only the HTTP layer turns them into responses."""

    status_code = 500
    code = "internal_error"
    message_sv = "Något gick fel. Försök igen om en stund."


class InputError(GatewayError):
    """Raised when the request itself cannot be handled."""

    status_code = 422
    code = "invalid_input"
    message_sv = "Meddelandet kunde inte tas emot."


class EmptyMessage(InputError):
    """Raised when a message is empty or only whitespace."""

    code = "empty_message"
    message_sv = "Skriv en fråga innan du skickar."


class MessageTooLong(InputError):
    """Raised when a message has more characters than allowed."""

    status_code = 413
    code = "message_too_long"

    def __init__(self, limit: int) -> None:
        super().__init__(f"message longer than {limit} characters")
        self.message_sv = f"Meddelandet är för långt. Skriv högst {limit} tecken."


class InvalidConversationId(InputError):
    """Raised when the conversation id is not one the gateway could have issued."""

    code = "invalid_conversation_id"
    message_sv = "Samtalets id är felaktigt. Ladda om sidan och börja om."


class UpstreamUnavailable(GatewayError):
    """Raised when Rasa, the action server or the audit store cannot answer."""

    status_code = 503
    code = "service_unavailable"
    message_sv = (
        "Chatten kan inte svara just nu. Försök igen om en stund, eller kontakta kommunens kontaktcenter."
    )

    def __init__(self, part: str, detail: str = "") -> None:
        super().__init__(f"{part} unavailable: {detail}")
        self.part = part
