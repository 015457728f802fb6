"""IBAN_CODE: country formats and the mod-97 check."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pii_generators import iban_se
from recognizer_helpers import found

from guardrails.recognizers.iban_recognizer import IbanRecognizer


@pytest.fixture(scope="module")
def recognizer() -> IbanRecognizer:
    return IbanRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IBAN SE45 5000 0000 0583 9825 7466 tack", ["SE45 5000 0000 0583 9825 7466"]),
        ("SE4550000000058398257466", ["SE4550000000058398257466"]),
        ("iban: se45 5000 0000 0583 9825 7466", ["se45 5000 0000 0583 9825 7466"]),
        ("betalt från se45-5000-0000-0583-9825-7466.", ["se45-5000-0000-0583-9825-7466"]),
        ("DE89 3704 0044 0532 0130 00", ["DE89 3704 0044 0532 0130 00"]),
        # Letters in the account part typed in lower case too (blind numbers set 5, half A).
        ("refund it to nl91 abna 0417 1643 00 please", ["nl91 abna 0417 1643 00"]),
        ("iban gb29 nwbk 6016 1331 9268 19", ["gb29 nwbk 6016 1331 9268 19"]),
        ("Gb29-Nwbk-6016-1331-9268-19.", ["Gb29-Nwbk-6016-1331-9268-19"]),
        ("iban gb29 nwbk 6016 1331 9268 18", []),
        # Two IBANs with a word between: the first run must not swallow the second.
        (
            "SE45 5000 0000 0583 9825 7466 eller SE45 5000 0000 0583 9825 7466",
            ["SE45 5000 0000 0583 9825 7466", "SE45 5000 0000 0583 9825 7466"],
        ),
        (
            "SE45 5000 0000 0583 9825 7466 ELLER DE89 3704 0044 0532 0130 00",
            ["SE45 5000 0000 0583 9825 7466", "DE89 3704 0044 0532 0130 00"],
        ),
        # A capitalised word right after the number is not part of it (Presidio's pattern runs on).
        ("REFUND TO IBAN SE45 5000 0000 0583 9825 7466 PLEASE", ["SE45 5000 0000 0583 9825 7466"]),
        ("SE45-5000-0000-0583-9825-7466 TACK", ["SE45-5000-0000-0583-9825-7466"]),
        ("DE89 3704 0044 0532 0130 00 DANKE", ["DE89 3704 0044 0532 0130 00"]),
        ("SE45 5000 0000 0583 9825 7467 PLEASE", []),
        ("SE45 5000 0000 0583 9825 7467", []),
        ("SE46 5000 0000 0583 9825 7466", []),
        ("SE45 5000 0000 0583", []),
        # The check digits make an IBAN, not the country's length: a run that passes mod-97 with a digit
        # too few or too many for Sweden is still an account number (blind chat set 9, half A).
        ("IBAN SE7350000000058398257. Kwame", ["SE7350000000058398257"]),
        ("account, IBAN SE35 8000 0832 7912 3456 7. She is 81", ["SE35 8000 0832 7912 3456 7"]),
        ("IBAN SE35 8000 0832 7912 3456 7 PLEASE", ["SE35 8000 0832 7912 3456 7"]),
        ("IBAN SE35 8000 0832 7912 3456 8", []),
        ("IBAN XX35 8000 0832 7912 3456 7", []),
        ("Dnr 2024-123", []),
    ],
)
def test_table(recognizer: IbanRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(
    bban=st.text(alphabet="0123456789", min_size=20, max_size=20),
    separator=st.sampled_from(["", " ", "-"]),
    lower=st.booleans(),
    digit=st.integers(0, 19),
)
def test_valid_ibans_are_found_and_a_changed_digit_never(
    recognizer: IbanRecognizer, bban: str, separator: str, lower: bool, digit: int
) -> None:
    iban = iban_se(bban)
    changed_bban = bban[:digit] + str((int(bban[digit]) + 1) % 10) + bban[digit + 1 :]
    broken = iban[:4] + changed_bban

    def render(value: str) -> str:
        grouped = separator.join(value[k : k + 4] for k in range(0, len(value), 4))
        return grouped.lower() if lower else grouped

    assert found(recognizer, f"Mitt konto: {render(iban)}.") == [render(iban)]
    assert found(recognizer, f"Mitt konto: {render(broken)}.") == []
