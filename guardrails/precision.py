"""Precision rules: numbers that look like personal data but are not.

Over-redaction makes the bot misunderstand ("Dnr 2024-123" becomes a placeholder and the question is
lost). Before redaction, these spans are marked as protected: case numbers, dates, amounts, OCR /
order / invoice numbers, ISBNs, statute references, bus lines, times and organisation numbers. A
finding that lies *entirely inside* a protected span is dropped. Personnummer and e-mail addresses are
never dropped by these rules (their own checks are strict, and recall matters more for them).
"""

from __future__ import annotations

import re

# Types these rules never suppress.
EXEMPT_TYPES = frozenset({"SE_PERSONNUMMER", "EMAIL_ADDRESS"})

_RULES = {
    # Dnr 2024-123, diarienummer KS 2023/145, ärende BN 2024.0012, KS 2023/145
    "case_number": r"(?i:\b(?:dnr|diarienr|diarienummer|ärendenummer|ärendenr|ärende|beslut|protokoll)\.?:?"
    r"\s*(?:nr\.?\s*)?)(?:[A-ZÅÄÖ]{1,5}\s?)?\d{2,4}\s?[-/.:]\s?\d{1,6}(?:[-/.:]\d{1,6})?"
    r"|\b(?:KS|KF|BN|MBN|SBN|UN|BUN|SN|TN|VN|KFN|MN|ÖN|KSAU|AN|IFN)\s?\d{2,4}[-/.:]\d{1,6}\b",
    # 20240315, 2024-03-15, 2024.03.15, 15/3 2024, 15.03.2024
    "date": r"\b(?:19|20)\d{2}(?P<date_sep>[-./]?)(?:0[1-9]|1[0-2])(?P=date_sep)(?:0[1-9]|[12]\d|3[01])\b"
    r"|\b(?:0?[1-9]|[12]\d|3[01])[./](?:0?[1-9]|1[0-2])(?:[./ ](?:19|20)?\d{2})?\b",
    # 1 500 kr, 35 000 kronor, 1234,50 SEK, 500:-
    "amount": r"\b\d{1,3}(?:[  .]\d{3})*(?:,\d{1,2})?\s?(?:kr\b|kronor\b|sek\b|:-|€|euro\b|eur\b)"
    r"|(?i:\b(?:sek|kr)\s?\d[\d  .]*(?:,\d{1,2})?)",
    # OCR 1234567890128, ordernummer 12345678, faktura nr 2024-55012
    "reference_number": r"(?i:\b(?:ocr|ocr-?nummer|ocr-?nr|referensnummer|referensnr|ref|ordernummer|ordernr|"
    r"order|fakturanummer|fakturanr|faktura|kundnummer|kundnr|avtalsnummer|avtalsnr|bokningsnummer|"
    r"bokningsnr|kvittonummer|ärendenummer|anläggningsnummer|anläggnings-id|mätarnummer|fastighetsbeteckning)"
    r"\.?:?\s*(?:nr\.?:?\s*|nummer:?\s*)?(?:är\s*)?#?)\d[\d -]{2,30}\d",
    # ISBN 978-91-27-15686-1
    "isbn": r"(?i:\bisbn(?:-1[03])?:?\s*)[\d-]{9,17}[\dX]",
    # SFS 2010:900, 4 kap. 2 §, 12 §, prop. 2017/18:1
    "statute": r"\bSFS\s?\d{4}:\d{1,4}|\b\d{1,2}\s?kap\.?\s?\d{1,3}\s?[a-z]?\s?§|\b\d{1,3}\s?[a-z]?\s?§"
    r"|(?i:\bprop\.?\s?)\d{4}/\d{2}:\d{1,4}",
    # buss 4, linje 150, busslinje 12B, tåg 8012
    "transport_line": r"(?i:\b(?:buss|bussen|busslinje|linje|linjen|tåg|tåget|spårvagn|båt|färja)"
    r"\s?(?:nr\.?\s?)?)\d{1,4}[A-Z]?\b",
    # kl 14.30, 08:00-16:30
    "time": r"\b(?:[01]?\d|2[0-3])[.:][0-5]\d(?:\s?[-–]\s?(?:[01]?\d|2[0-3])[.:][0-5]\d)?\b",
    # organisation numbers: third digit >= 2 (556036-0793, 212000-0142)
    "organisation_number": r"\b(?:16)?\d{2}[2-9]\d{3}-?\d{4}\b",
}
PROTECTED = re.compile("|".join(f"(?P<{name}>{regex})" for name, regex in _RULES.items()))


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Return the protected spans of ``text`` (offsets into ``text``)."""
    return [match.span() for match in PROTECTED.finditer(text)]


def is_protected(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Return whether ``[start, end)`` lies entirely inside one of ``spans``."""
    return any(p_start <= start and end <= p_end for p_start, p_end in spans)
