"""CREDIT_CARD: card number shapes and the Luhn check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pii_generators import flip_last_digit, group4, luhn_check_digit
from recognizer_helpers import found

from guardrails.recognizers.credit_card_recognizer import CreditCardRecognizer


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
        ("4111 1111 1111 1112", []),
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
