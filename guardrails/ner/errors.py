"""Errors raised by ``guardrails.ner``.

Hierarchy::

    GuardrailError                 (guardrails.errors)
    └── NerError
        ├── CorpusError            the NER corpus is missing or malformed
        └── ModelMissingError      the trained pipeline or its name lexicon is not where expected
"""

from __future__ import annotations

from guardrails.errors import GuardrailError


class NerError(GuardrailError):
    """Root of every error raised by ``guardrails.ner``."""


class CorpusError(NerError):
    """Raised when the NER corpus cannot be found or read."""


class ModelMissingError(NerError):
    """Raised when the trained pipeline or its lexicon file is missing."""
