"""SE_BANK_ACCOUNT: clearing number + account number by Bankgirot's rules, in every way people write it."""

from __future__ import annotations

from datetime import date

import bank_account_numbers as accounts
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pii_generators import luhn_check_digit, personnummer
from recognizer_helpers import found

from guardrails.recognizers.se_bank_account_recognizer import (
    SeBankAccountRecognizer,
    find_bank_accounts,
    is_valid_bank_account,
)


@pytest.fixture(scope="module")
def recognizer() -> SeBankAccountRecognizer:
    return SeBankAccountRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Handelsbanken 6789 123456789", ["6789 123456789"]),
        ("konto 6789-123 456 789", ["6789-123 456 789"]),
        ("clearing/konto 6789/123 456 789", ["6789/123 456 789"]),
        ("6789 123 456 789", ["6789 123 456 789"]),
        ("SEB 5000-1234560", ["5000-1234560"]),
        ("5000-12 345 60", ["5000-12 345 60"]),
        ("5000 123 456 0", ["5000 123 456 0"]),
        ("Swedbank 7000, 765 432 4", ["7000, 765 432 4"]),
        ("Forex 9420, 417 23 85", ["9420, 417 23 85"]),
        ("Swedbank 8327-9, 914 682 447-0", ["8327-9, 914 682 447-0"]),
        ("Swedbank 83279 9146824470", ["83279 9146824470"]),
        ("Swedbank 8327-9 9146824470", ["8327-9 9146824470"]),
        ("Swedbank 8327, 914 682 447-0", ["8327, 914 682 447-0"]),
        ("personkonto 3300-9001011239", ["3300-9001011239"]),
        ("personkonto 3300-900101-1239", ["3300-900101-1239"]),
        ("kontonummer 33009001011239", ["33009001011239"]),
        ("konto 50001234560", ["50001234560"]),
        (
            "konto 5000-1234560, 6789 123 456 789 och 7000-7654324",
            ["5000-1234560", "6789 123 456 789", "7000-7654324"],
        ),
        ("konto 5000-1234560 2 gånger", ["5000-1234560"]),
        # the cue a few words after the number
        ("33009001011239 – det är mitt kontonummer", ["33009001011239"]),
        # a wrong check digit near a bank word: still the citizen's (mistyped) account, at the cued score
        ("SEB 5000-1234561", ["5000-1234561"]),
        ("konto 5000-1234561", ["5000-1234561"]),
        ("Betala 5000-1234561", []),
        # invalid: unknown clearing, all zeros, no context for joined digits, other number kinds
        ("6789 123456788", []),
        ("0701-234567", []),
        ("1000-1234567", []),
        ("2200-1234567", []),
        ("6000 000 000 000", []),
        ("50001234560", []),
        ("33009001011239", []),
        ("5000-1234560abc", []),
        ("5000-1234560.5", []),
        ("Dnr 2024-123", []),
        ("2024-03-15", []),
        ("19900101-1239", []),
        ("900101-1239", []),
        ("212000-0142", []),
        ("556036-0793", []),
        ("0701234567", []),
        ("070-123 45 67", []),
        ("+46701234567", []),
        ("4111 1111 1111 1111", []),
        ("SE45 5000 0000 0583 9825 7466", []),
        ("1 500 000 kr", []),
    ],
)
def test_table(recognizer: SeBankAccountRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


def test_context_raises_the_score(recognizer: SeBankAccountRecognizer) -> None:
    def score(text: str) -> float:
        return max(r.score for r in recognizer.analyze(text, ["SE_BANK_ACCOUNT"]))

    assert score("till 5000-1234560") < score("till kontonummer 5000-1234560") == 1.0
    assert score("till 50001234560") < 0.5 <= score("till konto 50001234560")


def test_module_helpers() -> None:
    assert is_valid_bank_account("8327-9, 914 682 447-0")
    assert not is_valid_bank_account("8327-9, 914 682 447-1")
    text = "ref 5000-1234560 och OCR 123"
    assert [text[s:e] for s, e in find_bank_accounts(text)] == ["5000-1234560"]


# Separator forms: {c} clearing, {a} account digits. Seven-digit (type 1) accounts.
SEVEN_DIGIT_FORMS = [
    "{c}-{a}",
    "{c} {a}",
    "{c}, {a}",
    "{c} - {a}",
    "{c}-{a[0]}{a[1]} {a[2]}{a[3]}{a[4]} {a[5]}{a[6]}",
    "{c} {a[0]}{a[1]}{a[2]} {a[3]}{a[4]}{a[5]} {a[6]}",
    "{c}, {a[0]}{a[1]}{a[2]} {a[3]}{a[4]} {a[5]}{a[6]}",
    "{c}-{a[0]}{a[1]}{a[2]} {a[3]}{a[4]} {a[5]}{a[6]}",
]
NINE_DIGIT_FORMS = [
    "{c}-{a}",
    "{c} {a}",
    "{c}, {a}",
    "{c} {a[0]}{a[1]}{a[2]} {a[3]}{a[4]}{a[5]} {a[6]}{a[7]}{a[8]}",
    "{c}-{a[0]}{a[1]}{a[2]} {a[3]}{a[4]}{a[5]} {a[6]}{a[7]}{a[8]}",
]
TEN_DIGIT_FORMS = [
    "{c}-{a}",
    "{c} {a}",
    "{c}, {a}",
    "{c}, {a[0]}{a[1]}{a[2]} {a[3]}{a[4]}{a[5]} {a[6]}{a[7]}{a[8]}-{a[9]}",
    "{c} {a[0]}{a[1]}{a[2]} {a[3]}{a[4]}{a[5]} {a[6]}{a[7]}{a[8]} {a[9]}",
    "{c}-{a[0]}{a[1]}{a[2]}{a[3]}{a[4]}{a[5]}-{a[6]}{a[7]}{a[8]}{a[9]}",
]
NO_CONTEXT = ["Betala till ", "Nummer ", "", "Det är "]
STRONG_CUES = ("kontonummer: ", "clearing och konto ")
WITH_CONTEXT = ["Mitt konto ", "kontonummer: ", "Swedbank ", "clearing och konto ", "bankkonto "]


def _flip(account: str) -> str:
    return account[:-1] + str((int(account[-1]) + 1) % 10)


def _assert_found_in_every_form(
    recognizer: SeBankAccountRecognizer, clearing: str, account: str, form: str, before: str
) -> None:
    written = form.format(c=clearing, a=account)
    assert found(recognizer, f"{before}{written} tack") == [written]
    # Joined (clearing and account in one run of digits) only with a context word.
    joined = clearing + account
    assert found(recognizer, f"Mitt konto {joined} tack") == [joined]
    assert found(recognizer, f"Nummer {joined} tack") == []


def _assert_flipped_is_not_found(
    recognizer: SeBankAccountRecognizer, clearing: str, account: str, form: str, before: str
) -> None:
    broken = _flip(account)
    assume(not is_valid_bank_account(f"{clearing}-{broken}") and not is_valid_bank_account(clearing + broken))
    written = form.format(c=clearing, a=broken)
    text = f"{before}{written} tack"
    if before in WITH_CONTEXT:  # a mistyped account near a bank word: redacted, never scored as validated
        scores = [r.score for r in recognizer.analyze(text, ["SE_BANK_ACCOUNT"], None)]
        assert all(score <= recognizer.CUED_SCORE for score in scores)
    else:
        assert found(recognizer, text) == []
    assert found(recognizer, f"Mitt konto {clearing}{broken} tack") == []


@given(
    clearing=st.sampled_from(accounts.TYPE1_COMMENT1 + accounts.TYPE1_COMMENT2),
    body=st.integers(1, 999_999),
    form=st.sampled_from(SEVEN_DIGIT_FORMS),
    before=st.sampled_from(NO_CONTEXT + WITH_CONTEXT),
)
def test_every_type1_account_is_found_and_a_flipped_check_digit_never(
    recognizer: SeBankAccountRecognizer, clearing: str, body: int, form: str, before: str
) -> None:
    built = accounts.type1(clearing, body)
    assume(built is not None)  # no digit completes this payload: banks never issue it
    assert built is not None
    _assert_found_in_every_form(recognizer, *built, form, before)
    _assert_flipped_is_not_found(recognizer, *built, form, before)


@given(
    clearing=st.sampled_from(["6000", "6152", "6789", "6999"]),
    body=st.integers(1, 99_999_999),
    form=st.sampled_from(NINE_DIGIT_FORMS),
    before=st.sampled_from(NO_CONTEXT + WITH_CONTEXT),
)
def test_every_handelsbanken_account_is_found_and_a_flipped_check_digit_never(
    recognizer: SeBankAccountRecognizer, clearing: str, body: int, form: str, before: str
) -> None:
    built = accounts.handelsbanken(clearing, body)
    assume(built is not None)
    assert built is not None
    _assert_found_in_every_form(recognizer, *built, form, before)
    _assert_flipped_is_not_found(recognizer, *built, form, before)


@given(
    clearing=st.sampled_from(accounts.TYPE2_COMMENT1 + accounts.SWEDBANK_8),
    body=st.integers(1, 999_999_999),
    form=st.sampled_from(TEN_DIGIT_FORMS),
    before=st.sampled_from(NO_CONTEXT + WITH_CONTEXT),
)
def test_every_type2_account_is_found_and_a_flipped_check_digit_never(
    recognizer: SeBankAccountRecognizer, clearing: str, body: int, form: str, before: str
) -> None:
    built = accounts.luhn_account(clearing, body)
    _assert_found_in_every_form(recognizer, *built, form, before)
    _assert_flipped_is_not_found(recognizer, *built, form, before)


@given(
    clearing=st.sampled_from(accounts.SWEDBANK_8),
    body=st.integers(1, 999_999_999),
    form=st.sampled_from(
        ["{c}-{k}, {a}", "{c}-{k} {a}", "{c}{k} {a}", "{c}{k}, {a}", "{c}-{k}, {g}", "{c}-{k} {g}"]
    ),
)
def test_swedbank_five_digit_clearing_numbers_are_found(
    recognizer: SeBankAccountRecognizer, clearing: str, body: int, form: str
) -> None:
    five = accounts.swedbank_clearing(clearing)
    _, account = accounts.luhn_account(clearing, body)
    grouped = f"{account[:3]} {account[3:6]} {account[6:9]}-{account[9]}"
    written = form.format(c=five[:4], k=five[4], a=account, g=grouped)
    assert found(recognizer, f"Swedbank {written}") == [written]
    joined = five + account
    assert found(recognizer, f"Swedbank {joined}") == [joined]


@given(
    year=st.integers(1930, 2005), month=st.integers(1, 12), day=st.integers(1, 28), birth=st.integers(1, 999)
)
def test_nordea_personkonto_is_clearing_3300_and_a_personnummer(
    recognizer: SeBankAccountRecognizer, year: int, month: int, day: int, birth: int
) -> None:
    pnr = personnummer(year, month, day, birth, long=False, sep="")
    for written in (f"3300-{pnr}", f"3300 {pnr[:6]}-{pnr[6:]}", f"3300, {pnr}"):
        assert found(recognizer, f"Nordea {written}") == [written]


@given(
    first=st.integers(1, 9),
    second=st.integers(0, 9),
    third=st.integers(2, 9),
    body=st.integers(0, 999_999),
    dash=st.booleans(),
)
def test_organisation_numbers_are_never_bank_accounts(
    recognizer: SeBankAccountRecognizer, first: int, second: int, third: int, body: int, dash: bool
) -> None:
    digits = f"{first}{second}{third}{body:06d}"
    org = digits + luhn_check_digit(digits)
    written = f"{org[:6]}-{org[6:]}" if dash else org
    assert found(recognizer, f"konto hos företaget med org.nr {written}") == []


@given(
    year=st.integers(1990, 2030),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    order=st.integers(0, 99_999),
    after=st.integers(1, 9_999),
)
def test_dates_and_order_numbers_are_never_bank_accounts(
    recognizer: SeBankAccountRecognizer, year: int, month: int, day: int, order: int, after: int
) -> None:
    for written in (f"{year}-{month:02d}-{day:02d}", f"{year}{month:02d}{day:02d}", f"{year}-{order:05d}"):
        assert found(recognizer, f"Ordern {written} till banken") == []
    # a date, then another number: "evenemangsbidrag, 2026-06-06, 300 deltagare" (half A of blind numbers
    # set 7) read as clearing 2026 and a seven-digit account
    assert found(recognizer, f"bidrag till banken för {year}-{month:02d}-{day:02d}, {after} deltagare") == []


def test_the_clearing_table_is_sorted_and_without_overlaps() -> None:
    ranges = SeBankAccountRecognizer.CLEARING_RANGES
    assert all(r.first <= r.last and r.min_length <= r.max_length for r in ranges)
    assert all(a.last < b.first for a, b in zip(ranges, ranges[1:], strict=False))


SPLIT_FORMS = [
    "clearingnummer {c} kontonummer {a}",
    "clearing {c}, konto {a}",
    "clnr {c} kontonr {a}",
    "Clearing: {c}, kontonummer: {a}",
    "mitt clearingnummer är {c} och kontonumret {a}",
    "clearing {c} account number {a}",
    # the account number first
    "mitt konto i banken är {a} med clearingnummer {c}",
    "kontonummer {a}, clearing {c}",
    "account {a}, clearing number {c}",
]


def _spaced(account: str) -> str:
    return " ".join(account[i : i + 3] for i in range(0, len(account), 3))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("clearingnummer 8327-9 kontonummer 914 682 447-0", ["8327-9 kontonummer 914 682 447-0"]),
        ("clearing 5000, konto 1234560 tack", ["5000, konto 1234560"]),
        ("clnr 3300 kontonr 900101-1239", ["3300 kontonr 900101-1239"]),
        # with a strong cue, an invalid value is still redacted, at the lower score
        ("clearing 5000 kontonummer 1234561", ["5000", "1234561"]),
        ("mitt kontonummer är 1234 5678 91", ["1234 5678 91"]),
        ("clearingnummer 9999", ["9999"]),
        # the account first, the clearing number after it
        (
            "mitt konto i Swedbank är 914 682 447-0 med clearingnummer 8327-9",
            ["914 682 447-0 med clearingnummer 8327-9"],
        ),
        ("konto 1234561 och clearing 5000", ["1234561", "5000"]),  # a wrong check digit: each part, lower
        # a clearing number that opens an account of its own is not the clearing of the number before
        # it, though a personnummer passes Swedbank's mod 10 check
        ("pnr 850709-2388 konto 8327-9 123 456 789-7", ["8327-9 123 456 789-7"]),
        # a compound of "konto" is context too; a mistyped check digit is still the account
        ("Kapitalkonto\t9661-4287346", ["9661-4287346"]),
        ("kontonummer 850709-2388, clearing 3300", ["850709-2388, clearing 3300"]),
        ("jag har 1234560 poäng och 5000 kr", []),
        # no cue: digit groups are not flagged
        ("jag har 5000 kr och 1234560 poäng", []),
        ("konto 123 456", []),
        ("kontonummer 1234", []),
    ],
)
def test_split_table(recognizer: SeBankAccountRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected


@given(
    birth=st.dates(),
    number=st.integers(0, 999),
    body=st.integers(1, 99_999_999),
    between=st.sampled_from([" konto ", ", kontonummer ", "\nKonto: ", " och mitt konto är "]),
)
def test_a_personnummer_before_a_whole_swedbank_account_stays_apart(
    recognizer: SeBankAccountRecognizer, birth: date, number: int, body: int, between: str
) -> None:
    pnr = personnummer(birth.year, birth.month, birth.day, number, long=False)
    clearing, account = accounts.luhn_account("8327", body)
    written = f"{accounts.swedbank_clearing(clearing)} {_spaced(account)}"
    text = f"pnr {pnr}{between}{written}"
    assert found(recognizer, text) == [written]


@given(
    kind=st.sampled_from(["type1", "handelsbanken", "swedbank", "personkonto"]),
    body=st.integers(1, 99_999_999),
    form=st.sampled_from(SPLIT_FORMS),
    spaced=st.booleans(),
)
def test_every_valid_pair_written_apart_is_redacted_completely(
    recognizer: SeBankAccountRecognizer, kind: str, body: int, form: str, spaced: bool
) -> None:
    if kind == "type1":
        built = accounts.type1(accounts.TYPE1_COMMENT1[body % 12], body % 1_000_000)
    elif kind == "handelsbanken":
        built = accounts.handelsbanken("6000", body)
    elif kind == "swedbank":
        clearing, account = accounts.luhn_account("8327", body)
        built = ("8327-9", account)
    else:
        built = accounts.luhn_account("3300", body)
    assume(built is not None)
    assert built is not None
    clearing, account = built
    assume(account.strip("0"))  # no bank issues an all-zero account ("5000-0000000" is not one)
    text = form.format(c=clearing, a=_spaced(account) if spaced else account)
    results = [r for r in recognizer.analyze(text, ["SE_BANK_ACCOUNT"], None) if r.score >= 1.0]
    covered = {i for r in results for i in range(r.start, r.end)}
    digits = {i for i, ch in enumerate(text) if ch.isdigit()}
    assert digits <= covered


@given(body=st.integers(1, 999_999), form=st.sampled_from([f for f in SPLIT_FORMS if ", konto " not in f]))
def test_a_pair_with_a_flipped_check_digit_is_redacted_below_the_validated_score(
    recognizer: SeBankAccountRecognizer, body: int, form: str
) -> None:
    built = accounts.type1("5000", body)
    assume(built is not None)
    assert built is not None
    clearing, account = built
    broken = _flip(account)
    assume(not is_valid_bank_account(f"{clearing}-{broken}"))
    text = form.format(c=clearing, a=broken)
    results = recognizer.analyze(text, ["SE_BANK_ACCOUNT"], None)
    assert {text[r.start : r.end] for r in results} == {clearing, broken}
    assert all(r.score == recognizer.CUED_SCORE for r in results)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bank's whole structure, a wrong check digit, a bank's name or "konto" near
        ("please pay the support to handelsbanken 6152 245 889 102, thanks", ["6152 245 889 102"]),
        ("Utbetalning till Swedbank 8105-9, 923 441 128-7.", ["8105-9, 923 441 128-7"]),
        ("Mitt konto är 5000-12 345 61 hos SEB", ["5000-12 345 61"]),
        # money paid into or drawn from it says it is an account, too
        ("hans pension går in på 9020-3341805", ["9020-3341805"]),
        ("kan ni dra från 9020-3341805 varje månad", ["9020-3341805"]),
        # Swedbank's fifth clearing digit checks the first four: the bank's whole structure without a word
        ("Dra gärna 8214-9 934 118 225-3 varje månad", ["8214-9 934 118 225-3"]),
        # money paid back to the citizen, right before where it goes, and money words ending a compound
        ("jag vill ha återbetalning till 3145-0012346", ["3145-0012346"]),
        ("kan ni sätta tillbaka pengarna till 9020 334 1806", ["9020 334 1806"]),
        ("please refund it to 5000-12 345 61", ["5000-12 345 61"]),
        ("Min ledarersättning kan betalas till 9020 334 1806.", ["9020 334 1806"]),
        # an invoice number before "återbetalning" is not where the money goes
        ("Fakturorna 7700 1244 894 och 7700 1245 124. Återbetalning önskas.", []),
        ("ärendet 8214-9 934 118 225-3", ["8214-9 934 118 225-3"]),
        # the same digits without a bank word, or numbers of other shapes near one, stay
        ("Nummer 6152 245 889 102 i kön", []),
        ("Ärende 9020-3341805 i kön", []),
        ("ärendet 8214-5 934 118 225-3", []),  # the fifth digit does not check the clearing number
        ("Swedbank ringde från 070-123 45 67 om mitt konto", []),
        ("OCR 7712 0045 3381 till bankgiro 5050-1055", []),
        ("Mitt konto hos Nordea, personnummer 19750101-6971", []),
        ("Handelsbanken 6152 245 889", []),  # too short for Handelsbanken's nine-digit accounts
    ],
)
def test_a_mistyped_account_near_a_bank_word_is_still_found_below_the_validated_score(
    recognizer: SeBankAccountRecognizer, text: str, expected: list[str]
) -> None:
    assert found(recognizer, text) == expected
    assert all(r.score <= recognizer.CUED_SCORE for r in recognizer.analyze(text, ["SE_BANK_ACCOUNT"], None))


@given(
    clearing=st.sampled_from(accounts.TYPE1_COMMENT1 + accounts.TYPE1_COMMENT2),
    body=st.integers(0, 999_999),
    cut=st.sampled_from([(3, 3, 3), (3, 4, 2), (2, 3, 3, 2), (5, 6), (6, 5)]),
)
def test_an_account_regrouped_past_its_clearing_number_is_found_near_a_bank_word(
    recognizer: SeBankAccountRecognizer, clearing: str, body: int, cut: tuple[int, ...]
) -> None:
    """Half A of blind numbers set 7: "791 890 684 32, swedbank", the eleven digits in groups that do not
    start with the four-digit clearing number. Read whole, like a joined number: a context word is needed."""
    account = accounts.type1(clearing, body)
    assume(account is not None and account[1].strip("0"))
    digits = "".join(account)
    groups, position = [], 0
    for size in cut:
        groups.append(digits[position : position + size])
        position += size
    groups[-1] += digits[position:]
    written = " ".join(groups)
    assert found(recognizer, f"återbetalningen kan gå till {written}, banken") == [written]
    assert found(recognizer, f"antal {written} st") == []
