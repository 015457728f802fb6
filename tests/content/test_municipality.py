"""The municipality profile: one loader of ``data/municipality.yml``, validated."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.errors import MunicipalityError
from content.municipality import load_municipality, org_number_is_valid, parse_municipality
from content.paths import DEFAULT_DATA_DIR

PROFILE = DEFAULT_DATA_DIR / "municipality.yml"


def _raw() -> dict[str, Any]:
    return yaml.safe_load(PROFILE.read_text(encoding="utf-8"))


def test_reads_every_public_detail_of_the_demo_profile() -> None:
    raw = _raw()
    profile = load_municipality()
    assert profile.display_name == raw["name"]["sv"] == "Exempelstad kommun"
    assert profile.short_name == "Exempelstad"
    assert profile.org_number == raw["org_number"]
    assert profile.switchboard == raw["contact_centre"]["phone"]
    assert profile.email == raw["contact_centre"]["email"]
    assert profile.visiting_address["street"] == "Storgatan 1"
    assert profile.public_contacts.phones == tuple(raw["public_contacts"]["phones"])
    assert profile.public_contacts.emails == tuple(raw["public_contacts"]["emails"])
    assert profile.public_contacts.addresses == tuple(raw["public_contacts"]["addresses"])
    assert profile.opening_hours[0] == (time(8, 0), time(17, 0))
    assert profile.opening_hours[4] == (time(8, 0), time(16, 0))
    assert profile.opening_hours[5] is None and profile.opening_hours[6] is None
    assert profile.day_before_holiday_close == time(13, 0)
    assert "112" in profile.national_numbers


def test_public_values_are_the_municipality_s_own() -> None:
    profile = load_municipality()
    values = profile.public_values()
    for value in (profile.display_name, profile.short_name, profile.org_number, profile.switchboard):
        assert value in values
    assert set(profile.public_contacts.values()) <= set(values)
    assert len(values) == len(set(values))


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("212000-9994", True),
        ("212000-0142", True),
        ("212000-9995", False),
        ("2120009994", False),
        ("", False),
    ],
)
def test_org_number_format_and_check_digit(value: str, valid: bool) -> None:
    assert org_number_is_valid(value) is valid


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda raw: raw.update(org_number="212000-9995"), "org_number"),
        (lambda raw: raw.pop("name"), "no name"),
        (lambda raw: raw["contact_centre"]["opening_hours"].update(monday={"open": "8"}), "monday"),
        (lambda raw: raw.update(time_zone="Europe/Exempelstad"), "time_zone"),
    ],
)
def test_malformed_profiles_are_refused(edit: Any, message: str) -> None:
    raw = _raw()
    edit(raw)
    with pytest.raises(MunicipalityError, match=message):
        parse_municipality(raw)


def test_a_missing_profile_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MunicipalityError, match="municipality.yml"):
        load_municipality(tmp_path)


def test_time_saved_assumptions_name_known_topics_and_positive_minutes():
    from content.municipality import load_municipality
    from content.paths import DEFAULT_DATA_DIR
    from content.topics import load_topics

    assumptions = load_municipality(DEFAULT_DATA_DIR).time_saved
    topics = set(load_topics(DEFAULT_DATA_DIR).topics)
    assert set(assumptions.contact_minutes) - {"default"} <= topics
    assert all(minutes > 0 for minutes in assumptions.contact_minutes.values())
    assert assumptions.minutes_for("a topic without its own figure") == assumptions.contact_minutes["default"]


def test_time_saved_with_a_non_positive_figure_is_refused():
    import pytest

    from content.errors import MunicipalityError
    from content.municipality import parse_municipality

    raw = {"name": {"sv": "X kommun"}, "org_number": "212000-9994", "time_saved": {"case_minutes": 0}}
    with pytest.raises(MunicipalityError, match="case_minutes"):
        parse_municipality(raw)
