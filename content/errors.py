"""Errors of the approved content in ``data/``.

Hierarchy::

    ContentError
    ├── KnowledgeError       the topics or knowledge articles are missing or malformed
    ├── MunicipalityError    the municipality profile is missing or malformed
    └── SemanticError        the semantic search's model or index (``content.semantic.errors``)
"""

from __future__ import annotations


class ContentError(Exception):
    """Root of the content's errors."""


class KnowledgeError(ContentError):
    """Raised when the content in ``data/`` is missing or malformed."""


class MunicipalityError(ContentError):
    """Raised when ``data/municipality.yml`` is missing or malformed."""
