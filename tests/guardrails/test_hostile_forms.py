"""Personal data in hostile forms is redacted whole; the same forms without personal data are not.

Values are generated from the numbering rules (``scripts/pii_hostile.py`` and ``pii_generators``), never
taken from an evaluation set.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pii_generators import flip_last_digit, personnummer

from guardrails.redactor import Redactor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from pii_hostile import EN_DIGITS, SV_DIGITS, clean_rows, hostile_rows  # noqa: E402

HOSTILE = hostile_rows(seed=11, per_class=6)


def _overlapping(findings: list, start: int, end: int, entity_type: str) -> bool:
    return any(f.type == entity_type and f.start < end and start < f.end for f in findings)


@pytest.mark.parametrize("row", HOSTILE, ids=[f"{r['section']}-{r['id']}" for r in HOSTILE])
def test_generated_hostile_forms_are_found_and_leave_no_digit_behind(redactor: Redactor, row: dict) -> None:
    result = redactor.redact(row["text"])
    for span in row["spans"]:
        assert _overlapping(result.findings, span["start"], span["end"], span["type"]), row["section"]
        # Every character of the value that carries information is inside a finding.
        for i in range(span["start"], span["end"]):
            ch = row["text"][i]
            if ch.isalnum():
                assert any(f.start <= i < f.end for f in result.findings), (row["section"], i)


@pytest.mark.parametrize("row", clean_rows(), ids=lambda r: r["id"])
def test_hostile_looking_messages_without_personal_data_are_left_alone(redactor: Redactor, row: dict) -> None:
    assert redactor.scan(row["text"]) == []


dates = st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2023, 12, 31))
births = st.integers(min_value=1, max_value=999)


def _spelled(digits: str, words: list[str], separator: str) -> str:
    return separator.join(words[int(d)] for d in digits)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(born=dates, birth=births, english=st.booleans(), separator=st.sampled_from([" ", ", ", "-"]))
def test_every_spelled_personnummer_is_found_and_a_flipped_one_never(
    redactor: Redactor, born, birth: int, english: bool, separator: str
) -> None:
    valid = personnummer(born.year, born.month, born.day, birth, long=False, sep="")
    words = EN_DIGITS if english else SV_DIGITS
    text = f"mitt personnummer är {_spelled(valid, words, separator)} tack"
    assert [f.type for f in redactor.scan(text)] == ["SE_PERSONNUMMER"]
    invalid = f"mitt personnummer är {_spelled(flip_last_digit(valid), words, separator)} tack"
    assert all(f.type != "SE_PERSONNUMMER" for f in redactor.scan(invalid))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(born=dates, birth=births, form=st.sampled_from(["spaced", "pairs", "rlo", "zero-width", "split"]))
def test_every_disguised_personnummer_is_found_and_a_flipped_one_never(
    redactor: Redactor, born, birth: int, form: str
) -> None:
    valid = personnummer(born.year, born.month, born.day, birth)
    for number, expected in ((valid, True), (flip_last_digit(valid), False)):
        head, serial = number.split("-")
        written = {
            "spaced": " ".join(head[2:]) + " - " + " ".join(serial),
            "pairs": f"{head[2:4]} {head[4:6]} {head[6:8]} - {serial}",
            "rlo": "\u202e" + number[::-1] + "\u202c",
            "zero-width": "\u200b".join(number),
            "split": f"{head}, de fyra sista är {serial}",
        }[form]
        text = f"Hej, pnr {written} tack"
        found = [f for f in redactor.scan(text) if f.type == "SE_PERSONNUMMER"]
        assert bool(found) is expected, (form, expected)
        if expected:  # the whole value is covered (the invisible override characters may stay)
            value = written.strip("\u202e\u202c")
            start = text.index(value)
            assert found[0].start <= start and found[-1].end >= start + len(value)


def test_a_list_of_phone_numbers_is_redacted_number_by_number(redactor: Redactor) -> None:
    text = "Nå oss på 070-123 45 67, 0731234567 / +46 8 123 456 78 eller\n0707654321 070 765 43 21"
    result = redactor.redact(text)
    assert [f.type for f in result.findings] == ["PHONE_NUMBER"] * 5
    assert not any(ch.isdigit() for ch in re.sub(r"<[A-Z_]+_\d+>", "", result.text))


_HOSTILE_ALPHABET = st.sampled_from(
    list("0123456789 -.,\n%@()[]&#;:/+")
    + ["\u202e", "\u202c", "\u202d", "\u2067", "\u2069", "\u200b", "\u00ad", "\ufeff", "e\u0301", "１", "٣"]
    + ["\ud800", "\udfff", "\x00", "\x85", "\u2028", "ﬁ", "ß", "İ"]
    + ["noll", "sju", "dubbel", "sista fyra", "heter", "Anna", "av", "och", "%40", "&#64;", "(at)", "mars"]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_HOSTILE_ALPHABET, max_size=60))
def test_any_mix_of_hostile_pieces_is_redacted_without_error(redactor: Redactor, parts: list[str]) -> None:
    text = "".join(parts)
    result = redactor.redact(text)
    previous_end = 0
    for finding in result.findings:
        assert previous_end <= finding.start < finding.end <= len(text)
        previous_end = finding.end


def test_deeply_nested_overrides_and_long_number_runs_do_not_break_the_redactor(redactor: Redactor) -> None:
    text = "\u202e" * 5000 + "9321-10100991" + "\u202c" * 5000 + " noll" * 3000 + " sista fyra 1239" * 200
    result = redactor.redact(text)
    assert "9321-10100991" not in result.text
