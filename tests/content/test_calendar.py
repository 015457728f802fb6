"""Swedish working days (case deadlines count them) and the contact centre's opening hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
import yaml

from content.calendar import OpeningHours, add_working_days, is_holiday, is_working_day
from content.municipality import load_municipality
from content.paths import DEFAULT_DATA_DIR


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 2), 2, date(2026, 3, 4)),  # Monday → Wednesday
        (date(2026, 3, 6), 2, date(2026, 3, 10)),  # Friday → Tuesday
        (date(2026, 3, 7), 2, date(2026, 3, 10)),  # Saturday → Tuesday
        (date(2026, 3, 2), 10, date(2026, 3, 16)),
        (date(2026, 4, 2), 2, date(2026, 4, 8)),  # Skärtorsdag: Good Friday and Easter Monday are off
        (date(2026, 6, 18), 1, date(2026, 6, 22)),  # midsommarafton counts as a holiday
        (date(2026, 12, 23), 2, date(2026, 12, 29)),  # julafton, juldagen, annandag jul
        (date(2026, 12, 30), 1, date(2027, 1, 4)),  # nyårsafton and nyårsdagen
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


def test_holidays_and_weekdays():
    assert is_holiday(date(2026, 6, 6)) and is_holiday(date(2026, 12, 24)) and is_holiday(date(2027, 3, 26))
    assert not is_holiday(date(2026, 4, 30))  # valborgsmässoafton is a working day
    assert is_working_day(date(2026, 3, 2)) and not is_working_day(date(2026, 3, 8))
    with pytest.raises(ValueError):
        add_working_days(date(2026, 3, 2), -1)


HOURS = OpeningHours.load(DEFAULT_DATA_DIR)


@pytest.mark.parametrize(
    ("moment", "open_now", "next_opening"),
    [
        (datetime(2026, 3, 2, 9, 0, tzinfo=UTC), True, None),  # Monday 10.00
        (datetime(2026, 3, 6, 15, 30, tzinfo=UTC), False, datetime(2026, 3, 9, 8, 0)),  # Friday 16.30
        (datetime(2026, 4, 2, 12, 30, tzinfo=UTC), False, datetime(2026, 4, 7, 8, 0)),  # 14.30 before Easter
        (datetime(2026, 4, 2, 10, 30, tzinfo=UTC), True, None),  # 12.30 on Skärtorsdag: still open
        (datetime(2026, 3, 3, 5, 0, tzinfo=UTC), False, datetime(2026, 3, 3, 8, 0)),  # Tuesday 06.00
    ],
)
def test_opening_hours(moment, open_now, next_opening):
    state = HOURS.state(moment)
    assert state.open_now is open_now
    if next_opening is None:
        assert state.next_opening is None
    else:
        assert state.next_opening.replace(tzinfo=None) == next_opening


def test_day_before_a_holiday_closes_early():
    assert HOURS.hours_on(date(2026, 4, 2)) == (time(8, 0), time(13, 0))
    assert HOURS.hours_on(date(2026, 4, 3)) is None


def test_hours_are_the_municipality_profile_s(tmp_path: Path) -> None:
    profile = load_municipality()
    assert OpeningHours.from_municipality(profile) == HOURS
    raw = yaml.safe_load((DEFAULT_DATA_DIR / "municipality.yml").read_text(encoding="utf-8"))
    raw["contact_centre"]["opening_hours"]["saturday"] = {"open": "10:00", "close": "14:00"}
    (tmp_path / "municipality.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    edited = OpeningHours.load(tmp_path)
    assert HOURS.hours_on(date(2026, 3, 7)) is None
    assert edited.hours_on(date(2026, 3, 7)) == (time(10, 0), time(14, 0))
