"""Hands the citizen over to a person: how to reach the municipality's staff."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import knowledge_base, reply_language, utter_article

HANDOFF_ARTICLE = "handoff-contact"


class ActionHandoff(Action):
    """Tell the citizen how to reach a person."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer from the contact article."""
        article = knowledge_base().articles.get(HANDOFF_ARTICLE)
        if article is None:
            raise LookupError(f"the knowledge base has no '{HANDOFF_ARTICLE}' article")
        utter_article(dispatcher, article, reply_language(tracker), handoff_offered=True)
        return []
