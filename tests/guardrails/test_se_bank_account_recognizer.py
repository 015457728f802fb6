"""SE_BANK_ACCOUNT: clearing number + account number with the bank's check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pii_generators import flip_last_digit, luhn_check_digit, mod11_check_digit
from recognizer_helpers import found

from guardrails.recognizers.se_bank_account_recognizer import SeBankAccountRecognizer


@pytest.fixture(scope="module")
def recognizer() -> SeBankAccountRecognizer:
    return SeBankAccountRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Handelsbanken 6789 123456789", ["6789 123456789"]),
        ("konto 6789-123 456 789", ["6789-123 456 789"]),
        ("SEB 5000-1234560", ["5000-1234560"]),
        ("Swedbank 7000, 765 432 4", ["7000, 765 432 4"]),
        ("Swedbank 8327-9, 123 456 789-7", ["8327-9, 123 456 789-7"]),
        ("personkonto 3300-9001011239", ["3300-9001011239"]),
        ("kontonummer 33009001011239", ["33009001011239"]),
        # invalid: wrong check, unknown clearing, no context for joined digits, other number kinds
        ("SEB 5000-1234561", []),
        ("6789 123456788", []),
        ("0701-234567", []),
        ("1000-1234567", []),
        ("33009001011239", []),
        ("Dnr 2024-123", []),
        ("19900101-1239", []),
        ("212000-0142", []),
    ],
)
def test_table(recognizer: SeBankAccountRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(
    clearing=st.sampled_from(["5000", "5321", "7100", "1200", "3000", "9150", "4000"]),
    body=st.integers(0, 999_999),
)
def test_type1_accounts_are_found_and_flipped_check_digits_never(
    recognizer: SeBankAccountRecognizer, clearing: str, body: int
) -> None:
    comment2 = clearing in {"9150", "4000"}
    payload = (clearing if comment2 else clearing[1:]) + f"{body:06d}"
    check = mod11_check_digit(payload)
    if check is None:  # no digit completes this payload: banks never issue it
        return
    account = f"{body:06d}{check}"
    text = f"{clearing}-{account}"
    assert found(recognizer, f"Mitt konto {text} tack") == [text]
    broken = flip_last_digit(text)
    if mod11_check_digit(payload) != broken[-1]:
        assert found(recognizer, f"Mitt konto {broken} tack") == []


@given(body=st.integers(0, 10**8))
def test_swedbank_8000_accounts_are_found(recognizer: SeBankAccountRecognizer, body: int) -> None:
    account = f"{body:09d}"
    account += luhn_check_digit(account)
    text = f"8327-9, {account}"
    assert found(recognizer, f"Swedbank {text}") == [text]
