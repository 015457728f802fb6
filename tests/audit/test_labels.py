"""Topic labels in explanations are ``data/topics.yml``'s own (read through ``content.topics``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from audit.explain import explain
from audit.labels import INTENT_LABELS, intent_label, understood_as
from content.paths import DEFAULT_DATA_DIR

MakeRecord = Callable[..., dict[str, Any]]
TOPICS = yaml.safe_load((DEFAULT_DATA_DIR / "topics.yml").read_text(encoding="utf-8"))["topics"]
SWEDISH_LABELS = {name: spec["label"]["sv"] for name, spec in TOPICS.items()}
SHOWN_TOPIC = re.compile(r"ämnet ”([^”]+)”")


@pytest.mark.parametrize("topic", sorted(SWEDISH_LABELS))
def test_every_topic_label_in_an_explanation_is_the_topics_file_s(
    make_record: MakeRecord, topic: str
) -> None:
    others = [name for name in SWEDISH_LABELS if name != topic][:2]
    ranking = [{"name": topic, "confidence": 0.8}] + [{"name": n, "confidence": 0.05} for n in others]
    record = make_record(nlu={"intent": topic, "confidence": 0.8, "ranking": ranking})
    record.update(audit_id="KS-7K3M9Q2X4B", seq=1, created_at="2026-11-26T15:35:09Z")
    shown = SHOWN_TOPIC.findall(explain(record))
    assert shown == [SWEDISH_LABELS[topic], *(SWEDISH_LABELS[n] for n in others)]
    assert set(shown) <= set(SWEDISH_LABELS.values())


def test_intents_that_are_no_topic_keep_their_own_words() -> None:
    assert not set(INTENT_LABELS) & set(SWEDISH_LABELS)
    assert understood_as("greet") == intent_label("greet") == "en hälsning"
    assert understood_as("nlu_fallback") == "en fråga som boten inte kunde tolka säkert"
    assert intent_label("library") == SWEDISH_LABELS["library"]
    assert intent_label("no_such_intent") == "no such intent" and intent_label(None) == "okänt ämne"
