"""Semantic search over knowledge articles, for "Menar du …?" suggestions when Rasa is unsure.

Every article contributes passages: its title and its example questions in Swedish and English, plus,
optionally, training examples of the intents it is the default article for (``data/nlu/``). A query is
embedded once and compared with all passages. An article's score is the weighted mean of its two best
passage cosines (``(best + 0.5 * second) / 1.5``), which rewards articles that several phrasings point to;
the ``k`` best articles are returned. Passages are mostly questions, so by default they are embedded like
queries (e5's advice for symmetric similarity).

The passage vectors are cached under ``var/semantic/``, keyed by the embedder's fingerprint and the exact
passages (ids, versions, texts): a changed article, example or model means new vectors, an unchanged one
means no embedding work at start-up.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from content.semantic.embedder import Embedder, create_embedder
from content.semantic.errors import ArticleIndexError
from content.semantic.settings import SemanticSettings

logger = logging.getLogger(__name__)

LANGUAGES = ("sv", "en")
ANY_LANGUAGE = "any"
DEFAULT_EXCLUDED_TOPICS = ("smalltalk",)
SECOND_WEIGHT = 0.5
CACHE_FILES_KEPT = 6  # other models or content versions may share the directory
QUERY_CACHE_SIZE = 64  # recent query vectors (redacted text only, in memory)


@dataclass(frozen=True)
class Hit:
    """One suggested article."""

    article_id: str
    topic: str
    score: float


@dataclass(frozen=True)
class Passage:
    """A text that stands for an article in the index."""

    article_id: str
    version: int
    topic: str
    language: str  # "sv", "en" or "any" (training examples carry no language)
    kind: str  # "title", "question" or "example"
    text: str


def _field(article: Any, name: str) -> Any:
    if isinstance(article, Mapping):
        return article.get(name)
    return getattr(article, name, None)


def passages_of(article: Any) -> list[Passage]:
    """Title and example questions of an article (a ``content.knowledge.Article`` or a mapping)."""
    article_id, topic = str(_field(article, "id")), str(_field(article, "topic"))
    version = int(_field(article, "version") or 0)
    title = _field(article, "title") or {}
    questions = _field(article, "example_questions") or {}
    found: list[Passage] = []
    for language in LANGUAGES:
        if str(title.get(language) or "").strip():
            found.append(Passage(article_id, version, topic, language, "title", str(title[language]).strip()))
        for question in questions.get(language) or ():
            if str(question).strip():
                found.append(Passage(article_id, version, topic, language, "question", str(question).strip()))
    return found


class ArticleIndex:
    """Ranks articles by semantic similarity to a query; model and vectors load lazily."""

    def __init__(
        self,
        passages: Sequence[Passage],
        embedder: Embedder,
        cache_dir: Path | None = None,
        *,
        symmetric: bool = True,
    ) -> None:
        if not passages:
            raise ArticleIndexError("no article has a title or example question to index")
        self.embedder = embedder
        self.passages = list(passages)
        self.cache_dir = cache_dir
        self.symmetric = symmetric
        self._article_ids = sorted({p.article_id for p in self.passages})
        position = {article_id: i for i, article_id in enumerate(self._article_ids)}
        self._topics = {p.article_id: p.topic for p in self.passages}
        self._owner = np.array([position[p.article_id] for p in self.passages], dtype=np.int64)
        self._language = np.array([p.language for p in self.passages])
        self._matrix: np.ndarray | None = None
        self._lock = threading.Lock()
        self._query_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self.cache_hit: bool | None = None

    @classmethod
    def build(
        cls,
        articles: Iterable[Any],
        model: Embedder,
        *,
        cache_dir: Path | None = None,
        examples: Mapping[str, Sequence[str]] | None = None,
        exclude_topics: Sequence[str] = DEFAULT_EXCLUDED_TOPICS,
        exclude_ids: Sequence[str] = (),
        symmetric: bool = True,
    ) -> ArticleIndex:
        """Index ``articles`` with ``model``; nothing is embedded until the first search or ``warm_up``.

        Args:
            articles: ``content.knowledge.Article`` objects or mappings in the knowledge-article format.
            model: the embedder.
            cache_dir: where passage vectors are cached (None: no cache).
            examples: extra phrasings per article id (e.g. NLU training examples of the intent the
                article is the default answer for); ids not indexed are ignored.
            exclude_topics: topics whose articles are never suggested.
            exclude_ids: article ids never suggested.
            symmetric: embed passages like queries (True) or with the passage prefix (False).
        """
        kept = [
            article
            for article in articles
            if _field(article, "topic") not in exclude_topics
            and _field(article, "id") not in exclude_ids
            and (_field(article, "kind") or "answer") == "answer"  # dialogue steps are never answers
        ]
        passages = [passage for article in kept for passage in passages_of(article)]
        for article in kept:
            article_id, topic = str(_field(article, "id")), str(_field(article, "topic"))
            version = int(_field(article, "version") or 0)
            for text in (examples or {}).get(article_id, ()):
                if text.strip():
                    passages.append(
                        Passage(article_id, version, topic, ANY_LANGUAGE, "example", text.strip())
                    )
        return cls(passages, model, cache_dir, symmetric=symmetric)

    @property
    def article_ids(self) -> list[str]:
        """Ids of the indexed articles, sorted."""
        return list(self._article_ids)

    @property
    def cache_key(self) -> str:
        """SHA-256 over the embedder fingerprint and every passage (id, version, language, text)."""
        digest = hashlib.sha256(f"{self.embedder.fingerprint}|symmetric={self.symmetric}".encode())
        for p in self.passages:
            digest.update(json.dumps([p.article_id, p.version, p.language, p.kind, p.text]).encode("utf-8"))
        return digest.hexdigest()

    def prepare(self) -> bool:
        """Load the passage vectors, embedding them only when the cache has none; True on a cache hit.

        A cache hit needs no model, so this is cheap when nothing changed.
        """
        self._vectors()
        return bool(self.cache_hit)

    def warm_up(self) -> None:
        """Load the passage vectors (from the cache or by embedding) and the model for queries."""
        self.prepare()
        self.embedder.embed_queries(["warm up"])

    def search(
        self, query: str, k: int = 3, language: str | None = None, min_score: float = -1.0
    ) -> list[Hit]:
        """The ``k`` articles most similar to ``query``, best first.

        Args:
            query: the citizen's (already redacted) question.
            k: how many articles to return at most.
            language: ``sv`` or ``en`` compares only passages in that language; None compares all.
            min_score: articles scoring below this cosine are left out.
        """
        if k <= 0 or not query.strip():
            return []
        scores = self.score_vector(self.embed_query(query), language)
        order = np.argsort(-scores, kind="stable")[:k]
        hits = []
        for i in order:
            score = float(scores[i])
            if not np.isfinite(score) or score < min_score:
                break
            article_id = self._article_ids[i]
            hits.append(Hit(article_id, self._topics[article_id], round(score, 4)))
        return hits

    def score_vector(
        self, query_vector: np.ndarray, language: str | None = None, exclude_rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Every indexed article's score for a query vector, in ``article_ids`` order (-inf: no passage).

        Args:
            query_vector: the query's unit vector (``embed_query``).
            language: ``sv`` or ``en`` compares only passages in that language; None compares all.
            exclude_rows: a boolean mask of passages to leave out (leave-one-out evaluation).
        """
        matrix = self._vectors()
        keep = np.ones(len(self.passages), dtype=bool)
        if language in LANGUAGES:
            keep &= (self._language == language) | (self._language == ANY_LANGUAGE)
        if exclude_rows is not None:
            keep &= ~exclude_rows
        rows = np.flatnonzero(keep)
        return article_scores(matrix[rows] @ query_vector, self._owner[rows], len(self._article_ids))

    def topic_of(self, article_id: str) -> str:
        """The topic of an indexed article."""
        return self._topics[article_id]

    def passage_vectors(self) -> np.ndarray:
        """The unit vectors of every indexed passage, one row each (loads or embeds them once)."""
        return self._vectors()

    def embed_query(self, query: str) -> np.ndarray:
        """The query's unit vector; the last few are kept, so the safety check and the search share one."""
        with self._lock:
            cached = self._query_cache.get(query)
            if cached is not None:
                self._query_cache.move_to_end(query)
                return cached
        vector = np.asarray(self.embedder.embed_queries([query])[0], dtype=np.float32)
        with self._lock:
            self._query_cache[query] = vector
            while len(self._query_cache) > QUERY_CACHE_SIZE:
                self._query_cache.popitem(last=False)
        return vector

    def _vectors(self) -> np.ndarray:
        if self._matrix is None:
            with self._lock:
                if self._matrix is None:
                    self._matrix = self._load_or_embed()
        return self._matrix

    def _cache_file(self) -> Path | None:
        return self.cache_dir / f"articles-{self.cache_key[:32]}.npy" if self.cache_dir else None

    def _load_or_embed(self) -> np.ndarray:
        path = self._cache_file()
        if path is not None and path.is_file():
            try:
                matrix = np.load(path, allow_pickle=False)
                if matrix.ndim == 2 and matrix.shape[0] == len(self.passages):
                    self.cache_hit = True
                    logger.info("semantic_index_cache_hit", extra={"passages": len(self.passages)})
                    return np.asarray(matrix, dtype=np.float32)
            except (OSError, ValueError):
                logger.warning("semantic_index_cache_unreadable")
        self.cache_hit = False
        texts = [p.text for p in self.passages]
        matrix = self.embedder.embed_queries(texts) if self.symmetric else self.embedder.embed_passages(texts)
        if matrix.shape[0] != len(self.passages):
            raise ArticleIndexError("the embedder returned a different number of vectors than passages")
        if path is not None:
            save_vectors(path, matrix)
            prune_cache(path.parent, keep=CACHE_FILES_KEPT)
        logger.info("semantic_index_embedded", extra={"passages": len(self.passages)})
        return matrix


def article_scores(similarities: np.ndarray, owner: np.ndarray, n_articles: int) -> np.ndarray:
    """Per article ``(best + SECOND_WEIGHT * second) / (1 + SECOND_WEIGHT)`` of its passages' cosines.

    An article with one passage counts it twice; an article without passages scores -inf.
    """
    scores = np.full(n_articles, -np.inf, dtype=np.float32)
    if similarities.size == 0:
        return scores
    order = np.lexsort((-similarities, owner))  # grouped by article, best first
    grouped_owner, grouped_sim = owner[order], similarities[order]
    articles, first = np.unique(grouped_owner, return_index=True)
    second = np.minimum(first + 1, len(order) - 1)
    has_second = grouped_owner[second] == articles
    best = grouped_sim[first]
    runner_up = np.where(has_second, grouped_sim[second], best)
    scores[articles] = (best + SECOND_WEIGHT * runner_up) / (1.0 + SECOND_WEIGHT)
    return scores


def save_vectors(path: Path, matrix: np.ndarray) -> None:
    """Write ``matrix`` as float32 ``.npy`` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        np.save(handle, np.asarray(matrix, dtype=np.float32), allow_pickle=False)
    os.replace(tmp, path)


def prune_cache(directory: Path, keep: int, pattern: str = "articles-*.npy") -> None:
    """Delete all but the ``keep`` most recently written cache files matching ``pattern``."""
    files = sorted(directory.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def load_default_index(settings: SemanticSettings | None = None) -> ArticleIndex:
    """The index over ``data/knowledge`` with the configured embedder (loads articles, not the model)."""
    from content.knowledge import KnowledgeBase
    from content.semantic.training_examples import examples_by_article

    settings = settings or SemanticSettings()
    knowledge = KnowledgeBase.load(settings.data_dir)
    examples = (
        examples_by_article(knowledge, settings.data_dir / "nlu") if settings.use_training_examples else {}
    )
    return ArticleIndex.build(
        knowledge.articles.values(),
        create_embedder(settings),
        cache_dir=settings.cache_dir,
        examples=examples,
        exclude_ids=_special_article_ids(settings.data_dir),
        symmetric=settings.symmetric,
    )


def _special_article_ids(data_dir: Path) -> tuple[str, ...]:
    """The fallback article is not a suggestion (the topics file names it)."""
    from content.errors import KnowledgeError
    from content.topics import load_topics

    try:
        fallback = load_topics(data_dir).fallback_article
    except KnowledgeError:
        return ()
    return (fallback,) if fallback else ()
