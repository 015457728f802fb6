"""The KPIs on the real stack: 200 simulated conversations, then every figure against a hand count.

Conversations go through the running gateway, Rasa and action server; some are voted helpful or not,
some rated, some handed off, some contested (and staff find some of those wrong). ``python -m bot.kpi``
then reads the stack's stores as a municipality would run it; the hand count reads the same day's full
audit records and the feedback and case tables directly with SQL. The stack is shared with the other
e2e tests, so the hand count covers everything of the day, not only these 200 conversations.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from audit.query import AuditQuery

pytestmark = pytest.mark.e2e

QUESTIONS = [
    "När hämtas soporna?",
    "Hur lånar jag om en bok på biblioteket?",
    "Vad kostar det att parkera i centrum?",
    "Hur ansöker jag om plats i förskola?",
    "Behöver jag bygglov för ett förråd?",
    "Vart vänder jag mig om vattnet är brunt?",
]


def test_kpis_of_200_conversations_match_a_hand_count(gateway, stack, stack_audit):
    var = stack.config.var_dir
    sent_votes = sent_ratings = 0
    contested: list[str] = []
    for i in range(200):
        first = gateway.post("/api/chat", json={"text": QUESTIONS[i % len(QUESTIONS)]})
        assert first.status_code == 200, first.text
        body = first.json()
        proof = {"audit_id": body["audit_id"], "contest_token": body["contest_token"]}
        if i % 5 == 0:
            turn = gateway.post(
                "/api/chat",
                json={"conversation_id": body["conversation_id"], "text": "Jag vill prata med en människa"},
            )
            assert turn.status_code == 200, turn.text
        if i % 3 != 2:
            helpful = i % 4 != 0
            vote = {**proof, "helpful": helpful, **({} if helpful else {"reason": "not_my_question"})}
            assert gateway.post("/api/feedback", json=vote).status_code == 201
            sent_votes += 1
        if i % 2 == 0:
            assert gateway.post("/api/feedback", json={**proof, "rating": 1 + i % 5}).status_code == 201
            sent_ratings += 1
        if i % 25 == 0:
            case = gateway.post("/api/cases", json={**proof, "message": "Svaret stämmer inte."})
            assert case.status_code == 201, case.text
            contested.append(case.json()["case_id"])
    # Staff close every other contest as "the answer was wrong".
    from cases.store import CaseStore

    store = CaseStore.open(f"sqlite:///{var / 'cases.db'}", key_path=var / "keys" / "case.key")
    try:
        for n, case_id in enumerate(contested):
            store.acknowledge(case_id, "sven")
            store.resolve(case_id, "sven", "answer_wrong" if n % 2 == 0 else "answer_correct")
    finally:
        store.close()

    today = datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()
    env = {**os.environ, "KOMMUNSVAR_VAR_DIR": str(var), "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.kpi", "--period", f"{today}..{today}", "--json"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    ux, errors = figures["user_experience"], figures["error_rate"]

    # --- the hand count ------------------------------------------------------------------------------
    day = datetime.fromisoformat(today).date()
    records = list(stack_audit.export(AuditQuery(date_from=day, date_to=day)))
    ids = {r["audit_id"] for r in records}
    assert len(records) >= 240 and ux["answers"] == errors["answers"] == len(records)
    conversations: dict[str, list] = {}
    for record in records:
        conversations.setdefault(record["conversation"], []).append(record)
    assert ux["conversations"] == len(conversations)
    db = sqlite3.connect(var / "cases.db")
    try:
        votes = db.execute("SELECT audit_id, helpful FROM answer_feedback").fetchall()
        ratings = db.execute("SELECT audit_id, rating FROM conversation_rating").fetchall()
        cases = db.execute("SELECT kind, conversation, audit_id, outcome FROM case_record").fetchall()
    finally:
        db.close()
    votes = [(a, bool(h)) for a, h in votes if a in ids]
    assert len(votes) >= sent_votes
    assert ux["helpful"]["total"] == len(votes)
    assert ux["helpful"]["count"] == sum(1 for _, h in votes if h)
    assert errors["not_helpful"]["count"] == sum(1 for _, h in votes if not h)
    scores = [r for a, r in ratings if a in ids]
    assert len(scores) >= sent_ratings and ux["satisfaction"]["n"] == len(scores)
    assert ux["satisfaction"]["mean"] == pytest.approx(sum(scores) / len(scores))
    contested_ids = {a for kind, _c, a, _o in cases if kind == "contest"}
    with_case = {c for kind, c, _a, _o in cases if kind in ("complaint", "callback") and c}
    escalated = {
        key
        for key, turns in conversations.items()
        if key in with_case
        or any(t["nlu"]["intent"] == "human_handoff" or t["audit_id"] in contested_ids for t in turns)
    }
    assert sum(1 for i in range(200) if i % 5 == 0) <= len(escalated)  # the hand-offs were understood
    assert ux["containment"]["count"] == len(conversations) - len(escalated)
    upheld = {a for kind, _c, a, outcome in cases if kind == "contest" and outcome == "answer_wrong"} & ids
    assert errors["contests_upheld"]["count"] == len(upheld) >= len(contested) // 2
    # The bot was unsure: Rasa's fallback intent, or a confidence under the threshold it decided with.
    unsure = [
        r
        for r in records
        if r["nlu"]["intent"] == "nlu_fallback"
        or (
            r["nlu"].get("confidence") is not None and r["nlu"]["confidence"] < r["nlu"]["fallback_threshold"]
        )
    ]
    assert errors["fallbacks"]["count"] == len(unsure)
    assert errors["output_guard"]["count"] == sum(1 for r in records if r["guardrails"]["output_guard_hits"])
    saved = figures["time_saved"]
    assert saved["handoffs"] == sum(
        1 for turns in conversations.values() if any(t["nlu"]["intent"] == "human_handoff" for t in turns)
    )


def _unsure(nlu):
    confidence, threshold = nlu.get("confidence"), nlu.get("fallback_threshold")
    below = confidence is not None and threshold is not None and confidence < threshold
    return nlu.get("intent") == "nlu_fallback" or below
