"""Complaints in the chat: a Rasa form collects what happened and, optionally, how to reply.

The citizen's words reach the actions already redacted, so a contact is a placeholder such as
``<EMAIL_1>``. The actions never see the value: ``action_submit_case`` names the placeholder and the
purpose, and the gateway takes the value from its vault and stores it encrypted in the case.
Every text sent comes from a knowledge article; confirmations differ from theirs only by the case number.
"""

from __future__ import annotations

import logging
import re
from abc import abstractmethod
from typing import Any

import httpx
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import knowledge_base, reply_language, utter_article
from actions.safety import note_assessment, remind_of_112
from actions.settings import ActionSettings
from content.case_numbers import fill_case_number
from content.knowledge import Article, fold

logger = logging.getLogger("kommunsvar.actions.cases")

# Articles that belong to the forms: never picked as the answer to a complaint question.
FORM_ARTICLES = frozenset(
    {
        "complaint-form-start",
        "complaint-form-ask-contact",
        "complaint-form-contact-invalid",
        "complaint-case-registered",
        "complaint-case-registered-anonymous",
        "complaint-form-cancelled",
        "complaint-case-failed",
    }
)
# When the best article is one of these, the citizen wants to complain now: start the form.
START_FORM_ARTICLES = frozenset({"complaint-how-to-submit", "complaint-about-chatbot"})
ARTICLES = {
    "complaint": {
        "ask_case_message": "complaint-form-start",
        "ask_case_contact": "complaint-form-ask-contact",
        "registered": "complaint-case-registered",
        "registered_anonymous": "complaint-case-registered-anonymous",
        "cancelled": "complaint-form-cancelled",
    },
    "callback": {
        "ask_case_message": "callback-form-ask-message",
        "ask_case_contact": "callback-form-ask-contact",
        "registered": "callback-case-registered",
        "registered_anonymous": "callback-case-registered",
        "cancelled": "callback-form-cancelled",
    },
}
CONTACT_INVALID = "complaint-form-contact-invalid"
CASE_FAILED = "complaint-case-failed"
FORM_KINDS = {"complaint_form": "complaint", "callback_form": "callback"}
CONTACT_PLACEHOLDER = re.compile(r"<(?:EMAIL|PHONE)_\d{1,4}>")
CANCEL_WORDS = frozenset({"avbryt", "cancel", "stop", "stopp", "sluta", "glom det", "forget it", "avsluta"})
NO_WORDS = frozenset(
    {"nej", "no", "nej tack", "no thanks", "na", "anonym", "anonymt", "anonymous", "vill inte"}
)
MAX_CONTACT_ATTEMPTS = 2
CASE_SLOTS = ("case_kind", "case_message", "case_contact", "case_cancelled", "case_contact_attempts")


def _folded(value: Any) -> str:
    return " ".join(fold(str(value or "")))


def start_form(kind: str) -> list[EventType]:
    """Events that reset the case slots and start the form of ``kind``."""
    return [
        *(SlotSet(slot, None) for slot in CASE_SLOTS),
        SlotSet("case_kind", kind),
        FollowupAction(f"{kind}_form"),
    ]


def case_kind(tracker: Tracker) -> str:
    """``complaint`` or ``callback``: the running form's kind, or the one remembered in a slot."""
    loop = (tracker.active_loop or {}).get("name")
    return FORM_KINDS.get(str(loop), str(tracker.get_slot("case_kind") or "complaint"))


def utter(dispatcher: CollectingDispatcher, tracker: Tracker, article_id: str, **kwargs: Any) -> None:
    """Send an approved article (the one place the form actions speak)."""
    article = knowledge_base().articles.get(article_id)
    if article is None:
        raise LookupError(f"the knowledge base has no '{article_id}' article")
    utter_article(dispatcher, article, reply_language(tracker), **kwargs)


def chosen_article(tracker: Tracker) -> Article | None:
    """The complaint article a "Menar du …?" button named (``article_id`` entity), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "article_id":
            article = knowledge_base().articles.get(str(entity.get("value")))
            if article is not None and "complaint" in article.intents:
                return article
    return None


class ActionComplaint(Action):
    """Answer a complaint question, or start the complaint form when the citizen wants to complain."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Pick the best complaint article; "I want to complain" starts the form instead."""
        remind_of_112(dispatcher, tracker)
        note_assessment(dispatcher, tracker)  # "om jag klagar, får jag en ny handläggare?" gets no yes or no
        requested = any(
            e.get("entity") == "case_request" for e in tracker.latest_message.get("entities") or []
        )
        text = str(tracker.latest_message.get("text") or "")
        article = chosen_article(tracker)
        if article is None or article.id in FORM_ARTICLES:
            # No "Menar du …?" button named an article to answer: pick one, or start the form.
            article = knowledge_base().pick("complaint", text)
            if requested or article is None or article.id in START_FORM_ARTICLES | FORM_ARTICLES:
                return start_form("complaint")
        language = reply_language(tracker)
        title = "Make a complaint here" if language == "en" else "Lämna ett klagomål här"
        button = {"title": title, "payload": '/complaint{"case_request": "complaint"}'}
        utter_article(dispatcher, article, language, buttons=[button])
        return []


class AskCaseMessage(Action):
    """Ask what the complaint or call-back is about."""

    def name(self) -> str:
        """Rasa calls ``action_ask_<slot>`` to ask for a slot."""
        return "action_ask_case_message"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the form's question."""
        utter(dispatcher, tracker, ARTICLES[case_kind(tracker)]["ask_case_message"])
        return []


class AskCaseContact(Action):
    """Ask how the citizen wants to be reached."""

    def name(self) -> str:
        """Rasa calls ``action_ask_<slot>`` to ask for a slot."""
        return "action_ask_case_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the form's question."""
        kind = case_kind(tracker)
        utter(dispatcher, tracker, ARTICLES[kind]["ask_case_contact"], handoff_offered=kind == "callback")
        return []


class CaseFormValidation(FormValidationAction):
    """Checks the answers of both forms; "avbryt" ends either form without a case."""

    @abstractmethod
    def name(self) -> str:
        """``validate_<form>``."""

    contact_required = False

    @staticmethod
    def _cancel() -> dict[str, Any]:
        return {"case_cancelled": True, "requested_slot": None}

    async def validate_case_message(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Any text is a message (it is already redacted); a cancel word stops the form."""
        if _folded(value) in CANCEL_WORDS:
            return self._cancel()
        text = str(value or "").strip()
        return {"case_message": text} if text else {"case_message": None}

    async def validate_case_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Keep the placeholder of an e-mail or phone number (never a value); "nej" means none."""
        if value is None:  # the slot was reset when the form started: nothing to check yet
            return {"case_contact": None}
        folded = _folded(value)
        if folded in CANCEL_WORDS or (self.contact_required and folded in NO_WORDS):
            return self._cancel()
        if folded in NO_WORDS:
            return {"case_contact": "none"}
        found = CONTACT_PLACEHOLDER.search(str(value or ""))
        if found:
            return {"case_contact": found.group(0)}
        attempts = int(tracker.get_slot("case_contact_attempts") or 0) + 1
        utter(dispatcher, tracker, CONTACT_INVALID)
        if attempts >= MAX_CONTACT_ATTEMPTS:
            return {**self._cancel(), "case_contact_attempts": attempts}
        return {"case_contact": None, "case_contact_attempts": attempts}


class ValidateComplaintForm(CaseFormValidation):
    """Validation of ``complaint_form`` (what happened, then an optional contact)."""

    def name(self) -> str:
        """Rasa calls ``validate_<form>`` to validate the form's slots."""
        return "validate_complaint_form"


def gateway_client() -> httpx.AsyncClient:
    """An HTTP client for the gateway's internal API (replaced in tests)."""
    settings = ActionSettings()
    return httpx.AsyncClient(timeout=settings.internal_timeout_seconds)


class ActionSubmitCase(Action):
    """Create the case through the gateway and confirm it with its number."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_submit_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Send the form's values (placeholders only) to ``POST /internal/cases``."""
        kind = case_kind(tracker)
        reset = [SlotSet(slot, None) for slot in CASE_SLOTS]
        if tracker.get_slot("case_cancelled") or not tracker.get_slot("case_message"):
            utter(dispatcher, tracker, ARTICLES[kind]["cancelled"])
            return reset
        contact = tracker.get_slot("case_contact")
        placeholder = contact if contact and CONTACT_PLACEHOLDER.fullmatch(str(contact)) else None
        turn = sum(1 for event in tracker.events if event.get("event") == "user")
        body = {
            "conversation": tracker.sender_id,
            "kind": kind,
            "message": str(tracker.get_slot("case_message")),
            "contact_placeholder": placeholder,
            "purpose": "case_contact",
            "language": reply_language(tracker),
            "idempotency_key": f"chat:{tracker.sender_id}:{turn}",
        }
        settings = ActionSettings()
        try:
            async with gateway_client() as client:
                response = await client.post(
                    f"{settings.resolved_gateway_url}/internal/cases",
                    json=body,
                    headers={"Authorization": f"Bearer {settings.internal_token}"},
                )
            case_id = str(response.json()["case_id"]) if response.status_code in (200, 201) else None
        except (httpx.HTTPError, ValueError, KeyError):
            case_id = None
        if case_id is None:
            logger.warning("case_not_created", extra={"kind": kind})
            utter(dispatcher, tracker, CASE_FAILED)
            return reset
        logger.info(
            "case_submitted", extra={"kind": kind, "case_id": case_id, "contact": placeholder is not None}
        )
        key = "registered" if placeholder else "registered_anonymous"
        article = knowledge_base().articles[ARTICLES[kind][key]]
        language = reply_language(tracker)
        dispatcher.utter_message(
            text=fill_case_number(article.text(language), case_id),
            source=article.source_info(language),
            topic=article.topic,
            case_id=case_id,
            handoff_offered=kind == "callback",
        )
        return reset
