"""When Rasa is unsure (``nlu_fallback``) the answer engine still decides: answer, clarify or abstain."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.knowledge_answer import respond, select
from actions.safety import remind_of_112


class ActionFallback(Action):
    """Runs on ``nlu_fallback`` and when the dialogue policies are unsure."""

    def name(self) -> str:
        """Name used in the domain, rules and the RulePolicy's core fallback."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Rank every article without a topic prior (Rasa had none) and say what the engine decided."""
        remind_of_112(dispatcher, tracker)
        decided = await asyncio.to_thread(select, tracker, None)
        respond(dispatcher, tracker, decided)
        return []
