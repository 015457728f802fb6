"""Precision rules: case numbers, dates, amounts, references and the municipality's own numbers stay;
a value that validates as a structured identifier is never hidden by them."""

from __future__ import annotations

import bank_account_numbers as accounts
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pii_generators import luhn_check_digit

from guardrails.precision import is_protected, protected_spans
from guardrails.redactor import Redactor


def _found(redactor: Redactor, text: str) -> list[tuple[str, str]]:
    return [(text[f.start : f.end], f.type) for f in redactor.scan(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Mitt ärende har Dnr 2024-123.",
        "Gäller KS 2023/145 och BN 2024-1234.",
        "Beslutet kom 20240315, alltså 2024-03-15.",
        "Mötet är 06.03.2023 kl 09.00-16.00.",
        "Avgiften är 1 500 kr, eller 35 000 kronor per år.",
        "OCR 1234567890128 på fakturan.",
        "OCR-nummer 5131144024264627",
        "Ordernummer 4111111111111112 gäller boken.",
        "Kundnummer 100234567",
        "Boken har ISBN 978-91-27-15686-1.",
        "Enligt SFS 2010:900, 9 kap. 2 §.",
        # the law's abbreviation after the section, and a reporting duty named "lex <name>"
        "Jag anmäler enligt 14 kap. 3 § SoL, alltså lex Sarah.",
        "Enligt 9 kap. 27 § PBL och 2 kap. 1 § TF. Gäller Lex Maria också?",
        "Buss 4 går kl 14.30 från centrum.",
        "Kommunens org.nr är 212000-0142 och växeln 0123-45 00 00.",
        "Företaget har org.nr 556036-0793.",
        "bankgiro Dnr 2024-1234",
    ],
)
def test_not_personal_data(redactor: Redactor, text: str) -> None:
    assert redactor.scan(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kundnummer 19900101-1239", [("19900101-1239", "SE_PERSONNUMMER")]),
        ("ring 0731234567", [("0731234567", "PHONE_NUMBER")]),
        ("kundnummer 0701234567", [("0701234567", "PHONE_NUMBER")]),
        ("ref 070-123 45 67", [("070-123 45 67", "PHONE_NUMBER")]),
        ("Referensnummer: 0761234567, tack", [("0761234567", "PHONE_NUMBER")]),
        ("ordernummer 08-123 456 78", [("08-123 456 78", "PHONE_NUMBER")]),
        ("Ordernummer 4111111111111111 gäller boken.", [("4111111111111111", "CREDIT_CARD")]),
        ("faktura 5000-1234560", [("5000-1234560", "SE_BANK_ACCOUNT")]),
        (
            "Mitt nummer 0701234567 och org.nr 556036-0793",
            [("0701234567", "PHONE_NUMBER")],
        ),
    ],
)
def test_validating_values_win_over_the_rules(redactor: Redactor, text: str, expected: list) -> None:
    assert _found(redactor, text) == expected


def test_containment_not_overlap() -> None:
    spans = protected_spans("20240315-1234 Dnr 2024-123")
    assert is_protected(18, 26, spans)
    assert not is_protected(0, 13, spans)


def test_a_validating_value_is_cut_out_of_the_protected_span() -> None:
    text = "kundnummer 0701234567"
    spans = protected_spans(text)
    assert spans == [(0, 11)]
    assert not is_protected(11, 21, spans)


REFERENCE_WORDS = [
    "ref",
    "ref.",
    "kundnummer",
    "kundnr",
    "ordernummer",
    "order",
    "faktura",
    "avtalsnummer",
    "OCR",
]


@given(
    word=st.sampled_from(REFERENCE_WORDS),
    series=st.sampled_from(["70", "72", "73", "76", "79"]),
    subscriber=st.integers(0, 9_999_999),
    grouped=st.booleans(),
)
def test_a_mobile_number_after_a_reference_word_is_redacted(
    redactor: Redactor, word: str, series: str, subscriber: int, grouped: bool
) -> None:
    digits = f"{subscriber:07d}"
    number = f"0{series}-{digits[:3]} {digits[3:5]} {digits[5:]}" if grouped else f"0{series}{digits}"
    found = _found(redactor, f"{word} {number}")
    # Some 07-numbers are also valid samordningsnummer: redacted either way, never left in clear.
    assert len(found) == 1 and found[0][0] == number and found[0][1] in {"PHONE_NUMBER", "SE_PERSONNUMMER"}


@given(
    word=st.sampled_from(REFERENCE_WORDS),
    clearing=st.sampled_from(accounts.TYPE1_COMMENT1 + accounts.TYPE1_COMMENT2),
    body=st.integers(1, 999_999),
)
def test_a_bank_account_after_a_reference_word_is_redacted(
    redactor: Redactor, word: str, clearing: str, body: int
) -> None:
    built = accounts.type1(clearing, body)
    assume(built is not None)
    assert built is not None
    written = f"{built[0]}-{built[1]}"
    assert [t for _, t in _found(redactor, f"{word} {written}")] == ["SE_BANK_ACCOUNT"]


@given(
    first=st.integers(1, 9),
    second=st.integers(0, 9),
    third=st.integers(2, 9),
    body=st.integers(0, 999_999),
    dash=st.booleans(),
    sixteen=st.booleans(),
)
def test_organisation_numbers_are_never_flagged(
    redactor: Redactor, first: int, second: int, third: int, body: int, dash: bool, sixteen: bool
) -> None:
    digits = f"{first}{second}{third}{body:06d}"
    org = digits + luhn_check_digit(digits)
    written = ("16" if sixteen else "") + (f"{org[:6]}-{org[6:]}" if dash else org)
    assert redactor.scan(f"Föreningen har organisationsnummer {written}.") == []


@given(
    year=st.integers(1990, 2030),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    form=st.sampled_from(
        ["{y}-{m:02d}-{d:02d}", "{y}{m:02d}{d:02d}", "{d:02d}.{m:02d}.{y}", "{d}/{m} {y}", "{d:02d}/{m:02d}"]
    ),
)
def test_dates_are_never_flagged(redactor: Redactor, year: int, month: int, day: int, form: str) -> None:
    assert redactor.scan("Beslutet är daterat " + form.format(y=year, m=month, d=day) + ".") == []


@given(
    opens=st.integers(6, 12),
    closes=st.integers(13, 22),
    minutes=st.sampled_from([0, 15, 30, 45]),
    sep=st.sampled_from([".", ":"]),
)
def test_opening_hours_are_never_flagged(
    redactor: Redactor, opens: int, closes: int, minutes: int, sep: str
) -> None:
    text = f"Öppet {opens:02d}{sep}{minutes:02d}-{closes:02d}{sep}{minutes:02d} på vardagar."
    assert redactor.scan(text) == []


@pytest.mark.parametrize(
    ("text", "protected"),
    [
        ("556036-0793", True),
        ("5560360793", True),
        ("16556036-0793", True),
        ("0731234567", False),
        ("190101-0000", False),
    ],
)
def test_the_organisation_number_rule(text: str, protected: bool) -> None:
    assert is_protected(0, len(text), protected_spans(text)) is protected
