"""SE_LICENSE_PLATE: ABC 123 and ABC 12D in any letter case, with the Swedish letter set and banned words."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
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
        ("registreringsnummer xyz 789", ["xyz 789"]),
        ("husvagnen abc 12d står kvar", ["abc 12d"]),
        ("Abc 123 parkerade på min plats", ["Abc 123"]),
        # "reg" alone as a whole word, and English parking words, are context too
        ("it was parked outside, reg ukt 492. who pays?", ["ukt 492"]),
        ("reg: abc 123", ["abc 123"]),
        ("enligt regler abc 123", []),
        # lower case without context: only triples that cannot be a word
        ("abc 12d", ["abc 12d"]),
        ("kpx 555", ["kpx 555"]),
        ("det var bmw 555 igen", ["bmw 555"]),
        ("abc 123", []),
        ("och 123 saker", []),
        ("har 100 kr", []),
        ("det 250 meter bort", []),
        ("tkr 500", []),
        ("lgh 123", []),
        ("hus 12b", []),
        ("den 12e maj", []),
        ("Box 123", []),
        # in a message written in capitals a common word before a number is still no plate; a plate is
        ("MÖT MIG I RUM 214 PÅ TISDAG", []),
        ("JAG SKICKADE DET TILL BOX 504 I GÅR", []),
        ("EOA 950 HAR STÅTT PÅ GATAN I TRE VECKOR", ["EOA 950"]),
        ("kl 123", []),
        ("nr 123", []),
        # letters outside the set, a final O, banned combinations, abbreviations, wrong lengths
        ("AIB 123", []),
        ("ÅÄÖ 123", []),
        ("AVB 123", []),
        ("ABC 12O", []),
        ("FAN 123", []),
        ("bilen TRE 123", []),
        ("SFS 2010:900", []),
        ("SEK 500", []),
        ("ABCD 123", []),
        ("AB 123", []),
        ("ABC 1234", []),
    ],
)
def test_table(recognizer: SeLicensePlateRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"
_LAST = list("0123456789ABCDEFGHJKLMNPRSTUWXYZ")
_EXCLUDED = SeLicensePlateRecognizer.NOT_PLATES | SeLicensePlateRecognizer.BANNED


@given(
    letters=st.text(alphabet=_LETTERS, min_size=3, max_size=3),
    digits=st.integers(0, 99),
    last=st.sampled_from(_LAST),
    sep=st.sampled_from([" ", "", "-"]),
)
def test_every_upper_case_plate_is_found(
    recognizer: SeLicensePlateRecognizer, letters: str, digits: int, last: str, sep: str
) -> None:
    plate = f"{letters}{sep}{digits:02d}{last}"
    expected = [] if letters in _EXCLUDED else [plate]
    assert found(recognizer, f"Det står en {plate} här") == expected


@given(
    letters=st.text(alphabet=_LETTERS, min_size=3, max_size=3),
    digits=st.integers(0, 99),
    last=st.sampled_from(_LAST),
    case=st.sampled_from([str.lower, str.title, str.upper]),
    context=st.sampled_from(["Min bil", "Regnr", "Bilen med registreringsnummer", "Felparkerad", "Husbilen"]),
)
def test_every_plate_in_any_case_is_found_with_a_context_word(
    recognizer: SeLicensePlateRecognizer, letters: str, digits: int, last: str, case, context: str
) -> None:
    assume(letters not in _EXCLUDED)
    plate = case(f"{letters} {digits:02d}{last}")
    assert found(recognizer, f"{context} {plate} står här") == [plate]


@given(
    letters=st.text(alphabet="BCDFGHJKLMNPRSTWXZ", min_size=3, max_size=3),
    digits=st.integers(0, 999),
)
def test_lower_case_plates_without_a_vowel_are_found_without_context(
    recognizer: SeLicensePlateRecognizer, letters: str, digits: int
) -> None:
    assume(letters not in _EXCLUDED | SeLicensePlateRecognizer.ABBREVIATIONS)
    plate = f"{letters.lower()} {digits:03d}"
    assert found(recognizer, f"Det var {plate} igen") == [plate]


@given(
    word=st.sampled_from(
        sorted(SeLicensePlateRecognizer.COMMON_WORDS | SeLicensePlateRecognizer.ABBREVIATIONS)
    ),
    number=st.integers(0, 999),
    letter_final=st.booleans(),
)
def test_ordinary_words_before_a_number_are_not_plates(
    recognizer: SeLicensePlateRecognizer, word: str, number: int, letter_final: bool
) -> None:
    tail = f"{number % 100:02d}b" if letter_final else f"{number:03d}"
    assert found(recognizer, f"Det är {word.lower()} {tail} här") == []
