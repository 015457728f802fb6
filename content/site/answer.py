"""The website tier's decision: a passage answers when no curated article does and the passage is sure.

The rule mirrors the article engine's: the best passage must reach ``site_min_score`` and lead the best
passage of any *other* page by ``site_min_margin`` (passages of one page may agree with each other).
The index follows the store: when a newer import exists (checked at most every ``refresh_seconds``), it
is rebuilt from the active passages, so answers from a removed or changed page stop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from content.answering.settings import EngineSettings
from content.errors import SiteError
from content.site.index import PassageHit, PassageIndex
from content.site.store import SiteStore, StoredPassage

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SiteAnswer:
    """A passage chosen to answer, the excerpt shown, and why."""

    passage: StoredPassage
    excerpt: str
    hit: PassageHit
    runner_up: PassageHit | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The decision for the audit record (ids and numbers, no text)."""
        return {
            "rule": "site_answer",
            "reason": self.reason,
            "passage": self.hit.to_dict(),
            "runner_up": self.runner_up.to_dict() if self.runner_up else None,
            "import_id": self.passage.import_id,
        }


class SiteAnswerer:
    """Ranks the imported passages and decides whether one answers."""

    def __init__(
        self,
        store: SiteStore,
        embedder: Any,
        settings: EngineSettings,
        *,
        cache_dir: Path | None = None,
        refresh_seconds: float = 20.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Build the index lazily on first use; ``embedder`` None means the tier cannot answer."""
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.cache_dir = cache_dir
        self.refresh_seconds = refresh_seconds
        self._clock = clock
        self._index: PassageIndex | None = None
        self._checked = float("-inf")
        self._lock = threading.Lock()

    def index(self) -> PassageIndex | None:
        """The index of the newest import (rebuilt when the store has a newer one)."""
        with self._lock:
            now = self._clock()
            if self._index is not None and now - self._checked < self.refresh_seconds:
                return self._index
            self._checked = now
            try:
                latest = self.store.latest_import()
                if self._index is None or self._index.import_id != latest:
                    self._index = PassageIndex(
                        self.store.active_passages(),
                        self.embedder,
                        import_id=latest,
                        cache_dir=self.cache_dir,
                        lexical_weight=self.settings.site_lexical_weight,
                        known=self._index.vectors_by_id() if self._index is not None else None,
                    )
                    logger.info(
                        "site_index_loaded", extra={"passages": len(self._index), "import_id": latest}
                    )
            except SiteError as exc:
                logger.warning("site_index_unavailable", extra={"error": type(exc).__name__})
            return self._index

    def rank(self, text: str, query_vector: np.ndarray | None) -> list[PassageHit]:
        """The best passages for ``text``."""
        index = self.index()
        return index.search(text, query_vector) if index is not None else []

    def answer(self, text: str, query_vector: np.ndarray | None) -> SiteAnswer | None:
        """The passage that answers ``text``, or None when none is sure enough."""
        hits = self.rank(text, query_vector)
        return self.decide(hits, query_vector)

    def decide(self, hits: list[PassageHit], query_vector: np.ndarray | None) -> SiteAnswer | None:
        """Apply the rule in the module docstring to ranked hits."""
        if not hits:
            return None
        s = self.settings
        top = hits[0]
        runner_up = next((h for h in hits[1:] if h.passage.url != top.passage.url), None)
        margin = top.score - runner_up.score if runner_up is not None else top.score
        if top.score < s.site_min_score or margin < s.site_min_margin:
            return None
        index = self.index()
        excerpt = (
            index.excerpt(top.passage, query_vector, s.site_excerpt_chars)
            if index is not None
            else top.passage.text
        )
        reason = (
            f"no article answered; passage score {top.score:.3f} >= {s.site_min_score} "
            f"and margin over other pages {margin:.3f} >= {s.site_min_margin}"
        )
        return SiteAnswer(top.passage, excerpt, top, runner_up, reason)
