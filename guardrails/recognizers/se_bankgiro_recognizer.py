"""Bankgiro and plusgiro numbers (``SE_BANKGIRO``).

Bankgiro: 7 or 8 digits written ``123-4567`` / ``5050-1055``; plusgiro: 2 to 8 digits with the check
digit after a dash (``12 34 56-7``, ``4711-7``). Both end in a Luhn (mod 10) check digit. Such short
numbers pass a mod-10 check one time in ten, and case numbers look alike (``2024-1234``), so a match
also needs a cue word (``bankgiro``, ``bg``, ``plusgiro``, ``pg``…) nearby.

Citizens type in chat style: lower case, no punctuation, the cue mistyped (``bankgrio``, ``plusgirot``,
``bakngiro``) and at the very start of the message (``bg 5050-1055 ska jag betala till?``). A cue is any
word within one edit (a letter added, dropped, changed or two swapped) of ``bankgiro``, ``plusgiro`` or
``postgiro``, in any inflection, or the abbreviations ``bg``/``pg``. Right after a cue the number may
also be written without its dash (``bg 50501055``, ``bankgiro 505 0109``, ``pg 123455``).
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import ContextPatternRecognizer, found_by, luhn_valid, only_digits

_CUE_STEMS = ("bankgiro", "plusgiro", "postgiro")
_ABBREVIATIONS = frozenset({"bg", "pg", "bgnr", "pgnr", "giro", "girot", "bankgironr", "plusgironr"})
_WORD = re.compile(r"[^\W\d_]+")
# Right after a cue (and "nr", "nummer", "är", a colon): the number with or without its dash.
_CUED_NUMBER = re.compile(
    r"(?i)(?<![\w])(?P<cue>[^\W\d_]+)(?:[ -]?(?:nr|nummer|numret)\b)?\.?:?(?: (?:är|is|till|to))?[ :]*"
    r"(?P<value>(?<![\d\-])(?:\d{3,4}[ -]?\d{4}|\d{1,2}(?: ?\d{2}){0,3}[ -]?\d)(?![\d\-]|[.,]\d))"
)


def _within_one_edit(word: str, target: str) -> bool:
    """Return whether ``word`` is ``target`` with at most one insertion, deletion, change or swap."""
    if word == target:
        return True
    if abs(len(word) - len(target)) > 1:
        return False
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and (word[diffs[1]] == target[diffs[0]])
        )
    short, long = (word, target) if len(word) < len(target) else (target, word)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def is_giro_cue(word: str) -> bool:
    """Return whether ``word`` names a bankgiro or plusgiro, allowing inflection and one typo."""
    word = word.lower()
    if word in _ABBREVIATIONS or word.startswith(("bg-", "pg-")):
        return True
    if len(word) < 7:
        return False
    # Compare the first 7-9 letters (the stem, mistyped) and let any ending follow ("plusgirot").
    return any(
        _within_one_edit(word[:size], stem) for stem in _CUE_STEMS for size in (7, 8, 9) if size <= len(word)
    )


class SeBankgiroRecognizer(ContextPatternRecognizer):
    """Find bankgiro and plusgiro numbers with a valid check digit and a cue word."""

    ENTITY = "SE_BANKGIRO"
    PATTERNS = [
        Pattern("bankgiro", r"(?<![\d\-])\d{3,4}-\d{4}(?![\d\-])", 0.2),
        Pattern("plusgiro", r"(?<![\d\-])\d{1,2}(?: ?\d{2}){0,3}-\d(?![\d\-])", 0.2),
    ]
    CONTEXT = ["bankgiro", "bankgironummer", "bg", "bg-nummer", "plusgiro", "postgiro", "pg", "giro"]
    CONTEXT_BEFORE = 30
    CONTEXT_BOOST = 0.5
    CUED_SCORE = 0.7

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Dashed numbers with a cue nearby, and any valid number written right after a cue."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for match in _CUED_NUMBER.finditer(text):
            if not is_giro_cue(match.group("cue")) or self.validate_result(match.group("value")) is False:
                continue
            start, end = match.span("value")
            results.append(found_by(self, self.ENTITY, start, end, self.CUED_SCORE))
        return EntityRecognizer.remove_duplicates(results)

    def has_context(self, text: str, start: int, end: int) -> bool:
        """Return whether a giro cue word (possibly mistyped) occurs in the window around the match."""
        window = (
            text[max(0, start - self.CONTEXT_BEFORE) : start] + " " + text[end : end + self.CONTEXT_AFTER]
        )
        return any(is_giro_cue(word.group()) for word in _WORD.finditer(window))

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject a wrong check digit; keep a valid one at its pattern score (context decides)."""
        digits = only_digits(pattern_text)
        if not 2 <= len(digits) <= 8 or not luhn_valid(digits):
            return False
        return None
