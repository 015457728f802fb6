"""Gateway input handling, redaction before Rasa, audit before answer, and error shapes."""

from __future__ import annotations

import pytest

from audit.errors import AuditStoreUnavailable


def _post(client, body, **kwargs):
    return client.post("/api/chat", json=body, **kwargs)


def test_answer_carries_audit_id_topic_and_source(make_client, fake_rasa):
    client, log = make_client()
    response = _post(client, {"conversation_id": None, "text": "När hämtas soporna?"})
    assert response.status_code == 200
    body = response.json()
    assert body["topic"] == "waste_collection"
    assert body["messages"][0]["source"]["article_id"]
    assert body["notice"].startswith("Du chattar med en AI-assistent")
    record = log.get(body["audit_id"])
    assert record is not None
    assert record["topic"] == "waste_collection"
    assert record["nlu"]["intent"] == "waste_collection"
    assert record["actions"] == [{"name": "action_answer", "policy": "RulePolicy", "confidence": 1.0}]
    assert record["answers"][0]["source"]["version"] >= 1
    assert record["conversation"] != body["conversation_id"]  # a pseudonym, not the browser's id


def test_second_turn_keeps_conversation_and_has_no_notice(make_client):
    client, _ = make_client()
    first = _post(client, {"text": "När hämtas soporna?"}).json()
    second = _post(client, {"conversation_id": first["conversation_id"], "text": "och glas?"}).json()
    assert second["conversation_id"] == first["conversation_id"]
    assert "notice" not in second
    assert second["audit_id"] != first["audit_id"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t ", "\x00\x01\x02"])
def test_empty_message_is_422_in_swedish(make_client, fake_rasa, text):
    client, _ = make_client()
    response = _post(client, {"text": text})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Skriv en fråga innan du skickar."
    assert fake_rasa.received == []


def test_too_long_message_is_413(make_client, fake_rasa):
    client, _ = make_client()
    response = _post(client, {"text": "a" * 2001})
    assert response.status_code == 413
    assert "2000" in response.json()["error"]["message"]
    assert _post(client, {"text": "a" * 2000}).status_code == 200


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b'{"text": "hej \xff\xfe"}', "invalid_encoding"),
        (b'{"text": "hej"', "invalid_json"),
        (b"", "invalid_json"),
    ],
)
def test_bad_bytes_and_bad_json_are_400(make_client, content, code):
    client, _ = make_client()
    response = client.post("/api/chat", content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    "body",
    [{}, {"text": 5}, {"text": "hej", "language": "de"}, ["text"], {"text": "hej", "conversation_id": 3}],
)
def test_wrong_fields_are_422(make_client, body):
    client, _ = make_client()
    response = _post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_bad_conversation_id_is_422(make_client):
    client, _ = make_client()
    response = _post(client, {"conversation_id": "../../etc/passwd", "text": "hej"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_conversation_id"


def test_control_characters_are_stripped_before_rasa(make_client, fake_rasa):
    client, _ = make_client()
    assert _post(client, {"text": "När\x00 hämtas\x1b soporna\u0007?"}).status_code == 200
    assert fake_rasa.received[0]["message"] == "När hämtas soporna?"


def test_personal_data_never_reaches_rasa_or_the_audit_trail(make_client, fake_rasa):
    client, log = make_client()
    text = "Mitt personnummer är 811218-9876, mejla anna.svensson@example.com eller ring 070-123 45 67"
    body = _post(client, {"text": text}).json()
    sent = fake_rasa.received[0]["message"]
    for value in ("811218-9876", "8112189876", "anna.svensson@example.com", "070-123 45 67"):
        assert value not in sent
    assert "<PERSONNUMMER_1>" in sent and "<EMAIL_1>" in sent and "<PHONE_1>" in sent
    record = log.get(body["audit_id"])
    assert record["pii"]["counts"] == {"SE_PERSONNUMMER": 1, "EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    assert "811218" not in str(record) and "anna.svensson" not in str(record)


def test_rasas_nlu_parse_of_the_redacted_text_is_handed_to_the_turn(make_client, fake_rasa):
    # The gateway asks Rasa's /model/parse beside the safety check; the turn then skips a second parse.
    fake_rasa.parses = []
    client, log = make_client()
    body = _post(client, {"text": "När hämtas soporna? Ring mig på 070-123 45 67"}).json()
    (parse,) = fake_rasa.parses
    assert parse.headers["content-type"] == "application/json" and parse.url.params["token"] == "test-token"
    sent = fake_rasa.received[0]
    assert "070-123" not in parse.content.decode() and "<PHONE_1>" in sent["message"]
    assert sent["parse_data"]["text"] == sent["message"]
    record = log.get(body["audit_id"])
    assert record["nlu"]["intent"] == "parsed_waste_collection"  # the handed-in parse is the turn's
    assert {"nlu", "safety", "checks", "rasa"} <= set(record["latency_ms"])


def test_an_emergency_goes_without_the_parse_and_no_parse_is_no_failure(make_client, fake_rasa):
    fake_rasa.parses = []
    client, _ = make_client()
    assert _post(client, {"text": "Det brinner i trapphuset!"}).status_code == 200
    urgent = fake_rasa.received[0]
    assert urgent["message"].startswith("/urgent") and "parse_data" not in urgent
    fake_rasa.parses = None  # /model/parse now answers 404: Rasa parses in the turn itself
    assert _post(client, {"text": "När hämtas soporna?"}).status_code == 200
    assert "parse_data" not in fake_rasa.received[1]


def test_with_another_turn_in_flight_rasa_parses_in_the_turn_itself(make_client, fake_rasa):
    # Under load both cores are busy: asking ahead would only add a request to Rasa's work.
    fake_rasa.parses = []
    client, _ = make_client()
    client.app.state.chat_service._in_flight = 1  # another conversation's turn is running
    assert _post(client, {"text": "När hämtas soporna?"}).status_code == 200
    assert fake_rasa.parses == [] and "parse_data" not in fake_rasa.received[0]


def test_english_question_gets_english_answer(make_client, fake_rasa, knowledge):
    client, _ = make_client()
    body = _post(client, {"text": "When is my garbage bin collected?"}).json()
    assert body["language"] == "en"
    article = knowledge.articles_for_intent("waste_collection")[0]
    assert body["messages"][0]["text"] == article.answer["en"]


def test_rasa_down_is_503_with_plain_swedish_and_no_record(make_client, fake_rasa):
    client, log = make_client()
    fake_rasa.down = True
    response = _post(client, {"text": "När hämtas soporna?"})
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "service_unavailable"
    assert "Chatten kan inte svara just nu" in error["message"]
    assert "Traceback" not in response.text
    assert log.count() == 0


def test_audit_failure_means_no_answer(make_client):
    class BrokenLog:
        def append(self, record):
            raise AuditStoreUnavailable("disk full")

    client, _ = make_client(audit_log=BrokenLog())
    response = _post(client, {"text": "När hämtas soporna?"})
    assert response.status_code == 503
    assert "messages" not in response.json()


def test_unapproved_bot_text_is_replaced_and_recorded(make_client, fake_rasa):
    client, log = make_client()
    fake_rasa.reply_text = "Du har rätt till försörjningsstöd."  # not approved content
    body = _post(client, {"text": "Får jag bistånd?"}).json()
    assert body["messages"][0]["text"] != "Du har rätt till försörjningsstöd."
    assert body["messages"][0]["source"]["article_id"] == "fallback-unsure"
    record = log.get(body["audit_id"])
    assert record["guardrails"]["output_guard_hits"][0]["reason"] == "not_approved_content"


def test_health_names_the_failing_part(make_client, fake_rasa):
    client, _ = make_client()
    assert client.get("/api/health").json()["status"] == "ok"
    fake_rasa.down = True
    response = client.get("/api/health")
    assert response.status_code == 503
    assert set(response.json()["failing"]) == {"rasa", "action_server"}


def test_chat_page_states_ai_and_escapes_text(make_client):
    client, _ = make_client()
    page = client.get("/")
    assert page.status_code == 200
    assert "AI-assistent" in page.text
    script = client.get("/static/chat.js").text
    assert "innerHTML" not in script and "textContent" in script


def test_personal_data_in_bot_output_is_blocked(make_client, fake_rasa):
    client, log = make_client()
    fake_rasa.reply_text = "Ring Anna på 070-987 65 43 så löser hon det."
    body = _post(client, {"text": "Vem kan hjälpa mig?"}).json()
    assert "070-987 65 43" not in str(body)
    record = log.get(body["audit_id"])
    assert record["guardrails"]["output_guard_hits"][0]["reason"] == "personal_data_in_output"
    assert "070-987" not in str(record)


def test_the_record_cites_the_threshold_the_policy_file_sets(make_client, tmp_path):
    """A municipality tunes data/policy.yml: the audit record and its explanation follow."""
    import shutil

    from audit.explain import explain
    from bot.settings import PROJECT_ROOT
    from content.policy import AnswerPolicy

    data = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data", data, ignore=shutil.ignore_patterns("eval", "nlu", "stories"))
    policy_file = data / "policy.yml"
    policy_file.write_text(
        policy_file.read_text(encoding="utf-8").replace("answer_threshold: 0.6", "answer_threshold: 0.97"),
        encoding="utf-8",
    )
    client, log = make_client()
    client.app.state.chat_service.policy = AnswerPolicy.load(data)
    body = _post(client, {"conversation_id": None, "text": "När hämtas soporna?"}).json()
    record = log.get(body["audit_id"])
    assert record["nlu"]["fallback_threshold"] == 0.97
    assert "97 procent" in explain(record)  # the fake NLU is 93 % sure: below the tuned threshold


def test_health_names_a_store_that_is_down(make_client):
    from bot.runner import free_port
    from tests.audit.required_services import redis_problem, require_service

    require_service(redis_problem())
    client, _ = make_client(redis=("redis://127.0.0.1:6379/0",))
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["parts"]["redis"] == "ok" and body["parts"]["audit_database"] == "ok"
    # Nothing listens on this port: the vault and the turn locks would fail closed, so no turn can be
    # answered and the gateway says so with a 503 that names the store.
    client, _ = make_client(redis=(f"redis://127.0.0.1:{free_port()}/0",))
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
    assert "redis" in response.json()["error"]["message"]
