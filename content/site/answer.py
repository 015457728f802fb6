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

INLINE_EMBED_LIMIT = 64  # new passages embedded during a turn; more are embedded in the background


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
            "shown_passage_id": self.passage.passage_id,  # the page's passage whose sentence answers best
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
        self._building: str | None = None  # the import being embedded in the background
        self._lock = threading.Lock()

    def index(self) -> PassageIndex | None:
        """The index of the newest import that is ready.

        A newer import is picked up at most every ``refresh_seconds``. When it brings only a few new
        passages they are embedded at once; a large import (the first one, a site-wide change) is
        embedded in a background thread while the previous index keeps serving. Either way the gateway
        shows only the words of active passages, so a removed page never answers in between.
        """
        with self._lock:
            now = self._clock()
            if self._index is not None and now - self._checked < self.refresh_seconds:
                return self._index
            self._checked = now
            try:
                latest = self.store.latest_import()
                current = self._index.import_id if self._index is not None else object()
                if latest != current and latest != self._building:
                    passages = self.store.active_passages()
                    known = self._index.vectors_by_id() if self._index is not None else {}
                    missing = sum(1 for p in passages if p.passage_id not in known)
                    if missing <= INLINE_EMBED_LIMIT or self._index is None and self._cached(passages):
                        self._index = self._build(passages, latest, known)
                    else:
                        self._building = latest
                        threading.Thread(
                            target=self._build_in_background, args=(passages, latest, known), daemon=True
                        ).start()
            except SiteError as exc:
                logger.warning("site_index_unavailable", extra={"error": type(exc).__name__})
            return self._index

    def _cached(self, passages: list[StoredPassage]) -> bool:
        path = PassageIndex.cache_file(passages, self.embedder, self.cache_dir)
        return path is not None and path.is_file()

    def _build(
        self, passages: list[StoredPassage], import_id: str | None, known: dict[str, np.ndarray]
    ) -> PassageIndex:
        index = PassageIndex(
            passages,
            self.embedder,
            import_id=import_id,
            cache_dir=self.cache_dir,
            lexical_weight=self.settings.site_lexical_weight,
            known=known,
        )
        logger.info("site_index_loaded", extra={"passages": len(index), "import_id": import_id})
        return index

    def _build_in_background(
        self, passages: list[StoredPassage], import_id: str | None, known: dict[str, np.ndarray]
    ) -> None:
        try:
            index = self._build(passages, import_id, known)
        except Exception as exc:  # noqa: BLE001 - the next refresh tries again
            logger.warning("site_index_build_failed", extra={"error": type(exc).__name__})
            index = None
        with self._lock:
            if index is not None:
                self._index = index
            self._building = None

    def answer(self, text: str, query_vector: np.ndarray | None) -> SiteAnswer | None:
        """The passage that answers ``text``, or None when none is sure enough."""
        index = self.index()
        if index is None:
            return None
        s = self.settings
        decided = sure_enough(index.search(text, query_vector), s)
        if decided is None:
            return None
        top, runner_up, margin = decided
        chosen = index.best_on_page(top.passage.url, query_vector, s.site_excerpt_chars, text)
        passage, excerpt = chosen or (top.passage, top.passage.text)
        reason = (
            f"no article answered; passage score {top.score:.3f} >= {s.site_min_score} "
            f"and margin over other pages {margin:.3f} >= {s.site_min_margin}"
        )
        return SiteAnswer(passage, excerpt, top, runner_up, reason)


def sure_enough(
    hits: list[PassageHit], settings: EngineSettings
) -> tuple[PassageHit, PassageHit | None, float] | None:
    """The rule in the module docstring: (best hit, best hit of another page, margin), or None."""
    if not hits:
        return None
    top = hits[0]
    runner_up = next((h for h in hits[1:] if h.passage.url != top.passage.url), None)
    margin = top.score - runner_up.score if runner_up is not None else top.score
    if top.score < settings.site_min_score or margin < settings.site_min_margin:
        return None
    return top, runner_up, margin
