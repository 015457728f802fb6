"""Bank account numbers written in two parts: the clearing number and the account number apart.

People type ``clearingnummer 8327-9 kontonummer 123 456 789-0``, ``clearing 6000, konto 123 456 789``
or ``clnr 3300 kontonr 900101-1239``: a clearing number, a few words, then the account number. This
module only finds the candidates (digit spans and the cue words around them); whether a pair passes its
bank's check is decided in ``se_bank_account_recognizer``, which scores the parts.

* :func:`split_pairs` yields a clearing-shaped number and the account-shaped digit groups that follow
  it after one to five words (no other digits between).
* :func:`reversed_pairs` yields the other order: the account number first, then the clearing number
  ("mitt konto i Swedbank är 123 456 789-0 med clearingnummer 8327-9").
* :func:`cued_values` yields a clearing-shaped number right after a clearing cue (``clearing``,
  ``clearingnummer``, ``clnr``) and an account-shaped number right after an account cue
  (``kontonummer``, ``kontonr``, ``konto nr``, ``account number``): such a value is personal data
  whether or not its check digit is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Start of a number: not inside a word, another number, a decimal or an IBAN.
_START = r"(?<![\w\-+./])(?<!\d,)"
# A clearing number: four digits, or Swedbank's 8xxx with its fifth (check) digit: "8327-9", "83279".
_CLEARING = r"(?:8\d{3}(?:-| - |-? ?)\d(?![\d\-])|\d{4}(?![\d\-]))"
# An account number in one or more digit groups: "123 456 789-0", "12-345 678 9", "900101-1239".
_ACCOUNT = r"\d+(?:(?:, ?| ?- ?| )\d+){0,6}(?![\d\-])"
# One to five words between them, no digits: " kontonummer ", ", konto nr. ", " och kontonumret är ".
_WORD = r"[^\W\d_]+(?:-[^\W\d_]+)*\.?"
_BETWEEN = rf"(?:[\s,;:()/]+{_WORD}){{1,5}}[\s,;:()/=]*"
_PAIR = re.compile(rf"{_START}(?P<clearing>{_CLEARING})(?P<between>{_BETWEEN})(?P<account>{_ACCOUNT})")
_REVERSED = re.compile(
    rf"{_START}(?P<account>{_ACCOUNT})(?P<between>{_BETWEEN})(?P<clearing>{_START}{_CLEARING})(?![\d\-])"
)

_CLEARING_CUE = r"(?:clearing(?:-?nummer|-?numret|-?nr|-?number)?|clnr|cl\.? ?nr|clr)"
_ACCOUNT_CUE = (
    r"(?:(?:bank|löne|spar|person|privat)?konto(?:-?nummer|-?numret|-?nr|(?: |\. ?)nr|\.? nummer)"
    r"|account(?: number| no| nr|-?nr)"
    r")"
)
# After the cue: an optional colon, "är"/"is"/"=", and up to two more words ("kontonummer hos Nordea").
_AFTER_CUE = r"\.?:?(?:\s+(?:är|is|=|blir)\b)?(?:\s+[^\W\d_]+){0,2}[\s:=]*"
_CUED_CLEARING = re.compile(rf"(?i)(?<!\w){_CLEARING_CUE}{_AFTER_CUE}(?P<value>{_START}{_CLEARING})")
_CUED_ACCOUNT = re.compile(rf"(?i)(?<!\w){_ACCOUNT_CUE}{_AFTER_CUE}(?P<value>{_START}{_ACCOUNT})")
# Cue words whose presence in or around a pair makes it a bank account (with the recognizer's own).
STRONG_CUE = re.compile(rf"(?i)(?<!\w)(?:{_CLEARING_CUE}|{_ACCOUNT_CUE}|konto)")
# An account-shaped value after a cue: at least this many digits (shorter is a clearing or a count).
MIN_CUED_ACCOUNT_DIGITS = 5
MAX_CUED_ACCOUNT_DIGITS = 15
_GROUP_CUT = re.compile(r", ?| ")


class SplitPair(NamedTuple):
    """A clearing number and the account-shaped digit groups after it (spans into the text)."""

    clearing: tuple[int, int]
    account: tuple[int, int]
    between: tuple[int, int]


def split_pairs(text: str) -> Iterator[SplitPair]:
    """Yield every clearing number followed, one to five words later, by account-shaped groups."""
    position = 0
    while (match := _PAIR.search(text, position)) is not None:
        yield SplitPair(match.span("clearing"), match.span("account"), match.span("between"))
        position = match.start("account")


def reversed_pairs(text: str) -> Iterator[SplitPair]:
    """Yield every account-shaped number followed, one to five words later, by a clearing number."""
    position = 0
    while (match := _REVERSED.search(text, position)) is not None:
        yield SplitPair(match.span("clearing"), match.span("account"), match.span("between"))
        position = match.start("clearing")


def account_prefixes(text: str, start: int, end: int) -> Iterator[int]:
    """Yield the ends of ``text[start:end]`` cut back group by group (at a space or comma), longest first."""
    cuts = {end} | {m.start() for m in _GROUP_CUT.finditer(text, start, end) if m.start() > start}
    for cut in sorted(cuts, reverse=True):
        yield start + len(text[start:cut].rstrip(" ,-"))


def cued_values(text: str) -> Iterator[tuple[int, int]]:
    """Yield the spans of clearing- or account-shaped numbers written right after a strong cue word."""
    for match in _CUED_CLEARING.finditer(text):
        yield match.span("value")
    for match in _CUED_ACCOUNT.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group("value"))
        if MIN_CUED_ACCOUNT_DIGITS <= digits <= MAX_CUED_ACCOUNT_DIGITS:
            yield match.span("value")
