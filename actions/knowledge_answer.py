"""Answers a service question from the approved knowledge article that fits it best."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    answer_policy,
    asks_for_assessment,
    handoff_button,
    knowledge_base,
    latest_intent,
    latest_text,
    reply_language,
    utter_article,
    utter_notice,
)
from actions.fallback import offer_suggestions, semantic_hits
from content.decision import NO_SEARCH_TOPICS, decide
from content.knowledge import Article


def button_article(tracker: Tracker, intent: str) -> Article | None:
    """The article a "Menar du …?" button named (the citizen chose it), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "article_id":
            article = knowledge_base().articles.get(str(entity.get("value")))
            if article is not None and intent in article.intents:
                return article
    return None


class ActionAnswer(Action):
    """Pick the article for the recognised intent and send its answer with its source."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer from an article, following the answer policy; without an article, offer suggestions."""
        kb, policy = knowledge_base(), answer_policy()
        language, intent, text = reply_language(tracker), latest_intent(tracker), latest_text(tracker)
        assessment = asks_for_assessment(tracker)
        article = button_article(tracker, intent)
        if article is None:
            confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)
            topic = kb.topic_of_intent(intent)
            hits = []
            if topic not in NO_SEARCH_TOPICS:
                hits = await asyncio.to_thread(semantic_hits, text, language, policy.max_suggestions + 2)
            decision = decide(topic, confidence, hits, policy.answer_threshold)
            article = kb.pick(intent, text)
            if decision.action == "suggest" or article is None:
                if assessment:
                    utter_notice(dispatcher, policy.notices["eligibility_notice"], language)
                offer_suggestions(dispatcher, tracker, language, hits, [article] if article else None)
                return []
        assessment = assessment and article.topic != "smalltalk"
        if assessment:
            # General information only: the notice, general information and a person, never a yes or no.
            # Another authority's matter keeps the article that names that authority.
            utter_notice(dispatcher, policy.notices["eligibility_notice"], language)
            if article.topic != "out_of_scope":
                article = kb.articles_for_intent(intent)[0]
        high_risk = assessment or article.risk == "high" or article.topic in policy.high_risk_topics
        buttons = [handoff_button(language)] if high_risk else None
        utter_article(dispatcher, article, language, buttons=buttons, handoff_offered=high_risk)
        return []
