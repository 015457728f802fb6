"""PHONE_NUMBER: the Swedish numbering plan in every grouping people type, and international numbers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pii_generators import luhn_check_digit
from recognizer_helpers import found

from guardrails.recognizers.se_phone_recognizer import SePhoneRecognizer, find_phone_numbers


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
        ("+46701234567", ["+46701234567"]),
        ("+46-70-123 45 67", ["+46-70-123 45 67"]),
        ("08-123 456 78", ["08-123 456 78"]),
        ("(08) 123 456 78", ["(08) 123 456 78"]),
        ("(08)-123 456 78", ["(08)-123 456 78"]),
        ("+46 (0)8-123 456 78", ["+46 (0)8-123 456 78"]),
        ("08-123 45", ["08-123 45"]),
        ("0470-123 45", ["0470-123 45"]),
        ("031-12 34 56", ["031-12 34 56"]),
        ("0701234567", ["0701234567"]),
        ("Mitt telefonnummer är 0731234567", ["0731234567"]),
        ("070 12 34 567", ["070 12 34 567"]),
        ("070 - 123 45 67", ["070 - 123 45 67"]),
        ("070/123 45 67", ["070/123 45 67"]),
        ("(070-123 45 67)", ["070-123 45 67"]),
        ("tel:070-1234567, tack", ["070-1234567"]),
        ("ring 070-123 45 67 12 gånger", ["070-123 45 67"]),
        ("+358 40 1234567", ["+358 40 1234567"]),
        ("+1 415-692-3000", ["+1 415-692-3000"]),
        ("+49(0)30 123456", ["+49(0)30 123456"]),
        # another country's number needs only a length its plan allows (ranges lag behind operators)
        ("Chris Walker +44 7700 900123", ["+44 7700 900123"]),
        ("call +1 555 123 4567", ["+1 555 123 4567"]),
        ("kostar +1 500 000 kr", []),
        # a Swedish mobile number in E.164 form without its "+"
        ("46701234567", ["46701234567"]),
        ("ring mig på 46 70 123 45 67", ["46 70 123 45 67"]),
        ("ref 46812345678", []),
        ("ocr 4670123456789", []),
        # other countries after "00", and one digit run after "+"
        ("ring 00358 40 123 4567", ["00358 40 123 4567"]),
        ("0047 912 34 567", ["0047 912 34 567"]),
        ("+358401234567", ["+358401234567"]),
        ("ordernr 0012345678", []),
        # the country code in brackets
        ("ring (+46) 70 123 45 67", ["+46) 70 123 45 67"]),
        ("(+46)701234567", ["+46)701234567"]),
        ("ref 0049123456789", []),
        ("betalade 46 700 kr", []),
        # several numbers in one message, however they are separated
        ("070-123 45 67 eller 08-123 456 78", ["070-123 45 67", "08-123 456 78"]),
        ("0701234567, 0731234567 eller 0761234567", ["0701234567", "0731234567", "0761234567"]),
        ("070-123 45 67 070-765 43 21", ["070-123 45 67", "070-765 43 21"]),
        ("0701234567/0731234567", ["0701234567", "0731234567"]),
        # not phone numbers
        ("Dnr 2024-123", []),
        ("20240315", []),
        ("KS 2023/145", []),
        ("kostar 1 500 kr", []),
        ("buss 4 kl 14.30", []),
        ("ISBN 978-91-27-15686-1", []),
        ("19900101-1239", []),
        ("556036-0793", []),
        ("5731234567", []),
        ("112", []),
        ("070-12", []),
        ("0812345", ["0812345"]),
        ("081234", []),
        ("05/03 2024", []),
        ("01/12 2024", []),
        ("01-12-2024", []),
        ("0900-1600", []),
        # a mistyped personnummer is not a phone number, even when it happens to dial
        ("personnummer 0911227586", []),
        ("samordningsnummer 010713-4091", []),
        ("050309-2893 är min sons personnummer", []),
        ("ring 0911-22 75 86", ["0911-22 75 86"]),
    ],
)
def test_table(recognizer: SePhoneRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


def test_find_phone_numbers_returns_spans_without_overlaps() -> None:
    text = "ring 070-123 45 67 eller +46 8 123 456 78"
    assert [text[s:e] for s, e in find_phone_numbers(text)] == ["070-123 45 67", "+46 8 123 456 78"]


# Every way people group a mobile number: {0} trunk zero, {1} operator digits, {2} the 7 subscriber digits.
MOBILE_FORMS = [
    "0{1}{2}",
    "0{1}-{2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "0{1} {2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "0{1}-{2}",
    "0{1} {2}",
    "0{1} {2[0]}{2[1]} {2[2]}{2[3]} {2[4]}{2[5]}{2[6]}",
    "0{1}-{2[0]}{2[1]} {2[2]}{2[3]} {2[4]}{2[5]}{2[6]}",
    "0{1}/{2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "0{1} - {2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "(0{1}) {2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "+46 {1} {2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "+46{1}{2}",
    "+46-{1}-{2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "+46 (0){1}-{2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "0046 {1} {2[0]}{2[1]}{2[2]} {2[3]}{2[4]} {2[5]}{2[6]}",
    "0046{1}{2}",
]
MOBILE_SERIES = ["70", "72", "73", "76", "79"]  # PTS: mobile series 070, 072, 073, 076, 079


def _mobile(series: str, subscriber: int, form: str) -> str:
    return form.format("0", series, f"{subscriber:07d}")


@given(
    series=st.sampled_from(MOBILE_SERIES),
    subscriber=st.integers(0, 9_999_999),
    form=st.sampled_from(MOBILE_FORMS),
    before=st.sampled_from(["Ring mig på ", "telefonnummer ", "Nummer: ", "", "sms till "]),
)
def test_every_swedish_mobile_number_is_found_in_every_form(
    recognizer: SePhoneRecognizer, series: str, subscriber: int, form: str, before: str
) -> None:
    number = _mobile(series, subscriber, form)
    assert found(recognizer, f"{before}{number} tack") == [number]


@given(
    numbers=st.lists(
        st.tuples(st.sampled_from(MOBILE_SERIES), st.integers(0, 9_999_999), st.sampled_from(MOBILE_FORMS)),
        min_size=2,
        max_size=4,
    ),
    joiner=st.sampled_from([", ", " eller ", " och ", " / ", "\n", "; "]),
)
def test_every_number_of_a_list_is_found(
    recognizer: SePhoneRecognizer, numbers: list[tuple[str, int, str]], joiner: str
) -> None:
    written = [_mobile(series, subscriber, form) for series, subscriber, form in numbers]
    assert found(recognizer, "Ring " + joiner.join(written)) == written


@given(
    series=st.sampled_from(["72", "73", "76", "79"]),  # third digit >= 2: the org-number shape
    subscriber=st.integers(0, 9_999_999),
    first=st.integers(1, 9),
    dash=st.booleans(),
)
def test_the_same_ten_digits_as_an_organisation_number_are_not_a_phone_number(
    recognizer: SePhoneRecognizer, series: str, subscriber: int, first: int, dash: bool
) -> None:
    digits = f"{first}{series}{subscriber:07d}"[:9]
    org = digits + luhn_check_digit(digits)
    written = f"{org[:6]}-{org[6:]}" if dash else org
    assert found(recognizer, f"Företaget har org.nr {written}") == []


# Area codes after the trunk 0 (PTS): two digits (subscriber 5-7 digits; 6-7 in the large cities whose
# codes sit among three-digit ones) and three digits (subscriber 5-6), so the NSN has 7 to 9 digits.
TWO_DIGIT_AREAS = [
    "11",
    "13",
    "16",
    "21",
    "23",
    "26",
    "33",
    "35",
    "36",
    "40",
    "42",
    "44",
    "46",
    "60",
    "63",
    "90",
]
CITY_AREAS = ["18", "19", "31", "54"]
THREE_DIGIT_AREAS = [
    "120", "123", "140", "150", "171", "220", "240", "250", "270", "280", "290", "300", "320", "340",
    "370", "380", "390", "410", "430", "451", "470", "480", "490", "500", "510", "520", "530", "550",
    "560", "570", "580", "590", "611", "620", "640", "650", "660", "670", "680", "690", "910", "920",
    "930", "940", "950", "960", "970", "980",
]  # fmt: skip


@st.composite
def geographic_numbers(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(["stockholm", "two", "city", "three"]))
    if kind == "stockholm":
        area, length = "8", draw(st.integers(5, 8))
    elif kind == "two":
        area, length = draw(st.sampled_from(TWO_DIGIT_AREAS)), draw(st.integers(5, 7))
    elif kind == "city":
        area, length = draw(st.sampled_from(CITY_AREAS)), draw(st.integers(6, 7))
    else:
        area, length = draw(st.sampled_from(THREE_DIGIT_AREAS)), draw(st.integers(5, 6))
    subscriber = str(draw(st.integers(2, 9))) + "".join(
        str(draw(st.integers(0, 9))) for _ in range(length - 1)
    )
    return area, subscriber


def _grouped(subscriber: str) -> str:
    """Group a subscriber number in twos from the right, the first group of two or three digits."""
    head = 3 if len(subscriber) % 2 else 2
    rest = subscriber[head:]
    return " ".join([subscriber[:head], *(rest[i : i + 2] for i in range(0, len(rest), 2))])


@given(
    number=geographic_numbers(),
    form=st.sampled_from(["0{a}-{g}", "0{a}{s}", "0{a} {g}", "(0{a}) {g}", "+46 {a} {g}", "+46 (0){a}-{g}"]),
)
def test_every_geographic_number_is_found(
    recognizer: SePhoneRecognizer, number: tuple[str, str], form: str
) -> None:
    area, subscriber = number
    written = form.format(a=area, s=subscriber, g=_grouped(subscriber))
    assert found(recognizer, f"Ring {written} efter lunch") == [written]


@given(
    day=st.integers(1, 9),
    month=st.integers(1, 12),
    year=st.integers(1990, 2030),
    form=st.sampled_from(["0{d}/{m} {y}", "0{d}-{m:02d}-{y}", "0{d}/{m:02d}/{y}", "0{d}/{m}"]),
)
def test_dates_are_not_phone_numbers(
    recognizer: SePhoneRecognizer, day: int, month: int, year: int, form: str
) -> None:
    assert found(recognizer, "Mötet är " + form.format(d=day, m=month, y=year)) == []


_THESE_CENTURIES = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))


@given(first=_THESE_CENTURIES, last=_THESE_CENTURIES, dash=st.sampled_from([" – ", " - ", "-", " till "]))
def test_no_phone_number_is_read_across_written_dates(
    recognizer: SePhoneRecognizer, first: date, last: date, dash: str
) -> None:
    assert found(recognizer, f"Ledighet: {first.isoformat()}{dash}{last.isoformat()}") == []
    assert found(recognizer, f"AUTH 042187  {first.isoformat()}  17:31") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a phone word anywhere near keeps a date-shaped number a phone number, whichever cue is nearer
        ("ring mig 0701234567 om pnr", ["0701234567"]),
        ("pnr har jag inte, ring 0701234567", ["0701234567"]),
        ("mitt personnummer vet du, mobil 0701234567", ["0701234567"]),
        # not a real date: never a personnummer, always a phone number
        ("pnr 0701334567", ["0701334567"]),
        # labelled a personnummer, a real date, no phone word: a mistyped personnummer
        ("personnummer 0911227586", []),
    ],
)
def test_personnummer_cue_never_drops_a_phone_number_with_a_phone_cue(
    recognizer: SePhoneRecognizer, text: str, expected: list[str]
) -> None:
    assert found(recognizer, text) == expected


@given(
    prefix=st.sampled_from(["070", "072", "073", "076", "079"]),
    rest=st.integers(0, 9_999_999),
    phone_cue=st.sampled_from(["ring", "sms:a", "mobil", "telefon"]),
    pnr_first=st.booleans(),
)
def test_a_mobile_number_with_a_phone_cue_is_always_found(
    recognizer: SePhoneRecognizer, prefix: str, rest: int, phone_cue: str, pnr_first: bool
) -> None:
    number = f"{prefix}{rest:07d}"
    text = f"pnr kommer sen, {phone_cue} {number}" if pnr_first else f"{phone_cue} {number} pnr kommer sen"
    assert found(recognizer, text) == [number]


def test_find_phone_numbers_is_linear() -> None:
    import time

    filler = "hej jag undrar om 12 saker och 3 till, "
    short, long = filler * 250, filler * 2500
    timings = []
    for text in (short, long):
        started = time.process_time()
        for _ in range(3):
            assert find_phone_numbers(text + "ring 070-123 45 67") == [(len(text) + 5, len(text) + 18)]
        timings.append(time.process_time() - started)
    # Ten times the text costs about ten times the work, never a hundred (generous for noisy CI).
    assert timings[1] < 30 * max(timings[0], 0.002)
    assert timings[1] < 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YYMMDD-NNNN with a real date is how a personnummer is written; phones have the dash after the
        # area code
        ("Referens 060407-0314", []),
        ("ring mig på 060407-0314", ["060407-0314"]),
        ("ring 060-407 03 14", ["060-407 03 14"]),
        # English labels of a personnummer
        ("My personal number 0911227586 is rejected by the form", []),
        ("my personal identity number is 0911227586", []),
    ],
)
def test_a_mistyped_personnummer_written_as_one_is_not_a_phone_number(
    recognizer: SePhoneRecognizer, text: str, expected: list[str]
) -> None:
    assert found(recognizer, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # freephone, shared-cost and premium-rate series are businesses' service numbers, not a person's
        ("JAG HAR RINGT 0771-25 25 25 TRE GÅNGER", []),
        ("Skatteverket har 0771-567 567", []),
        ("ring 020-123 456 eller 0200-12 34 56", []),
        ("0900-123 45 67 är ett betalnummer", []),
        # a person's own series stay: mobile, personal number (075), geographic, and 010
        ("ring 020-123 456 eller 0707-12 34 56", ["0707-12 34 56"]),
        ("mitt nummer är 075-123 45 67", ["075-123 45 67"]),
        ("jobbet 010-123 45 67", ["010-123 45 67"]),
    ],
)
def test_business_service_numbers_are_not_personal(
    recognizer: SePhoneRecognizer, text: str, expected: list[str]
) -> None:
    assert found(recognizer, text) == expected
