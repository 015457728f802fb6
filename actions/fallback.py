"""What the bot does when it is unsure: "Did you mean …?" suggestions and a person, never a guess."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    answer_policy,
    article_button,
    asks_for_assessment,
    handoff_button,
    knowledge_base,
    latest_text,
    reply_language,
    semantic_index,
    utter_article,
    utter_notice,
)
from content.knowledge import Article

FALLBACK_ARTICLE = "fallback-unsure"
_NOT_SUGGESTED_TOPICS = {"smalltalk", "out_of_scope"}
_NOT_SUGGESTED_ARTICLES = {FALLBACK_ARTICLE, "handoff-contact"}


def semantic_hits(text: str, language: str, limit: int) -> list[Any]:
    """Semantic search hits for the (redacted) text, best first; empty without the model."""
    index = semantic_index()
    if index is None or not text.strip():
        return []
    return list(index.search(text, k=limit, language=language))


def articles_of_hits(hits: list[Any], limit: int, min_score: float) -> list[Article]:
    """Suggestible articles of the hits scoring at least ``min_score``."""
    kb = knowledge_base()
    found = []
    for hit in hits:
        article = kb.articles.get(hit.article_id)
        if hit.score >= min_score and article is not None and article.intents:
            # The hand-off has its own button; the fallback text is what the citizen is reading.
            if article.topic not in _NOT_SUGGESTED_TOPICS and article.id not in _NOT_SUGGESTED_ARTICLES:
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


def suggestion_buttons(
    tracker: Tracker, language: str, hits: list[Any] | None = None, first: list[Article] | None = None
) -> list[dict[str, str]]:
    """Up to ``max_suggestions`` buttons: semantic matches first, then Rasa's next-best intents.

    ``first`` (e.g. the article of the intent Rasa chose) is interleaved after the best semantic match.
    """
    policy = answer_policy()
    limit = policy.max_suggestions
    if hits is None:
        hits = semantic_hits(latest_text(tracker), language, limit + 2)
    semantic = articles_of_hits(hits, limit, policy.suggestion_min_similarity)
    articles = semantic[:1] + (first or []) + semantic[1:]
    if len(articles) < limit:
        articles += ranking_suggestions(tracker, limit, policy.suggest_threshold)
    unique = list({a.id: a for a in articles if a.topic not in _NOT_SUGGESTED_TOPICS}.values())[:limit]
    return [article_button(article, language) for article in unique]


def offer_suggestions(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    language: str,
    hits: list[Any] | None = None,
    first: list[Article] | None = None,
) -> None:
    """Say that the bot is unsure, offer likely articles and a person."""
    article = knowledge_base().articles.get(FALLBACK_ARTICLE)
    if article is None:
        raise LookupError(f"the knowledge base has no '{FALLBACK_ARTICLE}' article")
    buttons = suggestion_buttons(tracker, language, hits, first) + [handoff_button(language)]
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
        language, policy = reply_language(tracker), answer_policy()
        hits = await asyncio.to_thread(
            semantic_hits, latest_text(tracker), language, policy.max_suggestions + 2
        )
        if asks_for_assessment(tracker):
            utter_notice(dispatcher, policy.notices["eligibility_notice"], language)
        offer_suggestions(dispatcher, tracker, language, hits)
        return []
