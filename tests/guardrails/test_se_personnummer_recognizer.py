"""SE_PERSONNUMMER: table of valid and invalid rows, official test vectors, property tests."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pii_generators import flip_last_digit, personnummer

from guardrails.recognizers.se_personnummer_recognizer import (
    SePersonnummerRecognizer,
    find_personnummer,
    is_valid_personnummer,
)

ENTITY = "SE_PERSONNUMMER"


@pytest.fixture(scope="module")
def recognizer() -> SePersonnummerRecognizer:
    return SePersonnummerRecognizer()


def spans(recognizer: SePersonnummerRecognizer, text: str) -> list[str]:
    return [text[r.start : r.end] for r in recognizer.analyze(text, [ENTITY])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # valid: 12 and 10 digits, separators "-", "+", space, none
        ("Mitt personnummer är 19900101-1239.", ["19900101-1239"]),
        ("pnr 900101-1239", ["900101-1239"]),
        ("199001011239", ["199001011239"]),
        ("9001011239", ["9001011239"]),
        ("900101 1239 är mitt nummer", ["900101 1239"]),
        ("19900101 - 1239", ["19900101 - 1239"]),
        ("min farfar 090527+1474", ["090527+1474"]),
        ("19090527+1474", ["19090527+1474"]),
        ("skottdag 000229-2399", ["000229-2399"]),
        # samordningsnummer (day + 60)
        ("samordningsnummer 730288-9931", ["730288-9931"]),
        ("20210791-9967", ["20210791-9967"]),
        # interim number (letter in the serial)
        ("reservnummer 000101-T220", ["000101-T220"]),
        # the birth date written as a date, then the serial after a dash
        ("personnummer 1990-01-01-1239", ["1990-01-01-1239"]),
        ("90-01-01-1239", ["90-01-01-1239"]),
        # a slash, as it is written in some countries
        ("we write it like this: 900101/1239.", ["900101/1239"]),
        ("dnr 2026/1502", []),
        ("1990-01-01-1238", []),
        ("mötet 2026-03-12 1430", []),
        # two in one text
        ("19900101-1239 och 850714-4569", ["19900101-1239", "850714-4569"]),
        # invalid: check digit, date, century, length, birth number 000
        ("Mitt personnummer är 19900101-1238", []),
        ("personnummer 900101-1230", []),
        ("19900231-1234", []),
        ("900230-1230", []),
        ("901301-1231", []),
        ("21900101-1239", []),
        ("1509160006", []),
        ("ordernummer 1199001011239", []),
        ("19900101-12390", []),
        ("000101-E221", []),
        # organisation numbers are not personnummer
        ("org.nr 212000-0142", []),
        ("802005-1952", []),
        # dates and case numbers
        ("20240315", []),
        ("Dnr 2024-1234", []),
        # twelve digits in groups of four, as forms print them; not inside a longer run of groups
        ("Amina 2011 0923 4581", ["2011 0923 4581"]),
        ("kort 4581 2011 0923 4581", []),
        # the full birth date, a space and the serial; not a sum
        ("mother of Zofia (2017-08-21 1147)", ["2017-08-21 1147"]),
        ("Betalt 2017-08-21 1147 kr", []),
    ],
)
def test_table(recognizer: SePersonnummerRecognizer, text: str, expected: list[str]) -> None:
    assert spans(recognizer, text) == expected


def test_official_vectors(personnummer_vectors: dict) -> None:
    """Agree with every vector, except that a space separator is accepted on purpose."""
    rows = personnummer_vectors["list"] + personnummer_vectors["interim"] + personnummer_vectors["orgnumber"]
    checked = 0
    for row in rows:
        for field in ("long_format", "short_format", "separated_format", "separated_long"):
            if field not in row:
                continue
            value = row[field]
            expected = row["valid"] or (" " in value and is_valid_personnummer(value.replace(" ", "")))
            assert is_valid_personnummer(value) is expected, (field, value)
            checked += 1
    assert checked > 50


dates = st.dates(min_value=datetime.date(1880, 1, 1), max_value=datetime.date(2025, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    date=dates,
    birth=st.integers(min_value=1, max_value=999),
    coordination=st.booleans(),
    long=st.booleans(),
    sep=st.sampled_from(["-", "", " "]),
    prefix=st.sampled_from(["", "Mitt personnummer är ", "pnr: ", "Hej, jag har ", "("]),
)
def test_every_valid_number_is_found_and_a_flipped_check_digit_never(
    recognizer: SePersonnummerRecognizer,
    date: datetime.date,
    birth: int,
    coordination: bool,
    long: bool,
    sep: str,
    prefix: str,
) -> None:
    day = date.day + 60 if coordination else date.day
    number = personnummer(date.year, date.month, day, birth, long=long, sep=sep)
    assert spans(recognizer, f"{prefix}{number} tack") == [number]
    assert spans(recognizer, f"{prefix}{flip_last_digit(number)} tack") == []


def test_find_personnummer_returns_only_valid_spans() -> None:
    text = "kundnummer 19900101-1239 och 19900101-1238"
    assert [text[s:e] for s, e in find_personnummer(text)] == ["19900101-1239"]


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("ring mig på 0701234569", 0.9),
        ("mitt nummer 0702143215", 0.9),
        ("0701234569", 1.0),
        ("personnummer 0701234569", 1.0),
        ("Min dotters personnummer är 0701234569, ring mig", 1.0),
        ("ring mig, pnr 070123-4569", 1.0),
    ],
)
def test_a_mobile_shaped_number_next_to_a_phone_word_yields_to_the_phone(
    recognizer: SePersonnummerRecognizer, text: str, score: float
) -> None:
    assert [r.score for r in recognizer.analyze(text, [ENTITY])] == [score]
