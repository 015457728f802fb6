"""The one error table (``bot.api.errors.ERRORS``): what it covers, how each kind answers, and that it
is the only place where errors become responses."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from audit.errors import AuditStoreUnavailable
from bot import errors as bot_errors
from bot.api.errors import ERRORS, entry_for, handle_error, install_error_handlers, response_for
from bot.auth.errors import CsrfFailed, Forbidden, NotAuthenticated
from bot.errors import InvalidRequest, MessageTooLong, UpstreamUnavailable
from bot.main import create_app

ROOT = Path(__file__).resolve().parents[2]
GATEWAY_ERRORS = [
    cls
    for _, cls in inspect.getmembers(bot_errors, inspect.isclass)
    if issubclass(cls, bot_errors.GatewayError)
]


@pytest.mark.parametrize("cls", GATEWAY_ERRORS, ids=lambda c: c.__name__)
def test_every_gateway_error_has_its_own_entry(cls: type[Exception]) -> None:
    assert cls in ERRORS
    assert not hasattr(cls, "status_code") and not hasattr(cls, "message_sv")  # the table holds them


def test_messages_are_filled_from_the_error() -> None:
    assert response_for(MessageTooLong(2000)) == (
        413,
        "message_too_long",
        "Meddelandet är för långt. Skriv högst 2000 tecken.",
    )
    assert response_for(InvalidRequest(["language", "text"])) == (
        422,
        "invalid_request",
        "Fel i förfrågan: language, text",
    )
    assert response_for(UpstreamUnavailable("rasa", "timeout"))[0] == 503  # type: ignore[index]


def test_the_most_specific_entry_wins_and_unknown_errors_are_unexpected() -> None:
    class Unknown(Exception):
        pass

    assert entry_for(MessageTooLong(1))[0] is MessageTooLong
    assert entry_for(Unknown())[0] is Exception
    assert response_for(Unknown()) is None


def test_the_app_answers_every_entry_with_the_one_handler() -> None:
    app = create_app()
    assert set(ERRORS) <= set(app.exception_handlers)
    assert all(app.exception_handlers[cls] is handle_error for cls in ERRORS)


def _probe_app() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    raised = {
        "store": AuditStoreUnavailable("audit store failed to count records: OperationalError"),
        "login": NotAuthenticated("no session"),
        "role": Forbidden("role staff"),
        "csrf": CsrfFailed("no token"),
        "upstream": UpstreamUnavailable("rasa", "timeout"),
    }

    @app.get("/admin/{what}")
    @app.get("/api/{what}")
    async def fail(what: str) -> None:
        raise raised[what]

    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


HTML = {"accept": "text/html"}
JSON = {"accept": "application/json"}


@pytest.mark.parametrize(
    ("path", "headers", "status", "expect"),
    [
        ("/admin/store", HTML, 503, "Svarsloggen går inte att nå just nu"),  # console page
        ("/admin/store", JSON, 503, '"service_unavailable"'),
        ("/api/store", HTML, 503, '"service_unavailable"'),  # /api/ is always JSON
        ("/admin/login", HTML, 303, ""),  # to the login page
        ("/admin/login", JSON, 401, '"not_authenticated"'),
        ("/admin/role", HTML, 403, "Du har inte behörighet till den här sidan"),
        ("/admin/role", JSON, 403, '"forbidden"'),
        ("/admin/csrf", HTML, 403, "Formuläret kunde inte skickas"),
        ("/admin/csrf", JSON, 403, '"csrf_failed"'),
        ("/admin/upstream", HTML, 503, '"service_unavailable"'),  # json kind: JSON for browsers too
    ],
)
def test_each_kind_of_response(path: str, headers: dict[str, str], status: int, expect: str) -> None:
    response = _probe_app().get(path, headers=headers, follow_redirects=False)
    assert response.status_code == status
    assert expect in response.text
    if status == 303:
        assert response.headers["location"].startswith("/admin/login?next=")
    if expect.startswith('"'):
        assert set(response.json()) == {"error"} and set(response.json()["error"]) == {"code", "message"}
    assert "OperationalError" not in response.text and "Traceback" not in response.text


def test_errors_become_responses_only_in_bot_api_errors() -> None:
    """No other handler, route class or hand-built error body anywhere in the gateway.

    The health check is the exception: its 503 is a report (every part, the failing ones named) that
    carries an error block, not an error turned into a response. ``bot/api/openapi.py`` only describes
    the error shape for the API document.
    """
    allowed = {
        ROOT / "bot" / "api" / "errors.py",
        ROOT / "bot" / "api" / "routes" / "health.py",
        ROOT / "bot" / "api" / "openapi.py",  # describes the error shape in the API document, builds none
    }
    pattern = re.compile(r"exception_handler|route_class|get_route_handler|[\"']error[\"']\s*:\s*\{")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        if path not in allowed
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert not offenders
