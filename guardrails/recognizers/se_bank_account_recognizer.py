"""Swedish bank account numbers (``SE_BANK_ACCOUNT``): clearing number + account number.

The rules are Bankgirot's "Bankernas kontonummeruppbyggnad" (user manual, 2023 edition, as compiled in
machine-readable form by Bankinfrastruktur/BankData ``Data/source.psv``). The clearing number (4 digits)
names the bank and how its account numbers are built:

* **Type 1**: clearing number + a 7-digit account number. The last digit is a mod 11 check digit
  (weights 1, 2, ..., 10 from the right) over
  *comment 1*: the clearing number's last 3 digits + the 7 account digits (10 digits), or
  *comment 2*: all 4 clearing digits + the 7 account digits (11 digits).
* **Type 2**: the account number alone carries the check digit; the clearing number is not in it.
  *Comment 1*: mod 10 (Luhn) over the 10-digit account (shorter ones are zero-padded);
  *comment 2*: Handelsbanken, mod 11 over the 9-digit account;
  *comment 3*: Swedbank 8xxx and Plusgirot, mod 10 over the account number (up to 10 digits).
  Nordea's personkonto (clearing 3300 / 3782) is the holder's personnummer (``YYMMDDNNNC``).
* Swedbank's 8xxx clearing numbers are written with a fifth digit, a mod 10 check digit over the first
  four (``8327-9``); it is not part of the account number. It may be left out.

===========  =============================  ======  =======  =========
clearing     bank                           type    comment  account
===========  =============================  ======  =======  =========
1100-1199    Nordea                         1       1        7
1200-1399    Danske Bank                    1       1        7
1400-2099    Nordea                         1       1        7
2300-2399    Ålandsbanken                   1       2        7
2400-2499    Danske Bank                    1       1        7
3000-3299    Nordea                         1       1        7
3300         Nordea personkonto             2       1        10
3301-3399    Nordea                         1       1        7
3400-3409    Länsförsäkringar Bank          1       1        7
3410-3781    Nordea                         1       1        7
3782         Nordea personkonto             2       1        10
3783-3999    Nordea                         1       1        7
4000-4999    Nordea                         1       2        7
5000-5999    SEB                            1       1        7
6000-6999    Handelsbanken                  2       2        9
7000-7999    Swedbank                       1       1        7
8000-8999    Swedbank (5-digit clearing)    2       3        7-10
9020-9029    Länsförsäkringar Bank          1       2        7
9040-9049    Citibank                       1       2        7
9060-9069    Länsförsäkringar Bank          1       1        7
9070-9079    Multitude Bank                 1       1        7
9100-9109    Nordnet Bank                   1       2        7
9120-9124    SEB                            1       1        7
9130-9149    SEB                            1       1        7
9150-9169    Skandiabanken                  1       2        7
9170-9179    Ikano Bank                     1       1        7
9180-9189    Danske Bank                    2       1        7-10
9190-9199    DNB Bank                       1       2        7
9230-9239    Marginalen Bank                1       1        7
9250-9259    SBAB                           1       1        7
9260-9269    DNB Bank                       1       2        7
9270-9279    ICA Banken                     1       1        7
9280-9289    Resurs Bank                    1       1        7
9300-9349    Swedbank (ex Sparbanken Öresund) 2     1        7-10
9390-9399    Landshypotek                   1       2        7
9400-9449    Forex Bank                     1       1        7
9460-9469    Santander Consumer Bank        1       1        7
9470-9479    BNP Paribas                    1       2        7
9500-9549    Nordea (Plusgirot)             2       3        7-10
9550-9569    Avanza Bank                    1       2        7
9570-9579    Sparbanken Syd                 2       1        5-10
9580-9589    Aion Bank                      1       1        7
9590-9599    Erik Penser                    1       2        7
9630-9639    Lån & Spar Bank                1       1        7
9640-9649    NOBA Bank (Nordax)             1       2        7
9660-9669    Svea Bank                      1       2        7
9670-9679    JAK Medlemsbank                1       2        7
9680-9689    Bluestep Finans                1       1        7
9700-9709    Ekobanken                      1       2        7
9710-9719    Lunar Bank                     1       2        7
9750-9759    Northmill Bank                 1       2        7
9780-9789    Klarna Bank                    1       2        7
9880-9889    Riksgälden                     1       2        7
9890-9899    Riksgälden                     2       1        7-10
9960-9969    Nordea (Plusgirot)             2       3        7-10
===========  =============================  ======  =======  =========

Handelsbanken's accounts are accepted with their full 9 digits only (the form banks print); an
all-zero account number is never issued. Recognition: every way people type the number —
``5000-1234560``, ``5000 123 456 0``, ``5000-12 345 60``, ``9420, 417 23 85``, ``6789 123 456 789``,
``8327-9, 914 682 447-3``, ``3300-900101-1239``. A candidate is cut back group by group (at a space or
comma) until it validates, so trailing numbers do not hide an account. Separated numbers that validate
score 0.85, and 1.0 with a context word; eleven or more digits in one run (``50001234560``) validate
the same way but need a context word (``konto``, ``clearing``, ``bank``, a bank's name). Numbers whose
clearing number belongs to no bank or that fail their bank's check are not flagged as such.

Written in two parts (``clearingnummer 8327-9 kontonummer 123 456 789-0``, ``clearing 6000, konto 123
456 789``; see ``se_bank_account_split``), the clearing number and the account number a few words apart
are validated together and redacted as one value (1.0) when a context word is in or around the pair. A
clearing- or account-shaped number right after a strong cue (``clearingnummer``, ``clnr``,
``kontonummer``, ``kontonr``, ``account number``) is personal data whatever its check digit: it scores
0.6 when it does not validate. So is a number in digit groups that has a bank's whole structure (a
clearing number in the bank's range, an account of the bank's length) but a wrong check digit, when a
context word is near (``Swedbank 8105-9, 923 441 128-7``, ``handelsbanken 6152 245 889 102``): a
mistyped account number is still the citizen's account, and near a bank's name no other number has
that shape. Money paid into or drawn from a number is context too (``pensionen går in på …``, ``dra
från … varje månad``, ``autogiro``, ``insättning``, a compound ending in ``ersättning`` or ``bidrag``),
so is money paid back right before the number (``vill ha återbetalning till …``, ``tillbaka pengarna
till …``, ``refund it to …``; not after it, where an invoice number stands as often), and Swedbank's
five-digit clearing number whose fifth digit checks the first four (``8214-9 934 118 225-3``) is the
bank's whole structure by itself.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import chain
from typing import NamedTuple

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import ContextPatternRecognizer, found_by, luhn_valid
from guardrails.recognizers.se_bank_account_split import (
    STRONG_CUE,
    SplitPair,
    account_prefixes,
    cued_values,
    reversed_pairs,
    split_pairs,
)


class ClearingRange(NamedTuple):
    """One row of Bankgirot's table: a clearing range, its check rule and account lengths."""

    first: int
    last: int
    check: str  # "t1c1", "t1c2", "t2c1", "t2c2", "t2c3"
    min_length: int
    max_length: int


_T1C1, _T1C2, _T2C1, _T2C2, _T2C3 = "t1c1", "t1c2", "t2c1", "t2c2", "t2c3"
_SEP = r"(?:, ?| ?[-/] ?| )"  # "/" as in a form's "clearing/konto 8351-9/944 210 337-1"
# Start of a number: not inside a word, another number, a decimal or an IBAN.
_START = r"(?<![\w\-+./])(?<!\d,)"
# Money paid back to the citizen, right before where it goes: "vill ha återbetalning till …", "tillbaka
# pengarna till …", "refund to …". Only before the number: an invoice number after it is no account.
_REFUND_TO = re.compile(
    r"(?:återbetal\w*|betalas? tillbaka|tillbaka pengarna|pengarna tillbaka|pengarna|refund\w*|reimburse\w*|"
    r"pa(?:y|id) (?:it |them |me |us )?back)\b[^.!?\d]{0,25}\b(?:till|to|på|into|in på)\s*[:\-]?\s*$",
    re.IGNORECASE,
)


class SeBankAccountRecognizer(ContextPatternRecognizer):
    """Find clearing + account numbers that pass their bank's check."""

    ENTITY = "SE_BANK_ACCOUNT"
    CONTEXT_AFTER = 30  # "33009001011239 – det är mitt kontonummer": the cue may follow a few words on
    SEPARATED_SCORE = 0.85
    JOINED_SCORE = 0.2
    SPLIT_SCORE = 1.0  # clearing and account apart, validated together, with a context word
    CUED_SCORE = 0.6  # after "kontonummer"/"clearing"..., not validated
    PATTERNS = [
        # Clearing (4 digits, 8xxx-x or 8xxxx), then the account number in one or more digit groups.
        Pattern("clearing_separated", rf"{_START}\d{{4,5}}(?!\d)(?:{_SEP}\d+){{1,8}}", SEPARATED_SCORE),
        # Clearing and account written together: only with context.
        Pattern("clearing_joined", rf"{_START}(?<!\d )\d{{11,15}}(?!\d)", JOINED_SCORE),
    ]
    CONTEXT = [
        "konto",
        "kontot",
        "kontonummer",
        "kontonr",
        "bankkonto",
        "lönekonto",
        "sparkonto",
        "personkonto",
        "privatkonto",
        "clearing",
        "clearingnummer",
        "clearingnr",
        "bank",
        "account",
        "utbetalning",
        "betala ut",
        "sätt in",
        # money paid into or drawn from it: "pensionen går in på …", "dra från … varje månad"
        "pension",
        "lön",
        "autogiro",
        "dra från",
        "drar från",
        "dras från",
        "insättning",
        "sätts in",
        "sätta in",
        "sätter in",
        "betalas ut",
        "överföring",
        "för över",
        "föra över",
        "går in på",
        "gå in på",
        "ersättning",
        "bidraget",
        "salary",
        "deposit",
        "transfer",
        "direct debit",
        "paid into",
        "pay into",
        "swedbank",
        "handelsbanken",
        "nordea",
        "seb",
        "danske",
        "länsförsäkringar",
        "icabanken",
        "ica banken",
        "sparbanken",
        "skandia",
        "avanza",
        "nordnet",
        "sbab",
        "ikano",
        "marginalen",
        "ålandsbanken",
        "plusgirot",
    ]
    CLEARING_RANGES: tuple[ClearingRange, ...] = (
        ClearingRange(1100, 1199, _T1C1, 7, 7),
        ClearingRange(1200, 1399, _T1C1, 7, 7),
        ClearingRange(1400, 2099, _T1C1, 7, 7),
        ClearingRange(2300, 2399, _T1C2, 7, 7),
        ClearingRange(2400, 2499, _T1C1, 7, 7),
        ClearingRange(3000, 3299, _T1C1, 7, 7),
        ClearingRange(3300, 3300, _T2C1, 10, 10),
        ClearingRange(3301, 3399, _T1C1, 7, 7),
        ClearingRange(3400, 3409, _T1C1, 7, 7),
        ClearingRange(3410, 3781, _T1C1, 7, 7),
        ClearingRange(3782, 3782, _T2C1, 10, 10),
        ClearingRange(3783, 3999, _T1C1, 7, 7),
        ClearingRange(4000, 4999, _T1C2, 7, 7),
        ClearingRange(5000, 5999, _T1C1, 7, 7),
        ClearingRange(6000, 6999, _T2C2, 9, 9),
        ClearingRange(7000, 7999, _T1C1, 7, 7),
        ClearingRange(8000, 8999, _T2C3, 7, 10),
        ClearingRange(9020, 9029, _T1C2, 7, 7),
        ClearingRange(9040, 9049, _T1C2, 7, 7),
        ClearingRange(9060, 9069, _T1C1, 7, 7),
        ClearingRange(9070, 9079, _T1C1, 7, 7),
        ClearingRange(9100, 9109, _T1C2, 7, 7),
        ClearingRange(9120, 9124, _T1C1, 7, 7),
        ClearingRange(9130, 9149, _T1C1, 7, 7),
        ClearingRange(9150, 9169, _T1C2, 7, 7),
        ClearingRange(9170, 9179, _T1C1, 7, 7),
        ClearingRange(9180, 9189, _T2C1, 7, 10),
        ClearingRange(9190, 9199, _T1C2, 7, 7),
        ClearingRange(9230, 9239, _T1C1, 7, 7),
        ClearingRange(9250, 9259, _T1C1, 7, 7),
        ClearingRange(9260, 9269, _T1C2, 7, 7),
        ClearingRange(9270, 9279, _T1C1, 7, 7),
        ClearingRange(9280, 9289, _T1C1, 7, 7),
        ClearingRange(9300, 9349, _T2C1, 7, 10),
        ClearingRange(9390, 9399, _T1C2, 7, 7),
        ClearingRange(9400, 9449, _T1C1, 7, 7),
        ClearingRange(9460, 9469, _T1C1, 7, 7),
        ClearingRange(9470, 9479, _T1C2, 7, 7),
        ClearingRange(9500, 9549, _T2C3, 7, 10),
        ClearingRange(9550, 9569, _T1C2, 7, 7),
        ClearingRange(9570, 9579, _T2C1, 5, 10),
        ClearingRange(9580, 9589, _T1C1, 7, 7),
        ClearingRange(9590, 9599, _T1C2, 7, 7),
        ClearingRange(9630, 9639, _T1C1, 7, 7),
        ClearingRange(9640, 9649, _T1C2, 7, 7),
        ClearingRange(9660, 9669, _T1C2, 7, 7),
        ClearingRange(9670, 9679, _T1C2, 7, 7),
        ClearingRange(9680, 9689, _T1C1, 7, 7),
        ClearingRange(9700, 9709, _T1C2, 7, 7),
        ClearingRange(9710, 9719, _T1C2, 7, 7),
        ClearingRange(9750, 9759, _T1C2, 7, 7),
        ClearingRange(9780, 9789, _T1C2, 7, 7),
        ClearingRange(9880, 9889, _T1C2, 7, 7),
        ClearingRange(9890, 9899, _T2C1, 7, 10),
        ClearingRange(9960, 9969, _T2C3, 7, 10),
    )

    # Money words that end a compound as often as they open one: "ledarersättning", "bostadsbidraget"
    COMPOUND_ENDS = ("ersättning", "bidrag", "konto")  # "kapitalkonto", "transaktionskontot"

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Return the valid account numbers; context words raise their score."""
        spans: list[tuple[int, int, float]] = []
        scanned = list(_scan(text))
        for start, end, separated in scanned:
            score = self.SEPARATED_SCORE if separated else self.JOINED_SCORE
            if self.has_context(text, start, end):
                score = min(EntityRecognizer.MAX_SCORE, score + self.CONTEXT_BOOST)
            spans.append((start, end, score))
        spans.extend((start, end, self.SPLIT_SCORE) for start, end in self._split_accounts(text))
        spans.extend(self._reversed_accounts(text, {start for start, _, _ in scanned}))
        spans.extend((start, end, self.CUED_SCORE) for start, end in cued_values(text))
        found = list(spans)
        spans.extend(
            (start, end, self.CUED_SCORE)
            for start, end, _ in _scan(text, checked=False)
            if not any(start < f_end and f_start < end for f_start, f_end, _ in found)
            and (
                self.has_context(text, start, end)
                or _checked_clearing(text[start:end])
                or _REFUND_TO.search(text[max(0, start - self.CONTEXT_BEFORE) : start])
            )
        )
        results = [found_by(self, self.ENTITY, start, end, score) for start, end, score in spans]
        return EntityRecognizer.remove_duplicates(results)

    def _split_accounts(self, text: str) -> Iterator[tuple[int, int]]:
        """Yield the spans (clearing to account, one value) of pairs written apart that validate."""
        for pair in split_pairs(text):
            if not self._cued(text, pair):
                continue
            (clearing_start, clearing_end), (account_start, account_end) = pair.clearing, pair.account
            clearing_groups = _GROUP.findall(text, clearing_start, clearing_end)
            for end in account_prefixes(text, account_start, account_end):
                groups = clearing_groups + _GROUP.findall(text, account_start, end)
                if _valid_groups(groups, full_length=end != account_end):
                    yield clearing_start, end
                    break

    def _cued(self, text: str, pair: SplitPair) -> bool:
        """Whether a strong cue stands between the two parts, or a context word in or around the pair."""
        if STRONG_CUE.search(text, *pair.between) is not None:
            return True
        return self.has_context(
            text, min(pair.clearing[0], pair.account[0]), max(pair.clearing[1], pair.account[1])
        )

    def _reversed_accounts(self, text: str, opening: set[int]) -> Iterator[tuple[int, int, float]]:
        """Account number first, clearing number after, with a cue near.

        One value when the pair passes its bank's check; each part at the cued score when the pair only
        has its bank's structure (a mistyped check digit). A clearing number that already opens a whole
        account of its own ("pnr 850709-2388 konto 8327-9 123 456 789-7") is not the clearing number of
        the number before it: a personnummer passes Swedbank's mod 10 check like any Luhn number.
        ``opening``: where the whole accounts found by ``_scan`` begin.
        """
        for pair in reversed_pairs(text):
            if not self._cued(text, pair) or pair.clearing[0] in opening:
                continue
            (clearing_start, clearing_end), (account_start, account_end) = pair.clearing, pair.account
            groups = _GROUP.findall(text, clearing_start, clearing_end)
            groups += _GROUP.findall(text, account_start, account_end)
            if _valid_groups(groups):
                yield account_start, clearing_end, self.SPLIT_SCORE
            elif _valid_groups(groups, checked=False):
                yield account_start, account_end, self.CUED_SCORE
                yield clearing_start, clearing_end, self.CUED_SCORE

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject numbers no bank would issue; keep valid ones at their pattern score (None)."""
        return None if is_valid_bank_account(pattern_text) else False


def is_valid_bank_account(text: str) -> bool:
    """Return whether ``text`` (digit groups) is a clearing + account number that passes its check."""
    groups = _GROUP.findall(text)
    return bool(groups) and _valid_groups(groups)


def find_bank_accounts(text: str) -> list[tuple[int, int]]:
    """Return the spans of valid account numbers in ``text`` (joined ones included)."""
    return [(start, end) for start, end, _ in _scan(text)]


_GROUP = re.compile(r"\d+")
_MIN_TOTAL_DIGITS = 4 + 5  # Sparbanken Syd's shortest account
_MAX_TOTAL_DIGITS = 5 + 10  # Swedbank's 5-digit clearing and a 10-digit account
_CUT = re.compile(r", ?| ")  # a candidate is only cut back where a space or comma separates groups
_TAIL_BLOCKS = re.compile(r"\w|[.,:/\-]\d")
_SEPARATED = re.compile(SeBankAccountRecognizer.PATTERNS[0].regex)
_JOINED = re.compile(SeBankAccountRecognizer.PATTERNS[1].regex)
# A date in ISO form: year, month and day ("2026-06-06").
_ISO_DATE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")
# Groups of digits apart whose first group is no clearing number of four digits: "791 890 684 32",
# "79189-068432" (read whole, as a joined number).
_REGROUPED = re.compile(rf"{_START}(?!\d{{4}}(?!\d))\d{{1,12}}(?:[ -]\d{{1,10}}){{1,6}}(?!\d)")


def _scan(text: str, checked: bool = True) -> Iterator[tuple[int, int, bool]]:
    """Yield ``(start, end, separated)`` for every valid account number in ``text``.

    ``checked=False``: numbers in digit groups with a bank's structure, check digits not tested.
    """
    separated: list[tuple[int, int]] = []
    position = 0
    while (match := _SEPARATED.search(text, position)) is not None:
        if _ISO_DATE.match(text, match.start()):
            # "2026-06-06, 300 deltagare": a date is no clearing number and account (half A of blind
            # numbers set 7), whatever digits follow it
            position = match.start() + 1
            continue
        span = _longest_valid_prefix(text, match.start(), match.end(), checked)
        if span is None:
            position = match.start() + 1
            continue
        separated.append(span)
        position = span[1]
    for start, end in separated:
        yield start, end, True
    if not checked:
        return
    # Joined, and the same digits in groups that do not start with the clearing number ("791 890 684 32,
    # swedbank": clearing 7918, account 9068432; half A of blind numbers set 7) or whose first group runs
    # on past it ("79189-068432"): read as one run, so both need a context word.
    for match in chain(_JOINED.finditer(text), _REGROUPED.finditer(text)):
        start, end = match.span()
        if any(start < s_end and s_start < end for s_start, s_end in separated):
            continue
        digits = "".join(_GROUP.findall(match.group()))
        if 11 <= len(digits) <= 15 and _valid_groups([digits]) and not _TAIL_BLOCKS.match(text, end):
            yield start, end, False


def _longest_valid_prefix(text: str, start: int, end: int, checked: bool = True) -> tuple[int, int] | None:
    cuts = [end] + [m.start() for m in _CUT.finditer(text, start, end) if m.start() > start]
    for cut in sorted(set(cuts), reverse=True):
        piece = text[start:cut].rstrip(" ,")
        if _TAIL_BLOCKS.match(text, start + len(piece)):
            continue
        groups = _GROUP.findall(piece)
        # Cut short, the account must have its bank's full length: "9180 000 253 930 1" with a wrong
        # check digit is not a valid shorter account followed by a "1".
        if len(groups) >= 2 and _valid_groups(groups, full_length=cut != end, checked=checked):
            return start, start + len(piece)
    return None


def _valid_groups(groups: list[str], full_length: bool = False, checked: bool = True) -> bool:
    """Return whether the digit groups read as clearing + account under some valid reading."""
    if not _MIN_TOTAL_DIGITS <= sum(len(group) for group in groups) <= _MAX_TOTAL_DIGITS:
        return False
    readings = _readings(groups, checked)
    return any(_passes(clearing, account, full_length, checked) for clearing, account in readings)


def _readings(groups: list[str], checked: bool = True) -> Iterator[tuple[str, str]]:
    """Yield the possible ``(clearing, account)`` splits of the digit groups.

    A fifth clearing digit (Swedbank's ``8xxx-x``) is its check digit; ``checked=False`` does not test it.
    """
    five = luhn_valid if checked else (lambda _digits: True)
    first = groups[0]
    if len(groups) == 1:  # joined: 4-digit clearing, or Swedbank's 5-digit one
        yield first[:4], first[4:]
        if first[0] == "8" and five(first[:5]):
            yield first[:5], first[5:]
        return
    rest = "".join(groups[1:])
    if len(first) == 4:
        yield first, rest
        if first[0] == "8" and len(groups) > 2 and len(groups[1]) == 1 and five(first + groups[1]):
            yield first + groups[1], "".join(groups[2:])
    elif len(first) == 5 and first[0] == "8" and five(first):
        yield first, rest


def _checked_clearing(text: str) -> bool:
    """Whether ``text`` opens with Swedbank's five-digit clearing number whose check digit holds.

    "8214-9 934 118 225-3": the fifth digit checks the first four, so the number has the bank's whole
    structure even where the account's own check digit is mistyped; no other Swedish number is written so.
    """
    groups = _GROUP.findall(text)
    if not groups or groups[0][:1] != "8":
        return False
    if len(groups[0]) == 5:
        return luhn_valid(groups[0])
    split_five = len(groups[0]) == 4 and len(groups) > 2 and len(groups[1]) == 1  # "8214-9 934 …"
    return split_five and luhn_valid(groups[0] + groups[1])


def _passes(clearing: str, account: str, full_length: bool = False, checked: bool = True) -> bool:
    bank = _bank_for(int(clearing[:4]))
    if bank is None or not account.strip("0"):
        return False
    shortest = bank.max_length if full_length else bank.min_length
    if not shortest <= len(account) <= bank.max_length:
        return False
    if not checked:
        return True
    if bank.check == _T1C1:
        return _mod11(clearing[1:4] + account)
    if bank.check == _T1C2:
        return _mod11(clearing[:4] + account)
    if bank.check == _T2C2:
        return _mod11(account)
    return luhn_valid(account)  # type 2, comments 1 and 3


_RANGE_STARTS = [bank.first for bank in SeBankAccountRecognizer.CLEARING_RANGES]


def _bank_for(clearing: int) -> ClearingRange | None:
    index = bisect_right(_RANGE_STARTS, clearing) - 1
    if index < 0:
        return None
    bank = SeBankAccountRecognizer.CLEARING_RANGES[index]
    return bank if clearing <= bank.last else None


def _mod11(digits: str) -> bool:
    """Mod 11 with weights 1, 2, ..., 10 from the right (repeating), as Bankgirot's 11-modul defines."""
    total = sum(int(d) * (index % 10 + 1) for index, d in enumerate(reversed(digits)))
    return total % 11 == 0
