"""Fixtures for case handling: the real gateway app with a case store, users, a fake Rasa and a clock.

Services are set on ``app.state`` directly (no lifespan): the real redactor and SQLite stores in a temp
folder, Rasa faked with ``httpx.MockTransport`` (``FakeRasa`` of ``tests/bot/conftest.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from audit.log import AuditLog, open_audit_log
from audit.settings import AuditSettings
from bot.auth.settings import AuthSettings
from bot.auth.store import AuthStore, open_auth_store
from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.services.chat import ChatService
from bot.services.model_info import ModelInfo
from bot.services.store_health import StoreHealth
from bot.settings import PROJECT_ROOT, Settings
from cases.service import CaseService
from cases.settings import CasesSettings
from cases.store import CaseStore
from content.calendar import OpeningHours
from content.knowledge import KnowledgeBase
from content.policy import AnswerPolicy
from content.safety import SafetyClassifier, SafetyRules
from guardrails.normalise import normalise_input
from tests.bot.conftest import FakeRasa

PASSWORD = "Ärenden-Hanteras-2026!"
USERS = {"admin": "anna", "staff": "sven", "staff2": "stina", "auditor": "greta"}
INTERNAL_TOKEN = "internal-test-token-0123456789"


class Clock:
    """A settable clock for deadlines and retention (UTC)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday

    def __call__(self) -> datetime:
        return self.now


class FakeMailer:
    """Records e-mails instead of sending them; can be told to fail."""

    configured = True

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail = False

    def send(self, to: str, subject: str, body: str) -> None:
        if self.fail:
            raise ConnectionRefusedError("smtp down")
        self.sent.append((to, subject, body))


@dataclass
class CaseEnv:
    """Everything a case test needs."""

    app: Any
    audit_log: AuditLog
    auth: AuthStore
    store: CaseStore
    service: CaseService
    clock: Clock
    tmp: Path
    clients: list[TestClient] = field(default_factory=list)

    def client(self) -> TestClient:
        """A browser-like client on loopback."""
        client = TestClient(
            self.app, base_url="http://127.0.0.1", raise_server_exceptions=False, client=("127.0.0.1", 50123)
        )
        self.clients.append(client)
        return client

    def internal_client(self, host: str = "127.0.0.1") -> TestClient:
        """A client of the internal listener's app (the public app does not serve /internal)."""
        client = TestClient(
            self.app.state.internal_app,
            base_url="http://127.0.0.1",
            raise_server_exceptions=False,
            client=(host, 50124),
        )
        self.clients.append(client)
        return client

    def close(self) -> None:
        """Close the clients and the stores."""
        for client in self.clients:
            client.close()
        self.store.close()
        self.auth.close()
        self.audit_log.close()

    def chat(self, client: TestClient, text: str, conversation_id: str | None = None) -> dict[str, Any]:
        """One chat turn; returns the JSON body."""
        response = client.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
        assert response.status_code == 200, response.text
        body = dict(response.json())
        TOKENS[body["audit_id"]] = body["contest_token"]
        return body


# The contest token each chat reply gave, by Svar-ID: tests that contest an answer send the token of the
# reply that gave it (``with_token``), as the chat page does.
TOKENS: dict[str, str] = {}


def with_token(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the contest token of its answer (unless the test sets one itself)."""
    if "contest_token" in body or "audit_id" not in body:
        return body
    return {**body, "contest_token": TOKENS.get(str(body["audit_id"]), "")}


def csrf_token(html: str) -> str:
    """The session's CSRF token from a page with a form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str) -> None:
    """Log in through the form like a browser."""
    page = client.get("/admin/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text)
    assert token, "login form has no token"
    data = {"username": username, "password": PASSWORD, "login_token": token.group(1)}
    response = client.post("/admin/login", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text


@pytest.fixture(scope="session")
def redactor() -> Any:
    """The real redactor (built once; it loads Presidio and the recognizers)."""
    from guardrails.redactor import Redactor

    return Redactor.create()


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    """The approved content from data/."""
    return KnowledgeBase.load(PROJECT_ROOT / "data")


@pytest.fixture()
def fake_rasa(knowledge: KnowledgeBase) -> FakeRasa:
    """A fresh fake Rasa per test (the gateway tests' ``FakeRasa``)."""
    return FakeRasa(knowledge)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 with tiny parameters so that logins are fast in tests."""
    from argon2 import PasswordHasher

    from bot.auth import passwords

    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.use_hasher(PasswordHasher())


def build_case_env(tmp_path: Path, redactor: Any, knowledge: KnowledgeBase, rasa_handler: Any) -> CaseEnv:
    """The gateway app with every service set directly (used by the API and the browser tests)."""
    db_url = f"sqlite:///{tmp_path / 'audit.db'}"
    audit_settings = AuditSettings(
        database_url=db_url,
        key_path=tmp_path / "keys" / "audit_ed25519.pem",
        content_key_path=tmp_path / "keys" / "audit_content.key",
    )
    audit_log = open_audit_log(db_url, settings=audit_settings)
    auth = open_auth_store(db_url, AuthSettings())
    auth.development = True
    for key, name in USERS.items():
        auth.create_user(name, PASSWORD, "staff" if key == "staff2" else key)  # type: ignore[arg-type]
    settings = Settings(
        var_dir=tmp_path, audit_database_url=db_url, rasa_token="test-token", internal_token=INTERNAL_TOKEN
    )
    app = create_app(settings)
    rasa = RasaClient(
        httpx.AsyncClient(transport=httpx.MockTransport(rasa_handler)),
        "http://rasa.test",
        "http://actions.test",
        "test-token",
    )
    chat = ChatService(
        redactor=redactor,
        audit_log=audit_log,
        rasa=rasa,
        knowledge=knowledge,
        policy=AnswerPolicy.load(PROJECT_ROOT / "data"),
        safety=SafetyClassifier(SafetyRules.load(PROJECT_ROOT / "data")),
        model_info=ModelInfo(PROJECT_ROOT, "test"),
        pseudonym_key=b"k" * 32,
        max_chars=2000,
    )
    case_settings = CasesSettings(var_dir=tmp_path)
    clock = Clock()
    store = CaseStore.open(
        f"sqlite:///{tmp_path / 'cases.db'}", key_path=tmp_path / "keys" / "case.key", clock=clock
    )
    service = CaseService(
        store=store,
        audit_log=audit_log,
        redactor=redactor,
        normalise=normalise_input,
        knowledge=knowledge,
        settings=case_settings,
        opening_hours=OpeningHours.load(PROJECT_ROOT / "data"),
        mailer=FakeMailer(),
        pseudonym=chat.pseudonym,
        contest_token=chat.contest_token,
        clock=clock,
    )
    app.state.audit_log = audit_log
    app.state.store_health = StoreHealth(audit_log.engine)  # as the lifespan builds it (embedded: no Redis)
    app.state.auth = auth
    app.state.rasa = rasa
    app.state.chat_service = chat
    app.state.case_service = service
    from bot.services.pilot import PilotGate
    from cases.pilot import PilotDesk

    app.state.pilot_desk = PilotDesk(store.engine)  # real time: the wait for approval is measured
    chat.pilot = PilotGate(app.state.pilot_desk, chat.policy.notices, cache_seconds=0)
    return CaseEnv(
        app=app, audit_log=audit_log, auth=auth, store=store, service=service, clock=clock, tmp=tmp_path
    )


@pytest.fixture()
def case_env(tmp_path: Path, redactor: Any, knowledge: KnowledgeBase, fake_rasa: Any) -> Iterator[CaseEnv]:
    """A gateway with an empty audit log, case store and one user per role."""
    env = build_case_env(tmp_path, redactor, knowledge, fake_rasa.handler)
    yield env
    env.close()


@pytest.fixture()
def staff_client(case_env: CaseEnv) -> Callable[[str], TestClient]:
    """A client logged in as the given user key of ``USERS``."""

    def _make(user: str = "staff") -> TestClient:
        client = case_env.client()
        login(client, USERS[user])
        return client

    return _make


@pytest.fixture()
def new_case(case_env: CaseEnv) -> Callable[..., str]:
    """Contest a fresh answer through the API; returns the case number."""

    def _make(contact: dict[str, str] | None = None, message: str = "Svaret stämmer inte.") -> str:
        client = case_env.client()
        answer = case_env.chat(client, "När hämtas soporna?")
        body: dict[str, Any] = {"audit_id": answer["audit_id"], "message": message}
        if contact:
            body["contact"] = contact
        response = client.post("/api/cases", json=with_token(body))
        assert response.status_code == 201, response.text
        return str(response.json()["case_id"])

    return _make
