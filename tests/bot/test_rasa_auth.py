"""The gateway's JWT for Rasa's HTTP API: RS256, admin role, renewed before it expires, never in a URL."""

from __future__ import annotations

import asyncio
import base64
import json

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from bot.rasa_auth import LIFETIME_SECONDS, RasaJwt, new_key_pair
from bot.rasa_client import RasaClient


def _part(segment: str) -> dict[str, object]:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def test_the_token_verifies_with_the_public_key_and_has_rasas_admin_role() -> None:
    private, public = new_key_pair()
    now = [1_800_000_000.0]
    token = RasaJwt(private, clock=lambda: now[0]).header()["Authorization"].removeprefix("Bearer ")
    head, body, signature = token.split(".")
    key = serialization.load_pem_public_key(public.encode())
    key.verify(  # raises if the signature is wrong
        base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
        f"{head}.{body}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    assert _part(head) == {"alg": "RS256", "typ": "JWT"}
    payload = _part(body)
    assert payload["user"] == {"username": "kommunsvar-gateway", "role": "admin"}
    assert payload["exp"] == int(now[0]) + LIFETIME_SECONDS


def test_the_token_is_kept_and_renewed_before_it_expires() -> None:
    private, _ = new_key_pair()
    now = [1_800_000_000.0]
    jwt = RasaJwt(private, clock=lambda: now[0])
    first = jwt.header()
    now[0] += 60
    assert jwt.header() == first
    now[0] += LIFETIME_SECONDS - 90  # within the last minute: a new one
    assert jwt.header() != first


def test_the_client_sends_the_jwt_in_a_header_and_no_token_in_the_url() -> None:
    private, _ = new_key_pair()
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"model_file": "m.tar.gz"})

    async def calls() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
            client = RasaClient(http, "http://rasa.test", "http://actions.test", "", RasaJwt(private))
            await client.status()
            assert await client.rasa_parts() == {"rasa": True}

    asyncio.run(calls())
    assert len(seen) == 2
    for request in seen:
        assert request.headers["authorization"].startswith("Bearer ey")
        assert "token" not in request.url.params
