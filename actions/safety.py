"""The reply to an emergency: the urgent notice first (112), then a way to a person.

A possible emergency below the urgent rule (the ``caution`` verdict) keeps its usual answer, but the
reply starts with a short reminder of 112 and a person (:func:`remind_of_112`).

The gateway's safety check (``content.safety``) routes a message that may signal danger to life or health
to the ``urgent_help`` intent with the emergency's category; nothing routine comes before the notice,
and a form in progress (complaint, call-back) is stopped.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    answer_policy,
    handoff_button,
    reply_language,
    safety_of,
    safety_rules,
    utter_notice,
)
from content.safety import URGENT_ENTITY

_CASE_SLOTS = ("requested_slot", "case_message", "case_contact", "case_kind", "case_cancelled")


def urgent_category(tracker: Tracker) -> str:
    """The emergency category the gateway named (``""`` when it named none)."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == URGENT_ENTITY:
            return str(entity.get("value") or "")
    return ""


class ActionUrgent(Action):
    """Send the category's urgent notice with a person to talk to."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_urgent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The notice of the category (the general urgent notice if it has none); stop any form."""
        policy, language = answer_policy(), reply_language(tracker)
        name = safety_rules().notice_for(urgent_category(tracker))
        notice = policy.notices.get(name) or policy.notices["urgent_notice"]
        utter_notice(dispatcher, notice, language, buttons=[handoff_button(language)], handoff_offered=True)
        return [ActiveLoop(None)] + [SlotSet(slot, None) for slot in _CASE_SLOTS]


def remind_of_112(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Start the reply with the 112 reminder when the safety check saw a possible emergency.

    The ``caution`` verdict (``content.safety``) is a message close to an emergency that the urgent rule
    does not call one: the usual answer follows, but 112 and a person come first. True when sent.
    """
    caution = safety_of(tracker).get("caution")
    if not isinstance(caution, dict):
        return False
    language = reply_language(tracker)
    notices = answer_policy().notices
    name = safety_rules().reminder_for(str(caution.get("category") or ""))
    notice = notices.get(name) or notices["caution_notice"]
    utter_notice(dispatcher, notice, language, buttons=[handoff_button(language)], handoff_offered=True)
    return True


def note_assessment(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """The eligibility notice and a person, on a complaint or call-back path, for an assessment request.

    ``action_answer`` and ``action_fallback`` put the notice before their answer themselves. True when sent.
    """
    if not safety_of(tracker).get("assessment"):
        return False
    language = reply_language(tracker)
    notice = answer_policy().notices["eligibility_notice"]
    utter_notice(dispatcher, notice, language, buttons=[handoff_button(language)], handoff_offered=True)
    return True
