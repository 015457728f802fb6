"""Actions with a real rasa-sdk Tracker and CollectingDispatcher: articles, sources, policy, the engine."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

import actions.knowledge_answer as answer_module
from actions.callback import ActionCallbackStart
from actions.common import answer_policy, data_dir, knowledge_base
from actions.complaint import ActionComplaint
from actions.fallback import ActionFallback
from actions.handoff import ActionHandoff
from actions.knowledge_answer import ActionAnswer
from actions.safety import ActionUrgent
from content.answering.engine import AnswerEngine
from content.answering.settings import EngineSettings


class FakeSemantic:
    """A test double for the e5 index: chosen articles score high, every other article below the line.

    By default an article scores clearly above the answer threshold when the query is one of its example
    questions, so a test can name the article it expects by asking one of its questions. Every other
    article scores between "not understood" and "likely topic": an honest "no answer" with the contact
    centre.
    """

    settings = EngineSettings.load(data_dir())
    HIGH = settings.answer_min_score + 0.1
    OTHER = (settings.unclear_max_score + min(settings.topic_min_score, settings.clarify_min_score)) / 2

    def __init__(self, scores: dict[str, float] | None = None) -> None:
        self.article_ids = sorted(knowledge_base().articles)
        self.scores = scores
        self.queries: list[str] = []

    def embed_query(self, query: str) -> np.ndarray:
        self.queries.append(query)
        return np.array([len(self.queries) - 1], dtype=np.float32)

    def score_vector(
        self, query_vector: np.ndarray, language: str | None = None, exclude_rows: Any = None
    ) -> np.ndarray:
        # A part of a two-part question reaches the engine without its question mark.
        query = self.queries[int(query_vector[0])].casefold().rstrip("?")
        scores = np.full(len(self.article_ids), self.OTHER, dtype=np.float32)
        for i, article_id in enumerate(self.article_ids):
            if self.scores is not None:
                scores[i] = self.scores.get(article_id, self.OTHER)
                continue
            questions = knowledge_base().articles[article_id].example_questions.values()
            if any(query == q.casefold().rstrip("?") for qs in questions for q in qs):
                scores[i] = self.HIGH
        return scores


def use_engine(
    monkeypatch: pytest.MonkeyPatch, semantic: FakeSemantic | None, **overrides: Any
) -> AnswerEngine:
    settings = replace(EngineSettings.load(data_dir()), **overrides)
    engine = AnswerEngine(knowledge_base(), settings, semantic)
    monkeypatch.setattr(answer_module, "answer_engine", lambda: engine)
    return engine


@pytest.fixture(autouse=True)
def fake_model(monkeypatch: pytest.MonkeyPatch) -> FakeSemantic:
    """Unit tests never load the embedding model: the engine gets the test double above."""
    semantic = FakeSemantic()
    use_engine(monkeypatch, semantic)
    monkeypatch.setattr(answer_module, "site_answer", lambda text: None)  # no imported website here
    return semantic


def question_of(article_id: str, language: str = "sv") -> str:
    return knowledge_base().articles[article_id].example_questions[language][0]


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


def test_answer_sends_the_article_text_with_its_source_and_the_engines_reasons():
    messages = run(ActionAnswer(), tracker(question_of("waste-bin-fees"), "waste_collection"))
    assert len(messages) == 1
    article = knowledge_base().articles["waste-bin-fees"]
    assert messages[0]["source"]["article_id"] == article.id
    assert messages[0]["text"] == article.answer["sv"]
    assert messages[0]["source"]["version"] == article.version
    assert messages[0]["source"]["content_hash"] == article.content_hash("sv")
    selection = messages[0]["selection"]
    assert selection["rule"] == "answer" and selection["answered"] == [article.id]
    assert selection["runner_up"]["article_id"] != article.id
    assert (
        selection["score"] - selection["runner_up"]["score"] >= selection["thresholds"]["answer_min_margin"]
    )


def test_a_sibling_article_wins_when_its_question_is_asked_whatever_rasas_intent():
    kb = knowledge_base()
    siblings = [a for a in kb.articles.values() if a.topic == "waste_collection" and a.answerable]
    for target in siblings[-3:]:
        messages = run(ActionAnswer(), tracker(question_of(target.id), "parking"))
        assert messages[0]["source"]["article_id"] == target.id


def test_answer_in_english_uses_the_same_article():
    question = question_of("library-card")
    sv = run(ActionAnswer(), tracker(question, "library"))[0]
    en = run(ActionAnswer(), tracker(question, "library", language="en"))[0]
    assert sv["source"]["article_id"] == en["source"]["article_id"] == "library-card"
    assert en["text"] == knowledge_base().articles["library-card"].answer["en"]


def test_button_payload_article_is_answered_exactly():
    kb = knowledge_base()
    target = kb.articles_for_intent("parking")[-1]
    t = tracker("/parking", "parking", entities=[{"entity": "article_id", "value": target.id}])
    assert run(ActionAnswer(), t)[0]["source"]["article_id"] == target.id


def test_button_for_a_catalogue_article_without_an_intent_is_answered_exactly():
    t = tracker(
        "/service_question",
        "service_question",
        entities=[{"entity": "article_id", "value": "culture-leisure-swimming-pool-hours"}],
    )
    assert run(ActionAnswer(), t)[0]["source"]["article_id"] == "culture-leisure-swimming-pool-hours"


def test_a_button_naming_a_system_text_is_not_answered_with_it():
    t = tracker(
        "/complaint", "complaint", entities=[{"entity": "article_id", "value": "complaint-form-start"}]
    )
    messages = run(ActionAnswer(), t)
    assert all(m["source"].get("article_id") != "complaint-form-start" for m in messages)


def test_assessment_request_gets_notice_general_information_and_a_person():
    question = question_of("social-assistance-how-to-apply")
    messages = run(ActionAnswer(), tracker(question, "social_assistance", safety=ASSESSMENT))
    assert messages[0]["source"]["policy"] == "eligibility_notice"
    assert messages[0]["selection"]["rule"] == "answer"  # the reasons travel with the first message
    assert messages[1]["source"]["article_id"] == "social-assistance-how-to-apply"
    assert messages[1]["handoff_offered"] is True
    assert messages[1]["buttons"][0]["payload"] == "/human_handoff"


@pytest.mark.parametrize("intent", ["building_permit", "parking", "preschool", "waste_collection"])
def test_assessment_request_on_any_topic_gets_the_notice_and_a_person(intent):
    messages = run(ActionAnswer(), tracker("Blir det godkänt om jag ansöker?", intent, safety=ASSESSMENT))
    assert messages[0]["source"]["policy"] == "eligibility_notice"
    assert messages[-1]["handoff_offered"] is True


def test_unsure_assessment_request_still_gets_the_notice_before_the_honest_no_answer():
    t = tracker("kommer det gå igenom", "nlu_fallback", confidence=0.3, safety=ASSESSMENT)
    messages = run(ActionFallback(), t)
    assert messages[0]["source"]["policy"] == "eligibility_notice"
    assert messages[-1]["source"]["policy"] in {"no_answer_notice", "clarify_notice"}
    assert any(b["payload"] == "/human_handoff" for b in messages[-1]["buttons"])


def _caution(category: str) -> dict[str, Any]:
    finding = {"kind": "caution", "category": category, "rule": "description", "evidence": "x"}
    return {"version": 2, "urgent": None, "assessment": None, "caution": finding}


@pytest.mark.parametrize(
    ("category", "notice", "must_name"),
    [("fire", "caution_notice", "112"), ("any", "caution_notice", "112"),
     ("suicide_self_harm", "caution_notice_suicide", "90101")],
)  # fmt: skip
def test_a_possible_emergency_starts_the_usual_answer_with_112_and_a_person(category, notice, must_name):
    question = question_of("social-assistance-how-to-apply")
    messages = run(ActionAnswer(), tracker(question, "social_assistance", safety=_caution(category)))
    assert messages[0]["source"]["policy"] == notice
    assert must_name in messages[0]["text"] and "112" in messages[0]["text"]
    assert messages[0]["buttons"][0]["payload"] == "/human_handoff"
    assert messages[1]["source"]["article_id"] == "social-assistance-how-to-apply"


def test_the_112_reminder_also_comes_first_on_the_fallback_and_complaint_paths():
    t = tracker("hmm blaa", "nlu_fallback", confidence=0.2, safety=_caution("any"))
    unsure = run(ActionFallback(), t)
    assert unsure[0]["source"]["policy"] == "caution_notice" and len(unsure) > 1
    complaint = run(ActionComplaint(), tracker("jag vill klaga", "complaint", safety=_caution("any")), True)
    assert complaint[0]["source"]["policy"] == "caution_notice"


@pytest.mark.parametrize("action", [ActionComplaint, ActionCallbackStart])
def test_an_assessment_request_on_the_complaint_or_call_back_path_gets_the_notice_and_a_person(action):
    t = tracker("om jag klagar på min handläggare, får jag en ny då?", "complaint", safety=ASSESSMENT)
    messages = run(action(), t, True) if action is ActionCallbackStart else _complaint_messages(t)
    assert messages[0]["source"]["policy"] == "eligibility_notice"
    assert messages[0]["buttons"][0]["payload"] == "/human_handoff"


def _complaint_messages(t):
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionComplaint().run(dispatcher, t, {}))
    return dispatcher.messages


def test_without_the_gateways_verdict_no_notice_is_added():
    question = question_of("social-assistance-how-to-apply")
    messages = run(ActionAnswer(), tracker(question, "social_assistance"))
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
    for article_id in ("elderly-care-home-care", "disability-support-lss-apply"):
        messages = run(ActionAnswer(), tracker(question_of(article_id), "elderly_care"))
        assert messages[-1]["source"]["article_id"] == article_id
        assert messages[-1]["handoff_offered"] is True
        assert any(b["payload"] == "/human_handoff" for b in messages[-1]["buttons"])


def test_normal_topic_does_not_force_a_handoff():
    messages = run(ActionAnswer(), tracker(question_of("library-card"), "library"))
    assert messages[0]["handoff_offered"] is False
    assert not messages[0].get("buttons")


def test_handoff_answers_from_the_contact_article():
    messages = run(ActionHandoff(), tracker("jag vill prata med en människa", "human_handoff"))
    assert messages[0]["source"]["article_id"] == "handoff-contact"
    assert messages[0]["handoff_offered"] is True


def test_no_article_answers_so_the_bot_says_so_and_names_the_likely_topics_contact(monkeypatch):
    # The best article is near the line but not above it: no guess, the topic's own contact instead.
    settings = EngineSettings.load(data_dir())
    scores = {"culture-leisure-swimming-pool-hours": settings.topic_min_score + 0.002}
    use_engine(monkeypatch, FakeSemantic(scores), lexical_weight=0.0)
    messages = run(ActionAnswer(), tracker("finns det vattenrutschkana i simhallen", "library"))
    assert len(messages) == 1
    assert messages[0]["source"]["policy"] == "no_answer_notice"
    topic = knowledge_base().topics["culture_leisure"]
    assert topic.handoff["phone"] in messages[0]["text"] and topic.handoff["email"] in messages[0]["text"]
    assert messages[0]["buttons"] == [{"title": "Prata med en människa", "payload": "/human_handoff"}]
    assert messages[0]["selection"]["rule"] == "abstain"
    notice = answer_policy().notices["no_answer_notice"]
    assert (
        messages[0]["source"]["content_hash"] == notice.source_info("sv", topic.contact("sv"))["content_hash"]
    )
    assert messages[0]["text"] in answer_policy().approved_texts(knowledge_base().topic_contacts())


def test_without_a_likely_topic_the_no_answer_names_the_contact_centre(monkeypatch):
    use_engine(monkeypatch, FakeSemantic(), lexical_weight=0.0)
    messages = run(ActionAnswer(), tracker("vad tycker du om jazz", "out_of_scope"))
    assert messages[0]["source"]["policy"] == "no_answer_notice"
    assert "0123-45 00 00" in messages[0]["text"]


def test_close_articles_get_a_choice_never_a_guess(monkeypatch):
    settings = EngineSettings.load(data_dir())
    best = settings.answer_min_score + 0.01
    scores = {"waste-bin-fees": best, "waste-shared-bin": best - settings.answer_min_margin / 2}
    use_engine(monkeypatch, FakeSemantic(scores), lexical_weight=0.0)
    messages = run(ActionAnswer(), tracker("soptunna", "waste_collection"))
    assert messages[0]["source"]["policy"] == "clarify_notice"
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:2] == [
        '/waste_collection{"article_id": "waste-bin-fees"}',
        '/waste_collection{"article_id": "waste-shared-bin"}',
    ]
    assert payloads[-1] == "/human_handoff"
    assert messages[0]["selection"]["rule"] == "clarify"


def test_a_two_part_question_gets_both_answers():
    first, second = question_of("building-permit-how-to-apply"), question_of("library-card")
    messages = run(ActionAnswer(), tracker(f"{first.rstrip('?')}? Och {second}", "building_permit"))
    assert [m["source"]["article_id"] for m in messages] == ["building-permit-how-to-apply", "library-card"]
    assert messages[0]["selection"]["rule"] == "two_parts" and "selection" not in messages[1]


def test_nlu_fallback_still_answers_when_the_engine_is_sure():
    messages = run(ActionFallback(), tracker(question_of("permits-fireworks"), "nlu_fallback", 0.4))
    assert messages[0]["source"]["article_id"] == "permits-fireworks"


def test_without_the_model_the_engine_never_answers_on_words_alone(monkeypatch):
    use_engine(monkeypatch, None)
    messages = run(ActionAnswer(), tracker(question_of("library-card"), "library"))
    assert messages[0]["source"]["policy"] in {"clarify_notice", "no_answer_notice"}
    assert messages[0]["selection"]["degraded"] is True
    if messages[0]["source"]["policy"] == "clarify_notice":
        assert '/library{"article_id": "library-card"}' in [b["payload"] for b in messages[0]["buttons"]]


def test_smalltalk_is_answered_without_ranking(fake_model):
    messages = run(ActionAnswer(), tracker("hej", "greet", 0.97))
    assert messages[0]["source"]["topic"] == "smalltalk"
    assert fake_model.queries == []


def test_a_message_like_nothing_at_all_gets_the_please_rephrase_article(monkeypatch):
    low = EngineSettings.load(data_dir()).unclear_max_score - 0.2
    use_engine(monkeypatch, FakeSemantic(dict.fromkeys(knowledge_base().articles, low)), lexical_weight=0.0)
    messages = run(ActionFallback(), tracker("asdfgh", "nlu_fallback", 0.3))
    assert messages[0]["source"]["article_id"] == "fallback-unsure"
    assert messages[0]["selection"]["rule"] == "unclear"
    assert messages[0]["buttons"] == [{"title": "Prata med en människa", "payload": "/human_handoff"}]


class FakePassageEmbedder:
    """Passages mentioning the marker word point one way, everything else another (a unit-test double)."""

    fingerprint = "fake-passages"

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def vector(self, text: str) -> np.ndarray:
        return np.array([1.0, 0.0] if self.marker in text.casefold() else [0.0, 1.0], dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.vector(t) for t in texts])


def site_with_page(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, text: str, marker: str = "badhus") -> Any:
    from content.site.answer import SiteAnswerer
    from content.site.store import NewPage, SiteStore

    store = SiteStore.open(f"sqlite:///{tmp_path / 'site.db'}")
    page = NewPage(
        "https://www.exempelstad.se/badhus/",
        "Badhuset",
        "sv",
        "2026-05-01",
        "hash",
        ((("Badhuset", "Öppettider"), text),),
    )
    store.apply("imp-test", "test", "2026-12-01T00:00:00", [page], [], {})
    embedder = FakePassageEmbedder(marker)
    answerer = SiteAnswerer(store, embedder, replace(EngineSettings.load(data_dir()), site_min_score=0.9))
    monkeypatch.setattr(answer_module, "site_answer", lambda q: answerer.answer(q, embedder.vector(q)))
    return store


def test_no_article_answers_but_a_website_passage_does(monkeypatch, tmp_path):
    use_engine(monkeypatch, FakeSemantic(), lexical_weight=0.0)
    text = "Badhuset har öppet måndag till fredag 06.30–20.00.\nEntré för vuxna kostar 60 kronor."
    store = site_with_page(tmp_path, monkeypatch, text)
    messages = run(ActionAnswer(), tracker("När har badhuset öppet?", "service_question"))
    assert len(messages) == 1
    message = messages[0]
    assert message["text"] == text  # a short passage is shown whole, word for word
    source = message["source"]
    passage = store.active_passages()[0]
    assert source["passage_id"] == passage.passage_id
    assert source["page_url"] == "https://www.exempelstad.se/badhus/"
    assert source["content_hash"] == passage.content_hash and source["import_id"] == "imp-test"
    assert message["site_label"] == "Från kommunens webbplats"
    assert message["selection"]["site"]["passage"]["passage_id"] == passage.passage_id
    assert message["selection"]["rule"] in ("abstain", "unclear", "clarify")
    store.close()


def test_a_website_passage_never_beats_an_article_that_answers(monkeypatch, tmp_path):
    # Every question matches the passage (empty marker): it would answer, but the article answers first.
    store = site_with_page(tmp_path, monkeypatch, "Badhuset har öppet varje dag.", marker="")
    article = knowledge_base().articles["waste-collection-schedule"]
    messages = run(ActionAnswer(), tracker(question_of(article.id), "waste_collection"))
    assert messages[0]["source"]["article_id"] == article.id
    store.close()


def test_an_unsure_website_passage_is_not_shown(monkeypatch, tmp_path):
    use_engine(monkeypatch, FakeSemantic(), lexical_weight=0.0)
    store = site_with_page(tmp_path, monkeypatch, "Badhuset har öppet måndag till fredag.")
    messages = run(ActionAnswer(), tracker("Hur söker jag bostadsanpassning?", "service_question"))
    assert all("passage_id" not in (m.get("source") or {}) for m in messages)
    assert messages[-1]["source"]["policy"] == "no_answer_notice"
    store.close()
