"""bot/rasa_channel.py in the Rasa venv: our channel and tracker store, served by a real Sanic server.

Rasa's agent is replaced by a small one that does what Rasa's processor does to the store (read the
tracker, add the user event with the channel's message id, the bot's action and message, save); the
store is Rasa's SQL tracker store on SQLite. Every e2e test runs a real Rasa through the channel too.
"""

from __future__ import annotations

import pytest

SCRIPT = r"""
import asyncio, json, socket, sys, warnings
warnings.simplefilter("ignore")
import aiohttp
from sanic import Sanic
from rasa.core.channels.channel import register
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Restarted, UserUttered
from bot.rasa_channel import HANDOVER, TurnTrackerStore, turn_of

db = sys.argv[1]
domain = Domain.empty()
ours = TurnTrackerStore(domain, host=f"sqlite:///{db}")
plain = SQLTrackerStore(domain, host=f"sqlite:///{db}")


class Agent:
    # What Rasa's processor does to the tracker store in one turn (lock, run, save).
    def __init__(self):
        self.tracker_store, self.mode, self.saves = ours, "ok", 0

    async def handle_message(self, message):
        if self.mode == "raise":
            raise RuntimeError("the policy ensemble broke")
        tracker = await self.tracker_store.get_or_create_tracker(message.sender_id)
        # As Rasa's processor: the NLU result the channel was given, else its own parse.
        intent = (message.parse_data or {}).get("intent") or {"name": "greet", "confidence": 0.9}
        tracker.update(UserUttered(message.text, intent,
                                   message_id=message.message_id, input_channel=message.input_channel))
        if message.text == "/restart":
            tracker.update(Restarted())
        tracker.update(ActionExecuted("utter_greet", policy="RulePolicy", confidence=1.0))
        tracker.update(BotUttered(f"svar på {message.text}"))
        await message.output_channel.send_text_message(message.sender_id, f"svar på {message.text}")
        tracker.update(ActionExecuted("action_listen"))
        if self.mode != "nosave":
            await self.tracker_store.save(tracker)
            self.saves += 1


app = Sanic("channel_test")
agent = Agent()
app.ctx.agent = agent
from bot.rasa_channel import TurnInput
register([TurnInput()], app, route="/webhooks/")
sock = socket.socket(); sock.bind(("127.0.0.1", 0)); port = sock.getsockname()[1]; sock.close()
out = {}


async def post(session, body, raw=None):
    url = f"http://127.0.0.1:{port}/webhooks/kommunsvar/webhook"
    async with session.post(url, data=raw if raw is not None else json.dumps(body)) as response:
        return response.status, await response.json(content_type=None)


async def main():
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.start_serving()
    async with aiohttp.ClientSession() as session:
        out["first"] = await post(session, {"sender": "c1", "message": "hej", "metadata": {"language": "sv"}})
        out["second"] = await post(session, {"sender": "c1", "message": "sopor", "metadata": None})
        out["other"] = await post(session, {"sender": "c2", "message": "bibliotek"})
        out["restart"] = await post(session, {"sender": "c1", "message": "/restart"})
        out["after_restart"] = await post(session, {"sender": "c1", "message": "igen"})
        agent.tracker_store = plain  # another store: nothing handed over, the channel reads the store
        out["plain"] = await post(session, {"sender": "c1", "message": "parkering"})
        agent.tracker_store = ours
        agent.mode = "nosave"
        out["nosave"] = await post(session, {"sender": "c3", "message": "hej"})
        agent.mode = "raise"
        out["raise"] = await post(session, {"sender": "c3", "message": "hej"})
        agent.mode = "ok"
        parsed = {"text": "sopkärl", "intent": {"name": "waste", "confidence": 0.8}, "entities": []}
        out["parsed"] = await post(session, {"sender": "c5", "message": "sopkärl", "parse_data": parsed})
        out["parse_of_other_text"] = await post(
            session, {"sender": "c5", "message": "hej", "parse_data": {**parsed, "text": "sopkärl"}})
        no_intent = {"text": "sopkärl", "entities": []}
        out["parse_without_intent"] = await post(
            session, {"sender": "c5", "message": "sopkärl", "parse_data": no_intent})
        out["no_sender"] = await post(session, {"message": "hej"})
        out["bad_metadata"] = await post(session, {"sender": "c4", "message": "hej", "metadata": [1]})
        out["not_json"] = await post(session, None, raw="inte json")
    out["left_waiting"] = len(HANDOVER)
    stored = await plain.retrieve("c1")
    out["stored_users"] = [e.text for e in stored.events if isinstance(e, UserUttered)]
    out["unknown_id"] = turn_of(stored, "no-such-id")
    server.close()
    await server.wait_closed()


asyncio.run(main())
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def channel(in_rasa_venv, tmp_path_factory: pytest.TempPathFactory) -> dict:
    return dict(in_rasa_venv(SCRIPT, str(tmp_path_factory.mktemp("channel") / "rasa-tracker.db")))


def _texts(events: list[dict]) -> list[tuple[str, str | None]]:
    return [(e["event"], e.get("text") or e.get("name")) for e in events]


def test_each_reply_has_the_messages_and_only_this_turns_events(channel):
    status, body = channel["second"]
    assert status == 200
    assert body["messages"] == [{"recipient_id": "c1", "text": "svar på sopor"}]
    assert body["turn"]["number"] == 2
    assert _texts(body["turn"]["events"]) == [
        ("user", "sopor"),
        ("action", "utter_greet"),
        ("bot", "svar på sopor"),
        ("action", "action_listen"),
    ]
    assert body["turn"]["events"][1]["policy"] == "RulePolicy"
    assert channel["first"][1]["turn"]["number"] == 1
    assert channel["first"][1]["turn"]["events"][0]["input_channel"] == "kommunsvar"
    assert channel["other"][1]["turn"]["number"] == 1  # another conversation counts its own turns


def test_turns_are_counted_from_the_latest_restart(channel):
    assert channel["restart"][1]["turn"]["number"] == 3
    assert channel["after_restart"][1]["turn"]["number"] == 1
    assert _texts(channel["after_restart"][1]["turn"]["events"])[0] == ("user", "igen")


def test_without_a_handover_the_channel_reads_the_same_turn_from_the_store(channel):
    status, body = channel["plain"]
    assert status == 200
    assert body["turn"]["number"] == 2
    assert _texts(body["turn"]["events"])[:3] == [
        ("user", "parkering"),
        ("action", "utter_greet"),
        ("bot", "svar på parkering"),
    ]
    assert channel["stored_users"] == ["hej", "sopor", "/restart", "igen", "parkering"]
    assert channel["unknown_id"] is None


def test_a_turn_that_failed_or_was_not_saved_is_an_error_never_an_answer(channel):
    assert channel["nosave"][0] == 503 and "messages" not in channel["nosave"][1]
    assert channel["raise"][0] == 503 and "messages" not in channel["raise"][1]
    assert channel["left_waiting"] == 0  # no conversation is left waiting for a handover


def test_bad_requests_are_refused_with_a_reason(channel):
    assert channel["no_sender"][0] == 400 and "sender" in channel["no_sender"][1]["error"]
    assert channel["bad_metadata"][0] == 400 and "metadata" in channel["bad_metadata"][1]["error"]
    assert channel["not_json"][0] == 400


def test_rasas_own_parse_handed_in_is_the_turns_intent(channel):
    # The gateway asks /model/parse while the safety check runs and hands the result to the turn.
    status, body = channel["parsed"]
    assert status == 200
    assert body["turn"]["events"][0]["parse_data"]["intent"] == {"name": "waste", "confidence": 0.8}
    assert channel["first"][1]["turn"]["events"][0]["parse_data"]["intent"]["name"] == "greet"


def test_a_parse_of_another_text_or_without_an_intent_is_refused(channel):
    for key in ("parse_of_other_text", "parse_without_intent"):
        status, body = channel[key]
        assert status == 400 and "parse_data" in body["error"]
