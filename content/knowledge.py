"""Approved content: topics and knowledge articles from ``data/``.

The action server answers only from these articles; the gateway uses them to check that every answer is
approved content and to put the article's owner and review date in the audit record.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from content.errors import KnowledgeError
from content.topics import Topic, load_topics

__all__ = ["LANGUAGES", "Article", "KnowledgeBase", "KnowledgeError", "Topic", "fold"]

LANGUAGES = ("sv", "en")
_TOKEN = re.compile(r"[a-z0-9]+")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def fold(text: str) -> list[str]:
    """Lower-case, fold å/ä/ö (citizens often leave them out) and split into word tokens."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    return _TOKEN.findall(text)


@dataclass(frozen=True)
class Article:
    """One approved, versioned knowledge article."""

    id: str
    version: int
    topic: str
    intents: tuple[str, ...]
    owner: str
    source: str
    last_reviewed: date
    risk: str
    title: dict[str, str]
    answer: dict[str, str]
    example_questions: dict[str, tuple[str, ...]]
    kind: str = "answer"  # "answer" (may be ranked and suggested) or "system" (a dialogue step's text)

    @property
    def answerable(self) -> bool:
        """True for articles the answer engine may rank, answer with and suggest."""
        return self.kind == "answer"

    def text(self, language: str) -> str:
        """The answer in ``language``, falling back to Swedish."""
        return self.answer.get(language) or self.answer["sv"]

    def content_hash(self, language: str) -> str:
        """SHA-256 of the answer text in ``language``: ties an audit record to the exact words."""
        return hashlib.sha256(self.text(language).encode("utf-8")).hexdigest()

    def source_info(self, language: str) -> dict[str, Any]:
        """What travels with an answer as its source."""
        return {
            "article_id": self.id,
            "version": self.version,
            "content_hash": self.content_hash(language),
            "owner": self.owner,
            "last_reviewed": self.last_reviewed.isoformat(),
            "topic": self.topic,
            "language": language if language in self.answer else "sv",
        }

    def is_stale(self, today: date, review_period_days: int) -> bool:
        """True when the article has not been reviewed within the review period."""
        return today - self.last_reviewed > timedelta(days=review_period_days)


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


ARTICLE_KINDS = ("answer", "system")


def _kind(value: Any, path: Path) -> str:
    kind = str(value)
    if kind not in ARTICLE_KINDS:
        raise KnowledgeError(f"{path}: kind must be one of {', '.join(ARTICLE_KINDS)}")
    return kind


def _parse_article(raw: dict[str, Any], path: Path) -> Article:
    try:
        answer = {k: str(v).strip() for k, v in raw["answer"].items() if k in LANGUAGES}
        if "sv" not in answer:
            raise KnowledgeError(f"{path}: the answer has no Swedish text")
        examples = raw.get("example_questions") or {}
        return Article(
            id=str(raw["id"]),
            version=int(raw["version"]),
            topic=str(raw["topic"]),
            intents=tuple(str(i) for i in raw.get("intents") or ()),
            owner=str(raw.get("owner", "")),
            source=str(raw.get("source", "")),
            last_reviewed=_as_date(raw["last_reviewed"]),
            risk=str(raw.get("risk", "normal")),
            title={k: str(v) for k, v in (raw.get("title") or {}).items()},
            answer=answer,
            example_questions={k: tuple(str(q) for q in v or ()) for k, v in examples.items()},
            kind=_kind(raw.get("kind", "answer"), path),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KnowledgeError(f"{path}: malformed article ({exc})") from exc


class KnowledgeBase:
    """Topics and articles, with the lookups the actions and the gateway need."""

    def __init__(self, topics: dict[str, Topic], articles: dict[str, Article], review_period_days: int):
        self.topics = topics
        self.articles = articles
        self.review_period_days = review_period_days
        self._intent_topic = {i: t.name for t in topics.values() for i in t.intents}
        self._tokens = {a.id: self._article_tokens(a) for a in articles.values()}
        doc_freq: Counter[str] = Counter()
        for tokens in self._tokens.values():
            doc_freq.update(set(tokens))
        n = max(len(self._tokens), 1)
        self._idf = {tok: math.log((n + 1) / (df + 0.5)) for tok, df in doc_freq.items()}

    @classmethod
    def load(cls, data_dir: Path) -> KnowledgeBase:
        """Read ``topics.yml`` and every article under ``knowledge/``."""
        catalogue = load_topics(data_dir)
        articles: dict[str, Article] = {}
        for path in sorted((data_dir / "knowledge").glob("**/*.yml")):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise KnowledgeError(f"{path}: not a YAML mapping")
            article = _parse_article(raw, path)
            if article.id in articles:
                raise KnowledgeError(f"{path}: duplicate article id {article.id}")
            articles[article.id] = article
        if not articles:
            raise KnowledgeError(f"no articles under {data_dir / 'knowledge'}")
        return cls(catalogue.topics, articles, catalogue.review_period_days)

    @staticmethod
    def _article_tokens(article: Article) -> list[str]:
        parts = list(article.title.values())
        for questions in article.example_questions.values():
            parts.extend(questions)
        return fold(" ".join(parts))

    def topic_of_intent(self, intent: str | None) -> str:
        """The service area an intent belongs to (``out_of_scope`` for unknown intents)."""
        return self._intent_topic.get(intent or "", "out_of_scope")

    def articles_for_intent(self, intent: str) -> list[Article]:
        """Articles that may answer ``intent``, the default article first."""
        found = [a for a in self.articles.values() if intent in a.intents]
        default = self.topics.get(self.topic_of_intent(intent))
        default_id = default.default_articles.get(intent) if default else None
        found.sort(key=lambda a: (a.id != default_id, a.id))
        return found

    def pick(self, intent: str, text: str) -> Article | None:
        """The article that best answers ``text`` among those for ``intent``.

        Scores IDF-weighted word overlap with each article's title and example questions; when nothing
        overlaps, the intent's default article answers.
        """
        candidates = self.articles_for_intent(intent)
        if not candidates:
            return None
        query = set(fold(text))
        best, best_score = candidates[0], 0.0
        for article in candidates:
            tokens = set(self._tokens[article.id])
            score = sum(self._idf.get(tok, 0.0) for tok in query & tokens)
            if score > best_score + 1e-9:
                best, best_score = article, score
        return best

    def approved_texts(self) -> set[str]:
        """Every answer text an automated reply may consist of."""
        return {text for article in self.articles.values() for text in article.answer.values()}

    def topic_contacts(self) -> list[dict[str, dict[str, str]]]:
        """Every topic's hand-off contact per language (the values a no-answer notice may name)."""
        return [
            {language: topic.contact(language) for language in LANGUAGES} for topic in self.topics.values()
        ]

    def stale_articles(self, today: date | None = None) -> list[Article]:
        """Articles not reviewed within the review period."""
        today = today or date.today()
        return [a for a in self.articles.values() if a.is_stale(today, self.review_period_days)]
