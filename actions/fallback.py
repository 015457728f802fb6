"""What the bot does when it is unsure: suggestions and a person, never a guess."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import handoff_button, knowledge_base, reply_language, utter_article

FALLBACK_ARTICLE = "fallback-unsure"
_NOT_SUGGESTED = {
    "nlu_fallback",
    "out_of_scope",
    "greet",
    "goodbye",
    "thanks",
    "bot_challenge",
    "human_handoff",
}


def suggestion_buttons(tracker: Tracker, language: str, limit: int = 3) -> list[dict[str, str]]:
    """ "Did you mean …?" buttons from the next-best intents of the latest message."""
    kb = knowledge_base()
    buttons: list[dict[str, str]] = []
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name = str(ranked.get("name") or "")
        if name in _NOT_SUGGESTED:
            continue
        articles = kb.articles_for_intent(name)
        if not articles:
            continue
        title = articles[0].title.get(language) or articles[0].title.get("sv") or name
        buttons.append({"title": title, "payload": f"/{name}"})
        if len(buttons) >= limit:
            break
    return buttons


def offer_suggestions(dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
    """Say that the bot is unsure, offer likely topics and a person."""
    kb = knowledge_base()
    buttons = suggestion_buttons(tracker, language) + [handoff_button(language)]
    article = kb.articles.get(FALLBACK_ARTICLE)
    if article is None:
        raise LookupError(f"the knowledge base has no '{FALLBACK_ARTICLE}' article")
    utter_article(dispatcher, article, language, buttons=buttons, handoff_offered=True)


class ActionFallback(Action):
    """Runs on ``nlu_fallback`` and when the dialogue policies are unsure."""

    def name(self) -> str:
        """Name used in the domain, rules and the RulePolicy's core fallback."""
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Offer suggestions and a person."""
        offer_suggestions(dispatcher, tracker, reply_language(tracker))
        return []
