"""Reaching a person: how to contact the municipality, whether it is open now, and a call-back form.

"Jag vill prata med en människa" gets the contact article, a notice when the contact centre is closed
(saying when it opens), and the call-back form, which asks for a phone number or e-mail first ("nej"
ends it) and then what it is about. The case is created by ``action_submit_case``.
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime
from pathlib import Path

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.complaint import CaseFormValidation, start_form, utter
from actions.safety import note_assessment, remind_of_112
from content.calendar import OpeningHours

HANDOFF_ARTICLE = "handoff-contact"
CLOSED_OPENS_TODAY = "contact-closed-opens-today"
CLOSED_NEXT_DAY = "contact-closed-next-working-day"
_DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@functools.lru_cache(maxsize=1)
def opening_hours() -> OpeningHours:
    """The contact centre's opening hours from ``data/municipality.yml`` (loaded once)."""
    return OpeningHours.load(Path(os.environ.get("KOMMUNSVAR_DATA_DIR", str(_DEFAULT_DATA_DIR))))


def now() -> datetime:
    """The current time (replaced in tests)."""
    return datetime.now(UTC)


def closed_notice(moment: datetime) -> str | None:
    """The article saying when the contact centre answers, or None while it is open."""
    state = opening_hours().state(moment)
    if state.open_now:
        return None
    return CLOSED_OPENS_TODAY if state.opens_later_today else CLOSED_NEXT_DAY


class ActionCallbackStart(Action):
    """Say how to reach a person (and when, if closed now), then offer to be contacted."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_callback_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Contact article, closed notice when needed, then the call-back form."""
        remind_of_112(dispatcher, tracker)
        note_assessment(dispatcher, tracker)
        utter(dispatcher, tracker, HANDOFF_ARTICLE, handoff_offered=True)
        notice = closed_notice(now())
        if notice:
            utter(dispatcher, tracker, notice, handoff_offered=True)
        return start_form("callback")


class ValidateCallbackForm(CaseFormValidation):
    """Validation of ``callback_form``: a contact is required ("nej" ends the form)."""

    contact_required = True

    def name(self) -> str:
        """Rasa calls ``validate_<form>`` to validate the form's slots."""
        return "validate_callback_form"
