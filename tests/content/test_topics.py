"""The topics file: one reader, labels per language, intents to topics."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from content.errors import KnowledgeError
from content.paths import DEFAULT_DATA_DIR
from content.topics import load_topics, topic_labels


def test_labels_are_the_swedish_labels_of_topics_yml() -> None:
    raw = yaml.safe_load((DEFAULT_DATA_DIR / "topics.yml").read_text(encoding="utf-8"))
    expected = {name: spec["label"]["sv"] for name, spec in raw["topics"].items()}
    assert topic_labels() == expected
    assert topic_labels(language="en")["library"] == raw["topics"]["library"]["label"]["en"]


def test_catalogue_settings_and_intents() -> None:
    catalogue = load_topics()
    assert catalogue.fallback_article == "fallback-unsure"
    assert catalogue.handoff_article == "handoff-contact"
    assert catalogue.review_period_days == 365
    assert catalogue.intent_topics()["human_handoff"] == "contact_opening_hours"


def test_a_missing_topics_file_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="topics.yml"):
        load_topics(tmp_path)
