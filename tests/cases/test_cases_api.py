"""``POST /api/cases``: contesting an answer — validation, redaction, encryption, idempotency, deadlines."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest

from cases.ids import parse_case_id
from tests.cases.conftest import with_token


def _answer(env, client, text="När hämtas soporna?"):
    return env.chat(client, text)


def _contest(client, body):
    return client.post("/api/cases", json=with_token(body))


def test_contest_creates_a_case_linked_to_the_answer(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    response = _contest(
        client,
        {
            "audit_id": answer["audit_id"],
            "message": "Soporna hämtas på tisdagar, inte måndagar.",
            "conversation_id": answer["conversation_id"],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert parse_case_id(body["case_id"]) == (2026, 1)
    assert body["kind"] == "contest" and body["status"] == "new" and body["replayed"] is False
    # Created Monday 2 March 2026: acknowledge by Wednesday, answer by Monday 16 March.
    assert body["ack_deadline"] == "2026-03-04"
    assert body["reply_deadline"] == "2026-03-16"
    assert body["contact"] is None and body["contact_kept_until"] is None
    case = case_env.store.get(body["case_id"])
    assert case.audit_id == answer["audit_id"]
    assert answer["audit_id"] in case.linked_audit_ids
    assert case.article_id == answer["messages"][0]["source"]["article_id"]
    assert case.article_owner  # the article's owner, for the content review list
    assert case.topic == "waste_collection"
    # The audit console sees the answer as contested, with the case number.
    from audit.query import AuditQuery

    assert case_env.audit_log.count(AuditQuery(contested=True)) == 1


def test_case_numbers_count_up_per_year(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    ids = [
        _contest(client, {"audit_id": answer["audit_id"], "message": f"Fel nummer {i}"}).json()["case_id"]
        for i in range(3)
    ]
    assert ids == ["KS-2026-000001", "KS-2026-000002", "KS-2026-000003"]
    case_env.clock.now = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    nxt = _contest(client, {"audit_id": answer["audit_id"], "message": "Nytt år"}).json()
    assert nxt["case_id"] == "KS-2027-000001"


def test_message_is_redacted_and_contact_encrypted(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    message = "Jag heter Anna Svensson, personnummer 811218-9876, mejla anna.svensson@example.com"
    response = _contest(
        client,
        {
            "audit_id": answer["audit_id"],
            "message": message,
            "contact": {"email": "Anna.Svensson@Example.com"},
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["contact"] == "email"
    assert body["contact_kept_until"] == "2026-05-31"  # 90 days
    case = case_env.store.get(body["case_id"])
    assert "811218" not in case.message_redacted and "anna.svensson" not in case.message_redacted.lower()
    assert "<PERSONNUMMER_" in case.message_redacted and "<EMAIL_" in case.message_redacted
    assert case.pii_counts.get("SE_PERSONNUMMER") == 1
    raw = (case_env.tmp / "cases.db").read_bytes()
    for value in (b"811218", b"anna.svensson", b"Anna.Svensson", b"Svensson"):
        assert value not in raw
    contact = case_env.store.contact(body["case_id"], "sven", "test")
    assert contact is not None and contact.type == "email"
    assert contact.value.lower() == "anna.svensson@example.com"


def test_phone_is_normalised_to_e164(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    body = _contest(
        client, {"audit_id": answer["audit_id"], "message": "Fel svar", "contact": {"phone": "070-123 45 67"}}
    ).json()
    assert body["contact"] == "phone"
    assert case_env.store.contact(body["case_id"], "sven", "test").value == "+46701234567"


def test_same_idempotency_key_gives_the_same_case(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    body = {"audit_id": answer["audit_id"], "message": "Fel", "idempotency_key": "a1b2c3d4-0000-4000-8000-1"}
    first = _contest(client, body)
    second = _contest(client, body)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["case_id"] == second.json()["case_id"]
    assert second.json()["replayed"] is True
    assert case_env.store.count() == 1
    other = _answer(case_env, client, "När öppnar biblioteket?")
    conflict = _contest(client, {**body, "audit_id": other["audit_id"]})
    assert conflict.status_code == 409


@pytest.mark.parametrize(
    ("audit_id", "status", "code"),
    [
        ("nonsense", 422, "invalid_audit_id"),
        ("KS-123", 422, "invalid_audit_id"),
        ("KS-0000000000", 404, "answer_not_found"),
    ],
)
def test_bad_or_unknown_audit_id(case_env, audit_id, status, code):
    response = _contest(case_env.client(), {"audit_id": audit_id, "message": "Fel"})
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert "Svar-ID" in error["message"]
    assert case_env.store.count() == 0


def test_answer_of_another_conversation_is_not_found(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    response = _contest(
        client, {"audit_id": answer["audit_id"], "message": "Fel", "conversation_id": "someone-else-123"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("contact", "field"),
    [
        ({"email": "inte-en-adress"}, "contact.email"),
        ({"email": "a@b"}, "contact.email"),
        ({"phone": "123"}, "contact.phone"),
        ({"phone": "07012345678901234"}, "contact.phone"),
    ],
)
def test_invalid_contact_is_422_naming_the_field(case_env, contact, field):
    client = case_env.client()
    answer = _answer(case_env, client)
    response = _contest(client, {"audit_id": answer["audit_id"], "message": "Fel", "contact": contact})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_contact"
    assert field in error["message"]
    assert case_env.store.count() == 0


def test_message_over_the_limit_is_413(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    response = _contest(client, {"audit_id": answer["audit_id"], "message": "x" * 2001})
    assert response.status_code == 413
    assert "2000" in response.json()["error"]["message"]
    huge = client.post(
        "/api/cases",
        content=b'{"audit_id": "x", "message": "' + b"y" * 70_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    assert _contest(client, {"audit_id": answer["audit_id"], "message": "x" * 2000}).status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"audit_id": "KS-0000000000"},
        {"message": "Fel"},
        {"audit_id": 5, "message": "Fel"},
        {"audit_id": "KS-0000000000", "message": "Fel", "kind": "appeal"},
        {"audit_id": "KS-0000000000", "message": "Fel", "contact": {"fax": "1"}},
    ],
)
def test_malformed_body_is_422(case_env, body):
    response = _contest(case_env.client(), body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize("message", ["", "   ", "\x00\x01"])
def test_empty_message_is_422(case_env, message):
    client = case_env.client()
    answer = _answer(case_env, client)
    response = _contest(client, {"audit_id": answer["audit_id"], "message": message})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_message"


def test_bad_json_is_400(case_env):
    response = case_env.client().post(
        "/api/cases", content=b'{"audit_id": ', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400


def test_citizens_cannot_read_cases(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    case_id = _contest(client, {"audit_id": answer["audit_id"], "message": "Fel"}).json()["case_id"]
    assert client.get(f"/api/cases/{case_id}").status_code in (404, 405)
    page = client.get(f"/staff/cases/{case_id}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/admin/login")
    assert client.get("/api/staff/case-kpis").status_code == 401


def test_contact_is_never_logged(case_env, caplog):
    client = case_env.client()
    answer = _answer(case_env, client)
    with caplog.at_level("DEBUG"):
        _contest(
            client,
            {"audit_id": answer["audit_id"], "message": "Fel", "contact": {"email": "lisa.berg@example.org"}},
        )
    assert "lisa.berg" not in caplog.text
    assert any(r.getMessage() == "case_created" for r in caplog.records)


def test_nothing_but_sealed_contact_in_the_database(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    _contest(client, {"audit_id": answer["audit_id"], "message": "Fel", "contact": {"phone": "0701234567"}})
    with sqlite3.connect(case_env.tmp / "cases.db") as conn:
        dump = "\n".join(conn.iterdump())
    assert "0701234567" not in dump and "46701234567" not in dump


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_a_contest_must_be_sent_as_json(case_env, content_type):
    client = case_env.client()
    answer = _answer(case_env, client)
    body = f'{{"audit_id": "{answer["audit_id"]}", "message": "Fel dag."}}'.encode()
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/api/cases", content=body, headers=headers)
    assert response.status_code == 415
    assert case_env.store.engine is not None and not _cases_of(case_env)


def test_many_contests_from_one_address_meet_429(case_env):
    client = case_env.client()
    answer = _answer(case_env, client)
    statuses = [
        _contest(
            client,
            {
                "audit_id": answer["audit_id"],
                "message": f"Fel nummer {i}.",
                "idempotency_key": f"key-{i:08d}",
            },
        ).status_code
        for i in range(12)
    ]
    assert statuses[:10] == [201] + [201] * 9 and statuses[10:] == [429, 429]  # 10 per hour per address


def _cases_of(env):
    with env.store.engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT case_id FROM case_record"))


def test_a_contest_without_the_replys_token_is_answered_like_an_unknown_id(case_env):
    """Anyone who sees a Svar-ID (a screenshot, a shared screen) must not contest it in the reader's name."""
    client = case_env.client()
    answer = _answer(case_env, client)
    other = _answer(case_env, case_env.client())  # another visitor's answer and token
    unknown = _contest(client, {"audit_id": "KS-2222222222", "message": "Fel", "contest_token": "x" * 32})
    for token in ("", "0" * 32, other["contest_token"]):
        response = _contest(
            client, {"audit_id": answer["audit_id"], "message": "Fel", "contest_token": token}
        )
        assert response.status_code == unknown.status_code == 404
        assert response.json() == unknown.json()
    assert not _cases_of(case_env)
    mine = _contest(
        client, {"audit_id": answer["audit_id"], "message": "Fel", "contest_token": answer["contest_token"]}
    )
    assert mine.status_code == 201
