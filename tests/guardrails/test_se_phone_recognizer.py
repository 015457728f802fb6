"""PHONE_NUMBER: Swedish mobile and landline formats, international numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recognizer_helpers import found

from guardrails.recognizers.se_phone_recognizer import SePhoneRecognizer


@pytest.fixture(scope="module")
def recognizer() -> SePhoneRecognizer:
    return SePhoneRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ring 070-123 45 67", ["070-123 45 67"]),
        ("+46 70 123 45 67", ["+46 70 123 45 67"]),
        ("0046 70 123 45 67", ["0046 70 123 45 67"]),
        ("+46(0)70-123 45 67", ["+46(0)70-123 45 67"]),
        ("08-123 456 78", ["08-123 456 78"]),
        ("0470-123 45", ["0470-123 45"]),
        ("031-12 34 56", ["031-12 34 56"]),
        ("0701234567", ["0701234567"]),
        ("tel:070-1234567, tack", ["070-1234567"]),
        ("ring 070-123 45 67 12 gånger", ["070-123 45 67"]),
        ("+358 40 1234567", ["+358 40 1234567"]),
        ("070-123 45 67 eller 08-123 456 78", ["070-123 45 67", "08-123 456 78"]),
        # not phone numbers
        ("Dnr 2024-123", []),
        ("20240315", []),
        ("KS 2023/145", []),
        ("kostar 1 500 kr", []),
        ("buss 4 kl 14.30", []),
        ("ISBN 978-91-27-15686-1", []),
        ("19900101-1239", []),
        ("112", []),
        ("070-12", []),
        # a mistyped personnummer is not a phone number, even when it happens to dial
        ("personnummer 0911227586", []),
        ("samordningsnummer 010713-4091", []),
        ("050309-2893 är min sons personnummer", []),
        ("ring 0911-22 75 86", ["0911-22 75 86"]),
    ],
)
def test_table(recognizer: SePhoneRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(
    operator=st.sampled_from(["70", "72", "73", "76", "79"]),
    rest=st.integers(min_value=0, max_value=9_999_999),
    style=st.sampled_from(
        ["{0}{1}-{2} {3} {4}", "+46 {1} {2} {3} {4}", "{0}{1}{2}{3}{4}", "0046{1}{2}{3}{4}"]
    ),
)
def test_every_swedish_mobile_number_is_found(
    recognizer: SePhoneRecognizer, operator: str, rest: int, style: str
) -> None:
    digits = f"{rest:07d}"
    number = style.format("0", operator, digits[:3], digits[3:5], digits[5:])
    assert found(recognizer, f"Ring mig på {number} tack") == [number]
