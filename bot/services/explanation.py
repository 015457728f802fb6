"""Reads the explanation data of one turn out of Rasa's events (plain JSON dicts).

The events come from our Rasa channel (``bot/rasa_channel.py``): ``{"number": n, "events": [...]}``, this
turn's events from its ``user`` event on.
"""

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


def turn_explanation(turn: dict[str, Any]) -> TurnExplanation:
    """The user message, actions (with the policy that chose each) and bot events of one turn."""
    events = turn.get("events") or []
    user = events[0] if events and events[0].get("event") == "user" else {}
    parse = user.get("parse_data") or {}
    intent = parse.get("intent") or {}
    ranking = [
        {"name": r.get("name"), "confidence": _round(r.get("confidence"))}
        for r in (parse.get("intent_ranking") or [])[:3]
    ]
    entities = [
        {k: e.get(k) for k in ("entity", "value", "start", "end", "extractor")}
        for e in parse.get("entities") or []
    ]
    later = events[1:] if user else events
    actions = [
        {"name": e.get("name"), "policy": e.get("policy"), "confidence": _round(e.get("confidence"))}
        for e in later
        if e.get("event") == "action" and e.get("name") != "action_listen"
    ]
    bot_events = [e for e in later if e.get("event") == "bot"]
    return TurnExplanation(
        turn=int(turn.get("number") or 0),
        intent=intent.get("name"),
        confidence=_round(intent.get("confidence")),
        ranking=ranking,
        entities=entities,
        actions=actions,
        bot_events=bot_events,
    )
