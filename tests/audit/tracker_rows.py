"""Rows as Rasa 3.6's ``SQLTrackerStore.save`` writes them, for tests of the tracker store purge."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, insert

from audit.tracker import events


def session(sender: str, start: float, texts: list[str], *, slot: str | None = None) -> list[dict[str, Any]]:
    """One conversation session: session start, then per text a user turn and a bot answer."""
    rows = [
        _row(sender, "action", start, action="action_session_start"),
        _row(sender, "session_started", start + 0.001),
        _row(sender, "action", start + 0.002, action="action_listen"),
    ]
    moment = start + 1
    for text in texts:
        rows.append(_row(sender, "user", moment, intent="complaint", text=text))
        rows.append(_row(sender, "bot", moment + 0.5, text="Tack, vi har tagit emot ditt ärende."))
        moment += 2
    if slot is not None:
        rows.append(_row(sender, "slot", moment, action="case_message", value=slot))
    return rows


def _row(
    sender: str,
    type_name: str,
    timestamp: float,
    *,
    intent: str | None = None,
    action: str | None = None,
    text: str | None = None,
    value: str | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {"event": type_name, "timestamp": timestamp}
    if text is not None:
        data["text"] = text
        if type_name == "user":
            data["parse_data"] = {"intent": {"name": intent, "confidence": 0.9}, "text": text}
    if action is not None:
        data["name"] = action
    if value is not None:
        data["value"] = value
    return {
        "sender_id": sender,
        "type_name": type_name,
        "timestamp": timestamp,
        "intent_name": intent,
        "action_name": action,
        "data": json.dumps(data),  # ensure_ascii, as Rasa writes it: "ä" becomes "\\u00e4"
    }


def fill(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Create Rasa's ``events`` table when missing and insert ``rows`` (as Rasa does: one commit)."""
    events.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(events), rows)


def json_forms(text: str) -> list[bytes]:
    """How ``text`` can appear in a file: as UTF-8 and as Rasa's ASCII-escaped JSON."""
    return [text.encode("utf-8"), json.dumps(text)[1:-1].encode("ascii")]
