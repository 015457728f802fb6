"""Whether to answer or to offer suggestions: Rasa's intent checked against the semantic search.

Rasa's DIET classifier is often very sure when it is wrong (0.97–1.00 on misclassified held-out
messages), so a high confidence alone is no reason to answer. The action answers when DIET is confident
*and* the e5 semantic search points to the same topic; when they disagree it offers both as "Menar du …?"
suggestions and a person instead of guessing. Smalltalk has no articles to search, so DIET decides alone.
The same function drives the action server and ``make eval-nlu``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol


class TopicHit(Protocol):
    """A semantic search hit (``content.semantic.search.Hit``)."""

    article_id: str
    topic: str
    score: float


@dataclass(frozen=True)
class Decision:
    """What the bot does with a message, and the topic it routes to."""

    action: Literal["answer", "suggest"]
    topic: str
    reason: str


NO_SEARCH_TOPICS = frozenset({"smalltalk"})


def decide(
    intent_topic: str,
    confidence: float,
    hits: Sequence[TopicHit] | None,
    answer_threshold: float,
    *,
    fallback: bool = False,
) -> Decision:
    """Answer when DIET is confident and the semantic search agrees on the topic; otherwise suggest.

    Args:
        intent_topic: the topic of Rasa's top intent.
        confidence: Rasa's confidence in that intent.
        hits: semantic search hits, best first (None or empty when the search is unavailable).
        answer_threshold: the confidence below which the bot never answers.
        fallback: True when Rasa itself predicted ``nlu_fallback``.
    """
    semantic_topic = hits[0].topic if hits else None
    if fallback or confidence < answer_threshold:
        return Decision("suggest", semantic_topic or intent_topic, "low_confidence")
    if intent_topic in NO_SEARCH_TOPICS or semantic_topic is None:
        return Decision("answer", intent_topic, "confident")
    if semantic_topic == intent_topic:
        return Decision("answer", intent_topic, "confident_and_agreed")
    return Decision("suggest", semantic_topic, "semantic_disagrees")
