"""Answers a service question from the approved knowledge article that fits it best."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import handoff_button, knowledge_base, latest_intent, reply_language, utter_article
from actions.fallback import offer_suggestions


class ActionAnswer(Action):
    """Pick the article for the recognised intent and send its answer with its source."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer from an article; without a matching article, offer suggestions instead of guessing."""
        kb = knowledge_base()
        language = reply_language(tracker)
        intent = latest_intent(tracker)
        article = kb.pick(intent, str(tracker.latest_message.get("text") or ""))
        if article is None:
            offer_suggestions(dispatcher, tracker, language)
            return []
        topic = kb.topics.get(article.topic)
        high_risk = article.risk == "high" or (topic is not None and topic.risk == "high")
        buttons = [handoff_button(language)] if high_risk else None
        utter_article(dispatcher, article, language, buttons=buttons, handoff_offered=high_risk)
        return []
