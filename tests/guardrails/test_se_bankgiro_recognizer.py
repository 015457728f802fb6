"""SE_BANKGIRO: bankgiro and plusgiro numbers with check digit and context."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pii_generators import flip_last_digit, luhn_check_digit
from recognizer_helpers import found

from guardrails.recognizers.se_bankgiro_recognizer import SeBankgiroRecognizer


@pytest.fixture(scope="module")
def recognizer() -> SeBankgiroRecognizer:
    return SeBankgiroRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("betala till bankgiro 505-0109", ["505-0109"]),
        ("BG 5050-1055", ["5050-1055"]),
        ("plusgiro 1 23 45-5", ["1 23 45-5"]),
        ("pg 12345-5", ["12345-5"]),
        # wrong check digit, or no context word
        ("bankgiro 505-0108", []),
        ("505-0109", []),
        ("Dnr 2024-1234", []),
        ("ring 070-123 45 67", []),
    ],
)
def test_table(recognizer: SeBankgiroRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(body=st.integers(100_000, 9_999_999))
def test_valid_bankgiro_numbers_are_found_and_flipped_check_digits_never(
    recognizer: SeBankgiroRecognizer, body: int
) -> None:
    digits = str(body)
    digits += luhn_check_digit(digits)
    number = f"{digits[:-4]}-{digits[-4:]}"
    assert found(recognizer, f"vårt bankgiro är {number}") == [number]
    assert found(recognizer, f"vårt bankgiro är {flip_last_digit(number)}") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # chat style: lower case, no punctuation, the cue at the start or mistyped
        ("bg 5050-1055 ska jag betala till?", ["5050-1055"]),
        ("betala till bankgrio 5050-1055", ["5050-1055"]),
        ("bakngiro 5050-1055", ["5050-1055"]),
        ("plusgirot 12345-5", ["12345-5"]),
        ("BANKGIRONR: 5050 1055", ["5050 1055"]),
        # right after a cue the dash may be missing
        ("bg 50501055", ["50501055"]),
        ("bankgiro 505 0109", ["505 0109"]),
        ("pg 123455", ["123455"]),
        ("bg nr är 5050-1055 tack", ["5050-1055"]),
        # still needs a cue and a valid check digit
        ("betala 5050-1055", []),
        ("bg 50501056", []),
        ("bangkok 5050-1055", []),
        ("bilgiro 2024-1234", []),
    ],
)
def test_chat_style_table(recognizer: SeBankgiroRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(
    body=st.integers(100_000, 9_999_999),
    cue=st.sampled_from(["bg", "BG", "bankgiro", "bankgrio", "bankgirot", "bnakgiro", "bankgiro nr"]),
    dash=st.booleans(),
    start=st.booleans(),
)
def test_every_valid_bankgiro_after_any_cue_is_found(
    recognizer: SeBankgiroRecognizer, body: int, cue: str, dash: bool, start: bool
) -> None:
    digits = f"{body}{luhn_check_digit(str(body))}"
    number = f"{digits[:-4]}-{digits[-4:]}" if dash else digits
    text = f"{cue} {number} ska jag betala till" if start else f"jag ska betala till {cue} {number}"
    assert found(recognizer, text) == [number]
    assert found(recognizer, text.replace(number, flip_last_digit(number))) == []
