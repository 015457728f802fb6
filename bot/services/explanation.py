"""Reads the explanation data of the latest turn out of a Rasa tracker (a plain JSON dict)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class TurnExplanation:
    """Why Rasa answered as it did in the latest turn."""

    turn: int
    intent: str | None
    confidence: float | None
    ranking: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    bot_events: list[dict[str, Any]] = field(default_factory=list)


def _round(value: Any) -> float | None:
    return None if value is None else round(float(value), 4)


def latest_turn(tracker: dict[str, Any]) -> TurnExplanation:
    """The user message, actions (with the policy that chose each) and bot events of the last turn."""
    events = tracker.get("events") or []
    user_positions = [i for i, e in enumerate(events) if e.get("event") == "user"]
    start = user_positions[-1] if user_positions else -1
    user = events[start] if user_positions else {}
    parse = user.get("parse_data") or tracker.get("latest_message") or {}
    intent = parse.get("intent") or {}
    ranking = [
        {"name": r.get("name"), "confidence": _round(r.get("confidence"))}
        for r in (parse.get("intent_ranking") or [])[:3]
    ]
    entities = [
        {k: e.get(k) for k in ("entity", "value", "start", "end", "extractor")}
        for e in parse.get("entities") or []
    ]
    later = events[start + 1 :]
    actions = [
        {"name": e.get("name"), "policy": e.get("policy"), "confidence": _round(e.get("confidence"))}
        for e in later
        if e.get("event") == "action" and e.get("name") != "action_listen"
    ]
    bot_events = [e for e in later if e.get("event") == "bot"]
    return TurnExplanation(
        turn=len(user_positions),
        intent=intent.get("name"),
        confidence=_round(intent.get("confidence")),
        ranking=ranking,
        entities=entities,
        actions=actions,
        bot_events=bot_events,
    )
