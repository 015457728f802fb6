"""What the bot does when it is unsure: "Did you mean …?" suggestions and a person, never a guess."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    answer_policy,
    article_button,
    handoff_button,
    knowledge_base,
    latest_text,
    reply_language,
    semantic_index,
    utter_article,
)
from bot.knowledge import Article

FALLBACK_ARTICLE = "fallback-unsure"
_NOT_SUGGESTED_TOPICS = {"smalltalk", "out_of_scope"}


def semantic_suggestions(text: str, language: str, limit: int, min_score: float) -> list[Article]:
    """Articles semantically close to the (redacted) text, best first."""
    index = semantic_index()
    if index is None or not text.strip():
        return []
    kb = knowledge_base()
    found = []
    for hit in index.search(text, k=limit + 2, language=language, min_score=min_score):
        article = kb.articles.get(hit.article_id)
        if article is not None and article.topic not in _NOT_SUGGESTED_TOPICS and article.intents:
            found.append(article)
    return found[:limit]


def ranking_suggestions(tracker: Tracker, limit: int, min_confidence: float) -> list[Article]:
    """Default articles of the next-best intents Rasa ranked above ``min_confidence``."""
    kb = knowledge_base()
    found: list[Article] = []
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name = str(ranked.get("name") or "")
        if float(ranked.get("confidence") or 0.0) < min_confidence:
            continue
        articles = kb.articles_for_intent(name)
        if articles and articles[0].topic not in _NOT_SUGGESTED_TOPICS:
            found.append(articles[0])
    return found[:limit]


def suggestion_buttons(tracker: Tracker, language: str) -> list[dict[str, str]]:
    """Up to ``max_suggestions`` buttons: semantic matches first, then Rasa's next-best intents."""
    policy = answer_policy()
    limit = policy.max_suggestions
    articles = semantic_suggestions(latest_text(tracker), language, limit, policy.suggestion_min_similarity)
    if len(articles) < limit:
        articles += ranking_suggestions(tracker, limit, policy.suggest_threshold)
    unique = list({a.id: a for a in articles}.values())[:limit]
    return [article_button(article, language) for article in unique]


def offer_suggestions(dispatcher: CollectingDispatcher, tracker: Tracker, language: str) -> None:
    """Say that the bot is unsure, offer likely articles and a person."""
    article = knowledge_base().articles.get(FALLBACK_ARTICLE)
    if article is None:
        raise LookupError(f"the knowledge base has no '{FALLBACK_ARTICLE}' article")
    buttons = suggestion_buttons(tracker, language) + [handoff_button(language)]
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
