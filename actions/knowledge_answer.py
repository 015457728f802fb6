"""Answers a question from the approved article the answer engine selects, or says honestly it has none.

The engine (``content.answering``) ranks every answerable article and decides: answer one article, answer
both parts of a two-part question, ask which of two or three close articles is meant, or abstain with the
likely topic's contact. Its decision travels with the first message as ``selection`` (rule, scores,
runner-up), so the audit record can say why this answer was given.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.common import (
    answer_engine,
    answer_policy,
    article_button,
    asks_for_assessment,
    handoff_button,
    knowledge_base,
    latest_intent,
    latest_text,
    reply_language,
    site_answer,
    utter_article,
    utter_notice,
    utter_passage,
)
from actions.safety import remind_of_112
from content.answering.engine import Selection
from content.knowledge import Article
from content.site.answer import SiteAnswer

NOT_RANKED_TOPICS = frozenset({"smalltalk"})
FALLBACK_ARTICLE = "fallback-unsure"


def button_article(tracker: Tracker) -> Article | None:
    """The article a "Menar du …?" button named (the citizen chose it), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "article_id":
            article = knowledge_base().articles.get(str(entity.get("value")))
            if article is not None and article.answerable:
                return article
    return None


def intent_confidence(tracker: Tracker) -> float:
    """Rasa's confidence in the latest message's intent."""
    return float((tracker.latest_message.get("intent") or {}).get("confidence") or 0.0)


@dataclass(frozen=True)
class Decision:
    """The article engine's selection and, when no article answers, the website tier's answer."""

    selection: Selection
    site: SiteAnswer | None = None


def select(tracker: Tracker, intent_topic: str | None) -> Decision:
    """The engine's decision for the latest (redacted) message; the website answers only where it cannot."""
    text = latest_text(tracker)
    selection = answer_engine().select(text, intent_topic=intent_topic, confidence=intent_confidence(tracker))
    if selection.rule in ("answer", "two_parts") or selection.degraded:
        return Decision(selection)  # curated articles always win when they answer
    return Decision(selection, site_answer(text))


def send_article(dispatcher: CollectingDispatcher, article: Article, language: str, **extra: Any) -> None:
    """One article's answer; a high-risk article (or an assessment request) also offers a person."""
    policy = answer_policy()
    high_risk = bool(extra.pop("assessment", False)) or article.risk == "high"
    high_risk = high_risk or article.topic in policy.high_risk_topics
    buttons = list(extra.pop("buttons", None) or [])
    if high_risk:
        buttons.append(handoff_button(language))
    utter_article(dispatcher, article, language, buttons=buttons or None, handoff_offered=high_risk, **extra)


def respond(dispatcher: CollectingDispatcher, tracker: Tracker, decided: Decision) -> None:
    """Say what was decided: answer(s), a website passage, a choice of close articles, or "no answer"."""
    kb, policy, language = knowledge_base(), answer_policy(), reply_language(tracker)
    selection = decided.selection
    record = selection.to_dict()
    if decided.site is not None:
        record["site"] = decided.site.to_dict()
    decision: dict[str, Any] = {"selection": record}
    assessment = asks_for_assessment(tracker)
    if assessment:
        # General information only: the notice first, never a yes or no about the citizen's own case.
        utter_notice(dispatcher, policy.notices["eligibility_notice"], language, **decision)
        decision = {}
    offers = [kb.articles[a] for a in selection.offer_ids if a in kb.articles][: policy.max_suggestions]
    if decided.site is not None:
        # No article answers, but the municipality's own website does: its words, its link, and the
        # close articles (if any) as other choices. A person is offered when the topic is high-risk.
        choices = [article_button(o, language) for o in offers]
        high_risk = assessment or (selection.topic or "") in policy.high_risk_topics
        if high_risk:
            choices.append(handoff_button(language))
        utter_passage(
            dispatcher, decided.site, language, buttons=choices or None, handoff_offered=high_risk, **decision
        )
        return
    if selection.rule in ("answer", "two_parts"):
        answers = [kb.articles[a] for a in selection.answer_ids if a in kb.articles]
        for i, article in enumerate(answers):
            last = i == len(answers) - 1
            buttons = [article_button(o, language) for o in offers] if last else None
            send_article(dispatcher, article, language, assessment=assessment, buttons=buttons, **decision)
            decision = {}
        return
    buttons = [handoff_button(language)]
    if selection.rule == "unclear":  # nothing came close: ask for other words (the fallback article)
        utter_article(
            dispatcher,
            kb.articles[FALLBACK_ARTICLE],
            language,
            buttons=buttons,
            handoff_offered=True,
            **decision,
        )
        return
    if selection.rule == "clarify" and offers:
        buttons = [article_button(o, language) for o in offers] + buttons
        utter_notice(
            dispatcher,
            policy.notices["clarify_notice"],
            language,
            buttons=buttons,
            handoff_offered=True,
            **decision,
        )
        return
    topic = kb.topics.get(selection.topic or "") or kb.topics["contact_opening_hours"]
    values = topic.contact(language)
    utter_notice(
        dispatcher,
        policy.notices["no_answer_notice"],
        language,
        buttons=buttons,
        handoff_offered=True,
        values=values,
        **decision,
    )


class ActionAnswer(Action):
    """Answer the latest message from the article the engine selects (or the one a button named)."""

    def name(self) -> str:
        """Name used in the domain and rules."""
        return "action_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Answer, clarify or abstain; smalltalk intents answer their own article."""
        kb, language, intent = knowledge_base(), reply_language(tracker), latest_intent(tracker)
        remind_of_112(dispatcher, tracker)
        article = button_article(tracker)
        if article is not None:
            send_article(dispatcher, article, language, assessment=asks_for_assessment(tracker))
            return []
        topic = kb.topic_of_intent(intent)
        if topic in NOT_RANKED_TOPICS:
            defaults = kb.articles_for_intent(intent)
            if defaults:
                utter_article(dispatcher, defaults[0], language)
                return []
        decided = await asyncio.to_thread(select, tracker, topic)
        respond(dispatcher, tracker, decided)
        return []
