"""Swedish licence plates (``SE_LICENSE_PLATE``): ``ABC 123`` and ``ABC 12D``, in any letter case.

The format (Transportstyrelsen, vägtrafikregistret): three letters, then two digits, then a digit or,
since 2019, a letter. The letters are A-Z without I, Q, V, Å, Ä and Ö; a final letter is never O (it
would read as a zero). Some letter combinations are never issued: words that can insult, have a sexual
or drug meaning, name certain organisations, or are numbers (Transportstyrelsen's press release of
2010-10-21 gives the categories and examples: DUM, FUL, LAT, LEM, NYP, RAP, GHB, LSD, XTC, ETA, KKK,
BSS, TRE, FEM, SJU). ``MLB`` is reserved for test cars and advertising, and is a real plate prefix.
Personalised plates (2-7 free characters) are not in scope.

Scores, and why a lower-case plate needs more evidence:

* upper case (``ABC 123``): 0.6, and 1.0 with a context word (``bil``, ``regnr``, ``parkering``...);
  in a message written in capitals (most of its letters upper case) the case says nothing, so there a
  common word or abbreviation before a number is scored as in lower case (``RUM 214``, ``BOX 504`` and
  ``SAL 204`` are not plates);
* lower or mixed case with a context word: 0.6;
* lower or mixed case without one: 0.5 (flagged) only when the three letters cannot be an ordinary
  word in front of a number. Ordinary Swedish and English words have a vowel (A, E, O, U, Y: I is not a
  plate letter), so a vowel-less triple (``bmw 555``, ``kpx 12d``) is a plate unless it is a common
  abbreviation (``tkr 500``, ``kwh 120``, ``lgh 123``). A triple with a vowel needs the
  letter-final form (``abc 12d``: two digits and a letter are not how quantities are written) and
  must not be a common word that precedes house, room or ordinal numbers (``hus 12b``, ``den 12e``).
  Otherwise (``och 123``, ``har 100``, ``abc 123``) it stays at 0.2, under the redactor's threshold.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.detection_text import written_in_capitals
from guardrails.recognizers.base import ContextPatternRecognizer, found_by

_LETTER = "A-HJ-PR-UW-Z"
_LAST_LETTER = "A-HJ-NPR-UW-Z"
_VOWELS = frozenset("AEOUY")


class SeLicensePlateRecognizer(ContextPatternRecognizer):
    """Find Swedish registration numbers."""

    ENTITY = "SE_LICENSE_PLATE"
    UPPER_SCORE = 0.6
    LOWER_SCORE = 0.5
    WEAK_SCORE = 0.2
    PATTERNS = [
        Pattern(
            "plate",
            rf"(?i)(?<![\w-])[{_LETTER}]{{3}}[ -]?\d{{2}}[\d{_LAST_LETTER}](?![\w-])",
            WEAK_SCORE,
        ),
    ]
    CONTEXT = [
        "regnr",
        "reg.nr",
        "reg nr",
        "reg.",
        "regnummer",
        "registreringsnummer",
        "registreringsnumret",
        "registreringsskylt",
        "registrerad",
        "bil",
        "bilen",
        "bilnummer",
        "personbil",
        "lastbil",
        "skåpbil",
        "husbil",
        "firmabil",
        "fordon",
        "fordonet",
        "nummerplåt",
        "skylt",
        "parkering",
        "parkera",
        "parkerad",
        "parkerade",
        "boendeparkering",
        "p-bot",
        "p-plats",
        "p-tillstånd",
        "felparker",
        "bogser",
        "bortbogserad",
        "släp",
        "släpvagn",
        "husvagn",
        "motorcykel",
        "moped",
        "traktor",
        "taxi",
        "besiktning",
        "trängselskatt",
        "fortkörning",
        "volvo",
        "saab",
        "bmw",
        "audi",
        "toyota",
        "tesla",
        "skoda",
        "mercedes",
        "kia",
        "license plate",
        "licence plate",
        "number plate",
        "registration",
        "registered",
        "car",
        "vehicle",
        "parked",
        "parking",
        "towed",
        # "reg" alone, as a whole word: "reg uks 492", "reg: abc 123" (not "regler", "region")
        "reg ",
        "reg:",
    ]
    # Upper-case abbreviations that precede numbers in municipal text.
    NOT_PLATES = frozenset(
        {"SFS", "SEK", "EUR", "USD", "NOK", "DKK", "GBP", "BBR", "PBL", "LSS", "SOL", "ABL"}
    )
    # Combinations Transportstyrelsen does not issue (see the module docstring).
    BANNED = frozenset(
        {
            "APA", "ARG", "BSS", "DUM", "ETA", "ETT", "FAN", "FEG", "FEL", "FEM", "FUL", "GAY", "GHB",
            "HKH", "HOT", "KKK", "LAT", "LEM", "LSD", "NRP", "NYP", "OND", "RAP", "SEX", "SJU",
            "SUP", "TOA", "TRE", "UFO", "USA", "XTC", "XTZ", "XUK", "XXL", "XXX",
        }
    )  # fmt: skip
    # Vowel-less abbreviations written before a number ("tkr 500", "lgh 123", "kwh 120").
    ABBREVIATIONS = frozenset(
        {
            "TKR", "MKR", "KWH", "MWH", "GWH", "GGR", "MFL", "PGA", "JMF", "LGH", "DNR", "PNR", "TFN",
            "PKT", "KPL", "STK", "BST", "MHZ", "GHZ", "KHZ", "KBP", "CPU", "PDF", "PNG", "JPG", "GPS",
            "SMS", "MMS", "HTM", "WWW", "NRS",
        }
    )  # fmt: skip
    # Common words (in plate letters) that precede house, room, flat or ordinal numbers: "hus 12b".
    COMMON_WORDS = frozenset(
        {
            "OCH", "SOM", "DEN", "DET", "ATT", "HAR", "MED", "MEN", "KAN", "SKA", "HAN", "HON", "MAN",
            "PER", "TAR", "GER", "NYA", "MER", "DAG", "NEJ", "JAG", "OSS", "DEM", "ERA", "SEN", "TOG",
            "MOT", "UPP", "UTE", "HEM", "BOR", "BRA", "NER", "NED", "HUS", "RUM", "BOX", "SAL", "SAK",
            "KAP", "ART", "MOM", "REF", "TEL", "FAX", "NUM", "TOT", "TYP", "OBS", "TEX", "TON", "TUM",
            "FOT", "PAR", "SET", "LAG", "RAD", "ORD", "TUR", "ORT", "HOS", "ALL", "HEL", "ENS", "NOG",
            "JAN", "FEB", "MAR", "APR", "MAJ", "JUN", "JUL", "AUG", "SEP", "OKT", "DEC", "ONS", "TOR",
            "FRE", "THE", "AND", "FOR", "ARE", "WAS", "HAS", "ANY", "OUR", "CAN", "NOT", "ONE", "TWO",
            "PAY", "DAY", "SEE", "GET", "DUE", "BUT", "NOW", "HOW", "WHO", "YES", "USE", "NEW", "OLD",
            "TOP", "AGE", "BUS", "APT", "TAX", "FEE", "ROW", "BAY", "CAR",
        }
    )  # fmt: skip
    REGEX_FLAGS = re.DOTALL | re.MULTILINE

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Score each plate-shaped match by its letter case, its letters and the context around it."""
        results = []
        shouting = written_in_capitals(text)
        for match in _PLATE.finditer(text):
            plate = match.group()
            if self.invalidate_result(plate):
                continue
            score = self._score(plate, self.has_context(text, match.start(), match.end()), shouting)
            results.append(found_by(self, self.ENTITY, match.start(), match.end(), score))
        return results

    def invalidate_result(self, pattern_text: str) -> bool:
        """Reject combinations never issued and abbreviations followed by a number (``SFS 123``)."""
        letters = pattern_text[:3].upper()
        return letters in self.BANNED or letters in self.NOT_PLATES

    def _score(self, plate: str, context: bool, shouting: bool = False) -> float:
        letters = plate[:3]
        word = letters.upper() in self.COMMON_WORDS or letters.upper() in self.ABBREVIATIONS
        if letters.isupper() and not (shouting and word):
            return min(
                EntityRecognizer.MAX_SCORE, self.UPPER_SCORE + (self.CONTEXT_BOOST if context else 0.0)
            )
        if context:
            return self.UPPER_SCORE
        return (
            self.LOWER_SCORE if self._word_unlike(letters.upper(), plate[-1].isalpha()) else self.WEAK_SCORE
        )

    def _word_unlike(self, letters: str, letter_final: bool) -> bool:
        if letters in self.ABBREVIATIONS or letters in self.COMMON_WORDS:
            return False
        return letter_final or not _VOWELS.intersection(letters)


_PLATE = re.compile(SeLicensePlateRecognizer.PATTERNS[0].regex, SeLicensePlateRecognizer.REGEX_FLAGS)
