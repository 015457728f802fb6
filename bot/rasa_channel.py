"""Our Rasa input channel: the bot's messages *and* this turn's events, in one reply.

Runs inside the Rasa server (the Rasa venv, Python 3.10), loaded by name from ``bot/credentials.yml``
(channel) and the endpoints files (tracker store). The gateway never imports it: it only speaks HTTP.

Why: the gateway's audit record explains each answer from Rasa's own events (the intent and its ranking,
every action and the policy that chose it, the bot messages). Asking for them in a second request
(``GET /conversations/<id>/tracker``) made Rasa load the conversation from its store and serialise every
event since the start, on every turn (docs/performance.md). Rasa holds the tracker in memory when it
saves it at the end of the turn, so:

* ``TurnTrackerStore`` is Rasa's own SQL tracker store (SQLite or PostgreSQL, the same tables) that,
  after a save has succeeded, hands the saved tracker to a channel request waiting for that
  conversation;
* ``TurnInput`` (``POST /webhooks/kommunsvar/webhook``) runs the message like Rasa's REST channel, then
  answers ``{"messages": [...], "turn": {"number": n, "events": [...]}}``: the events from this
  message's ``user`` event up to the next one, found by the message id this channel gave it.

If no saved tracker was handed over (another store, a save that failed over), the channel reads the
conversation from the store, as the second request did. A turn that Rasa did not record is an error
(503), never an answer without its explanation; the REST channel, by contrast, answers 200 with
whatever was collected when processing fails.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Restarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

CHANNEL_NAME = "kommunsvar"


class TurnHandover:
    """Trackers saved while a channel request waits for them, by conversation (one process).

    Rasa goes on updating the same tracker object after a save (a new conversation is saved when it is
    created, then again at the end of the turn), so each handover keeps how many events were saved:
    only those count, never events added after the last successful save.
    """

    def __init__(self) -> None:
        self._waiting: dict[str, tuple[DialogueStateTracker, int] | None] = {}

    def expect(self, sender_id: str) -> None:
        """A channel request for ``sender_id`` begins: wait for its saved tracker."""
        self._waiting[sender_id] = None

    def offer(self, tracker: DialogueStateTracker) -> None:
        """Called after a successful save: kept only if a request waits for this conversation."""
        if tracker.sender_id in self._waiting:
            self._waiting[tracker.sender_id] = (tracker, len(tracker.events))

    def take(self, sender_id: str) -> tuple[DialogueStateTracker, int] | None:
        """The request ends: the last tracker saved for it and how many events were saved, if any."""
        return self._waiting.pop(sender_id, None)

    def __len__(self) -> int:
        return len(self._waiting)


HANDOVER = TurnHandover()


class TurnTrackerStore(SQLTrackerStore):  # type: ignore[misc]
    """Rasa's SQL tracker store that hands each saved tracker to the channel request waiting for it."""

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Save as Rasa does; once saved, hand the tracker over."""
        await super().save(tracker)
        HANDOVER.offer(tracker)


def turn_of(
    tracker: DialogueStateTracker, message_id: str, saved: int | None = None
) -> dict[str, Any] | None:
    """The turn that began with ``message_id``: its number since the last restart, and its events.

    The number counts ``user`` events since the latest restart before this message (the tracker
    endpoint's ``AFTER_RESTART`` view the gateway used to read); the events run from this message's
    ``user`` event to the next one. ``saved``: only the first ``saved`` events count (those saved).
    """
    events = list(tracker.events)[:saved]
    number = 0
    start: int | None = None
    for index, event in enumerate(events):
        if start is None and isinstance(event, Restarted):
            number = 0
        if not isinstance(event, UserUttered):
            continue
        if start is not None:
            return {"number": number, "events": [e.as_dict() for e in events[start:index]]}
        number += 1
        if event.message_id == message_id:
            start = index
    if start is None:
        return None
    return {"number": number, "events": [e.as_dict() for e in events[start:]]}


class TurnInput(InputChannel):  # type: ignore[misc]
    """``POST /webhooks/kommunsvar/webhook`` with ``{"sender", "message", "metadata"}``, as REST takes."""

    @classmethod
    def name(cls) -> str:
        """The channel's URL part: ``/webhooks/kommunsvar/webhook``."""
        return CHANNEL_NAME

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook."""
        hook = Blueprint("kommunsvar_turn_webhook", __name__)

        @hook.route("/webhook", methods=["POST"])  # type: ignore[untyped-decorator]
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # Sanic refuses a body that is not JSON
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "the body must be a JSON object"}, status=400)
            sender, text = body.get("sender"), body.get("message")
            metadata = body.get("metadata")
            if not isinstance(sender, str) or not sender or not isinstance(text, str):
                return response.json({"error": "sender and message must be strings"}, status=400)
            if metadata is not None and not isinstance(metadata, dict):
                return response.json({"error": "metadata must be an object"}, status=400)
            parse_data = body.get("parse_data")
            if parse_data is not None and not _parse_of(parse_data, text):
                return response.json({"error": "parse_data must be Rasa's parse of this message"}, status=400)
            collector = CollectingOutputChannel()
            message_id = uuid.uuid4().hex
            HANDOVER.expect(sender)
            failed = False
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender,
                        input_channel=CHANNEL_NAME,
                        metadata=metadata,
                        message_id=message_id,
                        # The gateway's /model/parse result for this text: Rasa's processor then skips
                        # its NLU pipeline (MessageProcessor._handle_message_with_tracker).
                        parse_data=parse_data,
                    )
                )
            except Exception:  # the turn failed inside Rasa: no answer without its record
                logger.exception("kommunsvar channel: the turn failed")
                failed = True
            finally:
                saved = HANDOVER.take(sender)
            if failed:
                return response.json({"error": "the turn failed"}, status=503)
            turn = turn_of(saved[0], message_id, saved[1]) if saved is not None else None
            if turn is None:
                # Not handed over (another store, or a save that fell back): read what the store holds.
                stored = await request.app.ctx.agent.tracker_store.retrieve(sender)
                turn = turn_of(stored, message_id) if stored is not None else None
            if turn is None:
                return response.json({"error": "the turn was not recorded"}, status=503)
            return response.json({"messages": collector.messages, "turn": turn})

        return hook


def _parse_of(parse_data: Any, text: str) -> bool:
    """Whether ``parse_data`` has the shape of Rasa's parse (``/model/parse``) of exactly ``text``."""
    if not isinstance(parse_data, dict) or parse_data.get("text") != text:
        return False
    intent = parse_data.get("intent")
    return (
        isinstance(intent, dict)
        and isinstance(intent.get("name"), str)
        and isinstance(intent.get("confidence"), int | float)
        and isinstance(parse_data.get("entities"), list)
    )
