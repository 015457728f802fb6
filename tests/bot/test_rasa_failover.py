"""Several Rasa and action servers (cluster profile): a conversation's own server, fail-over when refused."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from bot.errors import UpstreamUnavailable
from bot.rasa_client import RasaClient

A, B = "http://rasa-a:5005", "http://rasa-b:5005"


class Servers:
    """Two fake Rasa servers and two action servers, by host; each can refuse connections or drop replies."""

    def __init__(self) -> None:
        self.refusing: set[str] = set()
        self.dropping: set[str] = set()  # takes the request, then the connection breaks (delivered!)
        self.webhook_calls: list[str] = []
        self.safety_calls: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.refusing:
            raise httpx.ConnectError("refused", request=request)
        path = request.url.path
        if path == "/webhooks/kommunsvar/webhook":
            self.webhook_calls.append(host)
            if host in self.dropping:
                raise httpx.ReadError("connection reset", request=request)
            turn = {"number": 1, "events": [{"event": "bot", "text": f"from {host}"}]}
            return httpx.Response(200, json={"messages": [{"text": f"from {host}"}], "turn": turn})
        if path == "/status":
            return httpx.Response(200, json={"model_file": "m.tar.gz"})
        if path == "/safety":
            self.safety_calls.append(host)
            return httpx.Response(200, json={"urgent": None})
        if path == "/health":
            return httpx.Response(200)
        return httpx.Response(404)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


@pytest.fixture()
def servers() -> Servers:
    return Servers()


def client_for(servers: Servers) -> tuple[RasaClient, httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(servers.handler))
    return RasaClient(http, f"{A},{B}", "http://act-a:5055, http://act-b:5055", token="t"), http


def senders_of(client: RasaClient) -> dict[str, str]:
    """One conversation whose own server is A and one whose own server is B."""
    found: dict[str, str] = {}
    for n in range(100):
        found.setdefault(client._rasa_order(f"c_{n}")[0], f"c_{n}")
    return found


def test_a_conversation_stays_on_its_server(servers):
    async def scenario() -> None:
        client, http = client_for(servers)
        own = senders_of(client)
        assert set(own) == {A, B}  # conversations are spread over both
        for _ in range(3):
            await client.send(own[A], "hej", {})
        assert servers.webhook_calls == ["rasa-a"] * 3
        await http.aclose()

    run(scenario())


def test_a_refused_connection_moves_the_turn_to_the_other_server(servers):
    async def scenario() -> None:
        client, http = client_for(servers)
        own = senders_of(client)
        servers.refusing.add("rasa-a")
        turn = await client.send(own[A], "hej", {})
        assert turn.messages == [{"text": "from rasa-b"}]
        assert turn.turn["events"] == [{"event": "bot", "text": "from rasa-b"}]
        parts = await client.rasa_parts()
        assert parts == {"rasa-1": False, "rasa-2": True}
        servers.refusing.add("rasa-b")
        with pytest.raises(UpstreamUnavailable):
            await client.send(own[A], "hej", {})
        await http.aclose()

    run(scenario())


def test_a_delivered_message_is_never_sent_twice(servers):
    async def scenario() -> None:
        client, http = client_for(servers)
        own = senders_of(client)
        servers.dropping.add("rasa-a")
        with pytest.raises(UpstreamUnavailable):
            await client.send(own[A], "hej", {})
        assert servers.webhook_calls == ["rasa-a"]  # not retried on B: A may have answered it
        await http.aclose()

    run(scenario())


def test_safety_checks_take_turns_and_skip_a_refusing_action_server(servers):
    async def scenario() -> None:
        client, http = client_for(servers)
        for _ in range(4):
            await client.safety("text", timeout=1)
        assert sorted(servers.safety_calls) == ["act-a", "act-a", "act-b", "act-b"]
        servers.safety_calls.clear()
        servers.refusing.add("act-a")
        for _ in range(3):
            await client.safety("text", timeout=1)
        assert servers.safety_calls == ["act-b"] * 3
        assert await client.action_parts() == {"action_server-1": False, "action_server-2": True}
        await http.aclose()

    run(scenario())


def test_a_conversations_safety_check_goes_to_the_action_server_its_rasa_server_calls(servers):
    """The paired action server keeps the question's vector for the answer that follows (no second
    embedding); when it refuses, the other one answers."""

    async def scenario() -> None:
        client, http = client_for(servers)
        own = senders_of(client)
        for sender in (own[A], own[A], own[A], own[B], own[B]):
            await client.safety("text", timeout=1, sender=sender)
        assert servers.safety_calls == ["act-a"] * 3 + ["act-b"] * 2
        servers.safety_calls.clear()
        servers.refusing.add("act-a")
        await client.safety("text", timeout=1, sender=own[A])
        assert servers.safety_calls == ["act-b"]
        await http.aclose()

    run(scenario())


@pytest.mark.parametrize(
    "body",
    [
        [{"text": "Hej"}],  # Rasa's REST channel: messages without the turn's events
        {"messages": [{"text": "Hej"}]},
        {"messages": [{"text": "Hej"}], "turn": {"number": "1", "events": []}},
        {"messages": [{"text": "Hej"}], "turn": {"number": 1, "events": None}},
    ],
)
def test_a_reply_without_the_turns_events_is_no_answer(body):
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = RasaClient(http, A, "http://act-a:5055", token="t")
            with pytest.raises(UpstreamUnavailable):
                await client.send("c_1", "hej", {})

    run(scenario())
