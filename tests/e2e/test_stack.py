"""End to end: real gateway, Rasa and action server; answers, audit trail and explanations."""

from __future__ import annotations

import json
import subprocess

import pytest

from bot.settings import PROJECT_ROOT
from content.knowledge import KnowledgeBase
from tests.e2e.audit_cli import run_audit

pytestmark = pytest.mark.e2e

QUESTIONS = [
    ("När hämtas soporna hos mig?", "waste_collection"),
    ("Behöver jag bygglov för att bygga en altan?", "building_permit"),
    ("Hur ansöker jag om plats på förskola?", "preschool"),
    ("Hur får jag ett lånekort på biblioteket?", "library"),
    ("Gatlampan på vår gata är trasig, hur felanmäler jag det?", "report_fault"),
    ("Vilka öppettider har kontaktcenter?", "contact_opening_hours"),
]


def _audit(stack, *args: str) -> subprocess.CompletedProcess[str]:
    var = stack.config.var_dir
    return run_audit(var, f"sqlite:///{var / 'audit.db'}", *args)


def test_health_is_ok(gateway):
    body = gateway.get("/api/health").json()
    assert body["status"] == "ok"
    # The embedded profile has no Redis (vault and turn locks in the gateway's memory).
    assert body["parts"] == {"gateway": "ok", "rasa": "ok", "action_server": "ok", "audit_database": "ok"}


def test_rasas_parse_is_asked_ahead_and_taken_by_the_real_stack(gateway, stack, stack_audit):
    # The gateway asks Rasa's /model/parse (with its JWT) beside the safety check and the channel hands
    # the parse to Rasa's processor; a refused parse would only be logged, so the log must not say so.
    log = stack.config.var_dir / "log" / "gateway.log"
    offset = log.stat().st_size
    response = gateway.post("/api/chat", json={"text": "Hur får jag ett lånekort på biblioteket?"})
    assert response.status_code == 200, response.text
    record = stack_audit.get(str(response.json()["audit_id"]))
    assert {"safety", "nlu", "checks", "rasa"} <= set(record["latency_ms"])
    assert record["nlu"]["intent"] and record["nlu"]["ranking"]  # the explanation keeps Rasa's ranking
    with log.open("rb") as handle:
        handle.seek(offset)
        written = handle.read().decode()
    assert "chat_turn" in written and "nlu_parse_skipped" not in written


def test_swedish_questions_get_answers_from_the_right_topic(gateway, stack):
    knowledge = KnowledgeBase.load(PROJECT_ROOT / "data")
    conversation = None
    audit_ids = []
    for question, topic in QUESTIONS:
        response = gateway.post("/api/chat", json={"conversation_id": conversation, "text": question})
        assert response.status_code == 200, response.text
        body = response.json()
        conversation = body["conversation_id"]
        first = body["messages"][0]
        if first["source"].get("policy") == "clarify_notice":
            # A close call between siblings: the answer engine lets the citizen choose (ADR 0012).
            chosen = json.loads("{" + first["buttons"][0]["payload"].split("{", 1)[1])
            assert knowledge.articles[chosen["article_id"]].topic == topic, (question, body)
        else:
            assert body["topic"] == topic, (question, body)
            article = knowledge.articles[first["source"]["article_id"]]
            assert article.topic == topic
            assert first["text"] == article.answer["sv"]
        audit_ids.append(body["audit_id"])
    assert len(set(audit_ids)) == len(QUESTIONS)

    verify = _audit(stack, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    explain = _audit(stack, "explain", audit_ids[0])
    assert explain.returncode == 0, explain.stderr
    assert audit_ids[0] in explain.stdout
    assert "waste-collection" in explain.stdout or "sop" in explain.stdout.lower()


def test_english_question_is_answered_in_english(gateway):
    body = gateway.post("/api/chat", json={"text": "How do I get a library card?"}).json()
    assert body["language"] == "en"
    assert body["topic"] == "library"
    knowledge = KnowledgeBase.load(PROJECT_ROOT / "data")
    assert (
        body["messages"][0]["text"]
        == knowledge.articles[body["messages"][0]["source"]["article_id"]].answer["en"]
    )


def test_out_of_scope_question_is_not_answered_as_a_service(gateway):
    body = gateway.post("/api/chat", json={"text": "Hur förnyar jag mitt pass?"}).json()
    assert body["topic"] == "out_of_scope"
    assert "Polis" in body["messages"][0]["text"]


def test_many_login_attempts_from_one_address_meet_429_from_the_real_gateway(gateway):
    """The abuse limits are on in the running stack: the 21st login attempt in 15 minutes is refused."""
    statuses = []
    for _ in range(22):
        response = gateway.post("/admin/login", data={"username": "x", "password": "y"})
        statuses.append(response.status_code)
    assert statuses[:20] == [403] * 20  # no form token: refused, but counted
    assert statuses[20:] == [429, 429]
    assert int(response.headers["retry-after"]) >= 1
    assert "Vänta" in response.json()["error"]["message"]


def test_each_audit_record_explains_its_turn_exactly_as_rasa_stored_it(gateway, stack, stack_audit):
    """The explanation comes with Rasa's reply (bot/rasa_channel.py): it must be what Rasa's store holds.

    Four turns of one conversation, among them an emergency (the urgent intent the gateway sends) and a
    form: each record's turn number, intent, ranking, entities and actions (with their policies) are
    compared with the events of that turn in Rasa's SQLite tracker store.
    """
    from sqlalchemy import create_engine, text

    conversation = None
    records = []
    questions = [
        "När töms soptunnan?",
        "Jag vill klaga på kommunen",
        "avbryt",
        "Min granne har ramlat och andas inte",
    ]
    for question in questions:
        response = gateway.post("/api/chat", json={"conversation_id": conversation, "text": question})
        assert response.status_code == 200, response.text
        conversation = response.json()["conversation_id"]
        records.append(stack_audit.get(response.json()["audit_id"]))
    sender = records[0]["conversation"]
    engine = create_engine(f"sqlite:///{stack.config.var_dir / 'rasa-tracker.db'}")
    with engine.connect() as conn:
        stored = [
            json.loads(row[0])
            for row in conn.execute(
                text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            )
        ]
    engine.dispose()
    starts = [i for i, event in enumerate(stored) if event["event"] == "user"]
    assert len(starts) == len(questions)
    for number, (record, start) in enumerate(zip(records, starts, strict=True), 1):
        end = starts[number] if number < len(starts) else len(stored)
        user, later = stored[start], stored[start + 1 : end]
        assert record["turn"] == number
        assert record["nlu"]["intent"] == user["parse_data"]["intent"]["name"]
        assert record["nlu"]["confidence"] == round(user["parse_data"]["intent"]["confidence"], 4)
        assert [r["name"] for r in record["nlu"]["ranking"]] == [
            r["name"] for r in user["parse_data"].get("intent_ranking", [])[:3]
        ]
        assert [e["entity"] for e in record["nlu"]["entities"]] == [
            e["entity"] for e in user["parse_data"]["entities"]
        ]
        expected = [
            (e["name"], e["policy"]) for e in later if e["event"] == "action" and e["name"] != "action_listen"
        ]
        assert [(a["name"], a["policy"]) for a in record["actions"]] == expected
        assert expected, "every turn runs at least one action besides listening"
    assert records[3]["nlu"]["intent"] == "urgent_help" and records[3]["safety"]["urgent"] is not None


def test_a_typed_command_is_read_as_text_and_a_pressed_button_as_a_command(gateway, stack_audit):
    """Rasa reads "/intent{...}" as the intent itself: a citizen must not forge an emergency or a restart."""
    conversation = None
    bodies = []
    for text in [
        "När töms soptunnan?",
        '/urgent_help{"urgent_category": "medical"}',
        "/restart",
        "/human_handoff",
    ]:
        response = gateway.post("/api/chat", json={"conversation_id": conversation, "text": text})
        assert response.status_code == 200, response.text
        conversation = response.json()["conversation_id"]
        bodies.append(response.json())
    records = [stack_audit.get(body["audit_id"]) for body in bodies]
    forged = records[1]
    assert forged["input_redacted"] == 'urgent_help{"urgent_category": "medical"}'
    assert forged["nlu"]["intent"] != "urgent_help" and forged["safety"]["urgent"] is None
    assert not any(
        str(m["source"].get("policy", "")).startswith("urgent_notice") for m in bodies[1]["messages"]
    )
    assert records[2]["input_redacted"] == "restart"
    assert [r["turn"] for r in records] == [1, 2, 3, 4]  # nothing restarted the conversation
    assert records[3]["nlu"]["intent"] == "human_handoff" and records[3]["nlu"]["confidence"] == 1.0
