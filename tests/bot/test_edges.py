"""The citizen API's edges: abuse limits (429, Retry-After), JSON only (415), size before reading (413)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.requests import Request

from bot.api.body import read_json
from bot.api.routes.chat import ChatRequest
from bot.errors import BodyTooLarge, RateLimited
from bot.services.rate_limit import RateLimits
from bot.settings import Settings


def _request(headers: dict[str, str], chunks: list[bytes], read: list[int]) -> Request:
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        read.append(1)
        return messages.pop(0) if messages else {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/chat",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    return Request(scope, receive)


def test_a_declared_oversized_body_is_refused_before_a_byte_is_read() -> None:
    read: list[int] = []
    request = _request({"content-type": "application/json", "content-length": str(10**9)}, [b"{}"], read)
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_json(request, ChatRequest))
    assert read == []


def test_a_stream_longer_than_the_limit_is_cut_whatever_the_header_says() -> None:
    read: list[int] = []
    chunks = [b'{"text": "' + b"a" * 1000] * 100  # 100 kB, no Content-Length
    request = _request({"content-type": "application/json"}, chunks, read)
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_json(request, ChatRequest, max_bytes=64 * 1024))
    assert len(read) < len(chunks)  # stopped reading at the limit


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
)
def test_the_chat_refuses_other_content_types(make_client, content_type: str) -> None:
    """Another site's form or text/plain post (no CORS preflight) cannot speak in a visitor's name."""
    client, _ = make_client()
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/chat", content=b'{"text": "Hej"}', headers=headers)
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_json_with_a_charset_is_accepted(make_client) -> None:
    client, _ = make_client()
    response = client.post(
        "/api/chat",
        content='{"text": "När hämtas soporna?"}'.encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200


def test_a_burst_from_one_address_meets_429_with_retry_after(make_client) -> None:
    client, _ = make_client()
    statuses = []
    conversation = None
    for i in range(150):  # a script: 150 turns as fast as it can, over a few conversations
        if i % 15 == 0:
            conversation = None
        response = client.post(
            "/api/chat", json={"conversation_id": conversation, "text": "När hämtas soporna?"}
        )
        statuses.append(response.status_code)
        if response.status_code == 200:
            conversation = response.json()["conversation_id"]
        else:
            assert response.status_code == 429
            assert int(response.headers["retry-after"]) >= 1
            error = response.json()["error"]
            assert error["code"] == "rate_limited" and "Vänta" in error["message"]
    assert statuses.count(200) == 60 and statuses.count(429) == 90  # 60 per minute per address


def test_a_citizen_typing_normally_is_never_limited(make_client) -> None:
    client, _ = make_client()
    conversation = None
    for _ in range(15):  # a long conversation; a person types a message every few seconds at most
        response = client.post(
            "/api/chat", json={"conversation_id": conversation, "text": "När hämtas soporna?"}
        )
        assert response.status_code == 200
        conversation = response.json()["conversation_id"]


def test_one_conversation_is_limited_on_its_own() -> None:
    limits = RateLimits(Settings(rate_limit_chat_per_conversation="3 per minute"))
    for _ in range(3):
        limits.chat_turn("198.51.100.7", "conversation-1")
    with pytest.raises(RateLimited) as caught:
        limits.chat_turn("198.51.100.8", "conversation-1")  # another address, the same conversation
    assert caught.value.scope == "chat_conversation" and 1 <= caught.value.retry_after <= 60
    limits.chat_turn("198.51.100.7", "conversation-2")  # another conversation goes on


def test_new_conversations_contests_and_logins_have_their_own_limits() -> None:
    limits = RateLimits(
        Settings(
            rate_limit_new_conversations_per_address="2 per minute",
            rate_limit_cases_per_address="2 per hour",
            rate_limit_logins_per_address="2 per minute",
        )
    )
    for check in (
        lambda: limits.chat_turn("192.0.2.1", None),
        lambda: limits.case("192.0.2.1"),
        lambda: limits.login("192.0.2.1"),
    ):
        check()
        check()
        with pytest.raises(RateLimited):
            check()
    limits.case("192.0.2.2")  # per address: another address is not affected


def test_limits_can_be_switched_off_for_load_tests() -> None:
    limits = RateLimits(Settings(rate_limit_enabled=False, rate_limit_chat_per_address="1 per minute"))
    for _ in range(10):
        limits.chat_turn("192.0.2.1", "c")


def test_limits_in_redis_are_shared_between_gateway_workers() -> None:
    import secrets

    from tests.audit.required_services import redis_problem, require_service

    require_service(redis_problem())
    settings = Settings(
        rate_limit_storage_url="redis://127.0.0.1:6379", rate_limit_logins_per_address="2 per minute"
    )
    worker_a, worker_b = RateLimits(settings), RateLimits(settings)
    address = f"203.0.113.{secrets.randbelow(250) + 1}"
    worker_a.login(address)
    worker_b.login(address)
    with pytest.raises(RateLimited):
        worker_a.login(address)
    import redis

    stored = b" ".join(redis.Redis(host="127.0.0.1", port=6379).keys("*"))
    assert address.encode() not in stored  # addresses are kept hashed


SECRETS = {"rasa_token": "r" * 24, "pseudonym_key": "p" * 24, "internal_token": "i" * 24}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/static/chat.js"),
        ("GET", "/api/health"),
        ("POST", "/api/chat"),
        ("GET", "/no-such-page"),
        ("GET", "/widget"),
        ("GET", "/widget.js"),
        ("GET", "/demo"),
    ],
)
def test_every_response_carries_the_security_headers(make_client, method: str, path: str) -> None:
    client, _ = make_client()
    kwargs = {"json": {"text": "När hämtas soporna?"}} if method == "POST" else {}
    response = client.request(method, path, **kwargs)
    assert response.status_code < 500
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    if path in ("/", "/widget") or path.startswith("/static/"):
        assert "frame-ancestors 'self'" in csp  # the municipality's own pages may embed the chat
        assert "x-frame-options" not in headers
    else:
        assert "frame-ancestors 'none'" in csp and headers["x-frame-options"] == "DENY"
    if path.startswith("/api/"):
        assert headers["cache-control"] == "no-store"


def test_the_embedding_site_is_configurable(tmp_path) -> None:
    from fastapi.testclient import TestClient

    from bot.main import create_app

    settings = Settings(
        var_dir=tmp_path, frame_ancestors="'self' https://www.exempelstad.se", internal_port=0
    )
    with TestClient(create_app(settings)) as client:
        csp = client.get("/").headers["content-security-policy"]
    assert "frame-ancestors 'self' https://www.exempelstad.se" in csp


def test_hsts_is_sent_over_tls(make_client) -> None:
    client, _ = make_client()
    response = client.get("https://testserver/api/health")
    assert response.headers["strict-transport-security"].startswith("max-age=")
    assert "strict-transport-security" not in client.get("/api/health").headers


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json"])
def test_api_docs_are_closed_in_production_and_open_in_development(tmp_path, path: str) -> None:
    from fastapi.testclient import TestClient

    from bot.main import create_app

    production = create_app(Settings(var_dir=tmp_path, environment="production", **SECRETS))
    development = create_app(Settings(var_dir=tmp_path))
    assert TestClient(production).get(path).status_code == 404
    assert TestClient(development).get(path).status_code == 200


def test_conversation_ids_are_issued_and_signed_by_the_gateway(make_client) -> None:
    client, _ = make_client()
    first = client.post("/api/chat", json={"text": "När hämtas soporna?"}).json()
    issued = first["conversation_id"]
    assert len(issued) == 40
    again = client.post("/api/chat", json={"conversation_id": issued, "text": "Och i jul?"})
    assert again.status_code == 200 and again.json()["conversation_id"] == issued
    forged = [
        "a" * 40,  # the right shape, no valid signature
        issued[:24] + ("0" * 16 if issued[24:] != "0" * 16 else "1" * 16),  # someone's id, signature changed
        "my-own-conversation-id",  # an id a client picked itself
    ]
    for conversation_id in forged:
        response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": "hej"})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "invalid_conversation_id"


def test_an_id_signed_with_another_key_is_refused(make_client) -> None:
    client, _ = make_client()
    service = client.app.state.chat_service
    other_key = service._key
    service._key = b"o" * 32
    foreign = service.new_conversation_id()
    service._key = other_key
    assert not service.issued_here(foreign)
    assert service.issued_here(service.new_conversation_id())


def test_cookies_without_secure_are_refused_in_production(monkeypatch) -> None:
    from pydantic import ValidationError

    from bot.auth.settings import AuthSettings

    monkeypatch.setenv("KOMMUNSVAR_ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="COOKIE_SECURE=never"):
        AuthSettings(cookie_secure="never")
    assert AuthSettings(cookie_secure="always").cookie_secure == "always"
    monkeypatch.setenv("KOMMUNSVAR_ENVIRONMENT", "development")
    assert AuthSettings(cookie_secure="never").cookie_secure == "never"  # plain HTTP on a test machine


def test_the_internal_api_is_not_on_the_public_app(make_client) -> None:
    client, _ = make_client()
    for path in ("/internal/cases", "/internal/privacy/forget", "/internal/privacy/retention"):
        response = client.post(path, json={}, headers={"Authorization": "Bearer anything"})
        assert response.status_code == 404, path


def test_the_internal_listener_serves_on_loopback_and_stops() -> None:
    import httpx
    from fastapi import FastAPI

    from bot.internal_server import InternalServer
    from bot.runner import free_port

    app = FastAPI()

    @app.get("/internal/ping")
    def ping() -> dict[str, str]:
        return {"ok": "yes"}

    port = free_port()

    async def scenario() -> None:
        server = InternalServer(app, port)
        await server.start()
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{port}/internal/ping")
            assert response.json() == {"ok": "yes"}
        await server.stop()
        async with httpx.AsyncClient() as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(f"http://127.0.0.1:{port}/internal/ping")

    asyncio.run(scenario())
