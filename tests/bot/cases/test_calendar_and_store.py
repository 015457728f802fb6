"""Swedish working days, opening hours, case numbers, field encryption and the retention command."""

from __future__ import annotations

import os
import stat
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from audit.cases import __main__ as cases_cli
from audit.cases.crypto import FieldCipher
from audit.cases.errors import ContactKeyError
from audit.cases.ids import CASE_NUMBER_TOKEN, fill_case_number, format_case_id, parse_case_id, to_template
from bot.holidays import OpeningHours, add_working_days, is_holiday, is_working_day
from bot.settings import PROJECT_ROOT


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


HOURS = OpeningHours.load(PROJECT_ROOT / "data")


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


def test_case_numbers():
    assert format_case_id(2026, 123) == "KS-2026-000123"
    assert parse_case_id(" ks-2026-000123 ") == (2026, 123)
    assert parse_case_id("KS-26-1") is None and parse_case_id("KS-7K3M9Q2X4B") is None
    text = fill_case_number(f"Ärendenummer {CASE_NUMBER_TOKEN}.", "KS-2026-000007")
    assert (
        text == "Ärendenummer KS-2026-000007." and to_template(text) == f"Ärendenummer {CASE_NUMBER_TOKEN}."
    )
    assert to_template("Ring 0123-45 00 00") == "Ring 0123-45 00 00"


def test_field_cipher(tmp_path: Path):
    key_path = tmp_path / "keys" / "case.key"
    cipher = FieldCipher.from_file(key_path)
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    blob = cipher.encrypt("anna@example.com", "KS-2026-000001/contact")
    assert b"anna" not in blob
    assert cipher.decrypt(blob, "KS-2026-000001/contact") == "anna@example.com"
    with pytest.raises(ContactKeyError):
        cipher.decrypt(blob, "KS-2026-000002/contact")  # moved to another case
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(ContactKeyError):
        cipher.decrypt(tampered, "KS-2026-000001/contact")
    new_key = os.urandom(32)
    rotated = FieldCipher(new_key, old_keys=(key_path.read_bytes(),))
    assert rotated.decrypt(blob, "KS-2026-000001/contact") == "anna@example.com"
    with pytest.raises(ContactKeyError):
        FieldCipher(new_key).decrypt(blob, "KS-2026-000001/contact")
    with pytest.raises(ContactKeyError):
        FieldCipher(b"short")


def test_purge_command(tmp_path: Path, capsys):
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    assert cases_cli.main(["purge", "--database-url", url, "--key-path", str(tmp_path / "k.key")]) == 0
    assert "contacts deleted: 0" in capsys.readouterr().out
