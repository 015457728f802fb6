"""Swedish licence plates (``SE_LICENSE_PLATE``): ``ABC 123`` and ``ABC 12D``.

Plates use the letters A-Z except I, Q, V, Å, Ä and Ö (the last character, if a letter, is never O).
Upper-case plates are flagged on their own; lower- or mixed-case ones (``abc 123`` is also "och 123",
"kap 123") only with a context word such as ``regnr``, ``bil`` or ``parkering``. Common upper-case
abbreviations followed by a number (``SFS``, ``SEK``, ``EUR``...) are not plates.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern

from guardrails.recognizers.base import ContextPatternRecognizer

_LETTER = "A-HJ-PR-UW-Z"
_LAST_LETTER = "A-HJ-NPR-UW-Z"


class SeLicensePlateRecognizer(ContextPatternRecognizer):
    """Find Swedish registration numbers."""

    ENTITY = "SE_LICENSE_PLATE"
    PATTERNS = [
        Pattern(
            "plate_upper",
            rf"(?<![\w-])[{_LETTER}]{{3}}[ -]?\d{{2}}[\d{_LAST_LETTER}](?![\w-])",
            0.6,
        ),
        Pattern(
            "plate_any_case",
            rf"(?i)(?<![\w-])[{_LETTER}]{{3}}[ -]?\d{{2}}[\d{_LAST_LETTER}](?![\w-])",
            0.2,
        ),
    ]
    CONTEXT = [
        "regnr",
        "reg.nr",
        "reg nr",
        "registreringsnummer",
        "registreringsnumret",
        "bil",
        "bilen",
        "fordon",
        "nummerplåt",
        "skylt",
        "parkering",
        "parkerad",
        "parkerade",
        "p-bot",
        "felparker",
        "släp",
        "husbil",
        "license plate",
        "car",
    ]
    NOT_PLATES = frozenset(
        {"SFS", "SEK", "EUR", "USD", "NOK", "DKK", "GBP", "BBR", "PBL", "LSS", "SOL", "ABL"}
    )
    REGEX_FLAGS = re.DOTALL | re.MULTILINE

    def invalidate_result(self, pattern_text: str) -> bool:
        """Reject abbreviations followed by a number (``SFS 123``, ``SEK 500``)."""
        return pattern_text[:3].upper() in self.NOT_PLATES
