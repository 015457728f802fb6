"""Payment card numbers (``CREDIT_CARD``): Presidio's pattern and Luhn check for Swedish text."""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer as PresidioCreditCardRecognizer

from guardrails.recognizers.base import LANGUAGE


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
