"""Errors raised by the case store.

Hierarchy (``AuditError`` is the audit package's root)::

    AuditError
    └── CaseError                  root of the case store's errors
        ├── CaseNotFound           no case with that number
        ├── InvalidTransition      the action is not allowed in the case's current status
        ├── CaseStoreUnavailable   the database cannot be reached or written
        └── ContactKeyError        an encrypted field cannot be encrypted or decrypted with the key

Only the HTTP layer turns these into responses.
"""

from __future__ import annotations

from audit.errors import AuditError


class CaseError(AuditError):
    """Root of every error raised by the case store."""


class CaseNotFound(CaseError):
    """Raised when no case has the given case number."""


class InvalidTransition(CaseError):
    """Raised when an action is not allowed in the case's current status."""

    def __init__(self, action: str, status: str) -> None:
        super().__init__(f"cannot {action} a case with status {status}")
        self.action = action
        self.status = status


class CaseStoreUnavailable(CaseError):
    """Raised when the case database cannot be opened, reached or written."""


class ContactKeyError(CaseError):
    """Raised when an encrypted field cannot be encrypted or decrypted with the configured key."""
