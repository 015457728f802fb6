"""Supervised pilot mode: a topic's answers wait for staff, who approve them (as drafted or edited)."""

from __future__ import annotations

import pytest

from bot.services.pilot import release
from cases.errors import CaseStepNotAllowed
from tests.cases.conftest import USERS, csrf_token, login


def _pilot(env, topic="waste_collection"):
    env.app.state.pilot_desk.set_topic(topic, True, "anna")
    return env.app.state.pilot_desk


def _status(client, body):
    return client.post(
        "/api/pilot/status", json={"audit_id": body["audit_id"], "contest_token": body["contest_token"]}
    )


def test_an_answer_on_a_pilot_topic_waits_and_the_approval_is_recorded_with_the_approver(case_env):
    desk = _pilot(case_env)
    client = case_env.client()
    body = case_env.chat(client, "När hämtas soporna?")
    assert body["pending_review"] is True
    [shown] = body["messages"]
    assert shown["source"]["policy"] == "pilot_notice" and "handläggare" in shown["text"]
    assert shown["buttons"] == [{"title": "Prata med en människa", "payload": "/human_handoff"}]
    held = case_env.audit_log.get(body["audit_id"])
    assert held["pilot"]["status"] == "held"
    assert held["pilot"]["draft"][0]["source"]["article_id"]  # the article that would have answered
    assert [a["source"]["policy"] for a in held["answers"]] == ["pilot_notice"]  # what the citizen saw
    assert _status(client, body).json() == {"status": "pending"}
    [draft] = desk.drafts("pending")
    assert draft.audit_id == body["audit_id"] and draft.topic == "waste_collection"

    approved = release(desk, case_env.audit_log, body["audit_id"], "sven")
    assert approved.status == "approved" and approved.decided_by == "sven"
    status = _status(client, body).json()
    assert status["status"] == "released" and status["edited"] is False
    assert status["messages"][0]["text"] == held["pilot"]["draft"][0]["text"]
    record = case_env.audit_log.get(status["audit_id"])
    assert record["pilot"]["approver"] == "sven" and record["pilot"]["held_audit_id"] == body["audit_id"]
    assert record["pilot"]["seconds_to_approval"] >= 0
    assert record["answers"][0]["source"]["article_id"] == held["pilot"]["draft"][0]["source"]["article_id"]
    assert record["conversation"] == held["conversation"]
    assert "godkändes av" in case_env.audit_log.explain(status["audit_id"])
    with pytest.raises(CaseStepNotAllowed):
        release(desk, case_env.audit_log, body["audit_id"], "stina")  # approved once, not twice
    # The released answer can be contested like any other, with its own token.
    contest = client.post(
        "/api/cases",
        json={
            "audit_id": status["audit_id"],
            "contest_token": status["contest_token"],
            "message": "Fel dag.",
        },
    )
    assert contest.status_code == 201


def test_emergencies_and_answers_without_content_are_never_held(case_env):
    _pilot(case_env)
    client = case_env.client()
    urgent = case_env.chat(client, "Det brinner i trapphuset!")
    assert "pending_review" not in urgent  # (the real urgent notice is checked on the real stack)
    assert case_env.audit_log.get(urgent["audit_id"])["safety"]["urgent"]["category"] == "fire"
    assert case_env.app.state.pilot_desk.drafts("pending") == []


def test_topics_not_in_pilot_mode_answer_at_once(case_env, fake_rasa):
    _pilot(case_env, "library")
    client = case_env.client()
    body = case_env.chat(client, "När hämtas soporna?")
    assert "pending_review" not in body and body["messages"][0]["source"]["article_id"]


def test_staff_approve_with_their_own_words_from_the_queue_and_admins_switch_topics(case_env):
    desk = _pilot(case_env)
    citizen = case_env.client()
    body = case_env.chat(citizen, "När hämtas soporna?")
    staff = case_env.client()
    login(staff, USERS["staff"])
    page = staff.get("/staff/pilot")
    assert page.status_code == 200 and body["audit_id"] in page.text and "När hämtas soporna?" in page.text
    token = csrf_token(page.text)
    assert "Slå på pilotläge" not in page.text  # only admins switch topics
    refused = staff.post(
        "/staff/pilot/topics", data={"csrf_token": token, "topic": "library", "enabled": "ja"}
    )
    assert refused.status_code == 403
    done = staff.post(
        f"/staff/pilot/{body['audit_id']}/approve",
        data={"csrf_token": token, "edited_text": "Soporna hämtas på tisdagar i ditt område."},
        follow_redirects=False,
    )
    assert done.status_code == 303
    status = _status(citizen, body).json()
    assert status["edited"] is True and status["messages"][0]["text"].startswith("Soporna hämtas på tisdagar")
    record = case_env.audit_log.get(status["audit_id"])
    assert record["pilot"]["status"] == "edited" and record["pilot"]["approver"] == USERS["staff"]
    assert record["answers"][0]["source"]["staff"] == USERS["staff"]
    again = staff.post(
        f"/staff/pilot/{body['audit_id']}/approve", data={"csrf_token": token}, follow_redirects=False
    )
    assert again.headers["location"].endswith("done=gone")

    admin = case_env.client()
    login(admin, USERS["admin"])
    page = admin.get("/staff/pilot")
    switch = admin.post(
        "/staff/pilot/topics",
        data={"csrf_token": csrf_token(page.text), "topic": "waste_collection", "enabled": "nej"},
        follow_redirects=False,
    )
    assert switch.status_code == 303
    assert "waste_collection" not in desk.enabled_topics()
    assert "pending_review" not in case_env.chat(citizen, "När hämtas soporna?")
