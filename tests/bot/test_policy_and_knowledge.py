"""The answer policy's notices, the knowledge base's lookups and the tracker explanation reader."""

from __future__ import annotations

from datetime import date

import pytest

from bot.knowledge import KnowledgeBase, fold
from bot.language import detect_language
from bot.policy import AnswerPolicy
from bot.services.explanation import latest_turn
from bot.settings import PROJECT_ROOT

DATA = PROJECT_ROOT / "data"


@pytest.fixture(scope="module")
def policy() -> AnswerPolicy:
    return AnswerPolicy.load(DATA)


def test_policy_notices_are_approved_texts(policy):
    texts = policy.approved_texts()
    assert policy.notices["urgent_notice"].for_language("sv") in texts
    assert policy.notices["eligibility_notice"].for_language("en") in texts
    assert {n for n in policy.notices if n.startswith("urgent_notice")} >= {"urgent_notice", "urgent_notice_suicide"}
    for name, notice in policy.notices.items():
        if name.startswith("urgent_notice"):
            assert "112" in notice.for_language("sv") and "112" in notice.for_language("en")
            assert notice.source_info("sv")["topic"] == "emergency"
    assert "90101" in policy.notices["urgent_notice_suicide"].for_language("sv")
    assert "1177" in policy.notices["urgent_notice_suicide"].for_language("sv")


def test_every_intent_maps_to_one_topic_and_unknown_is_out_of_scope():
    kb = KnowledgeBase.load(DATA)
    assert kb.topic_of_intent("greet") == "smalltalk"
    assert kb.topic_of_intent("human_handoff") == "contact_opening_hours"
    assert kb.topic_of_intent("no_such_intent") == "out_of_scope"
    assert kb.topic_of_intent(None) == "out_of_scope"


def test_default_article_comes_first_and_stale_articles_are_flagged():
    kb = KnowledgeBase.load(DATA)
    default = kb.topics["waste_collection"].default_articles["waste_collection"]
    assert kb.articles_for_intent("waste_collection")[0].id == default
    stale = {a.id for a in kb.stale_articles(date(2026, 11, 26))}
    assert "out-of-scope-weather" in stale
    assert default not in stale


def test_fold_handles_missing_swedish_letters():
    assert fold("Sophämtning ÅTERVINNING") == fold("sophamtning atervinning")


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
