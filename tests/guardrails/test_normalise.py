"""Input normaliser of the gateway and the offset-keeping detection view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardrails.detection_text import collapse_digit_separators, prepare
from guardrails.normalise import normalise_input


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hej\x00 då\x07", "Hej då"),
        ("rad ett\r\nrad två\ttab", "rad ett\nrad två\ttab"),
        ("a\u030a", "å"),  # NFC
        ("\ud800x", "\ufffdx"),
        ("\x85\x9fok", "ok"),
        ("vanlig text", "vanlig text"),
    ],
)
def test_normalise_input(raw: str, expected: str) -> None:
    assert normalise_input(raw) == expected


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("１２３", "123"),
        ("٠٧٠", "070"),
        ("a\u200bb\u202ec\u2066d", "abcd"),
        ("1\u20132", "1-2"),
        ("e\u0301", "é"),
        ("ﬁl", "fil"),
        ("Åsa", "Åsa"),
    ],
)
def test_detection_view(raw: str, normalised: str) -> None:
    assert prepare(raw).text == normalised


@given(st.text(max_size=60))
def test_every_normalised_span_maps_inside_the_original(raw: str) -> None:
    view = prepare(raw)
    n = len(view.text)
    for start in range(n):
        for end in range(start + 1, min(n, start + 4) + 1):
            a, b = view.to_original(start, end)
            assert 0 <= a < b <= len(raw)
    collapsed = collapse_digit_separators(view)
    if collapsed is not None:
        assert len(collapsed.text) < n
        assert all(0 <= s < e <= len(raw) for s, e in zip(collapsed.starts, collapsed.ends, strict=True))


def test_collapse_joins_only_disguising_separators() -> None:
    assert collapse_digit_separators(prepare("070 123 45 67")) is None
    collapsed = collapse_digit_separators(prepare("pnr 1 9 9 0.01.01"))
    assert collapsed is not None and collapsed.text == "pnr 19900101"
    assert collapsed.to_original(4, 12) == (4, 17)


# --- hostile forms -------------------------------------------------------------------------------

from guardrails.detection_text import DetectionText  # noqa: E402
from guardrails.normalise import (  # noqa: E402
    decoded_view,
    hostile_views,
    split_personnummer_spans,
    visual_order_view,
)
from guardrails.number_words import spelled_digits_views, word_digits  # noqa: E402


def _original(view: DetectionText, text: str, needle: str) -> str:
    start = view.text.index(needle)
    a, b = view.to_original(start, start + len(needle))
    return text[a:b]


def test_right_to_left_override_is_read_in_display_order() -> None:
    text = "pnr \u202e9321-10100991\u202c tack"
    view = visual_order_view(text)
    assert view is not None and "19900101-1239" in view.text
    assert _original(view, text, "19900101-1239") == "9321-10100991"
    assert visual_order_view("ingen override \u2067här\u2069") is None


def test_nested_overrides_and_paragraph_end() -> None:
    text = "\u202eab\u202dcd\u202cef\u202c\nxy"
    view = visual_order_view(text)
    assert view is not None and view.text == "fecdba\nxy"


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("mailto:anna%40example.se", "anna@example.se"),
        ("anna%40example%2Ese", "anna@example.se"),
        ("a&#64;example.se", "a@example.se"),
        ("anna(at)example(dot)se", "anna@example.se"),
        ("anna [at] example [punkt] se", "anna@example.se"),
        ("anna snabel-a example.se", "anna@example.se"),
        ("anna at example dot se", "anna@example.se"),
        ("namn=%C3%85sa", "namn=Åsa"),
    ],
)
def test_encodings_are_decoded_and_map_back_whole(text: str, plain: str) -> None:
    view = decoded_view(prepare(text))
    assert view is not None and plain in view.text
    a, b = view.to_original(view.text.index(plain), view.text.index(plain) + len(plain))
    assert (a, b) == (len(text) - len(text.removeprefix("mailto:")), len(text))


def test_no_decoding_without_encodings() -> None:
    assert decoded_view(prepare("Vi ses at the library, room two.")) is None
    assert decoded_view(prepare("100% nöjd")) is None


@pytest.mark.parametrize(
    ("word", "digits"),
    [
        ("sju", "7"),
        ("Noll", "0"),
        ("fyrtiofem", "45"),
        ("tjugoett", "21"),
        ("nittonhundraåttiofem", "1985"),
        ("tvåtusenfem", "2005"),
        ("nineteen", "19"),
        ("stol", None),
    ],
)
def test_number_words(word: str, digits: str | None) -> None:
    assert word_digits(word) == digits


@pytest.mark.parametrize(
    ("text", "digits", "original"),
    [
        ("noll sju noll ett två tre fyra fem sex sju", "0701234567", None),
        ("noll sju noll, ett två tre, fyrtiofem, sextiosju", "070 123 45 67", None),
        ("ring NOLL SJU NOLL DUBBEL TVÅ tre tack", "070223", "NOLL SJU NOLL DUBBEL TVÅ tre"),
        ("call zero seven oh double one two three", "0701123", "zero seven oh double one two three"),
        ("twenty-one thirty four", "2134", None),
        (
            "pnr åtta fem noll tre ett två streck ett två tre ett.",
            "850312-1231",
            "åtta fem noll tre ett två streck ett två tre ett",
        ),
    ],
)
def test_spelled_numbers_become_digits(text: str, digits: str, original: str | None) -> None:
    views = spelled_digits_views(prepare(text))
    assert views and digits in views[0].text
    first = views[0].text.index(digits)
    a, b = views[0].to_original(first, first + len(digits))
    assert text[a:b] == (original or text)


def test_ambiguous_tens_are_also_read_digit_by_digit() -> None:
    texts = [v.text for v in spelled_digits_views(prepare("noll sju sextio tre noll nio två sextio"))]
    assert "076309260" in texts and "0760309260" in texts


@pytest.mark.parametrize(
    "text",
    [
        "jag har två barn, tre katter och en hund",
        "Vi är fem personer och har sex rum",
        "en två",
        "Det tog tjugo minuter.",
    ],
)
def test_ordinary_number_words_are_left_alone(text: str) -> None:
    assert spelled_digits_views(prepare(text)) == []


@pytest.mark.parametrize(
    ("raw", "collapsed"),
    [
        ("85 03 12 - 12 31", "850312 - 1231"),
        ("1985 03 12 1231", "198503121231"),
        ("4111 1111\n1111 1111", "4111 11111111 1111"),
        ("19900101-\n1239", "19900101-1239"),
    ],
)
def test_collapse_spaced_groups_and_line_breaks(raw: str, collapsed: str) -> None:
    view = collapse_digit_separators(prepare(raw))
    assert view is not None and view.text == collapsed


def test_collapse_leaves_phone_grouping_and_amounts() -> None:
    assert collapse_digit_separators(prepare("ring 070 123 45 67 eller 08-123 456 78")) is None
    assert collapse_digit_separators(prepare("Det kostar 12 500 kr")) is None


@pytest.mark.parametrize(
    "text",
    [
        "född 19900101, de fyra sista är 1239",
        "Jag föddes den 1 januari 1990. Sista fyra: 1239",
        "born January 1, 1990 and the last four digits are 1239",
        "sista fyra siffrorna 1239, född 900101",
        "födelsedatum 1990-01-01 kontrollsiffror 1239",
    ],
)
def test_a_personnummer_split_into_date_and_last_four(text: str) -> None:
    (span,) = split_personnummer_spans(prepare(text))
    covered = text[span[0] : span[1]]
    assert "1239" in covered and ("1990" in covered or "900101" in covered)


@pytest.mark.parametrize(
    "text",
    [
        "född 19900101, de fyra sista är 1238",  # wrong check digit
        "Sista dagen är 2024-03-15, fyra dagar kvar",
        "datum 19900101, ordernummer 1239",  # no "last four" cue
    ],
)
def test_a_date_and_four_digits_alone_are_no_personnummer(text: str) -> None:
    assert split_personnummer_spans(prepare(text)) == []


def test_hostile_views_excerpt_only_around_the_rewritten_parts() -> None:
    text = "Hej! " * 200 + "mejla anna%40example.se" + " tack." * 100
    views = hostile_views(text, prepare(text))
    assert [v.name for v in views] == ["decoded"]
    assert len(views[0].view.text) < 300
    start = views[0].view.text.index("anna@example.se")
    a, b = views[0].view.to_original(start, start + len("anna@example.se"))
    assert text[a:b] == "anna%40example.se"


@given(st.text(max_size=80))
def test_every_hostile_view_maps_inside_the_original(raw: str) -> None:
    for hostile in hostile_views(raw, prepare(raw)):
        view = hostile.view
        for start in range(len(view.text)):
            a, b = view.to_original(start, start + 1)
            assert 0 <= a <= b <= len(raw)
