"""HTTP client for the Rasa server (our input channel + HTTP API) and the action server's health check.

Nothing here imports ``rasa``: Rasa runs in its own Python 3.10 venv and is reached over HTTP only.

Several instances (the cluster profile): ``rasa_url`` and ``action_url`` may each list several base
URLs, comma-separated. A conversation goes to the Rasa server its pseudonym hashes to, and to the next
one when that server refuses the connection (nothing was delivered, so nothing can be answered twice);
all Rasa servers share one tracker store and one lock store, so any of them can continue a
conversation. The i-th action server is the one the i-th Rasa server calls (the runner starts them in
pairs). A turn's safety check goes to the action server of the conversation's own Rasa server: the
action server keeps the question's e5 vector, and the answer that follows finds it there instead of
embedding the question a second time. With the same fail-over; without a conversation, or when the two
lists differ in length, the safety checks take the action servers in turn.

A turn is one request: our channel (``bot/rasa_channel.py``) answers with the bot's messages and this
turn's events (the explanation for the audit record), so no second request reads the tracker.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

import httpx

from bot.errors import UpstreamUnavailable
from bot.rasa_auth import RasaJwt


@dataclass(frozen=True)
class RasaTurn:
    """What Rasa returned for one citizen message: the bot's messages and this turn's events."""

    messages: list[dict[str, Any]]
    turn: dict[str, Any]  # {"number": turns since the last restart, "events": [the user event, ...]}


class RasaClient:
    """Talks to Rasa's REST webhook and its protected HTTP API (a JWT in a header; a token for tests)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        rasa_url: str,
        action_url: str,
        token: str,
        jwt: RasaJwt | None = None,
    ) -> None:
        self._client = client
        self._rasa_urls = _urls(rasa_url)
        self._action_urls = _urls(action_url)
        self._token = token
        self._jwt = jwt
        self._next_action = itertools.count()

    def _own_index(self, sender: str) -> int:
        """The position of this conversation's own Rasa server (and of its paired action server)."""
        return int(hashlib.sha256(sender.encode()).hexdigest()[:8], 16) % len(self._rasa_urls)

    def _rasa_order(self, sender: str) -> list[str]:
        """The Rasa servers in the order this conversation tries them (its own first)."""
        urls = self._rasa_urls
        if len(urls) == 1:
            return urls
        start = self._own_index(sender)
        return urls[start:] + urls[:start]

    def _auth(self) -> tuple[dict[str, str], dict[str, str]]:
        """(query parameters, headers) that authenticate a call to Rasa's HTTP API."""
        if self._jwt is not None:
            return {}, self._jwt.header()
        return {"token": self._token}, {}

    async def send(
        self, sender: str, text: str, metadata: dict[str, Any], parse_data: dict[str, Any] | None = None
    ) -> RasaTurn:
        """Send redacted text through our channel; returns the bot's messages and the turn's events.

        ``parse_data``: Rasa's own NLU result for exactly ``text`` (:meth:`parse`), so that the turn does
        not run the NLU pipeline a second time.
        """
        body: dict[str, Any] = {"sender": sender, "message": text, "metadata": metadata}
        if parse_data is not None:
            body["parse_data"] = parse_data
        refused: Exception | None = None
        for base in self._rasa_order(sender):
            try:
                response = await self._client.post(f"{base}/webhooks/{CHANNEL}/webhook", json=body)
            except NOT_DELIVERED as exc:
                refused = exc  # this server is down; the message never reached it: try the next one
                continue
            except httpx.HTTPError as exc:
                raise UpstreamUnavailable("rasa", type(exc).__name__) from exc
            if response.status_code != 200:
                raise UpstreamUnavailable("rasa", f"webhook answered {response.status_code}")
            return _turn(response.json())
        raise UpstreamUnavailable("rasa", type(refused).__name__)

    async def parse(self, sender: str, text: str, timeout: float) -> dict[str, Any]:
        """Rasa's NLU result for redacted text (``POST /model/parse``) from the conversation's own server.

        The gateway asks for it while the action server runs the safety check, so that the two run side
        by side; the turn then hands it to our channel instead of parsing again.
        """
        base = self._rasa_order(sender)[0]
        params, headers = self._auth()
        try:
            response = await self._client.post(
                f"{base}/model/parse", params=params, headers=headers, json={"text": text}, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable("rasa", type(exc).__name__) from exc
        if response.status_code != 200:
            raise UpstreamUnavailable("rasa", f"parse answered {response.status_code}")
        return dict(response.json())

    async def safety(self, text: str, timeout: float, sender: str | None = None) -> dict[str, Any]:
        """The action server's safety verdict for redacted text (``content.safety``, with the e5 encoder).

        With ``sender``, the action server paired with the conversation's own Rasa server is asked first.
        """
        if sender is not None and len(self._action_urls) == len(self._rasa_urls):
            start = self._own_index(sender)
        else:
            start = next(self._next_action) % len(self._action_urls)
        order = self._action_urls[start:] + self._action_urls[:start]
        refused: Exception | None = None
        for base in order:
            try:
                response = await self._client.post(f"{base}/safety", json={"text": text}, timeout=timeout)
            except NOT_DELIVERED as exc:
                refused = exc
                continue
            except httpx.HTTPError as exc:
                raise UpstreamUnavailable("action_server", type(exc).__name__) from exc
            if response.status_code != 200:
                raise UpstreamUnavailable("action_server", f"safety answered {response.status_code}")
            return dict(response.json())
        raise UpstreamUnavailable("action_server", type(refused).__name__)

    async def status(self) -> dict[str, Any]:
        """Rasa's ``/status`` (the loaded model file and id) from the first server that answers."""
        failure: UpstreamUnavailable | None = None
        for base in self._rasa_urls:
            try:
                return await self._status(base)
            except UpstreamUnavailable as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def _status(self, base: str) -> dict[str, Any]:
        try:
            params, headers = self._auth()
            response = await self._client.get(f"{base}/status", params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable("rasa", type(exc).__name__) from exc
        if response.status_code != 200:
            raise UpstreamUnavailable("rasa", f"status answered {response.status_code}")
        return dict(response.json())

    async def rasa_parts(self) -> dict[str, bool]:
        """Each Rasa server's health (answers, with a model loaded): ``rasa``, or ``rasa-1``, ``rasa-2``."""
        states = {}
        for name, base in _named("rasa", self._rasa_urls):
            try:
                states[name] = bool((await self._status(base)).get("model_file"))
            except UpstreamUnavailable:
                states[name] = False
        return states

    async def action_parts(self) -> dict[str, bool]:
        """Each action server's health: ``action_server``, or ``action_server-1``, ``action_server-2``."""
        states = {}
        for name, base in _named("action_server", self._action_urls):
            try:
                response = await self._client.get(f"{base}/health")
                states[name] = response.status_code == 200
            except httpx.HTTPError:
                states[name] = False
        return states


# Failures that mean the request never reached the server, so trying another cannot answer twice.
NOT_DELIVERED = (httpx.ConnectError, httpx.ConnectTimeout)
CHANNEL = "kommunsvar"  # bot/rasa_channel.py: TurnInput.name()


def _turn(body: Any) -> RasaTurn:
    """The channel's reply, checked: an answer whose explanation is missing is no answer."""
    if not isinstance(body, dict):
        raise UpstreamUnavailable("rasa", "webhook answered with something other than an object")
    messages, turn = body.get("messages"), body.get("turn")
    if not isinstance(messages, list) or not isinstance(turn, dict):
        raise UpstreamUnavailable("rasa", "webhook answered without messages or the turn's events")
    if not isinstance(turn.get("number"), int) or not isinstance(turn.get("events"), list):
        raise UpstreamUnavailable("rasa", "webhook answered with a malformed turn")
    return RasaTurn(messages=messages, turn=turn)


def _urls(value: str) -> list[str]:
    urls = [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
    if not urls:
        raise ValueError("no URL given")
    return urls


def _named(kind: str, urls: list[str]) -> list[tuple[str, str]]:
    if len(urls) == 1:
        return [(kind, urls[0])]
    return [(f"{kind}-{number}", url) for number, url in enumerate(urls, 1)]
