"""Swedish personnummer and samordningsnummer (``SE_PERSONNUMMER``).

Extends Presidio's ``SePersonnummerRecognizer`` (disabled by default in Presidio), which accepts
impossible dates (``19900231``), ignores the century of 12-digit numbers, matches inside longer digit
runs and does not know space separators or interim numbers. We keep its Luhn check and tighten the rest:

* 10 or 12 digits (``YYMMDD`` / ``YYYYMMDD`` + 4), separated by ``-``, ``+`` (age 100+), a space,
  ``/`` (as it is written in some countries: ``790228/4210``) or nothing; never part of a longer digit
  run. Twelve digits may also be printed in groups of four (``2011 0923 4581``), as forms and lists do.
* a real calendar date (leap years included); samordningsnummer have day + 60.
* interim numbers (``000101-T220``: a letter from the Tax Agency's set in the serial) count as
  personal identifiers; the letter counts as 1 in the Luhn check.
* birth number ``000`` is never issued (as in the personnummer project's spec).
* Luhn check over the last 10 digits. A number that fails it is never flagged, whatever the context.

Deliberate difference from the personnummer project's test vectors: we also accept a space as the
separator (``900527 1474``), because people type it; the vectors call it invalid.

Ten plain digits starting ``070``, ``072``, ``073``, ``076`` or ``079`` are also a mobile number, and a
few of them (a child born 2000-2009) pass as a personnummer too. Next to a phone word (``ring``,
``mobil``, ``mitt nummer``) and with no personnummer word near, such a match scores 0.9, so the
redactor labels it a phone number (both are redacted either way).
"""

from __future__ import annotations

import calendar
import re

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SePersonnummerRecognizer as PresidioSePersonnummer

from guardrails.recognizers.base import LANGUAGE, luhn_valid

_INTERIM_LETTERS = "TRSUWXJKLMN"


class SePersonnummerRecognizer(PresidioSePersonnummer):
    """Find valid Swedish personnummer, samordningsnummer and interim numbers."""

    ENTITY = "SE_PERSONNUMMER"
    PATTERNS = [
        Pattern(
            "personnummer",
            r"(?<![\d])(?:(?:18|19|20)\d{6}|\d{6}) ?[-+/]? ?(?:\d{4}|["
            + _INTERIM_LETTERS
            + r"]\d{3})(?![\d])",
            0.5,
        ),
        # Twelve digits in groups of four, as forms and lists print them: "2011 0923 4581". Not as the
        # tail of a longer run of groups (a card or a reference number).
        Pattern("personnummer_grouped", r"(?<![\d])(?<!\d )(?:18|19|20)\d{2} \d{4} \d{4}(?! ?\d)", 0.5),
        # The full birth date with its century, then the serial after a space: "(2017-08-21 1147)". Only
        # with four year digits and not before a unit, a colon or a decimal ("2017-08-21 1147 kr").
        Pattern(
            "personnummer_dated_spaced",
            r"(?<![\d\-])(?:18|19|20)\d{2}-(?:0[1-9]|1[0-2])-[0-9]\d \d{4}(?![\d\-/])(?![.,:]\d)"
            r"(?!\s?(?:kr|sek|:-|%|st\b|m2|m²|kvm|mm|cm|km|kg|kronor))",
            0.5,
        ),
        # The birth date written as a date, then the serial after a dash: "1985-03-12-1231",
        # "85-03-12-1231", the way it is typed on a form that asks for the date first. Not with a space
        # before the serial: a date and then four digits is too often a time or a sum.
        Pattern(
            "personnummer_dated",
            r"(?<![\d\-])(?:(?:18|19|20)\d{2}|\d{2})-(?:0[1-9]|1[0-2])-[0-9]\d ?[-+] ?(?:\d{4}|["
            + _INTERIM_LETTERS
            + r"]\d{3})(?![\d\-])",
            0.5,
        ),
    ]
    CONTEXT = [
        "personnummer",
        "personnr",
        "pnr",
        "person nummer",
        "samordningsnummer",
        "samordningsnr",
        "födelsenummer",
        "personal identity number",
        "ssn",
    ]
    _SPLIT = re.compile(r"^(\d{6,8}) ?[-+/]? ?([0-9" + _INTERIM_LETTERS + r"]\d{3})$", re.IGNORECASE)
    MOBILE_SHAPE = re.compile(r"^07[02369]\d{7}$")
    PHONE_CONTEXT = re.compile(r"(?i)(?<!\w)(?:ring|telefon|tel|mobil|sms|nå mig|nummer|phone|call|mobile)")
    PERSONNUMMER_CONTEXT = re.compile(
        r"(?i)(?<!\w)(?:person ?n|pnr|samordnings|födelse|ssn|personal identity)"
    )
    MOBILE_SCORE = 0.9
    CONTEXT_WINDOW = 40

    def __init__(self) -> None:
        """Build the recognizer with our patterns and context (language ``sv``)."""
        super().__init__(
            patterns=[Pattern(p.name, p.regex, p.score) for p in self.PATTERNS],
            context=list(self.CONTEXT),
            supported_language=LANGUAGE,
            supported_entity=self.ENTITY,
        )

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Find valid numbers; a mobile-shaped one next to a phone word yields to the phone number."""
        results: list[RecognizerResult] = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            if self.MOBILE_SHAPE.match(text[result.start : result.end]):
                window = (
                    text[max(0, result.start - self.CONTEXT_WINDOW) : result.start]
                    + " "
                    + text[result.end : result.end + self.CONTEXT_WINDOW]
                )
                if self.PHONE_CONTEXT.search(window) and not self.PERSONNUMMER_CONTEXT.search(window):
                    result.score = min(result.score, self.MOBILE_SCORE)
        return results

    def validate_result(self, pattern_text: str) -> bool:
        """Return whether the match is a real date (day + 60 allowed) with a valid Luhn digit."""
        return is_valid_personnummer(pattern_text)


def is_valid_personnummer(text: str) -> bool:
    """Return whether ``text`` is a valid personnummer, samordningsnummer or interim number."""
    joined = _GROUPED.sub(r"\1\2", _DATED.sub(r"\1\2\3", text.strip()))
    match = SePersonnummerRecognizer._SPLIT.match(joined)
    if not match:
        return False
    date_part, serial = match.group(1), match.group(2).upper()
    if len(date_part) == 8:
        if date_part[:2] not in {"18", "19", "20"}:
            return False
        year = int(date_part[:4])
    elif len(date_part) == 6:
        # Two-digit year: any leap year in 1900-2099 has YY % 4 == 0 (2000 included).
        year = 2000 + int(date_part[:2])
    else:
        return False
    month, day = int(date_part[-4:-2]), int(date_part[-2:])
    if day > 60:
        day -= 60
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    if serial[:3] == "000":  # birth number 000 is never issued
        return False
    if serial[0] in _INTERIM_LETTERS:
        serial = "1" + serial[1:]
    return luhn_valid(date_part[-6:] + serial)


# A birth date written with dashes at the start of a value: joined before the value is checked. The
# serial follows a dash or a plus, or (after a four-digit year) a space.
_DATED = re.compile(
    r"^(\d{2}|\d{4})-(\d{2})-(\d{2})"
    r"(?=\s?[-+]\s?[0-9" + _INTERIM_LETTERS + r"]|(?<=^\d{4}-\d{2}-\d{2}) \d{4}$)",
    re.IGNORECASE,
)
# Twelve digits in groups of four, as a form or a list prints them: "2011 0923 4581".
_GROUPED = re.compile(r"^((?:18|19|20)\d{2}) (\d{4})(?!\d)")
_PERSONNUMMER = re.compile("|".join(f"(?:{p.regex})" for p in SePersonnummerRecognizer.PATTERNS))


def find_personnummer(text: str) -> list[tuple[int, int]]:
    """Return the spans of valid personnummer, samordningsnummer and interim numbers in ``text``."""
    return [match.span() for match in _PERSONNUMMER.finditer(text) if is_valid_personnummer(match.group())]
