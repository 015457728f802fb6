"""HTTP client for the Rasa server (REST channel + HTTP API) and the action server's health check.

Nothing here imports ``rasa``: Rasa runs in its own Python 3.10 venv and is reached over HTTP only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from bot.errors import UpstreamUnavailable
from bot.rasa_auth import RasaJwt


@dataclass(frozen=True)
class RasaTurn:
    """What Rasa returned for one citizen message."""

    messages: list[dict[str, Any]]
    tracker: dict[str, Any]


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
        self._rasa_url = rasa_url.rstrip("/")
        self._action_url = action_url.rstrip("/")
        self._token = token
        self._jwt = jwt

    def _auth(self) -> tuple[dict[str, str], dict[str, str]]:
        """(query parameters, headers) that authenticate a call to Rasa's HTTP API."""
        if self._jwt is not None:
            return {}, self._jwt.header()
        return {"token": self._token}, {}

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """Send redacted text through the REST channel; returns the bot's messages."""
        try:
            response = await self._client.post(
                f"{self._rasa_url}/webhooks/rest/webhook",
                json={"sender": sender, "message": text, "metadata": metadata},
            )
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable("rasa", type(exc).__name__) from exc
        if response.status_code != 200:
            raise UpstreamUnavailable("rasa", f"webhook answered {response.status_code}")
        messages = response.json()
        if not isinstance(messages, list):
            raise UpstreamUnavailable("rasa", "webhook answered with something other than a list")
        return messages

    async def safety(self, text: str, timeout: float) -> dict[str, Any]:
        """The action server's safety verdict for redacted text (``content.safety``, with the e5 encoder)."""
        try:
            response = await self._client.post(
                f"{self._action_url}/safety", json={"text": text}, timeout=timeout
            )
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable("action_server", type(exc).__name__) from exc
        if response.status_code != 200:
            raise UpstreamUnavailable("action_server", f"safety answered {response.status_code}")
        return dict(response.json())

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker since its last restart (explanation data for the audit record)."""
        try:
            params, headers = self._auth()
            response = await self._client.get(
                f"{self._rasa_url}/conversations/{sender}/tracker",
                params={"include_events": "AFTER_RESTART", **params},
                headers=headers,
            )
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable("rasa", type(exc).__name__) from exc
        if response.status_code != 200:
            raise UpstreamUnavailable("rasa", f"tracker answered {response.status_code}")
        return dict(response.json())

    async def status(self) -> dict[str, Any]:
        """Rasa's ``/status``: the loaded model file and id."""
        try:
            params, headers = self._auth()
            response = await self._client.get(f"{self._rasa_url}/status", params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable("rasa", type(exc).__name__) from exc
        if response.status_code != 200:
            raise UpstreamUnavailable("rasa", f"status answered {response.status_code}")
        return dict(response.json())

    async def rasa_healthy(self) -> bool:
        """True when Rasa answers and has a model loaded."""
        try:
            status = await self.status()
        except UpstreamUnavailable:
            return False
        return bool(status.get("model_file"))

    async def actions_healthy(self) -> bool:
        """True when the action server answers its health check."""
        try:
            response = await self._client.get(f"{self._action_url}/health")
        except httpx.HTTPError:
            return False
        return response.status_code == 200
