"""``POST /internal/cases``: loopback and token only; the contact comes from the gateway's vault."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

TOKEN = "internal-test-token-0123456789"  # conftest.INTERNAL_TOKEN
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _chat_with_contact(env, text="Mejla mig på anna.svensson@example.com eller ring 070-123 45 67"):
    client = env.client()
    body = env.chat(client, text)
    sender = env.app.state.chat_service.pseudonym(body["conversation_id"])
    return client, body, sender


def _internal(client, body, headers=AUTH):
    """Post to the internal listener's app (``client`` is a public client: the same services)."""
    internal = TestClient(
        client.app.state.internal_app,
        base_url="http://127.0.0.1",
        raise_server_exceptions=False,
        client=("127.0.0.1", 50124),
    )
    assert client.post("/internal/cases", json=body, headers=headers).status_code == 404  # not public
    return internal.post("/internal/cases", json=body, headers=headers)


def test_chat_form_case_gets_the_contact_from_the_vault(case_env):
    client, answer, sender = _chat_with_contact(case_env)
    body = {
        "conversation": sender,
        "kind": "complaint",
        "message": "Soptunnan tömdes inte hos <PERSON_1>",
        "contact_placeholder": "<EMAIL_1>",
        "purpose": "case_contact",
        "idempotency_key": f"chat:{sender}:2",
    }
    response = _internal(client, body)
    assert response.status_code == 201, response.text
    case_id = response.json()["case_id"]
    case = case_env.store.get(case_id)
    assert case.kind == "complaint" and case.channel == "chat_form" and case.topic == "complaint"
    assert case.conversation == sender and answer["audit_id"] in case.linked_audit_ids
    assert case_env.store.contact(case_id, "sven", "test").value == "anna.svensson@example.com"
    events = case_env.store.events(case_id)
    use = next(e for e in events if e.action == "vault_use")
    assert use.detail == {"purpose": "case_contact", "type": "EMAIL_ADDRESS", "placeholder": "<EMAIL_1>"}
    from audit.query import access_entries

    assert any(
        e["action"] == "vault_reveal" and case_id in e["target"] for e in access_entries(case_env.audit_log)
    )
    # The vault use lands in the conversation's next audit record: purpose and type, never the value.
    nxt = case_env.chat(client, "tack", answer["conversation_id"])
    record = case_env.audit_log.get(nxt["audit_id"])
    [logged] = record["guardrails"]["vault_uses"]
    assert logged["purpose"] == "case_contact" and logged["type"] == "EMAIL_ADDRESS"
    assert "anna.svensson" not in str(record), [k for k in str(record).split() if "anna" in k]
    # Repeating the request gives the same case.
    again = _internal(client, body)
    assert again.status_code == 200 and again.json()["case_id"] == case_id


def test_phone_placeholder_and_callback(case_env):
    client, _, sender = _chat_with_contact(case_env)
    body = {
        "conversation": sender,
        "kind": "callback",
        "message": "Bygglov",
        "contact_placeholder": "<PHONE_1>",
    }
    response = _internal(client, body)
    assert response.status_code == 201
    case = case_env.store.get(response.json()["case_id"])
    assert case.kind == "callback" and case.topic == "contact_opening_hours" and case.contact_type == "phone"
    assert case_env.store.contact(case.case_id, "sven", "test").value == "+46701234567"


def test_anonymous_complaint_needs_no_vault(case_env):
    client, _, sender = _chat_with_contact(case_env, "Jag vill klaga")
    response = _internal(client, {"conversation": sender, "kind": "complaint", "message": "Dålig service"})
    assert response.status_code == 201
    assert not case_env.store.get(response.json()["case_id"]).has_contact


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"X-Token": TOKEN}]
)
def test_without_the_token_it_is_403(case_env, headers):
    client, _, sender = _chat_with_contact(case_env)
    response = _internal(client, {"conversation": sender, "kind": "complaint", "message": "x"}, headers)
    assert response.status_code == 403
    assert case_env.store.count() == 0


def test_from_another_machine_it_is_403(case_env):
    remote = TestClient(
        case_env.app.state.internal_app, base_url="http://127.0.0.1", client=("203.0.113.9", 40000)
    )
    try:
        body = {"conversation": "c_" + "a" * 32, "kind": "complaint", "message": "x"}
        response = remote.post("/internal/cases", json=body, headers=AUTH)
    finally:
        remote.close()
    assert response.status_code == 403


def test_without_a_configured_token_it_is_403(case_env):
    case_env.app.state.internal_token = ""
    response = _internal(
        case_env.client(), {"conversation": "c_" + "a" * 32, "kind": "complaint", "message": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"kind": "appeal"}, 422),
        ({"contact_placeholder": "anna@example.com"}, 422),
        ({"contact_placeholder": "<PERSONNUMMER_1>"}, 422),
        ({"contact_placeholder": "<EMAIL_9>"}, 422),
        ({"purpose": "marketing"}, 422),
        ({"conversation": "../x"}, 422),
        ({"message": "   "}, 422),
        ({"message": "x" * 2001}, 413),
    ],
)
def test_bad_requests(case_env, change, status):
    client, _, sender = _chat_with_contact(case_env)
    body = {"conversation": sender, "kind": "complaint", "message": "Fel", **change}
    response = _internal(client, body)
    assert response.status_code == status, response.text
    assert case_env.store.count() == 0
