"""The answer-or-suggest rule shared by the action server and the NLU evaluation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from content.decision import decide


@dataclass
class Hit:
    article_id: str
    topic: str
    score: float


@pytest.mark.parametrize(
    ("topic", "confidence", "hits", "fallback", "expected"),
    [
        ("library", 0.95, [Hit("a", "library", 0.9)], False, ("answer", "library", "confident_and_agreed")),
        ("library", 0.99, [Hit("a", "school", 0.9)], False, ("suggest", "school", "semantic_disagrees")),
        ("library", 0.40, [Hit("a", "library", 0.9)], False, ("suggest", "library", "low_confidence")),
        ("library", 0.95, [Hit("a", "library", 0.9)], True, ("suggest", "library", "low_confidence")),
        ("library", 0.95, [], False, ("answer", "library", "confident")),
        ("smalltalk", 0.95, [Hit("a", "school", 0.9)], False, ("answer", "smalltalk", "confident")),
        (
            "out_of_scope",
            1.0,
            [Hit("a", "waste_collection", 0.9)],
            False,
            ("suggest", "waste_collection", "semantic_disagrees"),
        ),
        ("parking", 0.3, [], False, ("suggest", "parking", "low_confidence")),
    ],
)
def test_decide(topic, confidence, hits, fallback, expected):
    decision = decide(topic, confidence, hits, 0.6, fallback=fallback)
    assert (decision.action, decision.topic, decision.reason) == expected
