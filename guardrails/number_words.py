"""Numbers written in words, Swedish and English, turned into digits for detection.

People dictate numbers the way they say them: digit by digit ("noll sju noll, ett två tre"), in pairs
("fyrtiofem sextiosju", "nineteen eighty-five"), with "double"/"dubbel" for a repeated digit, and
years as "nittonhundraåttiofem". :func:`spelled_digits_views` rewrites each run of such words as
digits in a :class:`~guardrails.detection_text.DetectionText`; every digit maps back to the word it
came from, so redacting a number found in the view removes all of its words.

Only runs of at least three number words giving at least four digits are rewritten: a single "en",
"ett" or "sex" is an ordinary word. The view is read by the recognizers that validate what they find
(checksums, numbering plans), so a run of ordinary number words becomes at most a digit string that
nothing accepts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from guardrails.detection_text import DetectionText

_UNITS_SV = {
    "noll": 0, "nolla": 0, "en": 1, "ett": 1, "etta": 1, "två": 2, "tva": 2, "tvåa": 2, "tre": 3,
    "trea": 3, "fyra": 4, "fem": 5, "femma": 5, "sex": 6, "sexa": 6, "sju": 7, "sjua": 7,
    "åtta": 8, "atta": 8, "nio": 9, "nia": 9,
}  # fmt: skip
_UNITS_EN = {
    "zero": 0, "oh": 0, "nought": 0, "nil": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15, "sexton": 16,
    "sjutton": 17, "arton": 18, "aderton": 18, "nitton": 19,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "tjugo": 20, "tjugu": 20, "trettio": 30, "tretti": 30, "fyrtio": 40, "fyrti": 40, "förtio": 40,
    "förti": 40, "femtio": 50, "femti": 50, "sextio": 60, "sexti": 60, "sjuttio": 70, "sjutti": 70,
    "åttio": 80, "åtti": 80, "nittio": 90, "nitti": 90,
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_UNITS = {**_UNITS_SV, **_UNITS_EN}
_REPEAT = {"dubbel": 2, "dubbla": 2, "dubbelt": 2, "double": 2, "trippel": 3, "trippla": 3, "triple": 3}
_DASH_WORDS = frozenset({"streck", "bindestreck", "minus", "dash", "hyphen"})
_HUNDRED = ("hundra", "hundred")
_THOUSAND = ("tusen", "thousand")
# Words that are number words only inside a run ("en", "ett", "sex" are ordinary words too).
_WEAK = frozenset({"en", "ett", "sex", "oh", "nil"})

_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_LETTERS = re.compile(r"[^\W\d_]+")
# What may stand between two words of one number: spaces, commas, hyphens, slashes, a dot.
_JOINER = re.compile(r"[ \t,.;:/\-–]{1,4}")
_MAGNITUDES = ("hundra", "hundred", "tusen", "thousand")
_MAGNITUDE = re.compile("|".join(_MAGNITUDES))
MIN_WORDS = 3
MIN_DIGITS = 4


def _below_hundred(word: str) -> int | None:
    """The value of a word for 0-99 ("sju", "tolv", "fyrtiofem", "twenty"), or None."""
    if word in _UNITS:
        return _UNITS[word]
    if word in _TEENS:
        return _TEENS[word]
    if word in _TENS:
        return _TENS[word]
    for tens, value in _TENS.items():
        if word.startswith(tens):
            unit = _UNITS_SV.get(word[len(tens) :])
            if unit:
                return value + unit
    return None


def _compounds() -> frozenset[str]:
    """Every tens-and-unit word written together ("fyrtiofem", "tjugoett")."""
    return frozenset(tens + unit for tens in _TENS for unit, value in _UNITS_SV.items() if value)


_NUMBER_FORMS = frozenset({*_UNITS, *_TEENS, *_TENS}) | _compounds()
_RUN_WORDS = _NUMBER_FORMS | frozenset(_REPEAT) | _DASH_WORDS
# Forms that make a text worth a look ("en", "ett", "sex" alone do not).
_TRIGGER_FORMS = (_NUMBER_FORMS | frozenset(_REPEAT)) - _WEAK


def _could_be_number(low: str) -> bool:
    return low in _NUMBER_FORMS or any(m in low for m in _MAGNITUDES)


@lru_cache(maxsize=2048)
def word_digits(word: str) -> str | None:
    """The digits a single number word stands for ("sju" -> "7", "nittonhundraåttiofem" -> "1985")."""
    low = word.lower()
    if not _could_be_number(low):
        return None
    value = _below_hundred(low)
    if value is not None:
        return str(value)
    for marker, width in ((_HUNDRED, 2), (_THOUSAND, 3)):
        for name in marker:
            head, found, tail = low.partition(name)
            if not found:
                continue
            left = _below_hundred(head) if head else 1
            right = _below_hundred(tail) if tail else 0
            if left and right is not None:
                return f"{left}{right:0{width}d}"
    return None


def spelled_digits_views(view: DetectionText) -> list[DetectionText]:
    """Return ``view`` with runs of number words rewritten as digits (empty list when there are none).

    "sextio tre" is 63 or 60 and 3: when a run has such a pair, a second view reads it the other way.
    """
    words = set(_LETTERS.findall(view.text.lower()))
    if not (words & _TRIGGER_FORMS) and not any(m in w for w in words for m in _MAGNITUDES):
        return []
    views = []
    for merge_pairs in (True, False):
        edits, merged = _runs(view.text, merge_pairs)
        if edits:
            views.append(view.edit(edits))
        if not merged:
            break
    return views


def _runs(text: str, merge_pairs: bool) -> tuple[list[tuple[int, int, str]], bool]:
    """The edits of the runs of number words long enough to be a dictated number.

    Also whether a tens word was read together with the unit after it.
    """
    edits: list[tuple[int, int, str]] = []
    merged = False
    all_tokens = list(_TOKEN.finditer(text))
    lows = [m.group().lower() for m in all_tokens]
    for first, last in _stretches(lows):
        run_edits, run_merged = _read_stretch(all_tokens[first:last], text, merge_pairs)
        edits.extend(run_edits)
        merged |= run_merged
    return edits, merged


def _stretches(lows: list[str]) -> list[tuple[int, int]]:
    """Index ranges of consecutive tokens that could all belong to a dictated number.

    Each holds at least :data:`MIN_WORDS` number words (most texts have none).
    """
    found = []
    first = words = 0
    for i, low in enumerate([*lows, ""]):
        if low and (low in _RUN_WORDS or low.isdigit() or (_MAGNITUDE.search(low) and word_digits(low))):
            words += not low.isdigit() and low in _NUMBER_FORMS
            continue
        if words >= MIN_WORDS:
            found.append((first, i))
        first, words = i + 1, 0
    return found


def _read_stretch(
    tokens: list[re.Match[str]], text: str, merge_pairs: bool
) -> tuple[list[tuple[int, int, str]], bool]:
    """The edits of the runs inside one stretch of number-like tokens."""
    edits: list[tuple[int, int, str]] = []
    current: list[tuple[int, int, str]] = []
    words = digits = 0
    merged = False
    previous_end = -1
    repeat = 1
    i = 0

    def close() -> None:
        nonlocal current, words, digits
        if words >= MIN_WORDS and digits >= MIN_DIGITS:
            while current and not current[-1][2].strip("-"):
                current.pop()  # no trailing separator or dash
            edits.extend(current)
        current, words, digits = [], 0, 0

    while i < len(tokens):
        match = tokens[i]
        low = match.group().lower()
        joined = previous_end >= 0 and _JOINER.fullmatch(text, previous_end, match.start()) is not None
        if current and not joined:
            close()
        value, consumed = _token_value(tokens, i, text, merge_pairs)
        kind = (
            "number"
            if value is not None
            else "repeat"
            if low in _REPEAT
            else "dash"
            if low in _DASH_WORDS
            else ""
        )
        if not kind or (kind == "dash" and not current) or (kind == "repeat" and i + 1 == len(tokens)):
            close()
            repeat, previous_end, i = 1, -1, i + 1
            continue
        if current:
            separator = text[previous_end : match.start()]
            current.append((previous_end, match.start(), " " if any(c in ",;/" for c in separator) else ""))
        end = tokens[i + consumed - 1].end()
        if kind == "repeat":
            repeat = _REPEAT[low]
            current.append((match.start(), end, ""))
        elif kind == "dash":
            current[-1] = (current[-1][0], current[-1][1], "")
            current.append((match.start(), end, "-"))
        else:
            assert value is not None
            value = value * repeat if len(value) == 1 else value
            repeat = 1
            merged |= consumed == 2
            current.append((match.start(), end, value))
            words += 0 if low.isdigit() else consumed
            digits += len(value)
        previous_end, i = end, i + consumed
    close()
    return edits, merged


def _token_value(tokens: list[re.Match[str]], i: int, text: str, merge_pairs: bool) -> tuple[str | None, int]:
    """Digits of token ``i`` and how many tokens they take ("twenty one" is one value of two tokens)."""
    word = tokens[i].group()
    if word.isdigit():
        return word, 1
    digits = word_digits(word)
    if digits is None:
        return None, 1
    low = word.lower()
    if merge_pairs and low in _TENS and i + 1 < len(tokens):
        nxt = tokens[i + 1]
        unit = _UNITS.get(nxt.group().lower())
        if unit and re.fullmatch(r"[ \-]", text[tokens[i].end() : nxt.start()]):
            return str(_TENS[low] + unit), 2
    return digits, 1
