"""Payment card numbers (``CREDIT_CARD``): Presidio's pattern, the Luhn check and the issuers' lengths.

A card number (ISO/IEC 7812) starts with its issuer's prefix, and each network issues fixed lengths:
Visa ``4`` 13, 16 or 19 digits; Mastercard ``51``-``55`` and ``2221``-``2720`` 16; American Express
``34``/``37`` 15; Diners ``300``-``305``, ``309``, ``36``, ``38``, ``39`` 14-19; JCB ``3528``-``3589``
16-19; Discover ``6011``, ``644``-``649``, ``65`` and UnionPay ``62`` 16-19; Maestro ``50``, ``56``-``69``
16-19 (its rule allows 12-19, but shorter Maestro cards are not in circulation here, and a 13-digit
``6xxx`` number is a Handelsbanken clearing + account number); UATP ``1`` 15. A Luhn-valid number of
another length or prefix is not a card: ``3300 9001011239`` (Nordea personkonto) passes Luhn one time in
ten, and no card starts with ``33``.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer as PresidioCreditCardRecognizer

from guardrails.recognizers.base import LANGUAGE, luhn_valid, only_digits

# (prefixes, allowed lengths): every prefix of one issuer range, as strings of digits.
_ISSUERS: tuple[tuple[tuple[str, ...], frozenset[int]], ...] = (
    (("4",), frozenset({13, 16, 19})),
    (("51", "52", "53", "54", "55"), frozenset({16})),
    (tuple(str(n) for n in range(2221, 2721)), frozenset({16})),
    (("34", "37"), frozenset({15})),
    (("300", "301", "302", "303", "304", "305", "309", "36", "38", "39"), frozenset(range(14, 20))),
    (tuple(str(n) for n in range(3528, 3590)), frozenset(range(16, 20))),
    (("6011", "644", "645", "646", "647", "648", "649", "65", "62"), frozenset(range(16, 20))),
    (
        ("50", "56", "57", "58", "59", "60", "61", "63", "64", "66", "67", "68", "69"),
        frozenset(range(16, 20)),
    ),
    (("1",), frozenset({15})),
)


class CreditCardRecognizer(PresidioCreditCardRecognizer):
    """Find 13-19 digit card numbers (Visa, Mastercard, Amex...) that pass the Luhn check."""

    ENTITY = "CREDIT_CARD"
    # Presidio's pattern misses Mastercard's 2-series (2221-2720); added here.
    PATTERNS = [
        *PresidioCreditCardRecognizer.PATTERNS,
        Pattern("mastercard_2_series", r"\b2[2-7]\d{2}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b", 0.3),
    ]
    CONTEXT = ["kort", "kortnummer", "kreditkort", "bankkort", "betalkort", "visa", "mastercard", "card"]

    def __init__(self) -> None:
        """Build Presidio's card recognizer with Swedish context words (language ``sv``)."""
        super().__init__(
            context=list(self.CONTEXT), supported_language=LANGUAGE, supported_entity=self.ENTITY
        )

    def validate_result(self, pattern_text: str) -> bool:
        """Return whether the number has an issuer's prefix and length and passes the Luhn check."""
        return is_valid_card_number(pattern_text)


def is_valid_card_number(text: str) -> bool:
    """Return whether the digits of ``text`` are a card number: issuer prefix, its length, Luhn."""
    digits = only_digits(text)
    issued = any(len(digits) in lengths and digits.startswith(prefixes) for prefixes, lengths in _ISSUERS)
    return issued and luhn_valid(digits)


_CARD_REGEXES = [re.compile(pattern.regex) for pattern in CreditCardRecognizer.PATTERNS]


def find_card_numbers(text: str) -> list[tuple[int, int]]:
    """Return the spans of card numbers in ``text`` that pass the issuer and Luhn checks."""
    return sorted(
        {
            match.span()
            for regex in _CARD_REGEXES
            for match in regex.finditer(text)
            if is_valid_card_number(match.group())
        }
    )
