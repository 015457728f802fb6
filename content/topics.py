"""The service areas of ``data/topics.yml``: intents, default articles, risk, owner, hand-off and labels.

This module is the one reader of ``topics.yml``; the knowledge base, the semantic search and the audit
explanations (topic labels) take what they need from it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from content.errors import KnowledgeError
from content.paths import DEFAULT_DATA_DIR

TOPICS_FILE = "topics.yml"
DEFAULT_REVIEW_PERIOD_DAYS = 365


@dataclass
class Topic:
    """A service area from ``data/topics.yml``."""

    name: str
    label: dict[str, str]
    intents: tuple[str, ...]
    default_articles: dict[str, str]
    risk: str = "normal"
    department: str = ""
    handoff: dict[str, Any] = field(default_factory=dict)

    def contact(self, language: str) -> dict[str, str]:
        """The hand-off contact as notice placeholders: ``contact`` (name), ``phone`` and ``email``."""
        names = self.handoff.get("name") or {}
        name = str(names.get(language) or names.get("sv") or "") if isinstance(names, dict) else str(names)
        return {
            "contact": name,
            "phone": str(self.handoff.get("phone") or ""),
            "email": str(self.handoff.get("email") or ""),
        }


@dataclass(frozen=True)
class TopicCatalogue:
    """Every topic of ``topics.yml`` and the file's settings."""

    topics: dict[str, Topic]
    review_period_days: int = DEFAULT_REVIEW_PERIOD_DAYS
    fallback_article: str | None = None
    handoff_article: str | None = None

    def labels(self, language: str = "sv") -> dict[str, str]:
        """Topic name -> its label in ``language`` (Swedish when that language has none)."""
        return {
            name: topic.label.get(language) or topic.label.get("sv") or name
            for name, topic in self.topics.items()
        }

    def intent_topics(self) -> dict[str, str]:
        """Intent -> the topic it belongs to."""
        return {intent: topic.name for topic in self.topics.values() for intent in topic.intents}


def _topic_entries(raw: dict[str, Any]) -> dict[str, Any]:
    entries = raw.get("topics", raw)
    return {name: spec for name, spec in entries.items() if isinstance(spec, dict)}


def _label(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {"sv": str(value)} if value else {}


def parse_topics(raw: dict[str, Any]) -> TopicCatalogue:
    """Build the catalogue from the parsed contents of ``topics.yml``."""
    topics = {}
    for name, spec in _topic_entries(raw).items():
        topics[name] = Topic(
            name=name,
            label=_label(spec.get("label")),
            intents=tuple(spec.get("intents") or ()),
            default_articles=dict(spec.get("default_articles") or {}),
            risk=str(spec.get("risk", "normal")),
            department=str(spec.get("department", "")),
            handoff=dict(spec.get("handoff") or {}),
        )
    return TopicCatalogue(
        topics=topics,
        review_period_days=int(raw.get("review_period_days", DEFAULT_REVIEW_PERIOD_DAYS)),
        fallback_article=str(raw["fallback_article"]) if raw.get("fallback_article") else None,
        handoff_article=str(raw["handoff_article"]) if raw.get("handoff_article") else None,
    )


def load_topics(data_dir: Path = DEFAULT_DATA_DIR) -> TopicCatalogue:
    """Read ``data_dir/topics.yml``.

    Raises:
        KnowledgeError: the file is missing, is not YAML or is not a mapping.
    """
    path = data_dir / TOPICS_FILE
    if not path.exists():
        raise KnowledgeError(f"{path} is missing")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: unreadable ({type(exc).__name__})") from exc
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: not a YAML mapping")
    return parse_topics(raw)


@functools.lru_cache(maxsize=8)
def _cached_labels(data_dir: Path, language: str) -> dict[str, str]:
    return load_topics(data_dir).labels(language)


def topic_labels(data_dir: Path = DEFAULT_DATA_DIR, language: str = "sv") -> dict[str, str]:
    """Topic name -> label (read once per folder and language; a copy the caller may change)."""
    return dict(_cached_labels(data_dir.resolve(), language))
