"""Swedish (and international) phone numbers (``PHONE_NUMBER``).

Candidates are found by pattern (``070-123 45 67``, ``+46 70 123 45 67``, ``0046 70…``, ``08-123 456 78``,
``0470-123 45``, ``+46 (0)8…``) and validated with ``phonenumbers`` (Google's numbering-plan metadata).
A candidate that is too long (``070-123 45 67 12 gånger``) is shortened group by group until it is a
valid number, so trailing digits do not hide the phone number in front of them.
"""

from __future__ import annotations

import re
from functools import cached_property

import phonenumbers
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import ContextPatternRecognizer

_GROUP_SEPARATOR = re.compile(r"[ \-/]+|(?<=\))|(?=\()")


class SePhoneRecognizer(ContextPatternRecognizer):
    """Find phone numbers valid in the Swedish numbering plan, or international ones with ``+``/``00``."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        # +46 / 0046 followed by the number without its trunk 0, optionally "(0)".
        Pattern(
            "se_international",
            r"(?<![\w+])(?:\+|00) ?46[ \-]?(?:\(0\)[ \-]?)?[1-9]\d{0,3}(?:[ \-/]?\d){4,9}(?!\d)",
            0.6,
        ),
        # Other international numbers: + and a country code.
        Pattern("international", r"(?<![\w+])\+ ?[1-9]\d{0,2}(?:[ \-]?\(?\d+\)?){2,6}(?!\d)", 0.6),
        # National: trunk 0, area code, subscriber number in groups.
        Pattern(
            "se_national", r"(?<![\w+])0[1-9]\d{0,3}(?: ?[\-/] ?| )?\d{1,4}(?:[ \-]?\d{1,4}){0,4}(?!\d)", 0.6
        ),
    ]
    CONTEXT = ["telefon", "tel", "mobil", "mobilnummer", "nummer", "ring", "sms", "nå mig", "phone", "call"]
    MIN_DIGITS = 7
    # "personnummer 0911227586" with a wrong check digit is a mistyped personnummer, not a phone number.
    PERSONNUMMER_CONTEXT = re.compile(r"(?i)(?:person|samordnings|födelse)(?:nummer|numret|nr)|\bpnr\b")
    PERSONNUMMER_SHAPE = re.compile(r"^\d{6}[-+ ]?\d{4}$")

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Return the valid phone numbers; each candidate is trimmed to its longest valid prefix."""
        results: list[RecognizerResult] = []
        for regex in self._regexes:
            for match in regex.finditer(text):
                span = self._longest_valid_prefix(text, match.start(), match.end())
                if span is None or self._is_mistyped_personnummer(text, *span):
                    continue
                result = RecognizerResult(
                    entity_type=self.ENTITY,
                    start=span[0],
                    end=span[1],
                    score=EntityRecognizer.MAX_SCORE,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    },
                )
                results.append(result)
        return EntityRecognizer.remove_duplicates(results)

    @cached_property
    def _regexes(self) -> list[re.Pattern[str]]:
        return [re.compile(pattern.regex, self.REGEX_FLAGS) for pattern in self.PATTERNS]

    def _is_mistyped_personnummer(self, text: str, start: int, end: int) -> bool:
        if not self.PERSONNUMMER_SHAPE.match(text[start:end]):
            return False
        window = (
            text[max(0, start - self.CONTEXT_BEFORE) : start] + " " + text[end : end + self.CONTEXT_BEFORE]
        )
        return self.PERSONNUMMER_CONTEXT.search(window) is not None

    def _longest_valid_prefix(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        candidate = text[start:end]
        # Possible end points: the candidate's end and every group boundary inside it.
        cuts = [end] + [start + m.start() for m in _GROUP_SEPARATOR.finditer(candidate) if m.start() > 0]
        for cut in sorted(set(cuts), reverse=True):
            piece = text[start:cut].rstrip(" -/(")
            if sum(ch.isdigit() for ch in piece) < self.MIN_DIGITS:
                break
            if is_valid_phone(piece):
                return start, start + len(piece)
        return None


def is_valid_phone(candidate: str) -> bool:
    """Return whether ``candidate`` is a valid number (Swedish unless it starts with ``+``/``00``)."""
    try:
        number = phonenumbers.parse(candidate, "SE")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)
