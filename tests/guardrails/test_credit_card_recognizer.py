"""CREDIT_CARD: card number shapes and the Luhn check."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pii_generators import flip_last_digit, group4, luhn_check_digit
from recognizer_helpers import found

from guardrails.recognizers.credit_card_recognizer import CreditCardRecognizer, find_card_numbers


@pytest.fixture(scope="module")
def recognizer() -> CreditCardRecognizer:
    return CreditCardRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kortnummer 4111 1111 1111 1111", ["4111 1111 1111 1111"]),
        ("4111-1111-1111-1111", ["4111-1111-1111-1111"]),
        ("5500000000000004", ["5500000000000004"]),
        ("amex 3782 822463 10005", ["3782 822463 10005"]),
        ("mastercard 2223 0031 2200 3222", ["2223 0031 2200 3222"]),
        ("discover 6011 0000 0000 0004", ["6011 0000 0000 0004"]),
        ("diners 3056 930902 5904", ["3056 930902 5904"]),
        ("visa 4111111111119", ["4111111111119"]),
        ("4111 1111 1111 1112", []),
        # Luhn-valid, but no issuer has this prefix and length: bank account numbers
        ("Handelsbanken 6891-036835870", []),
        ("personkonto 3300-9001011230", []),
        ("19900101-1239", []),
        ("0701234567", []),
    ],
)
def test_table(recognizer: CreditCardRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(
    prefix=st.sampled_from(["4", "51", "52", "53", "54", "55", "2221", "2720"]), body=st.integers(0, 10**13)
)
def test_luhn_valid_cards_are_found_and_flipped_check_digits_never(
    recognizer: CreditCardRecognizer, prefix: str, body: int
) -> None:
    payload = (prefix + f"{body:014d}")[:15]
    card = payload + luhn_check_digit(payload)
    assert found(recognizer, f"kort {group4(card)} tack") == [group4(card)]
    assert found(recognizer, f"kort {group4(flip_last_digit(card))} tack") == []


def test_find_card_numbers_returns_luhn_valid_spans() -> None:
    text = "ordernummer 4111111111111111 och 4111111111111112"
    assert [text[s:e] for s, e in find_card_numbers(text)] == ["4111111111111111"]


@given(
    prefix=st.sampled_from(["6", "60", "67", "33", "31", "35", "1", "56"]),
    length=st.sampled_from([12, 13, 14]),
    body=st.integers(0, 10**14),
)
def test_luhn_valid_numbers_of_no_issuer_length_are_not_cards(
    recognizer: CreditCardRecognizer, prefix: str, length: int, body: int
) -> None:
    payload = (prefix + f"{body:015d}")[: length - 1]
    number = payload + luhn_check_digit(payload)
    assume(not (number.startswith(("30", "36", "38", "39")) and length == 14))  # Diners: 14 digits
    assert found(recognizer, f"nummer {number} tack") == []
