"""Errors of case handling: the workflow's (what a citizen or staff member is told) and the store's.

Hierarchy::

    CaseError                      root of every error of case handling
    ├── CaseRequestError           the request cannot be taken as it is (the caller can fix it)
    │   ├── CaseMessageEmpty       the message or reply is empty after cleaning
    │   ├── CaseMessageTooLong     the message or reply is longer than ``limit``
    │   ├── MalformedAuditId       the Svar-ID cannot be an audit id
    │   ├── InvalidIdempotencyKey  the idempotency key has the wrong form
    │   ├── InvalidContact         an e-mail or phone number is not valid (``field``, ``reason``)
    │   └── VaultValueUnavailable  the placeholder's value is not (or no longer) in the vault
    ├── AnswerNotFound             no answer with that Svar-ID (or not in the caller's conversation)
    ├── CaseUnknown                no case with that number
    ├── CaseStepNotAllowed         the step does not fit the case's status, outcome or assignee
    ├── IdempotencyConflict        the idempotency key was used for another answer
    ├── CaseStoreDown              the case store (or the audit log behind a contest) cannot answer
    └── CaseStoreError             raised by the store; the workflow turns these into the ones above
        ├── CaseNotFound           no case (or outbox message) with that number
        ├── InvalidTransition      the action is not allowed in the case's current status
        ├── CaseStoreUnavailable   the database cannot be opened, reached, migrated or written
        └── ContactKeyError        an encrypted field cannot be encrypted or decrypted with the key

``CaseError`` is not an ``audit.errors.AuditError``: code that guards an audit-log call with
``except AuditError`` does not swallow case errors. Only the HTTP layer (``bot/api/errors.py``) turns
these into responses.
"""

from __future__ import annotations


class CaseError(Exception):
    """Root of every error raised by case handling."""


class CaseRequestError(CaseError):
    """Raised when a request to the case workflow cannot be taken as it is."""


class CaseMessageEmpty(CaseRequestError):
    """Raised when the citizen's message or a staff reply is empty after cleaning."""


class CaseMessageTooLong(CaseRequestError):
    """Raised when the message or reply has more than ``limit`` characters."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"message longer than {limit} characters")
        self.limit = limit


class MalformedAuditId(CaseRequestError):
    """Raised when the Svar-ID does not have the form of an audit id."""


class InvalidIdempotencyKey(CaseRequestError):
    """Raised when the idempotency key has the wrong form."""


class InvalidContact(CaseRequestError):
    """Raised when a contact detail is not valid; ``field`` names it, ``reason`` says what is wrong.

    Reasons: ``email_missing``, ``email_invalid``, ``phone_missing``, ``phone_invalid``.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"invalid {field}: {reason}")
        self.field = field
        self.reason = reason


class VaultValueUnavailable(CaseRequestError):
    """Raised when a placeholder's value is not (or no longer) in the vault."""


class AnswerNotFound(CaseError):
    """Raised when no answer has the given Svar-ID (or it belongs to another conversation)."""


class CaseUnknown(CaseError):
    """Raised by the workflow when no case has the given number."""


class CaseStepNotAllowed(CaseError):
    """Raised when a step does not fit the case (e.g. acknowledging a resolved case)."""


class IdempotencyConflict(CaseError):
    """Raised when an idempotency key comes back with another Svar-ID."""


class CaseStoreDown(CaseError):
    """Raised by the workflow when the case store, or the audit log a contest needs, cannot answer."""

    def __init__(self, part: str) -> None:
        super().__init__(f"{part} unavailable")
        self.part = part


class CaseStoreError(CaseError):
    """Root of the errors raised by the case store itself."""


class CaseNotFound(CaseStoreError):
    """Raised when no case (or outbox message) has the given number."""


class InvalidTransition(CaseStoreError):
    """Raised when an action is not allowed in the case's current status."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action} a case with status {status}")
        self.action = action
        self.status = status


class CaseStoreUnavailable(CaseStoreError):
    """Raised when the case database cannot be opened, reached, migrated or written."""


class ContactKeyError(CaseStoreError):
    """Raised when an encrypted field cannot be encrypted or decrypted with the configured key."""
