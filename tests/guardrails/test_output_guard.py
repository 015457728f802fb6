"""Output guard: only approved content, and no personal data that the approved text does not contain."""

from __future__ import annotations

import pytest

from guardrails.output_guard import OutputGuard, check_output
from guardrails.redactor import Redactor

APPROVED = [
    "Soporna hämtas varannan vecka. Ring kundtjänst på 0123-45 01 00 om du har frågor.",
    "Tack {name}! Vi hör av oss.",
    "Hej! Jag är kommunens digitala assistent.",
]


@pytest.fixture(scope="module")
def guard(redactor: Redactor) -> OutputGuard:
    return OutputGuard(APPROVED, redactor)


def test_approved_text_passes_even_with_the_municipality_phone_number(guard: OutputGuard) -> None:
    check = guard.check("Soporna hämtas varannan vecka.  Ring kundtjänst på 0123-45 01 00 om du har frågor.")
    assert check.ok and check.hits == []


def test_unapproved_text_fails(guard: OutputGuard) -> None:
    check = guard.check("Du har rätt till bistånd.")
    assert not check.ok
    assert [h.reason for h in check.hits] == ["not_approved_content"]


def test_unapproved_text_with_personal_data_names_the_types_not_the_values(guard: OutputGuard) -> None:
    check = guard.check("Ring Anna på 070-123 45 67 eller mejla anna@example.se")
    assert not check.ok
    reasons = [(h.reason, h.type) for h in check.hits]
    assert ("not_approved_content", None) in reasons
    assert ("personal_data", "PHONE_NUMBER") in reasons
    assert ("personal_data", "EMAIL_ADDRESS") in reasons
    assert "070" not in str([h.to_dict() for h in check.hits])


def test_template_slots_may_hold_placeholders_but_not_raw_personal_data(guard: OutputGuard) -> None:
    assert guard.check("Tack <PERSON_1>! Vi hör av oss.").ok
    leaked = guard.check("Tack 19900101-1239! Vi hör av oss.")
    assert not leaked.ok
    assert [(h.reason, h.type) for h in leaked.hits] == [("personal_data", "SE_PERSONNUMMER")]


def test_check_output_function(redactor: Redactor) -> None:
    assert check_output("Hej! Jag är kommunens digitala assistent.", APPROVED, redactor).ok
    assert not check_output("Hej!", APPROVED, redactor).ok
