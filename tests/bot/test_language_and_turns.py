"""Language detection and the tracker explanation reader (moved from the content tests)."""

from __future__ import annotations

import pytest

from bot.language import detect_language
from bot.services.explanation import turn_explanation


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


def test_turn_explanation_reads_the_turn_the_rasa_channel_sends():
    turn_events = {
        "number": 2,
        "events": [
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
        ],
    }
    turn = turn_explanation(turn_events)
    assert turn.turn == 2
    assert (turn.intent, turn.confidence) == ("waste_collection", 0.8123)
    assert [r["name"] for r in turn.ranking] == ["waste_collection", "parking", "library"]
    assert turn.actions == [{"name": "action_answer", "policy": "TEDPolicy", "confidence": 0.77}]
    assert [e["text"] for e in turn.bot_events] == ["Svar"]
    assert turn.entities[0]["entity"] == "waste_type"


def test_a_turn_without_its_user_event_explains_no_intent():
    turn = turn_explanation({"number": 3, "events": [{"event": "bot", "text": "Svar"}]})
    assert (turn.turn, turn.intent, turn.actions) == (3, None, [])
    assert [e["text"] for e in turn.bot_events] == ["Svar"]
