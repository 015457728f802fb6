"""Rasa NLU training examples as extra phrasings for the articles the intents answer by default.

The articles' own example questions are few (3–5 per language); Rasa's training data has 25+ phrasings
per intent, with typos, missing å/ä/ö and English. Attaching those to the intent's default article (from
``data/topics.yml``) lets the semantic search recognise the same variety. Held-out evaluation questions
live elsewhere (``data/eval/``) and are never read here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

# [text](entity), [text](entity:value) and [text]{"entity": ...} -> text
_ENTITY_MARKUP = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def strip_entity_markup(text: str) -> str:
    """The plain message of an annotated Rasa example."""
    return _ENTITY_MARKUP.sub(r"\1", text).strip()


def _examples_block(block: Any) -> list[str]:
    if isinstance(block, list):  # examples given as a YAML list of {text: ...}
        return [str(item.get("text", "")) for item in block if isinstance(item, dict)]
    lines = str(block or "").splitlines()
    return [line.strip()[2:] for line in lines if line.strip().startswith("- ")]


def read_nlu_examples(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Intent -> plain example texts from Rasa 3 NLU YAML files (other items are ignored)."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in raw.get("nlu") or ():
            if not isinstance(item, dict) or "intent" not in item:
                continue
            for text in _examples_block(item.get("examples")):
                plain = strip_entity_markup(text)
                if plain:
                    found[str(item["intent"])].append(plain)
    return dict(found)


def examples_by_article(knowledge: Any, nlu_dir: Path) -> dict[str, list[str]]:
    """Article id -> training examples of the intents it is the default article for.

    ``knowledge`` is a ``content.knowledge.KnowledgeBase``. Retrieval intents (``faq/x``) count as their base
    intent. Intents without a default article are skipped.
    """
    if not nlu_dir.is_dir():
        return {}
    defaults = {
        intent: article_id
        for topic in knowledge.topics.values()
        for intent, article_id in (topic.default_articles or {}).items()
    }
    by_article: dict[str, list[str]] = defaultdict(list)
    for intent, texts in read_nlu_examples(sorted(nlu_dir.glob("**/*.yml"))).items():
        article_id = defaults.get(intent) or defaults.get(intent.split("/")[0])
        if article_id and article_id in knowledge.articles:
            by_article[article_id].extend(texts)
    return dict(by_article)
