"""Errors raised by the guardrails package.

Hierarchy::

    GuardrailError
    ├── GuardrailConfigError      settings or recognizer set-up is unusable
    ├── RedactionError            the redactor could not process a text
    └── VaultError                the vault refused an operation
        ├── PlaceholderNotFound   the placeholder is unknown or has expired
        └── VaultUnavailable      the vault's store (Redis) cannot be reached
"""

from __future__ import annotations


class GuardrailError(Exception):
    """Root of every error raised by ``guardrails``."""


class GuardrailConfigError(GuardrailError):
    """Raised when the settings or the recognizer set-up are unusable."""


class RedactionError(GuardrailError):
    """Raised when a text cannot be analysed or redacted."""


class VaultError(GuardrailError):
    """Raised when the vault refuses an operation (e.g. an empty purpose)."""


class PlaceholderNotFound(VaultError):
    """Raised when a placeholder is unknown in the conversation or its value has expired."""


class VaultUnavailable(VaultError):
    """Raised when the vault's shared store (Redis, ``guardrails.redis_vault``) cannot be reached."""
