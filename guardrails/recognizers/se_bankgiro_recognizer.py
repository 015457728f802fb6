"""Bankgiro and plusgiro numbers (``SE_BANKGIRO``).

Bankgiro: 7 or 8 digits written ``123-4567`` / ``5050-1055``; plusgiro: 2 to 8 digits with the check
digit after a dash (``12 34 56-7``, ``4711-7``). Both end in a Luhn (mod 10) check digit. Such short
numbers pass a mod-10 check one time in ten, and case numbers look alike (``2024-1234``), so a match
also needs a context word (``bankgiro``, ``bg``, ``plusgiro``, ``pg``…) nearby.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from guardrails.recognizers.base import ContextPatternRecognizer, luhn_valid, only_digits


class SeBankgiroRecognizer(ContextPatternRecognizer):
    """Find bankgiro and plusgiro numbers with a valid check digit and a context word."""

    ENTITY = "SE_BANKGIRO"
    PATTERNS = [
        Pattern("bankgiro", r"(?<![\d\-])\d{3,4}-\d{4}(?![\d\-])", 0.2),
        Pattern("plusgiro", r"(?<![\d\-])\d{1,2}(?: ?\d{2}){0,3}-\d(?![\d\-])", 0.2),
    ]
    CONTEXT = ["bankgiro", "bankgironummer", "bg", "bg-nummer", "plusgiro", "postgiro", "pg", "giro"]
    CONTEXT_BEFORE = 30
    CONTEXT_BOOST = 0.5

    def validate_result(self, pattern_text: str) -> bool | None:
        """Reject a wrong check digit; keep a valid one at its pattern score (context decides)."""
        digits = only_digits(pattern_text)
        if not 2 <= len(digits) <= 8 or not luhn_valid(digits):
            return False
        return None
