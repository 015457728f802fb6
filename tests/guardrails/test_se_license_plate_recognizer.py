"""SE_LICENSE_PLATE: ABC 123 and ABC 12D with the Swedish letter set."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from recognizer_helpers import found

from guardrails.recognizers.se_license_plate_recognizer import SeLicensePlateRecognizer


@pytest.fixture(scope="module")
def recognizer() -> SeLicensePlateRecognizer:
    return SeLicensePlateRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bilen ABC 123 står fel", ["ABC 123"]),
        ("ABC123", ["ABC123"]),
        ("regnr MLB 12D", ["MLB 12D"]),
        ("min bil abc 123 fick p-bot", ["abc 123"]),
        ("GHJ-456", ["GHJ-456"]),
        # letters outside the set, a final O, abbreviations, lower case without context
        ("AIB 123", []),
        ("ÅÄÖ 123", []),
        ("ABC 12O", []),
        ("SFS 2010:900", []),
        ("SEK 500", []),
        ("och 123 saker", []),
        ("ABCD 123", []),
        ("AB 123", []),
    ],
)
def test_table(recognizer: SeLicensePlateRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"


@given(
    letters=st.text(alphabet=_LETTERS, min_size=3, max_size=3),
    digits=st.integers(0, 99),
    last=st.sampled_from(list("0123456789ABCDEFGHJKLMNPRSTUWXYZ")),
)
def test_every_upper_case_plate_is_found(
    recognizer: SeLicensePlateRecognizer, letters: str, digits: int, last: str
) -> None:
    plate = f"{letters} {digits:02d}{last}"
    expected = [] if letters in SeLicensePlateRecognizer.NOT_PLATES else [plate]
    assert found(recognizer, f"Det står en bil med {plate} här") == expected
