"""``POST /internal/privacy/forget|retention``: the gateway purges audit content, tracker store and vault."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, func, select

from audit.tracker import events
from bot.services.privacy import build_privacy_service
from bot.settings import Settings
from tests.cases.conftest import _cheap_password_hashing, build_case_env  # noqa: F401 (autouse)

TOKEN = "internal-test-token-0123456789"  # conftest.INTERNAL_TOKEN
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def privacy_env(tmp_path, redactor, knowledge, fake_rasa):
    """The case gateway plus its privacy service and a tracker store as Rasa writes it."""
    case_env = build_case_env(tmp_path, redactor, knowledge, fake_rasa.handler)
    tracker_url = f"sqlite:///{case_env.tmp / 'rasa-tracker.db'}"
    settings = Settings(var_dir=case_env.tmp, rasa_tracker_url=tracker_url, rasa_token="test-token")
    case_env.app.state.privacy = build_privacy_service(
        settings,
        audit_log=case_env.audit_log,
        vault=case_env.app.state.chat_service.redactor.vault,
        internal_token=TOKEN,
        pseudonym=case_env.app.state.chat_service.pseudonym,
    )
    yield case_env, tracker_url
    case_env.app.state.privacy.close()
    case_env.close()


def _tracker_events(url: str, sender: str, text: str) -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))
    from tracker_rows import fill, session

    fill(create_engine(url), session(sender, 1_700_000_000.0, [text], slot=text))


def _count(url: str, sender: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(
            select(func.count()).select_from(events).where(events.c.sender_id == sender)
        ).scalar()
    engine.dispose()
    return int(n or 0)


def test_forget_purges_the_conversation_everywhere_including_the_vault(privacy_env):
    env, tracker_url = privacy_env
    client = env.client()
    answer = env.chat(client, "Mejla mig på anna.svensson@example.com, personnummer 811218-9876")
    sender = env.app.state.chat_service.pseudonym(answer["conversation_id"])
    vault = env.app.state.chat_service.redactor.vault
    assert vault.holds(sender) == 1  # the e-mail only: the personnummer was never kept
    _tracker_events(tracker_url, sender, "Mejla mig på <EMAIL_1>, personnummer <PERSONNUMMER_1>")

    internal = env.internal_client()
    dry = internal.post(
        "/internal/privacy/forget", json={"reference": answer["audit_id"], "dry_run": True}, headers=AUTH
    )
    assert dry.status_code == 200, dry.text
    assert dry.json()["vault"] == 1 and vault.holds(sender) == 1 and _count(tracker_url, sender) == 6

    response = internal.post(
        "/internal/privacy/forget", json={"conversation_id": answer["conversation_id"]}, headers=AUTH
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["conversation"] == sender and body["vault"] == 1
    assert body["tracker"]["events_deleted"] == 6 and body["audit"]["keys_shredded"] == 1
    assert vault.holds(sender) == 0 and _count(tracker_url, sender) == 0
    assert env.audit_log.get(answer["audit_id"])["content_shredded"]
    assert "anna.svensson" not in json.dumps(body) and "811218" not in json.dumps(body)
    # The contact can no longer be taken from the vault for a case.
    case = internal.post(
        "/internal/cases",
        json={
            "conversation": sender,
            "kind": "complaint",
            "message": "Soptunnan",
            "contact_placeholder": "<EMAIL_1>",
        },
        headers=AUTH,
    )
    assert case.status_code == 422, case.text
    from audit.query import access_entries

    assert any(
        e["action"] == "privacy_forget" and e["target"] == sender for e in access_entries(env.audit_log)
    )


def test_retention_runs_everywhere(privacy_env):
    env, tracker_url = privacy_env
    _tracker_events(tracker_url, "c_old", "Gammal fråga om <ADDRESS_1>")
    response = env.internal_client().post("/internal/privacy/retention", json={}, headers=AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["tracker"]["events_deleted"] == 6 and _count(tracker_url, "c_old") == 0


def test_unknown_reference_is_404(privacy_env):
    env, _ = privacy_env
    response = env.internal_client().post(
        "/internal/privacy/forget", json={"reference": "KS-0000000000"}, headers=AUTH
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "answer_not_found"


@pytest.mark.parametrize(
    ("headers", "client_host"),
    [({}, "127.0.0.1"), ({"Authorization": "Bearer wrong"}, "127.0.0.1"), (AUTH, "10.0.0.7")],
)
def test_only_loopback_callers_with_the_token(privacy_env, headers, client_host):
    from fastapi.testclient import TestClient

    env, _ = privacy_env
    client = TestClient(env.app.state.internal_app, base_url="http://127.0.0.1", client=(client_host, 5000))
    env.clients.append(client)
    for path, body in (("/internal/privacy/forget", {"reference": "x"}), ("/internal/privacy/retention", {})):
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 403, response.text
