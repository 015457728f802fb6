"""The chat forms' actions with a real ``Tracker`` and ``CollectingDispatcher`` (no Rasa needed)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import callback, complaint
from bot.settings import PROJECT_ROOT
from content.case_numbers import to_template
from content.knowledge import KnowledgeBase

KB = KnowledgeBase.load(PROJECT_ROOT / "data")


def tracker(
    text: str = "",
    intent: str = "complaint",
    slots: dict[str, Any] | None = None,
    loop: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    language: str = "sv",
) -> Tracker:
    message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95},
        "entities": entities or [],
        "metadata": {"language": language},
    }
    events = [{"event": "user", "text": text, "parse_data": message}]
    return Tracker(
        "c_" + "a" * 32,
        slots or {},
        message,
        events,
        False,
        None,
        {"name": loop} if loop else {},
        "action_listen",
    )


def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, t, {}))
    return events, dispatcher


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages]


def article(article_id: str, lang: str = "sv") -> str:
    return KB.articles[article_id].text(lang)


@pytest.mark.parametrize("text", ["Jag vill klaga på kommunen", "jag vill klaga", "Ditt svar var fel"])
def test_wanting_to_complain_starts_the_form(text):
    events, dispatcher = run(complaint.ActionComplaint(), tracker(text))
    assert FollowupAction("complaint_form") in events
    assert SlotSet("case_kind", "complaint") in events
    assert dispatcher.messages == []


def test_a_complaint_question_is_answered_with_a_button_to_complain():
    events, dispatcher = run(complaint.ActionComplaint(), tracker("När får jag svar på mitt klagomål?"))
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == article("complaint-response-time")
    assert message["buttons"][0]["payload"] == '/complaint{"case_request": "complaint"}'
    assert message["source"]["article_id"] == "complaint-response-time"


@pytest.mark.parametrize(
    "article_id",
    ["complaint-how-to-submit", "complaint-about-chatbot", "complaint-response-time", "complaint-school"],
)
def test_a_suggestion_button_answers_its_complaint_article_with_the_way_to_complain(article_id):
    """A "Menar du …?" button names its article: answered, even those that free text starts the form with."""
    payload = '/complaint{"article_id": "' + article_id + '"}'
    t = tracker(payload, entities=[{"entity": "article_id", "value": article_id}])
    events, dispatcher = run(complaint.ActionComplaint(), t)
    assert events == []
    [message] = dispatcher.messages
    assert message["source"]["article_id"] == article_id
    assert message["buttons"][0]["payload"] == '/complaint{"case_request": "complaint"}'


def test_the_button_starts_the_form():
    t = tracker(
        '/complaint{"case_request": "complaint"}', entities=[{"entity": "case_request", "value": "complaint"}]
    )
    events, _ = run(complaint.ActionComplaint(), t)
    assert FollowupAction("complaint_form") in events


@pytest.mark.parametrize(
    ("loop", "action", "article_id"),
    [
        ("complaint_form", complaint.AskCaseMessage(), "complaint-form-start"),
        ("complaint_form", complaint.AskCaseContact(), "complaint-form-ask-contact"),
        ("callback_form", complaint.AskCaseMessage(), "callback-form-ask-message"),
        ("callback_form", complaint.AskCaseContact(), "callback-form-ask-contact"),
    ],
)
def test_questions_come_from_articles(loop, action, article_id):
    _, dispatcher = run(action, tracker(loop=loop))
    assert texts(dispatcher) == [article(article_id)]
    assert dispatcher.messages[0]["source"]["article_id"] == article_id


def test_questions_in_english():
    _, dispatcher = run(complaint.AskCaseContact(), tracker(loop="complaint_form", language="en"))
    assert texts(dispatcher) == [article("complaint-form-ask-contact", "en")]


def validate(form: Any, slot: str, value: str, slots: dict[str, Any] | None = None) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    method = getattr(form, f"validate_{slot}")
    result = asyncio.run(method(value, dispatcher, tracker(value, slots=slots, loop=form.form_name()), {}))
    return result, texts(dispatcher)


@pytest.mark.parametrize(
    ("form", "value", "expected"),
    [
        (complaint.ValidateComplaintForm(), "Mejla <EMAIL_1> tack", {"case_contact": "<EMAIL_1>"}),
        (complaint.ValidateComplaintForm(), "<PHONE_2>", {"case_contact": "<PHONE_2>"}),
        (complaint.ValidateComplaintForm(), "Nej", {"case_contact": "none"}),
        (complaint.ValidateComplaintForm(), "anonymt", {"case_contact": "none"}),
        (complaint.ValidateComplaintForm(), "Avbryt", {"case_cancelled": True, "requested_slot": None}),
        (callback.ValidateCallbackForm(), "nej", {"case_cancelled": True, "requested_slot": None}),
        (callback.ValidateCallbackForm(), "ring <PHONE_1>", {"case_contact": "<PHONE_1>"}),
    ],
)
def test_contact_validation(form, value, expected):
    result, said = validate(form, "case_contact", value)
    assert result == expected
    assert said == []


def test_no_placeholder_is_asked_again_then_the_form_ends():
    form = complaint.ValidateComplaintForm()
    result, said = validate(form, "case_contact", "anna at example")
    assert result == {"case_contact": None, "case_contact_attempts": 1}
    assert said == [article("complaint-form-contact-invalid")]
    result, said = validate(form, "case_contact", "hmm", slots={"case_contact_attempts": 1})
    assert result == {"case_cancelled": True, "requested_slot": None, "case_contact_attempts": 2}


def test_slots_reset_at_the_start_are_not_complained_about():
    """Starting a form resets the slots; Rasa then validates them, and nothing may be said."""
    for form in (complaint.ValidateComplaintForm(), callback.ValidateCallbackForm()):
        dispatcher = CollectingDispatcher()
        result = asyncio.run(form.validate_case_contact(None, dispatcher, tracker(loop=form.form_name()), {}))
        assert result == {"case_contact": None} and dispatcher.messages == []


def test_message_validation():
    form = complaint.ValidateComplaintForm()
    assert validate(form, "case_message", "  Soptunnan tömdes inte  ")[0] == {
        "case_message": "Soptunnan tömdes inte"
    }
    assert validate(form, "case_message", "avbryt")[0] == {"case_cancelled": True, "requested_slot": None}


class Gateway:
    """The gateway's internal API, faked."""

    def __init__(self, status: int = 201) -> None:
        self.status = status
        self.requests: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status >= 400:
            return httpx.Response(self.status, json={"error": {"code": "x", "message": "y"}})
        return httpx.Response(self.status, json={"case_id": "KS-2026-000042"})


@pytest.fixture()
def gateway(monkeypatch):
    fake = Gateway()
    monkeypatch.setenv("KOMMUNSVAR_INTERNAL_TOKEN", "secret-token-for-tests-123")
    monkeypatch.setenv("KOMMUNSVAR_GATEWAY_URL", "http://gateway.test")
    monkeypatch.setattr(
        complaint, "gateway_client", lambda: httpx.AsyncClient(transport=httpx.MockTransport(fake.handler))
    )
    return fake


def test_submit_sends_placeholders_and_confirms_with_the_case_number(gateway):
    slots = {
        "case_kind": "complaint",
        "case_message": "Ingen hämtade <PERSON_1>s sopor",
        "case_contact": "<EMAIL_1>",
    }
    events, dispatcher = run(complaint.ActionSubmitCase(), tracker("<EMAIL_1>", slots=slots))
    [request] = gateway.requests
    assert request.url == "http://gateway.test/internal/cases"
    assert request.headers["authorization"] == "Bearer secret-token-for-tests-123"
    body = json.loads(request.content)
    assert body["contact_placeholder"] == "<EMAIL_1>" and body["purpose"] == "case_contact"
    assert body["kind"] == "complaint" and body["message"] == "Ingen hämtade <PERSON_1>s sopor"
    [text] = texts(dispatcher)
    assert "KS-2026-000042" in text
    assert to_template(text) == article("complaint-case-registered")  # passes the gateway's guard
    assert dispatcher.messages[0]["source"]["article_id"] == "complaint-case-registered"
    assert SlotSet("case_message", None) in events and SlotSet("case_contact", None) in events


def test_anonymous_complaint_gets_the_anonymous_confirmation(gateway):
    slots = {"case_kind": "complaint", "case_message": "Dålig service", "case_contact": "none"}
    _, dispatcher = run(complaint.ActionSubmitCase(), tracker("nej", slots=slots))
    assert json.loads(gateway.requests[0].content)["contact_placeholder"] is None
    assert to_template(texts(dispatcher)[0]) == article("complaint-case-registered-anonymous")


def test_callback_confirmation(gateway):
    slots = {"case_kind": "callback", "case_message": "Fråga om bygglov", "case_contact": "<PHONE_1>"}
    _, dispatcher = run(complaint.ActionSubmitCase(), tracker("Fråga om bygglov", slots=slots))
    assert json.loads(gateway.requests[0].content)["kind"] == "callback"
    assert to_template(texts(dispatcher)[0]) == article("callback-case-registered")


@pytest.mark.parametrize("kind", ["complaint", "callback"])
def test_cancelled_form_creates_nothing(gateway, kind):
    slots = {"case_kind": kind, "case_cancelled": True}
    _, dispatcher = run(complaint.ActionSubmitCase(), tracker("avbryt", slots=slots))
    assert gateway.requests == []
    assert texts(dispatcher) == [article(complaint.ARTICLES[kind]["cancelled"])]


def test_gateway_failure_says_so(gateway):
    gateway.status = 503
    slots = {"case_kind": "complaint", "case_message": "Fel", "case_contact": "none"}
    _, dispatcher = run(complaint.ActionSubmitCase(), tracker("nej", slots=slots))
    assert texts(dispatcher) == [article("complaint-case-failed")]


@pytest.mark.parametrize(
    ("moment", "notice"),
    [
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), None),  # Monday 10.00 in Sweden: open
        (datetime(2026, 3, 2, 5, 0, tzinfo=UTC), "contact-closed-opens-today"),  # Monday 06.00
        (datetime(2026, 3, 2, 17, 0, tzinfo=UTC), "contact-closed-next-working-day"),  # Monday 18.00
        (datetime(2026, 3, 7, 10, 0, tzinfo=UTC), "contact-closed-next-working-day"),  # Saturday
        (datetime(2026, 12, 24, 9, 0, tzinfo=UTC), "contact-closed-next-working-day"),  # Julafton
    ],
)
def test_asking_for_a_person_starts_the_callback_form(monkeypatch, moment, notice):
    monkeypatch.setattr(callback, "now", lambda: moment)
    events, dispatcher = run(
        callback.ActionCallbackStart(), tracker("jag vill prata med en människa", "human_handoff")
    )
    expected = [article("handoff-contact")] + ([article(notice)] if notice else [])
    assert texts(dispatcher) == expected
    assert FollowupAction("callback_form") in events and SlotSet("case_kind", "callback") in events
    assert all(m["handoff_offered"] for m in dispatcher.messages)


def test_closed_notices_name_the_real_opening_time():
    """The notices say 08.00; the profile must agree, or the articles need a new version."""
    hours = callback.opening_hours()
    opens = {spec[0].strftime("%H.%M") for spec in hours.hours.values() if spec}
    assert opens == {"08.00"}
    for notice in ("contact-closed-opens-today", "contact-closed-next-working-day"):
        assert "08.00" in article(notice)


def test_appeal_is_never_a_case():
    """Appeals are explained from articles; no form or case action answers the appeal intent."""
    import yaml

    rules = yaml.safe_load((PROJECT_ROOT / "data" / "rules" / "appeal.yml").read_text())["rules"]
    actions = {step.get("action") for rule in rules for step in rule["steps"] if "action" in step}
    assert actions.isdisjoint({"action_complaint", "action_callback_start", "action_submit_case"})
    assert "inte beslut" in article("appeal-chatbot-answers") and "tre veckor" in article(
        "appeal-chatbot-answers"
    )
