"""Errors of the approved content in ``data/``.

Hierarchy::

    ContentError
    ├── KnowledgeError       the topics or knowledge articles are missing or malformed
    ├── MunicipalityError    the municipality profile is missing or malformed
    ├── SemanticError        the semantic search's model or index (``content.semantic.errors``)
    └── SiteError            a site import's source or the site store cannot be used
"""

from __future__ import annotations


class ContentError(Exception):
    """Root of the content's errors."""


class KnowledgeError(ContentError):
    """Raised when the content in ``data/`` is missing or malformed."""


class MunicipalityError(ContentError):
    """Raised when ``data/municipality.yml`` is missing or malformed."""


class SiteError(ContentError):
    """Raised when a site import's source cannot be read or the site store cannot be used."""
