"""The public account of the AI (``/om-tjansten``), its register entry and the KPIs as open data."""

from __future__ import annotations

import csv
import io

from tests.cases.conftest import with_token

PII = ["Anna Svensson", "811218-9876", "070-123 45 67", "anna.svensson@example.com", "Storgatan 5"]


def _chat_with_personal_data(env, client, n):
    answers = []
    for i in range(n):
        text = (
            f"Hej, jag heter Anna Svensson, personnummer 811218-9876, ring 070-123 45 67 eller mejla "
            f"anna.svensson@example.com. Jag bor på Storgatan 5. När hämtas soporna? ({i})"
        )
        answers.append(env.chat(client, text))
    return answers


def test_the_account_is_generated_from_configuration_and_holds_no_personal_data(case_env):
    client = case_env.client()
    answers = _chat_with_personal_data(case_env, client, 3)
    for answer in answers:  # 3 votes: under the publication threshold of 5
        vote = {"audit_id": answer["audit_id"], "helpful": True}
        assert client.post("/api/feedback", json=with_token(vote)).status_code == 201
    page = client.get("/om-tjansten")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="sv">' in html
    assert "Exempelstad kommun" in html and "212000-9994" in html  # who is responsible (municipality.yml)
    assert "Bedömningar av om du har rätt till stöd" in html  # the policy's forbidden list, in plain words
    assert "90 dagar" in html  # the audit content retention the settings apply
    assert "Stämmer inte svaret?" in html and "10 arbetsdagar" in html  # how to contest, response times
    assert "3 svar i 3 samtal" in html
    assert "för få svar för att visa" in html  # 3 votes: suppressed
    assert "Content-Security-Policy" in page.headers or "content-security-policy" in page.headers
    for value in PII:
        assert value not in html
    english = client.get("/about-the-service")
    assert english.status_code == 200 and '<html lang="en">' in english.text
    assert "It does not assess whether you are entitled" in english.text


def test_the_register_entry_has_the_register_fields(case_env):
    client = case_env.client()
    entry = client.get("/om-tjansten/register.json").json()
    for field in ("name", "organisation", "contact", "description", "purpose", "human_oversight", "data",
                  "model", "performance", "risks_and_mitigations", "last_updated", "licence"):  # fmt: skip
        assert entry[field], field
    assert entry["organisation"]["identifier"] == "212000-9994"
    assert entry["model"]["generative_model"] is None
    assert entry["decision_making"].startswith("none")
    assert entry["data"]["retention_days"]["answer_record_content"] == 90


def test_open_data_suppresses_small_cells_and_publishes_the_rest(case_env):
    client = case_env.client()
    answers = _chat_with_personal_data(case_env, client, 6)
    for answer in answers[:4]:  # 4 votes this week: helpful share suppressed; 6 answers: shown
        vote = {"audit_id": answer["audit_id"], "helpful": True}
        assert client.post("/api/feedback", json=with_token(vote)).status_code == 201
    body = client.get("/oppna-data/nyckeltal.json").json()
    assert body["licence"]["id"] == "CC0-1.0"
    this_week = body["rows"][-1]
    assert this_week["answers"] == 6 and this_week["conversations"] == 6
    assert this_week["helpful_share"] is None and this_week["helpful_votes"] is None
    assert this_week["fallback_share"] == 0.0
    earlier = body["rows"][0]
    assert earlier["answers"] is None  # an empty week is a small cell too
    response = client.get("/oppna-data/nyckeltal.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(body["rows"]) == 26
    assert rows[-1]["answers"] == "6" and rows[-1]["helpful_share"] == ""
    for value in PII:
        assert value not in response.text
