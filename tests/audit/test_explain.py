"""The plain-Swedish explanation says what was asked, understood, chosen, sourced, guarded and contestable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from audit.explain import explain, swedish_date
from audit.labels import certainty_words, policy_label

MakeRecord = Callable[..., dict[str, Any]]


def _stored(make_record: MakeRecord, **overrides: Any) -> dict[str, Any]:
    record = make_record(**overrides)
    record.update(audit_id="KS-7K3M9Q2X4B", seq=4, created_at="2026-11-26T15:35:09.000000Z")
    return record


def test_explains_every_part(make_record: MakeRecord) -> None:
    text = explain(_stored(make_record))
    assert "Jag heter <PERSON_1>, när hämtas soporna på <ADDRESS_1>?" in text
    assert "som ämnet ”Sophämtning och avfall”" in text and "ganska säker" in text and "87 procent" in text
    assert "ämnet ”Vatten och avlopp” (8 procent)" in text
    assert "fast regel som kommunen har skrivit" in text
    assert "waste-collection-schedule" in text and "version 3" in text
    assert "Miljö- och tekniska förvaltningen" in text and "1 september 2026" in text
    assert "1 namn" in text and "1 adress" in text
    assert "AI-assistent" in text
    assert "inte ett beslut" in text
    assert "Stämmer inte svaret?" in text and "KS-7K3M9Q2X4B" in text
    assert "26 november 2026 kl. 16.35" in text  # shown in Swedish time


def test_never_shows_technical_listen_step(make_record: MakeRecord) -> None:
    assert "action_listen" not in explain(_stored(make_record))


@pytest.mark.parametrize(
    ("policy", "words"),
    [
        ("policy_0_RulePolicy", "fast regel"),
        ("policy_1_MemoizationPolicy", "exempelsamtal"),
        ("policy_2_TEDPolicy", "inlärd modell"),
        (None, "standardsteg"),
    ],
)
def test_policies_in_plain_swedish(make_record: MakeRecord, policy: str | None, words: str) -> None:
    record = _stored(make_record, actions=[{"name": "utter_x", "policy": policy, "confidence": 0.9}])
    assert words in explain(record)
    assert words in policy_label(policy)


@pytest.mark.parametrize(
    ("confidence", "words"),
    [(0.95, "mycket säker"), (0.8, "ganska säker"), (0.6, "osäker"), (0.2, "mycket osäker")],
)
def test_certainty_words(confidence: float, words: str) -> None:
    assert certainty_words(confidence) == words


def test_fallback_is_explained(make_record: MakeRecord) -> None:
    record = _stored(make_record)
    record["nlu"].update(intent="nlu_fallback", confidence=0.41, fallback_threshold=0.6)
    text = explain(record)
    assert "inte tillräckligt säker" in text and "60 procent" in text


def test_response_without_article(make_record: MakeRecord) -> None:
    record = _stored(make_record, answers=[{"text": "Hej!", "source": None, "response": "utter_greet"}])
    text = explain(record)
    assert "färdigskrivet standardsvar" in text and "utter_greet" in text


def test_no_personal_data_found(make_record: MakeRecord) -> None:
    record = _stored(make_record, pii={"findings": [], "counts": {}})
    assert "inga personuppgifter" in explain(record)


def test_shredded_content_is_not_shown(make_record: MakeRecord) -> None:
    record = _stored(make_record, input_redacted=None, content_shredded=True)
    text = explain(record)
    assert "raderad" in text and "Du skrev" not in text


def test_handoff_and_vault_uses_are_reported_by_type_only(make_record: MakeRecord) -> None:
    record = _stored(make_record)
    record["guardrails"].update(
        handoff_offered=True, vault_uses=[{"purpose": "svar på felanmälan", "type": "EMAIL_ADDRESS"}]
    )
    text = explain(record)
    assert "kontakt med en människa" in text and "e-postadress" in text and "svar på felanmälan" in text


def test_swedish_date_handles_plain_dates_and_garbage() -> None:
    assert swedish_date("2026-09-01") == "1 september 2026"
    assert swedish_date(None) == "okänt datum"
    assert swedish_date("sometime") == "sometime"


def test_metadata_deleted_record() -> None:
    text = explain({"audit_id": "KS-7K3M9Q2X4B", "seq": 1, "created_at": "x", "metadata_deleted": True})
    assert "gallrade" in text and "KS-7K3M9Q2X4B" in text and "Stämmer inte svaret?" in text
    assert "Du skrev" not in text


def _urgent_suicide_record(make_record: MakeRecord, rule: str, evidence: str) -> dict[str, Any]:
    """A stored record of the suicide notice, found by ``rule``."""
    notice = {"policy": "urgent_notice_suicide", "version": 2, "content_hash": "ab", "topic": "emergency"}
    urgent = {"kind": "urgent", "category": "suicide_self_harm", "rule": rule, "evidence": evidence}
    return _stored(
        make_record,
        answers=[{"text": "Ring 112 nu.", "source": notice, "response": None}],
        safety={"version": 2, "urgent": urgent, "assessment": None},
    )


def test_policy_notice_is_named_as_the_source_with_its_version(make_record: MakeRecord) -> None:
    text = explain(_urgent_suicide_record(make_record, "cue", "vill inte leva"))
    assert "policy notice ”urgent_notice_suicide”, version 2" in text
    assert "självmordstankar" in text and "112" in text
    assert "vill inte leva" not in text  # the cue is not the citizen's words, but neither is shown


def test_assessment_request_is_explained(make_record: MakeRecord) -> None:
    notice = {"policy": "eligibility_notice", "version": 2, "content_hash": "ab"}
    record = _stored(
        make_record,
        answers=[{"text": "Jag kan inte bedöma …", "source": notice, "response": None}],
        safety={
            "version": 2,
            "urgent": None,
            "assessment": {
                "kind": "assessment",
                "category": "assessment",
                "rule": "description",
                "evidence": "x",
            },
        },
    )
    text = explain(record)
    assert "eligibility_notice" in text and "aldrig sådana bedömningar" in text
    assert "liknade en beskrivning" in text


def _reminded(
    make_record: MakeRecord, policy: str, category: str, rule: str, **scores: Any
) -> dict[str, Any]:
    """A stored record whose reply starts with the 112 reminder ``policy`` for a ``caution`` finding."""
    notice = {"policy": policy, "version": 2, "content_hash": "ab"}
    caution = {"kind": "caution", "category": category, "rule": rule, "evidence": "x", **scores}
    return _stored(
        make_record,
        answers=[{"text": "Om någon är i fara just nu, ring 112 …", "source": notice, "response": None}],
        safety={"version": 2, "urgent": None, "assessment": None, "caution": caution},
    )


def test_the_112_reminder_before_a_usual_answer_is_explained(make_record: MakeRecord) -> None:
    record = _reminded(
        make_record, "caution_notice_suicide", "suicide_self_harm", "description", score=0.84, margin=-0.004
    )
    text = explain(record)
    assert "policy notice ”caution_notice_suicide”, version 2" in text
    assert "påminnelse om att ringa 112" in text and "inte säker" in text
    assert "liknar en nödsituation men inte säkert är en" in text  # why the notice (its kind's text)


def test_the_112_reminder_for_a_message_in_another_language_says_why(make_record: MakeRecord) -> None:
    text = explain(_reminded(make_record, "caution_notice", "any", "language", score=None, margin=None))
    assert "annat språk än svenska eller engelska" in text and "påminnelse om att ringa 112" in text
    assert "men boten var inte säker" not in text


def test_explains_how_the_answer_engine_chose(make_record: MakeRecord) -> None:
    record = _stored(make_record)
    record["answers"][0]["selection"] = {
        "rule": "answer",
        "reason": "score 1.610 >= 1.55 and margin 0.080 >= 0.05",
        "score": 1.61,
        "runner_up": {"article_id": "waste-bin-fees", "score": 1.53},
        "candidates": [{"article_id": "waste-collection-schedule", "score": 1.61}],
        "thresholds": {"answer_min_score": 1.55, "answer_min_margin": 0.05},
    }
    text = explain(record)
    assert "Hur svaret valdes" in text and "en artikel passade klart bäst" in text
    assert "”waste-collection-schedule” med poängen 1.61" in text and "”waste-bin-fees” med 1.53" in text
    assert "minst 1.55 och ledningen minst 0.05" in text


def test_explains_an_honest_no_answer(make_record: MakeRecord) -> None:
    record = _stored(make_record)
    record["answers"][0]["source"] = {"policy": "no_answer_notice", "version": 3}
    record["answers"][0]["selection"] = {"rule": "abstain", "reason": "score 1.43 < 1.52", "candidates": []}
    text = explain(record)
    assert "ingen artikel passade tillräckligt bra" in text
    assert "ingen godkänd artikel svarar på frågan" in text


def test_a_record_without_the_engines_decision_has_no_such_section(make_record: MakeRecord) -> None:
    assert "Hur svaret valdes" not in explain(_stored(make_record))


SITE_SOURCE = {
    "passage_id": "p_0123456789abcdef0123456789abcd",
    "kind": "site",
    "page_url": "https://www.exempelstad.se/uppleva-och-gora/simhallen/",
    "page_title": "Simhallen",
    "heading": "Simhallen > Priser",
    "content_hash": "9f" * 32,
    "import_id": "imp-20261201T101500-ab12",
    "last_modified": "2026-05-03",
    "language": "sv",
}


def test_a_website_answer_names_page_heading_import_and_hash(make_record: MakeRecord) -> None:
    selection = {
        "rule": "abstain",
        "reason": "score 1.500 < 1.54",
        "candidates": [{"article_id": "culture-leisure-swimming-pool-prices", "score": 1.5}],
        "score": 1.5,
        "thresholds": {"answer_min_score": 1.57, "answer_min_margin": 0.05},
        "site": {
            "rule": "site_answer",
            "reason": "no article answered; passage score 0.930 >= 0.915",
            "passage": {"passage_id": SITE_SOURCE["passage_id"], "score": 0.93},
        },
    }
    answer = {
        "text": "Vuxna betalar 80 kronor.",
        "source": SITE_SOURCE,
        "response": None,
        "selection": selection,
    }
    text = explain(_stored(make_record, answers=[answer]))
    assert "utdrag ur kommunens webbplats" in text and "Simhallen > Priser" in text
    assert SITE_SOURCE["page_url"] in text and SITE_SOURCE["import_id"] in text
    assert "9f9f9f9f9f9f9f9f" in text and "3 maj 2026" in text
    assert "sökte i texterna från kommunens webbplats" in text and "0.93" in text
    assert "sa att den inte har något svar" not in text  # the site answered


def test_the_record_schema_accepts_one_named_source_only() -> None:
    from audit.errors import InvalidRecord
    from audit.record import validate_record

    base = {"conversation": "c_1", "turn": 1, "input_redacted": "fråga"}
    stored = validate_record({**base, "answers": [{"text": "t", "source": SITE_SOURCE}]})
    assert stored["answers"][0]["source"]["page_url"] == SITE_SOURCE["page_url"]
    assert "article_id" not in stored["answers"][0]["source"]
    both = {**SITE_SOURCE, "article_id": "waste-bin-fees"}
    with pytest.raises(InvalidRecord, match="answers.0.source"):
        validate_record({**base, "answers": [{"text": "t", "source": both}]})


def test_an_escalated_emergency_says_it_also_named_how_where_or_a_farewell(make_record: MakeRecord) -> None:
    evidence = "description | (godstag*|nasta tag|next train|oncoming)"
    text = explain(_urgent_suicide_record(make_record, "escalated", evidence))
    assert "nämnde hur, var eller ett avsked" in text and "112" in text
    assert "liknade en beskrivning" not in text and "godstag" not in text
