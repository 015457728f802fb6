"""Language detection and the tracker explanation reader (moved from the content tests)."""

from __future__ import annotations

import pytest

from bot.language import detect_language
from bot.services.explanation import latest_turn


@pytest.mark.parametrize(
    ("text", "requested", "expected"),
    [
        ("När hämtas soporna?", None, "sv"),
        ("When is my bin collected?", None, "en"),
        ("hej", None, "sv"),
        ("When is my bin collected?", "sv", "sv"),
        ("bibliotek", "en", "en"),
    ],
)
def test_language_detection(text, requested, expected):
    assert detect_language(text, requested) == expected


def test_latest_turn_reads_only_the_last_turn():
    tracker = {
        "events": [
            {"event": "user", "text": "hej", "parse_data": {"intent": {"name": "greet", "confidence": 0.9}}},
            {"event": "action", "name": "action_answer", "policy": "RulePolicy", "confidence": 1.0},
            {"event": "bot", "text": "Hej!", "metadata": {}},
            {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0},
            {
                "event": "user",
                "text": "sopor",
                "parse_data": {
                    "intent": {"name": "waste_collection", "confidence": 0.812345},
                    "intent_ranking": [
                        {"name": n, "confidence": c}
                        for n, c in [
                            ("waste_collection", 0.812345),
                            ("parking", 0.1),
                            ("library", 0.05),
                            ("school", 0.01),
                        ]
                    ],
                    "entities": [{"entity": "waste_type", "value": "glas", "start": 0, "end": 4}],
                },
            },
            {"event": "action", "name": "action_answer", "policy": "TEDPolicy", "confidence": 0.77},
            {"event": "bot", "text": "Svar", "metadata": {"source": {"article_id": "x", "version": 1}}},
            {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0},
        ]
    }
    turn = latest_turn(tracker)
    assert turn.turn == 2
    assert (turn.intent, turn.confidence) == ("waste_collection", 0.8123)
    assert [r["name"] for r in turn.ranking] == ["waste_collection", "parking", "library"]
    assert turn.actions == [{"name": "action_answer", "policy": "TEDPolicy", "confidence": 0.77}]
    assert [e["text"] for e in turn.bot_events] == ["Svar"]
    assert turn.entities[0]["entity"] == "waste_type"
