"""The accessibility statement's settings (``accessibility:`` in ``data/municipality.yml``), validated."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from content.accessibility import DEFAULT_STANDARD, DIGG_REPORT_URL, parse_accessibility
from content.errors import MunicipalityError
from content.municipality import load_municipality

CENTRE = ("kontaktcenter@exempelstad.se", "0123-45 00 00")


def test_the_demo_profile_has_a_complete_statement() -> None:
    a11y = load_municipality().accessibility
    assert a11y.compliance == "partial" and a11y.known_issues
    assert a11y.assessed_on == date(2026, 11, 30)
    assert a11y.published_on == a11y.updated_on == date(2026, 12, 2)
    assert (a11y.email, a11y.phone) == CENTRE
    assert a11y.supervision_url == DIGG_REPORT_URL


def test_without_the_section_the_defaults_apply() -> None:
    a11y = parse_accessibility(None, *CENTRE)
    assert a11y.compliance == "partial" and a11y.known_issues == ()
    assert a11y.standard == DEFAULT_STANDARD and a11y.text("method", "en").startswith("We reviewed")
    assert (a11y.email, a11y.phone) == CENTRE  # the contact centre's
    assert a11y.assessed_on is a11y.published_on is a11y.updated_on is None


def test_an_issue_without_english_is_shown_in_swedish() -> None:
    a11y = parse_accessibility({"known_issues": [{"sv": "Bristen"}], "compliance": "none"}, *CENTRE)
    assert a11y.known_issues[0].text("en") == "Bristen" and a11y.compliance == "none"


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ({"compliance": "mostly"}, "compliance"),
        ({"assessed_on": "30 november"}, "assessed_on"),
        ({"published_on": "2026-12-03", "updated_on": "2026-12-02"}, "published_on is after"),
        ({"supervision_url": "http://www.digg.se/"}, "https"),
        ({"contact": {"email": "inte en adress"}}, "e-mail"),
        ({"known_issues": "en brist"}, "known_issues"),
        ({"known_issues": [{"en": "English only"}]}, "Swedish"),
        ("partial", "mapping"),
    ],
)
def test_malformed_settings_are_refused(raw: Any, says: str) -> None:
    with pytest.raises(MunicipalityError, match=says):
        parse_accessibility(raw, *CENTRE)
