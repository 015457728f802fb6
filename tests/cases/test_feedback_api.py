"""``POST /api/feedback``: "Hjälpte svaret?" on an answer and "Hur nöjd är du?" on the conversation."""

from __future__ import annotations

import re
import sqlite3
from typing import get_args

import pytest

from bot.api.routes.feedback import Reason
from bot.settings import PROJECT_ROOT
from cases.feedback import REASONS
from tests.cases.conftest import with_token


def _vote(client, body):
    return client.post("/api/feedback", json=with_token(body))


def test_a_vote_is_stored_against_the_answer_with_its_topic_and_source(case_env):
    client = case_env.client()
    answer = case_env.chat(client, "När hämtas soporna?")
    response = _vote(
        client,
        {"audit_id": answer["audit_id"], "helpful": False, "reason": "outdated",
         "conversation_id": answer["conversation_id"]},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    assert response.json() == {"audit_id": answer["audit_id"], "kind": "answer", "replaced": False}
    [row] = case_env.service.feedback.answers()
    assert row["audit_id"] == answer["audit_id"] and row["helpful"] is False and row["reason"] == "outdated"
    assert row["topic"] == "waste_collection"
    assert row["source_kind"] == "article"
    assert row["source_id"] == answer["messages"][0]["source"]["article_id"]
    record = case_env.audit_log.get(answer["audit_id"])
    assert row["conversation"] == record["conversation"]  # the pseudonym, never the browser's id


def test_a_second_vote_replaces_the_first_so_an_answer_counts_once(case_env):
    client = case_env.client()
    answer = case_env.chat(client, "När hämtas soporna?")
    assert (
        _vote(client, {"audit_id": answer["audit_id"], "helpful": False, "reason": "wrong"}).status_code
        == 201
    )
    again = _vote(client, {"audit_id": answer["audit_id"], "helpful": True})
    assert again.status_code == 200 and again.json()["replaced"] is True
    [row] = case_env.service.feedback.answers()
    assert row["helpful"] is True and row["reason"] is None


def test_without_the_answers_token_feedback_is_refused_like_an_unknown_answer(case_env):
    client = case_env.client()
    answer = case_env.chat(client, "När hämtas soporna?")
    wrong = client.post(
        "/api/feedback", json={"audit_id": answer["audit_id"], "helpful": True, "contest_token": "x" * 16}
    )
    unknown = _vote(client, {"audit_id": "KS-7K3M9Q2X4B", "helpful": True, "contest_token": "x" * 16})
    assert wrong.status_code == 404 and unknown.status_code == 404
    assert wrong.json()["error"]["code"] == unknown.json()["error"]["code"]
    other = case_env.chat(case_env.client(), "Var ligger biblioteket?")
    mine = _vote(
        client,
        {"audit_id": other["audit_id"], "helpful": True, "conversation_id": answer["conversation_id"]},
    )
    assert mine.status_code == 404  # another conversation's answer
    assert case_env.service.feedback.answers() == []


@pytest.mark.parametrize(
    "body",
    [
        {"helpful": True, "rating": 4},  # both kinds at once
        {},  # neither
        {"helpful": True, "reason": "wrong"},  # a reason only goes with a no
        {"helpful": False, "reason": "I think it was rude"},  # no free text
        {"rating": 6},
        {"rating": 0},
        {"helpful": "yes"},
        {"helpful": False, "comment": "free text"},  # unknown fields are refused, not dropped
    ],
)
def test_bad_feedback_gets_a_clear_error_and_stores_nothing(case_env, body):
    client = case_env.client()
    answer = case_env.chat(client, "När hämtas soporna?")
    response = _vote(client, {"audit_id": answer["audit_id"], **body})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["message"]
    assert case_env.service.feedback.answers() == [] and case_env.service.feedback.ratings() == []


def test_the_conversation_rating_is_one_per_conversation(case_env):
    client = case_env.client()
    first = case_env.chat(client, "När hämtas soporna?")
    second = case_env.chat(client, "Var ligger biblioteket?", first["conversation_id"])
    assert _vote(client, {"audit_id": first["audit_id"], "rating": 2}).status_code == 201
    changed = _vote(client, {"audit_id": second["audit_id"], "rating": 5})
    assert changed.status_code == 200 and changed.json()["kind"] == "conversation"
    [row] = case_env.service.feedback.ratings()
    assert row["rating"] == 5 and row["audit_id"] == second["audit_id"]


def test_feedback_tables_hold_no_text_a_citizen_typed(case_env):
    client = case_env.client()
    answer = case_env.chat(client, "Jag heter Anna Svensson, när hämtas soporna på Storgatan 5?")
    _vote(client, {"audit_id": answer["audit_id"], "helpful": False, "reason": "other"})
    _vote(client, {"audit_id": answer["audit_id"], "rating": 3})
    db = sqlite3.connect(case_env.tmp / "cases.db")
    try:
        rows = db.execute("SELECT * FROM answer_feedback").fetchall()
        rows += db.execute("SELECT * FROM conversation_rating").fetchall()
    finally:
        db.close()
    dump = repr(rows)
    assert rows and "Anna" not in dump and "Storgatan" not in dump and "Svensson" not in dump


def test_the_api_the_chat_page_and_the_store_share_one_list_of_reasons():
    assert set(get_args(Reason)) == set(REASONS)
    script = (PROJECT_ROOT / "bot" / "static" / "chat.js").read_text(encoding="utf-8")
    in_script = set(re.findall(r'\["([a-z_]+)", "', script))
    assert set(REASONS) <= in_script
    for reason, labels in REASONS.items():
        assert labels["sv"] in script and labels["en"] in script, reason


@pytest.mark.parametrize("path", ["/api/feedback", "/api/cases", "/api/pilot/status"])
def test_a_token_that_is_not_ascii_is_refused_like_a_wrong_one_not_a_crash(case_env, path):
    client = case_env.client()
    answer = case_env.chat(client, "När hämtas soporna?")
    body = {"audit_id": answer["audit_id"], "contest_token": "\u0080åäö"}
    body.update({"/api/feedback": {"helpful": True}, "/api/cases": {"message": "Fel."}}.get(path, {}))
    response = client.post(path, json=body)
    assert response.status_code == 404, response.text  # found by schemathesis on /api/pilot/status
