"""Errors raised by the audit package.

Hierarchy::

    AuditError
    ├── AuditStoreUnavailable      the database cannot be reached or written
    ├── AuditIntegrityError        stored data contradicts the log (tampering, forks, bad proofs)
    │   └── ReceiptInvalid         a receipt does not verify
    ├── InvalidRecord              a record handed to ``append`` fails validation
    ├── RecordNotFound             no record with the given audit id
    ├── SigningKeyError            the checkpoint signing key is missing, unreadable or wrong
    └── AuditConfigError           settings are invalid (unknown retention class, bad URL)

Only the HTTP layer and the CLI turn these into responses or exit codes.
"""

from __future__ import annotations


class AuditError(Exception):
    """Root of every error raised by the audit package."""


class AuditStoreUnavailable(AuditError):
    """Raised when the audit database cannot be opened, reached or written."""


class AuditIntegrityError(AuditError):
    """Raised when stored data contradicts the log (tampering, a fork, a proof that fails)."""


class ReceiptInvalid(AuditIntegrityError):
    """Raised when a receipt's inclusion proof or checkpoint signature does not verify."""


class InvalidRecord(AuditError):
    """Raised when a record handed to ``append`` does not match the record schema."""


class RecordNotFound(AuditError):
    """Raised when no record exists for the given audit id."""


class SigningKeyError(AuditError):
    """Raised when the checkpoint signing key is missing, unreadable or does not match."""


class AuditConfigError(AuditError):
    """Raised when audit settings are invalid (unknown retention class, unsupported URL)."""
