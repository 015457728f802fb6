"""Rank the site's active passages for a question, and cut the best one down to what answers it.

A passage is embedded with e5's passage prefix together with its page title and heading path (the
heading says what the paragraph is about when the paragraph itself does not). Its score is the e5
cosine with the question plus ``site_lexical_weight`` times the character n-gram cosine. The excerpt
shown is the passage's best-matching sentence with its close neighbours, every line a verbatim piece of
the passage, so the gateway can check the words against the store.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from content.answering.lexical import LexicalIndex
from content.knowledge import fold
from content.semantic.search import prune_cache, save_vectors
from content.site.store import StoredPassage

logger = logging.getLogger(__name__)

SEARCHED = 20  # passages returned per question
NEIGHBOUR_WINDOW = 0.04  # a neighbouring sentence joins the excerpt when it scores within this of the best
MAX_PAGE_SENTENCES = 80  # sentences of one page scored for the excerpt (one batch of e5)
EXCERPT_WORD_WEIGHT = 0.1  # per share of the question's words found in a sentence
_TABLE_ROW = re.compile(r"^[^.:!?]{1,60}: [^:]{1,80}$")  # "cell: cell", as extract writes table rows
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9–\"(])")


@dataclass(frozen=True)
class PassageHit:
    """One ranked passage and the signals behind its score."""

    passage: StoredPassage
    score: float
    semantic: float
    lexical: float

    def to_dict(self) -> dict[str, Any]:
        """Ids and numbers for the audit record (no text)."""
        return {
            "passage_id": self.passage.passage_id,
            "page_url": self.passage.url,
            "score": round(self.score, 4),
            "semantic": round(self.semantic, 4),
            "lexical": round(self.lexical, 4),
        }


def passage_document(passage: StoredPassage) -> str:
    """What is embedded for a passage: page title, heading path and text."""
    headings = [h for h in passage.heading if h and h != passage.title]
    return ". ".join([passage.title, *headings, passage.text])


def segments(text: str) -> list[tuple[int, str]]:
    """The passage's sentences with the line each starts on (list items are lines of their own).

    The rows of a table ("Vuxen: 80 kronor") stay together as one segment: one row alone rarely
    answers, and e5 reads the rows better as a whole.
    """
    found: list[tuple[int, str]] = []
    table: list[str] = []
    table_start = 0
    for line_no, line in enumerate(text.split("\n")):
        line = line.strip()
        if _TABLE_ROW.match(line):
            if not table:
                table_start = line_no
            table.append(line)
            continue
        if table:
            found.append((table_start, "\n".join(table)))
            table = []
        for sentence in _SENTENCE_END.split(line):
            if sentence.strip():
                found.append((line_no, sentence.strip()))
    if table:
        found.append((table_start, "\n".join(table)))
    return found


class PassageIndex:
    """The active passages of one import state, ready to rank."""

    def __init__(
        self,
        passages: Sequence[StoredPassage],
        embedder: Any,
        *,
        import_id: str | None,
        cache_dir: Path | None = None,
        lexical_weight: float = 0.1,
        known: dict[str, np.ndarray] | None = None,
    ) -> None:
        """Embed (or load from the cache) every passage; ``embedder`` is None without the e5 model.

        ``known``: vectors of passages already embedded (by id), so a re-import embeds only new passages.
        """
        self.passages = list(passages)
        self.import_id = import_id
        self.embedder = embedder
        self.lexical_weight = lexical_weight
        self.lexical: LexicalIndex | None = None
        self.matrix: np.ndarray | None = None
        if self.passages:
            ids = [p.passage_id for p in self.passages]
            self.lexical = LexicalIndex(ids, [(p.passage_id, passage_document(p)) for p in self.passages])
            if embedder is not None:
                self.matrix = self._vectors(cache_dir, known or {})

    def __len__(self) -> int:
        """How many passages may answer."""
        return len(self.passages)

    def vectors_by_id(self) -> dict[str, np.ndarray]:
        """Each passage's vector by passage id (for the next index)."""
        if self.matrix is None:
            return {}
        return {p.passage_id: self.matrix[i] for i, p in enumerate(self.passages)}

    @staticmethod
    def cache_file(passages: Sequence[StoredPassage], embedder: Any, cache_dir: Path | None) -> Path | None:
        """Where the vectors of exactly these passages are cached (None without a cache folder)."""
        if cache_dir is None:
            return None
        digest = hashlib.sha256(str(embedder.fingerprint).encode())
        for p in passages:
            digest.update(json.dumps([p.passage_id, p.title]).encode("utf-8"))
        return cache_dir / f"site-{digest.hexdigest()[:32]}.npy"

    def _vectors(self, cache_dir: Path | None, known: dict[str, np.ndarray]) -> np.ndarray:
        path = self.cache_file(self.passages, self.embedder, cache_dir)
        if path is not None and path.is_file():
            try:
                matrix = np.load(path, allow_pickle=False)
                if matrix.shape[0] == len(self.passages):
                    return np.asarray(matrix, dtype=np.float32)
            except (OSError, ValueError):
                logger.warning("site_vectors_cache_unreadable")
        missing = [p for p in self.passages if p.passage_id not in known]
        fresh = (
            np.asarray(self.embedder.embed_passages([passage_document(p) for p in missing]), np.float32)
            if missing
            else np.zeros((0, 0), np.float32)
        )
        new = {p.passage_id: fresh[i] for i, p in enumerate(missing)}
        matrix = np.stack(
            [known[p.passage_id] if p.passage_id in known else new[p.passage_id] for p in self.passages]
        )
        if path is not None:
            save_vectors(path, matrix)
            prune_cache(path.parent, keep=3, pattern="site-*.npy")
        logger.info("site_vectors_embedded", extra={"passages": len(missing)})
        return matrix

    def search(self, query: str, query_vector: np.ndarray | None) -> list[PassageHit]:
        """The best passages for ``query``, best first (empty without passages or the model)."""
        if self.lexical is None or self.matrix is None or query_vector is None:
            return []
        semantic = self.matrix @ query_vector
        lexical = self.lexical.score_vector(query)
        score = semantic + self.lexical_weight * lexical
        # Enough to hold the best passage of another page as well (one page may fill the first places).
        order = np.argsort(-score, kind="stable")[:SEARCHED]
        return [
            PassageHit(self.passages[i], float(score[i]), float(semantic[i]), float(lexical[i]))
            for i in order
        ]

    def best_on_page(
        self, url: str, query_vector: np.ndarray | None, max_chars: int, query: str = ""
    ) -> tuple[StoredPassage, str] | None:
        """The page's passage whose sentence answers best, and the excerpt around that sentence.

        Passages are ranked as wholes; within the chosen page the answer is often in a sibling passage
        ("Priser" rather than "Bra att veta"), so every sentence of the page is scored (with its heading,
        e5 plus the question's words) and the best one decides which passage is shown.
        """
        on_page = [p for p in self.passages if p.url == url]
        if not on_page:
            return None
        if query_vector is None or self.embedder is None:
            return on_page[0], _fit(on_page[0].text, max_chars)
        parts = [(p, seg) for p in on_page for seg in segments(p.text)][:MAX_PAGE_SENTENCES]
        scores = self._sentence_scores(
            [f"{p.heading[-1]}: {seg[1]}" for p, seg in parts], query_vector, query
        )
        passage = parts[int(np.argmax(scores))][0]
        if len(passage.text) <= max_chars:
            return passage, _fit(passage.text, max_chars)  # a passage that fits is shown whole
        mine = [i for i, (p, _) in enumerate(parts) if p is passage]
        return passage, _window([parts[i][1] for i in mine], scores[mine], max_chars)

    def _sentence_scores(self, texts: list[str], query_vector: np.ndarray, query: str) -> np.ndarray:
        vectors = np.asarray(self.embedder.embed_passages(texts), dtype=np.float32)
        # e5 alone likes a sentence *about* dates over the table row that holds the date: the words the
        # question shares with a sentence count too.
        words = _stems(query)
        overlap = np.array([len(words & _stems(t)) / max(len(words), 1) for t in texts], dtype=np.float32)
        scores: np.ndarray = vectors @ query_vector + EXCERPT_WORD_WEIGHT * overlap
        return scores


def _window(parts: list[tuple[int, str]], scores: np.ndarray, max_chars: int) -> str:
    """The best sentence with its close neighbours (after first, then before), in the page's order."""
    best = int(np.argmax(scores))
    chosen = {best}
    length = len(parts[best][1])
    for step in (1, -1, 2, -2):
        j = best + step
        if 0 <= j < len(parts) and (j - step // abs(step)) in chosen:
            close = scores[j] >= scores[best] - NEIGHBOUR_WINDOW
            follows_heading = parts[best][1].endswith(":")
            if (close or follows_heading) and length + len(parts[j][1]) <= max_chars:
                chosen.add(j)
                length += len(parts[j][1])
    return _join([parts[i] for i in sorted(chosen)])


def _stems(text: str) -> set[str]:
    """The first five letters of each word of four letters or more (folded): a crude Swedish stem."""
    return {token[:5] for token in fold(text) if len(token) >= 4}


def verify_excerpt(excerpt: str, passage_text: str) -> bool:
    """True when every line of ``excerpt`` is a verbatim piece of ``passage_text`` (spaces normalised)."""
    whole = " ".join(passage_text.split())
    lines = [" ".join(line.split()) for line in excerpt.split("\n")]
    return bool(excerpt.strip()) and all(line in whole for line in lines if line)


def _join(parts: list[tuple[int, str]]) -> str:
    lines: list[str] = []
    previous_line = None
    for line_no, sentence in parts:
        if lines and line_no == previous_line:
            lines[-1] += " " + sentence
        else:
            lines.append(sentence)
        previous_line = line_no
    return "\n".join(lines)


def _fit(text: str, max_chars: int) -> str:
    """The passage's first lines up to ``max_chars`` (whole lines, at least one)."""
    lines = text.split("\n")
    kept = [lines[0]]
    for line in lines[1:]:
        if sum(len(k) + 1 for k in kept) + len(line) > max_chars:
            break
        kept.append(line)
    return "\n".join(kept)
