"""Shared behaviour of our pattern recognizers: Swedish language tag and in-text context words.

Presidio's own context enhancer needs lemmas from an NLP pipeline; we run without one (see
``guardrails.engine``), so each recognizer looks for its ``CONTEXT`` words in a character window
around the match instead. Context only raises scores of matches that no checksum has already settled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

LANGUAGE = "sv"


class ContextPatternRecognizer(PatternRecognizer):
    """A ``PatternRecognizer`` that boosts unvalidated matches when context words are near.

    Subclasses set ``PATTERNS``, ``CONTEXT`` and ``ENTITY``; optionally ``CONTEXT_BEFORE`` /
    ``CONTEXT_AFTER`` (window sizes in characters), ``CONTEXT_BOOST``, ``REGEX_FLAGS`` and
    ``COMPOUND_ENDS`` (context words that may also end a compound: "ledarersättning").
    """

    PATTERNS: Sequence[Pattern] = ()
    CONTEXT: Sequence[str] = ()
    ENTITY: str = ""
    CONTEXT_BEFORE = 40
    CONTEXT_AFTER = 15
    CONTEXT_BOOST = 0.4
    REGEX_FLAGS: int = re.DOTALL | re.MULTILINE | re.IGNORECASE
    COMPOUND_ENDS: Sequence[str] = ()

    def __init__(self) -> None:
        """Build the recognizer from the class constants (fresh Pattern objects per instance)."""
        patterns = [Pattern(p.name, p.regex, p.score) for p in self.PATTERNS]
        super().__init__(
            supported_entity=self.ENTITY,
            patterns=patterns,
            context=list(self.CONTEXT),
            supported_language=LANGUAGE,
            global_regex_flags=self.REGEX_FLAGS,
        )

    @cached_property
    def _context_regex(self) -> re.Pattern[str] | None:
        if not self.CONTEXT:
            return None
        words = sorted((re.escape(w.lower()) for w in self.CONTEXT), key=len, reverse=True)
        # A context word may start a compound ("telefonnumret", "mobilnr") but not end one, except the
        # words of COMPOUND_ENDS.
        ends = "|".join(re.escape(w.lower()) for w in self.COMPOUND_ENDS)
        return re.compile(r"(?<![\w])(?:" + "|".join(words) + ")" + (rf"|(?<=\w)(?:{ends})" if ends else ""))

    def has_context(self, text: str, start: int, end: int) -> bool:
        """Return whether a context word occurs in the window around ``text[start:end]``."""
        regex = self._context_regex
        if regex is None:
            return False
        window = (
            text[max(0, start - self.CONTEXT_BEFORE) : start] + " " + text[end : end + self.CONTEXT_AFTER]
        )
        return regex.search(window.lower()) is not None

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Run the patterns, then raise the score of unvalidated matches that have context."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            if result.score < EntityRecognizer.MAX_SCORE and self.has_context(text, result.start, result.end):
                result.score = min(EntityRecognizer.MAX_SCORE, result.score + self.CONTEXT_BOOST)
        return results


def found_by(
    recognizer: EntityRecognizer, entity: str, start: int, end: int, score: float
) -> RecognizerResult:
    """A finding of ``recognizer``, named in the result's metadata as Presidio's own recognizers do."""
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: type(recognizer).__name__,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


def luhn_valid(digits: str) -> bool:
    """Return whether a string of ASCII digits passes the Luhn (mod 10) check."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def only_digits(text: str) -> str:
    """Return the ASCII digits of ``text`` in order."""
    return "".join(ch for ch in text if "0" <= ch <= "9")
