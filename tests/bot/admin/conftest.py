"""Fixtures for the admin console: a gateway app on a temp SQLite database, users, and a login helper.

The app comes from the real ``create_app`` (routers, error pages); its services are set on
``app.state`` directly, so no redactor or Rasa is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from audit.log import AuditLog, open_audit_log
from audit.settings import AuditSettings
from bot.admin.service import AdminConsole, load_topic_labels
from bot.auth.settings import AuthSettings
from bot.auth.store import AuthStore, open_auth_store
from bot.main import create_app
from bot.settings import PROJECT_ROOT, Settings

PASSWORD = "Granska-Loggen-2026!"
USERS = {"admin": "anna", "auditor": "greta", "staff": "sven"}


class Clock:
    """A settable clock for lockout and session expiry."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class AdminEnv:
    """Everything a console test needs."""

    app: Any
    audit_log: AuditLog
    store: AuthStore
    clock: Clock
    db_url: str
    tmp: Path
    clients: list[TestClient] = field(default_factory=list)

    def client(self) -> TestClient:
        """A fresh browser-like client on loopback (cookies are not Secure there in development)."""
        client = TestClient(self.app, base_url="http://127.0.0.1", raise_server_exceptions=False)
        self.clients.append(client)
        return client


def login_token(html: str) -> str:
    """The hidden login form token."""
    match = re.search(r'name="login_token" value="([^"]+)"', html)
    assert match, "login form has no token"
    return match.group(1)


def csrf_token(html: str) -> str:
    """The session's CSRF token from any page with a form."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD, next_url: str = "") -> Any:
    """Log in through the form like a browser; returns the POST response (not followed)."""
    page = client.get("/admin/login")
    data = {"username": username, "password": password, "login_token": login_token(page.text)}
    if next_url:
        data["next"] = next_url
    return client.post("/admin/login", data=data, follow_redirects=False)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 with tiny parameters: the real cost (~0.5 s a hash here) would make the tests crawl."""
    from argon2 import PasswordHasher

    from bot.auth import passwords

    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.use_hasher(PasswordHasher())


@contextmanager
def build_env(db_url: str, tmp_path: Path) -> Iterator[AdminEnv]:
    """A gateway app on ``db_url`` with an empty audit log and one user per role."""
    audit_settings = AuditSettings(
        database_url=db_url,
        key_path=tmp_path / "keys" / "audit_ed25519.pem",
        content_key_path=tmp_path / "keys" / "audit_content.key",
        checkpoint_every=5,
    )
    audit_log = open_audit_log(db_url, settings=audit_settings)
    clock = Clock()
    store = open_auth_store(db_url, AuthSettings())
    store.clock = clock
    store.development = True
    for role, name in USERS.items():
        store.create_user(name, PASSWORD, role)  # type: ignore[arg-type]
    settings = Settings(var_dir=tmp_path, audit_database_url=db_url)
    app = create_app(settings)
    app.state.audit_log = audit_log
    app.state.auth = store
    app.state.admin = AdminConsole(audit_log, load_topic_labels(PROJECT_ROOT / "data"))
    env = AdminEnv(app=app, audit_log=audit_log, store=store, clock=clock, db_url=db_url, tmp=tmp_path)
    try:
        yield env
    finally:
        for client in env.clients:
            client.close()
        store.close()
        audit_log.close()


@pytest.fixture()
def admin_env(tmp_path: Path) -> Iterator[AdminEnv]:
    """The console on a temp SQLite database."""
    with build_env(f"sqlite:///{tmp_path / 'audit.db'}", tmp_path) as env:
        yield env


@pytest.fixture()
def logged_in(admin_env: AdminEnv) -> Callable[[str], TestClient]:
    """A client logged in with the given role."""

    def _make(role: str) -> TestClient:
        client = admin_env.client()
        response = login(client, USERS[role])
        assert response.status_code == 303, response.text
        return client

    return _make


def make_record(
    *,
    topic: str = "waste_collection",
    intent: str | None = None,
    confidence: float = 0.93,
    handoff: bool = False,
    text: str = "När hämtas soporna på <ADDRESS_1>?",
    conversation: str = "conv-0001",
    turn: int = 1,
) -> dict[str, Any]:
    """A realistic schema-1 audit record (already redacted, as the gateway writes it)."""
    intent = intent or topic
    return {
        "schema_version": 1,
        "channel": "web",
        "language": "sv",
        "conversation": conversation,
        "turn": turn,
        "input_redacted": text,
        "pii": {
            "findings": [{"type": "LOCATION", "start": 26, "end": 40, "score": 0.9}],
            "counts": {"LOCATION": 1},
        },
        "nlu": {
            "intent": intent,
            "confidence": confidence,
            "ranking": [
                {"name": intent, "confidence": confidence},
                {"name": "parking", "confidence": round((1 - confidence) / 2, 3)},
                {"name": "library", "confidence": 0.01},
            ],
            "entities": [],
            "fallback_threshold": 0.6,
        },
        "actions": [{"name": "action_answer", "policy": "policy_0_RulePolicy", "confidence": 1.0}],
        "answers": [
            {
                "text": "Soporna hämtas varannan vecka. Du ser din hämtdag på Mina sidor.",
                "source": {
                    "article_id": "waste-collection-schedule",
                    "version": 3,
                    "content_hash": "ab12cd34",
                    "owner": "Miljö- och tekniska förvaltningen",
                    "last_reviewed": "2026-09-01",
                },
            }
        ],
        "topic": topic,
        "model": {"fingerprint": "f00d", "code_version": "test"},
        "guardrails": {
            "redacted_types": ["LOCATION"],
            "output_guard_hits": [],
            "ai_disclosure_shown": True,
            "handoff_offered": handoff,
            "vault_uses": [],
        },
        "latency_ms": {"redact": 4.0, "rasa": 80.0},
        "legal_nature": "information",
        "retention_class": "conversation",
    }


def append_at(log: AuditLog, record: dict[str, Any], stamp: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Append ``record`` as if written at ``stamp`` (UTC, the log's format)."""
    import audit.log

    with monkeypatch.context() as patch:
        patch.setattr(audit.log, "utc_now", lambda: stamp)
        return log.append(record)
