"""Precision rules: numbers that look like personal data but are not.

Over-redaction makes the bot misunderstand ("Dnr 2024-123" becomes a placeholder and the question is
lost). Before redaction, these spans are marked as protected: case numbers, dates, amounts, OCR /
order / invoice numbers, ISBNs, statute references, bus lines, times and organisation numbers. A
finding that lies *entirely inside* a protected span is dropped.

A rule never protects a value that validates as a structured identifier: a phone number in the
Swedish numbering plan, a payment card number (Luhn), a bank account number (Bankgirot's rules) or a
personnummer. Such a value is cut out of the protected span, so "kundnummer 0701234567" or "ref
5000-1234560" is still redacted. Validation is on the text as typed (the digit-collapsed view that
turns "06.03.2023" into a dialable "06032023" does not count). One exception: after an OCR keyword a
card-shaped number stays protected, because an OCR reference carries the same Luhn (mod 10) check
digit by construction (Bankgirot's OCR reference rules) — the check proves nothing there.
Personnummer and e-mail addresses are never dropped by these rules in any case (``EXEMPT_TYPES``).

Organisation numbers (Bolagsverket): ten digits ``NNXNNN-NNNN`` whose first digit is 1-9 (the legal-form
group; never 0) and whose third digit is at least 2 (so it can never be a birth month), optionally
with the ``16`` prefix. A ten-digit number starting with 0 is a phone number, never an org number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from guardrails.recognizers.credit_card_recognizer import find_card_numbers
from guardrails.recognizers.se_bank_account_recognizer import find_bank_accounts
from guardrails.recognizers.se_personnummer_recognizer import find_personnummer
from guardrails.recognizers.se_phone_recognizer import find_phone_numbers

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
    "statute": r"(?:\bSFS\s?\d{4}:\d{1,4}|\b\d{1,2}\s?kap\.?\s?\d{1,3}\s?[a-z]?\s?§|\b\d{1,3}\s?[a-z]?\s?§)"
    # the law's abbreviation after the section sign: "14 kap. 3 § SoL", "9 kap. 27 § PBL", "2 kap. 1 § TF"
    r"(?:\s?(?=[A-Za-zÅÄÖåäö]*[A-ZÅÄÖ][a-zåäö]?[A-ZÅÄÖ])[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,5}\b)?"
    r"|(?i:\bprop\.?\s?)\d{4}/\d{2}:\d{1,4}"
    # the reporting duties named after a case ("lex Sarah", "lex Maria"): a law's name, not a person
    r"|(?i:\blex\s)[A-ZÅÄÖa-zåäö][a-zåäö]+\b",
    # buss 4, linje 150, busslinje 12B, tåg 8012
    "transport_line": r"(?i:\b(?:buss|bussen|busslinje|linje|linjen|tåg|tåget|spårvagn|båt|färja)"
    r"\s?(?:nr\.?\s?)?)\d{1,4}[A-Z]?\b",
    # kl 14.30, 08:00-16:30
    "time": r"\b(?:[01]?\d|2[0-3])[.:][0-5]\d(?:\s?[-–]\s?(?:[01]?\d|2[0-3])[.:][0-5]\d)?\b",
    # organisation numbers: first digit 1-9, third digit >= 2 (556036-0793, 212000-0142, 16556036-0793)
    "organisation_number": r"\b(?:16)?[1-9]\d[2-9]\d{3}-?\d{4}\b",
}
PROTECTED = re.compile("|".join(f"(?P<{name}>{regex})" for name, regex in _RULES.items()))
_OCR_KEYWORD = re.compile(r"(?i)\s*ocr")
_Finder = Callable[[str], list[tuple[int, int]]]
# Finders of values that validate as a structured identifier (offsets into the text they are given).
STRUCTURED_FINDERS: tuple[_Finder, ...] = (
    find_personnummer,
    find_phone_numbers,
    find_card_numbers,
    find_bank_accounts,
)


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Return the protected spans of ``text`` (offsets into ``text``), structured values cut out."""
    spans: list[tuple[int, int]] = []
    for match in PROTECTED.finditer(text):
        spans.extend(_cut_structured_values(match))
    return spans


def is_protected(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Return whether ``[start, end)`` lies entirely inside one of ``spans``."""
    return any(p_start <= start and end <= p_end for p_start, p_end in spans)


def _cut_structured_values(match: re.Match[str]) -> list[tuple[int, int]]:
    """Return the pieces of a rule's match that are left once validating values are cut out."""
    start, end = match.span()
    value = match.group()
    finders = STRUCTURED_FINDERS
    if match.lastgroup == "reference_number" and _OCR_KEYWORD.match(value):
        finders = tuple(f for f in finders if f is not find_card_numbers)
    cuts = sorted(span for finder in finders for span in finder(value))
    if not cuts:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    position = 0
    for cut_start, cut_end in cuts:
        if cut_start > position:
            pieces.append((start + position, start + cut_start))
        position = max(position, cut_end)
    if position < len(value):
        pieces.append((start + position, end))
    return pieces
