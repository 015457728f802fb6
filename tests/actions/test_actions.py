"""Actions with a real rasa-sdk Tracker and CollectingDispatcher: articles, sources, policy, suggestions."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.fallback as fallback_module
import actions.knowledge_answer as answer_module
from actions.common import knowledge_base
from actions.fallback import ActionFallback
from actions.handoff import ActionHandoff
from actions.knowledge_answer import ActionAnswer
from actions.safety import ActionUrgent


@pytest.fixture(autouse=True)
def no_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests never load the embedding model: no semantic hits unless a test sets an index."""
    monkeypatch.setattr(fallback_module, "semantic_index", lambda: None)


def tracker(text: str, intent: str, confidence: float = 0.95, language: str = "sv", **extra: Any) -> Tracker:
    ranking = extra.pop("ranking", [{"name": intent, "confidence": confidence}])
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking,
        "entities": extra.pop("entities", []),
        "metadata": {"language": language, **({"safety": extra.pop("safety")} if "safety" in extra else {})},
    }
    return Tracker("c_test", {}, latest, [], False, None, {}, "action_listen")


def run(action: Any, t: Tracker, events_expected: bool = False) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    assert bool(events) is events_expected
    return dispatcher.messages


ASSESSMENT = {
    "version": 2,
    "urgent": None,
    "assessment": {"kind": "assessment", "category": "assessment", "rule": "cue", "evidence": "har jag ratt"},
}


def test_answer_sends_the_article_text_with_its_source():
    messages = run(ActionAnswer(), tracker("När hämtas soporna?", "waste_collection"))
    assert len(messages) == 1
    article = knowledge_base().articles[messages[0]["source"]["article_id"]]
    assert article.topic == "waste_collection"
    assert messages[0]["text"] == article.answer["sv"]
    assert messages[0]["source"]["version"] == article.version
    assert messages[0]["source"]["content_hash"] == article.content_hash("sv")


def test_answer_picks_the_article_whose_questions_match_best():
    kb = knowledge_base()
    candidates = kb.articles_for_intent("waste_collection")
    assert len(candidates) > 1
    target = candidates[-1]
    question = target.example_questions["sv"][0]
    messages = run(ActionAnswer(), tracker(question, "waste_collection"))
    assert messages[0]["source"]["article_id"] == target.id


def test_answer_in_english_uses_the_same_article():
    sv = run(ActionAnswer(), tracker("Hur får jag lånekort?", "library"))[0]
    en = run(ActionAnswer(), tracker("Hur får jag lånekort?", "library", language="en"))[0]
    assert sv["source"]["article_id"] == en["source"]["article_id"]
    assert en["text"] == knowledge_base().articles[en["source"]["article_id"]].answer["en"]


def test_button_payload_article_is_answered_exactly():
    kb = knowledge_base()
    target = kb.articles_for_intent("parking")[-1]
    t = tracker("/parking", "parking", entities=[{"entity": "article_id", "value": target.id}])
    assert run(ActionAnswer(), t)[0]["source"]["article_id"] == target.id


def test_assessment_request_gets_notice_general_information_and_a_person():
    t = tracker("Har jag rätt till försörjningsstöd?", "social_assistance", safety=ASSESSMENT)
    messages = run(ActionAnswer(), t)
    assert messages[0]["source"]["policy"] == "eligibility_notice"
    default = knowledge_base().articles_for_intent("social_assistance")[0]
    assert messages[1]["source"]["article_id"] == default.id
    assert messages[1]["handoff_offered"] is True
    assert messages[1]["buttons"][0]["payload"] == "/human_handoff"


@pytest.mark.parametrize("intent", ["building_permit", "parking", "preschool", "waste_collection"])
def test_assessment_request_on_any_topic_gets_the_notice_and_a_person(intent):
    messages = run(ActionAnswer(), tracker("Blir det godkänt om jag ansöker?", intent, safety=ASSESSMENT))
    assert messages[0]["source"]["policy"] == "eligibility_notice"
    assert messages[-1]["handoff_offered"] is True


def test_unsure_assessment_request_still_gets_the_notice_before_suggestions():
    t = tracker("kommer det gå igenom", "nlu_fallback", confidence=0.3, safety=ASSESSMENT)
    messages = run(ActionFallback(), t)
    assert messages[0]["source"]["policy"] == "eligibility_notice"
    assert any(b["payload"] == "/human_handoff" for b in messages[-1]["buttons"])


def test_without_the_gateways_verdict_no_notice_is_added():
    messages = run(ActionAnswer(), tracker("Har jag rätt till försörjningsstöd?", "social_assistance"))
    assert "policy" not in messages[0]["source"]


@pytest.mark.parametrize(
    ("category", "notice", "must_name"),
    [
        ("suicide_self_harm", "urgent_notice_suicide", ("112", "90101", "1177")),
        ("violence_threat", "urgent_notice_violence", ("112",)),
        ("child_at_risk", "urgent_notice_child", ("112",)),
        ("medical", "urgent_notice_medical", ("112", "1177")),
        ("fire", "urgent_notice", ("112",)),
        ("", "urgent_notice", ("112",)),
    ],
)
def test_urgent_reply_is_the_categorys_notice_with_a_person(category, notice, must_name):
    entities = [{"entity": "urgent_category", "value": category}] if category else []
    messages = run(
        ActionUrgent(), tracker("/urgent_help", "urgent_help", entities=entities), events_expected=True
    )
    assert len(messages) == 1
    assert messages[0]["source"]["policy"] == notice
    assert messages[0]["source"]["topic"] == "emergency"
    assert all(number in messages[0]["text"] for number in must_name)
    assert messages[0]["text"].index("112") < 60  # 112 comes first
    assert messages[0]["buttons"][0]["payload"] == "/human_handoff"


def test_urgent_reply_stops_a_form_and_clears_its_slots():
    dispatcher = CollectingDispatcher()
    t = tracker("/urgent_help", "urgent_help", entities=[{"entity": "urgent_category", "value": "fire"}])
    events = asyncio.run(ActionUrgent().run(dispatcher, t, {}))
    assert any(e["event"] == "active_loop" and e["name"] is None for e in events)
    assert {e["name"] for e in events if e["event"] == "slot"} >= {
        "case_message",
        "case_contact",
        "requested_slot",
    }


def test_high_risk_topic_always_offers_a_person():
    messages = run(ActionAnswer(), tracker("Hur ansöker jag om hemtjänst?", "elderly_care"))
    assert messages[-1]["handoff_offered"] is True
    assert any(b["payload"] == "/human_handoff" for b in messages[-1]["buttons"])


def test_normal_topic_does_not_force_a_handoff():
    messages = run(ActionAnswer(), tracker("Hur får jag lånekort?", "library"))
    assert messages[0]["handoff_offered"] is False
    assert not messages[0].get("buttons")


@dataclass
class FakeHit:
    article_id: str
    topic: str
    score: float


class FakeIndex:
    def __init__(self, hits: list[FakeHit]) -> None:
        self.hits = hits
        self.queries: list[str] = []

    def search(self, query: str, k: int = 3, language: str | None = None, min_score: float = -1.0):
        self.queries.append(query)
        return [h for h in self.hits if h.score >= min_score][:k]


def test_fallback_offers_semantic_suggestions_then_a_person(monkeypatch: pytest.MonkeyPatch):
    kb = knowledge_base()
    water = kb.articles_for_intent("water_sewage")[0]
    weather = next(a for a in kb.articles.values() if a.topic == "out_of_scope")
    index = FakeIndex(
        [
            FakeHit(water.id, water.topic, 0.91),
            FakeHit(weather.id, weather.topic, 0.9),
            FakeHit("handoff-contact", "contact_opening_hours", 0.89),
        ]
    )
    monkeypatch.setattr(fallback_module, "semantic_index", lambda: index)
    t = tracker("det är blött i källaren", "nlu_fallback", 0.4, ranking=[])
    messages = run(ActionFallback(), t)
    assert messages[0]["source"]["article_id"] == "fallback-unsure"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[0] == f'/water_sewage{{"article_id": "{water.id}"}}'
    assert all(weather.id not in p for p in payloads)  # out-of-scope articles are never suggested
    assert sum(p.startswith("/human_handoff") for p in payloads) == 1
    assert payloads[-1] == "/human_handoff"
    assert index.queries == ["det är blött i källaren"]


def test_fallback_without_model_uses_rasas_ranking(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(fallback_module, "semantic_index", lambda: None)
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "parking", "confidence": 0.45},
        {"name": "library", "confidence": 0.05},
    ]
    messages = run(ActionFallback(), tracker("bilen", "nlu_fallback", 0.6, ranking=ranking))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[0].startswith("/parking")
    assert not any(p.startswith("/library") for p in payloads)  # below the suggestion threshold
    assert payloads[-1] == "/human_handoff"


def test_handoff_answers_from_the_contact_article():
    messages = run(ActionHandoff(), tracker("jag vill prata med en människa", "human_handoff"))
    assert messages[0]["source"]["article_id"] == "handoff-contact"
    assert messages[0]["handoff_offered"] is True


def test_answer_when_semantic_search_agrees(monkeypatch: pytest.MonkeyPatch):
    kb = knowledge_base()
    article = kb.articles_for_intent("library")[0]
    monkeypatch.setattr(
        fallback_module, "semantic_index", lambda: FakeIndex([FakeHit(article.id, "library", 0.93)])
    )
    messages = run(ActionAnswer(), tracker("Hur får jag lånekort?", "library", 0.99))
    assert messages[0]["source"]["topic"] == "library"
    assert messages[0]["source"]["article_id"] != "fallback-unsure"


def test_confident_intent_contradicted_by_semantic_search_gets_suggestions(monkeypatch: pytest.MonkeyPatch):
    kb = knowledge_base()
    waste = kb.articles_for_intent("waste_collection")[0]
    index = FakeIndex([FakeHit(waste.id, "waste_collection", 0.92)])
    monkeypatch.setattr(fallback_module, "semantic_index", lambda: index)
    # DIET is sure it is out of scope, the semantic search says waste: do not guess, offer both.
    messages = run(ActionAnswer(), tracker("pizzakartong, brännbart eller papper?", "out_of_scope", 0.99))
    assert messages[0]["source"]["article_id"] == "fallback-unsure"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[0] == f'/waste_collection{{"article_id": "{waste.id}"}}'
    assert payloads[-1] == "/human_handoff"
    assert answer_module.NO_SEARCH_TOPICS == frozenset({"smalltalk"})


def test_smalltalk_is_answered_without_searching(monkeypatch: pytest.MonkeyPatch):
    index = FakeIndex([])
    monkeypatch.setattr(fallback_module, "semantic_index", lambda: index)
    messages = run(ActionAnswer(), tracker("hej", "greet", 0.97))
    assert messages[0]["source"]["topic"] == "smalltalk"
    assert index.queries == []
