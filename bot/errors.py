"""Errors of the gateway.

Hierarchy::

    GatewayError
    ├── InputError                 the citizen's request is not acceptable
    │   ├── EmptyMessage           nothing left after stripping whitespace and control characters
    │   ├── MessageTooLong         more characters than the limit (``limit``)
    │   ├── InvalidConversationId  the conversation id has the wrong form
    │   ├── BodyTooLarge           the request body is larger than the API accepts
    │   ├── BodyNotUtf8            the request body is not UTF-8
    │   ├── BodyNotJson            the request body is not JSON
    │   ├── UnsupportedMediaType   the request body is not declared as application/json
    │   └── InvalidRequest         the JSON does not fit the request (``fields`` names the wrong ones)
    ├── RateLimited                too many requests from one address or conversation (``retry_after``)
    ├── ReferenceNotFound          a deletion request names no known answer or conversation
    ├── InternalAccessDenied       the internal API was called without the token or not on loopback
    └── UpstreamUnavailable        Rasa, the action server or the audit store cannot answer (``part``)

The case workflow's errors have their own root (``cases.errors.CaseError``). Status codes and the
Swedish messages are not here: ``bot/api/errors.py`` maps every error to its response in one table.
"""

from __future__ import annotations


class GatewayError(Exception):
    """Root of the gateway's errors; only the HTTP layer turns them into responses."""


class InputError(GatewayError):
    """Raised when the request itself cannot be handled."""


class EmptyMessage(InputError):
    """Raised when a message is empty or only whitespace."""


class MessageTooLong(InputError):
    """Raised when a message has more than ``limit`` characters."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"message longer than {limit} characters")
        self.limit = limit


class InvalidConversationId(InputError):
    """Raised when the conversation id is not one the gateway could have issued."""


class BodyTooLarge(InputError):
    """Raised when a request body has more bytes than the API accepts."""


class BodyNotUtf8(InputError):
    """Raised when a request body is not valid UTF-8."""


class BodyNotJson(InputError):
    """Raised when a request body is not valid JSON."""


class UnsupportedMediaType(InputError):
    """Raised when a JSON API is sent a body whose Content-Type is not application/json."""


class RateLimited(GatewayError):
    """Raised when a client or conversation has used up a limit; ``retry_after`` is in seconds."""

    def __init__(self, scope: str, retry_after: int) -> None:
        super().__init__(f"rate limit reached: {scope}")
        self.scope = scope
        self.retry_after = max(1, retry_after)


class InvalidRequest(InputError):
    """Raised when a JSON body does not fit the request; ``fields`` names the wrong fields."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__(f"invalid fields: {', '.join(fields)}")
        self.fields = ", ".join(fields)


class ReferenceNotFound(GatewayError):
    """Raised when a deletion request names no known answer (Svar-ID) or conversation."""


class InternalAccessDenied(GatewayError):
    """Raised when the internal API is called without the right token or from another machine."""


class UpstreamUnavailable(GatewayError):
    """Raised when Rasa, the action server or the audit store cannot answer."""

    def __init__(self, part: str, detail: str = "") -> None:
        super().__init__(f"{part} unavailable: {detail}")
        self.part = part
