"""Swedish (and international) phone numbers (``PHONE_NUMBER``).

The Swedish numbering plan (PTS, "Svensk nummerplan för telefoni"; the same plan is encoded in Google's
``phonenumbers`` metadata, which we use to validate):

* a national number is the trunk prefix ``0`` + the *national significant number* (NSN); from abroad
  it is written ``+46`` / ``0046`` + the NSN, sometimes with the trunk zero kept in brackets, ``(0)``;
* mobile numbers: ``070``, ``072``, ``073``, ``076``, ``079`` + 7 digits (NSN of 9 digits);
* Stockholm: ``08`` + 5 to 8 digits (NSN of 6 to 9 digits; ``phonenumbers`` stops at 6 subscriber
  digits, so the 5-digit case is checked here);
* other geographic numbers: a 2- or 3-digit area code after the ``0`` (``031``, ``0470``) + the
  subscriber number, an NSN of 7 to 9 digits; non-geographic series (``010``, ``020``, ``077x``,
  ``074``, ``075``, ``0900``...) as the plan defines them. Of these, freephone (``020``), shared-cost
  (``077x``) and premium-rate (``0900``, ``0939``, ``0944``) numbers are businesses' service numbers,
  assigned for companies and authorities and never a person's line: they are not flagged.

Candidates are digit groups in every way people type them: ``0701234567``, ``070-123 45 67``,
``070 12 34 567``, ``070/123 45 67``, ``(08) 123 456 78``, ``+46 70 123 45 67``, ``+46701234567``,
``0046 (0)8-123 456 78``, and several numbers in one message (``0701234567, 0731234567``). A candidate
that is too long (``070-123 45 67 12 gånger``) is shortened group by group until it is a valid number,
and scanning resumes right after it, so a second number in a list is never swallowed by the first.

Not phone numbers, although they may dial: a date written ``05/03 2024`` or ``01-12-2024``, a time
span ``0900-1600`` (the digit-collapsed view of ``09.00-16.00``), and a mistyped personnummer (its shape,
a real date, a wrong check digit) labelled ``personnummer``/``pnr`` with no phone word nearer.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneMetadata
from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import ContextPatternRecognizer, found_by, only_digits

# Between two digit groups: a space, or a dash or slash with optional spaces around it.
_SEP = r"(?: ?[\-/] ?| )"
_GROUP_SEPARATOR = re.compile(r"[ \-/]+|(?<=\))|(?=\()")
_PHONE_PATTERNS = (
    # +46 / 0046, optionally "(0)", then the NSN in groups: "+46 (0)70-123 45 67", "+46701234567"; the
    # country code may stand in brackets, "(+46) 70 123 45 67" (the opening bracket stays outside).
    Pattern(
        "se_international",
        rf"(?=[+0])(?<![\w+])(?:\+|00) ?46(?:(?<=\(\+46)\))?(?: ?\(0\))?{_SEP}?(?:\(\d{{1,4}}\)|\d+)"
        rf"(?:{_SEP}?\(\d+\)|{_SEP}\d+){{0,6}}(?!\d)",
        0.6,
    ),
    # Other countries: "+" or Sweden's international prefix "00", and a country code; validated against
    # that country's plan. The number may be one digit run ("+358401234567").
    Pattern(
        "international",
        rf"(?=\+|00)(?<![\w+])(?:\+ ?|00 ?)[1-9]\d*(?:{_SEP}?\(\d+\)|{_SEP}\d+|(?<=\))\d+){{0,7}}(?!\d)",
        0.6,
    ),
    # A Swedish mobile number in E.164 form with its "+" left out, as it is copied from a messaging
    # app: "46701234567", "46 70 123 45 67". Only mobile numbers (46 + 7x): other digit runs that start
    # with 46 are too often references.
    Pattern(
        "se_mobile_without_plus",
        rf"(?=4)(?<![\w+\-/.])46{_SEP}?7(?:{_SEP}?\d+){{1,5}}(?!\d)",
        0.6,
    ),
    # National: trunk 0 and the area code, possibly in brackets, then the subscriber number in groups.
    Pattern(
        "se_national",
        rf"(?=[(0])(?<![\w+])(?:\(0[1-9]\d{{0,3}}\) ?-? ?\d+|0[1-9]\d*)(?:{_SEP}\d+){{0,6}}(?!\d)",
        0.6,
    ),
)
# 08 + 5 subscriber digits: in the plan, shorter than phonenumbers' Stockholm pattern.
_STOCKHOLM_SHORT = re.compile(r"^8\d{5}$")
_MIN_DIGITS = 7  # "08-123 45" has 7 digits with its trunk zero; nothing shorter is a Swedish number
# Longest digit strings worth parsing: trunk 0 + a 12-digit NSN (the plan's longest, voicemail), and
# "00" + country code + number within E.164's 15 digits (+1 for a bracketed "(0)").
_MAX_NATIONAL_DIGITS = 13
_MAX_INTERNATIONAL_DIGITS = 18
# Shapes that dial but are dates or opening hours, not phone numbers.
_DATE_SHAPE = re.compile(
    r"^0[1-9](?P<sep>[/.\-])(?:0?[1-9]|1[0-2])(?:(?P=sep)(?:19|20)?\d{2}|[ ](?:19|20)\d{2})?$"
)
_TIME_SPAN_SHAPE = re.compile(r"^(?:[01]\d|2[0-3])[0-5]\d ?- ?(?:[01]\d|2[0-3])[0-5]\d$")


class SePhoneRecognizer(ContextPatternRecognizer):
    """Find phone numbers valid in the Swedish numbering plan, or international ones with ``+``/``00``."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = list(_PHONE_PATTERNS)
    CONTEXT = ["telefon", "tel", "mobil", "mobilnummer", "nummer", "ring", "sms", "nå mig", "phone", "call"]
    # "personnummer 0911227586" with a wrong check digit is a mistyped personnummer, not a phone number.
    PERSONNUMMER_CONTEXT = re.compile(
        r"(?i)(?:person|samordnings|födelse)(?:nummer|numret|nr)|\bpnr\b"
        r"|personal (?:identity |id |identification )?number|social security number|\bid number"
    )
    PERSONNUMMER_SHAPE = re.compile(r"^\d{6}[-+ ]?\d{4}$")
    # YYMMDD-NNNN: the way a personnummer is written. Swedish phone numbers put the dash after the area
    # code (060-407 03 14), never after six digits, so this shape is a personnummer unless a phone cue says
    # otherwise.
    PERSONNUMMER_WRITTEN = re.compile(r"^\d{6}[-+]\d{4}$")
    PHONE_CONTEXT = re.compile(
        r"(?i)(?<!\w)(?:telefon|tel|mobil|mobilnummer|ring|sms|nå mig|phone|call|nummer till mig)"
    )

    def load(self) -> None:
        """Load every country's numbering plan now (58 ms, 1.5 MB once), not on a citizen's message.

        ``phonenumbers`` loads a country's plan the first time a number of it is parsed; that took up to
        13 ms inside the first message with a number from that country.
        """
        super().load()  # type: ignore[no-untyped-call]
        PhoneMetadata.load_all()

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Return the valid phone numbers; each candidate is trimmed to its longest valid prefix."""
        results = [
            found_by(self, self.ENTITY, start, end, EntityRecognizer.MAX_SCORE)
            for start, end in find_phone_numbers(text)
            if not self._is_mistyped_personnummer(text, start, end)
        ]
        return EntityRecognizer.remove_duplicates(results)

    def _is_mistyped_personnummer(self, text: str, start: int, end: int) -> bool:
        """Whether a dialable number is a personnummer with a wrong check digit, by its label.

        Only when it has a personnummer's shape and a real date, no phone cue is near, and either a
        personnummer cue is near or it is written YYMMDD-NNNN. A phone cue wins: ``ring 0701234567, pnr
        följer`` is a phone number, whichever cue is nearer. A valid personnummer is redacted as one by
        ``SePersonnummerRecognizer``: a value dropped here is a personnummer whose check digit is wrong.
        """
        value = text[start:end]
        if not self.PERSONNUMMER_SHAPE.match(value) or not _is_date(only_digits(value)[:6]):
            return False  # not a real date: never a personnummer, so a dialable number stays a phone number
        before = text[max(0, start - self.CONTEXT_BEFORE) : start]
        after = text[end : end + self.CONTEXT_BEFORE]
        window = before + " " + after
        if self.PHONE_CONTEXT.search(window):
            return False
        return (
            self.PERSONNUMMER_WRITTEN.match(value) is not None
            or self.PERSONNUMMER_CONTEXT.search(window) is not None
        )


def _is_date(yymmdd: str) -> bool:
    """Whether ``YYMMDD`` is a possible birth date (a samordningsnummer adds 60 to the day)."""
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if day > 60:
        day -= 60
    return 1 <= month <= 12 and 1 <= day <= 31


_COMPILED = [re.compile(pattern.regex) for pattern in _PHONE_PATTERNS]


def find_phone_numbers(text: str) -> list[tuple[int, int]]:
    """Return the spans of valid phone numbers in ``text``, in text order, without overlaps.

    The text is read left to right: the earliest candidate that validates wins (the longest, if several
    patterns start there), and reading resumes right after it. Each pattern's next match is kept until
    reading passes its start, so every pattern scans the text about once (linear, not quadratic).
    """
    spans: list[tuple[int, int]] = []
    position = 0
    upcoming: list[re.Match[str] | None] = [regex.search(text) for regex in _COMPILED]
    # A written date is no part of a phone number: "Ledighet 2027-02-15 – 2027-02-19" is no "02-15 –
    # 2027-02", "AUTH 042187 2026-12-02" no "042187 2026". No number of the plan contains one.
    dates = [match.span() for match in _ISO_DATE.finditer(text)]
    while True:
        for index, regex in enumerate(_COMPILED):
            match = upcoming[index]
            if match is not None and match.start() < position:
                upcoming[index] = regex.search(text, position)
        matches = [match for match in upcoming if match is not None]
        if not matches:
            return spans
        start = min(match.start() for match in matches)
        valid = [
            span
            for match in matches
            if match.start() == start
            and (limit := _before_dates(dates, start, match.end())) > start
            and (span := _longest_valid_prefix(text, start, limit)) is not None
        ]
        if valid:
            span = max(valid, key=lambda s: s[1])
            spans.append(span)
            position = span[1]
        else:
            position = start + 1


_ISO_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")


def _before_dates(dates: list[tuple[int, int]], start: int, end: int) -> int:
    """Where a candidate ``text[start:end]`` must end so that it takes in no date (``start``: none left)."""
    for date_start, date_end in dates:
        if date_start <= start < date_end:
            return start
        if start < date_start < end:
            return date_start
    return end


def _longest_valid_prefix(text: str, start: int, end: int) -> tuple[int, int] | None:
    candidate = text[start:end]
    # Possible end points: the candidate's end and every group boundary inside it.
    cuts = [end] + [start + m.start() for m in _GROUP_SEPARATOR.finditer(candidate) if m.start() > 0]
    longest = (
        _MAX_INTERNATIONAL_DIGITS if candidate[0] == "+" or candidate[:2] == "00" else _MAX_NATIONAL_DIGITS
    )
    for cut in sorted(set(cuts), reverse=True):
        piece = text[start:cut].rstrip(" -/(")
        digits = sum(ch.isdigit() for ch in piece)
        if digits < _MIN_DIGITS:
            break
        if digits > longest or _DATE_SHAPE.match(piece) or _TIME_SPAN_SHAPE.match(piece):
            continue
        if is_valid_phone(piece):
            return None if is_business_service_number(piece) else (start, start + len(piece))
    return None


# The plan's series for businesses' service numbers: freephone (020), shared-cost national numbers (077x)
# and premium rate (0900, 0939, 0944). PTS assigns them to operators for companies and authorities, not
# to a person's line, so they are never personal data ("Skatteverket 0771-567 567").
_SERVICE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
    }
)


def is_business_service_number(candidate: str) -> bool:
    """Whether ``candidate`` (a valid number) is a Swedish freephone, shared-cost or premium-rate number."""
    try:
        number = phonenumbers.parse(candidate, "SE")
    except phonenumbers.NumberParseException:
        return False
    return number.country_code == 46 and phonenumbers.number_type(number) in _SERVICE_TYPES


@lru_cache(maxsize=4096)
def is_valid_phone(candidate: str) -> bool:
    """Return whether ``candidate`` is a valid number (Swedish unless it starts with ``+``/``00``).

    A number of another country, written with its ``+`` and country code, needs only a length that
    country's plan allows: ``phonenumbers``' ranges lag behind what operators hand out, and a digit run
    after an explicit country code is a phone number whatever its range (``+44 7700 900123``).
    """
    if candidate[:2] == "46":
        return _is_plusless_mobile(candidate)
    try:
        number = phonenumbers.parse(candidate, "SE")
    except phonenumbers.NumberParseException:
        return False
    if phonenumbers.is_valid_number(number):
        return True
    if number.country_code == 46:
        return bool(_STOCKHOLM_SHORT.match(str(number.national_number)))
    # Only after "+": a digit run that starts "00" may be a customer or OCR number, and must be valid.
    return candidate[0] == "+" and phonenumbers.is_possible_number_with_reason(number) == _POSSIBLE


_POSSIBLE = phonenumbers.ValidationResult.IS_POSSIBLE


def _is_plusless_mobile(candidate: str) -> bool:
    """Whether ``46…`` is a valid Swedish mobile number with the ``+`` of its E.164 form left out."""
    try:
        number = phonenumbers.parse("+" + candidate, None)
    except phonenumbers.NumberParseException:
        return False
    return (
        number.country_code == 46
        and phonenumbers.is_valid_number(number)
        and phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
    )
