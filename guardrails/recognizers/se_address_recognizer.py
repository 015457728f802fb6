"""Swedish street addresses and postcodes (``LOCATION``).

A street name alone or a town alone is not personal data; a street *with a number* is, and so is a
postcode. We find:

* ``Storgatan 12``, ``Aspvägen 136A, lgh 1102``, ``Norra Kyrkogatan 3 B``, ``Drottning Kristinas väg 4``,
  optionally followed by a postcode and town (``…, 123 45 Exempelstad``);
* postcodes ``SE-123 45`` or ``123 45`` followed by a town name; a bare ``123 45`` only with a context
  word (``postnummer``, ``adress``, ``bor``…).

Street names are recognised by their ending (``-gatan``, ``-vägen``, ``-gränd``…) or by a separate
street word (``väg``, ``gata``, ``allé``…), in any letter case, since citizens type ``storgatan 12``.
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from guardrails.recognizers.base import ContextPatternRecognizer

_SUFFIXES = (
    "gatan|vägen|gränd|gränden|stigen|backen|allén|torget|torg|platsen|plan|leden|slingan|gången|"
    "liden|udden|kroken|svängen|vägen|parken|hagen|ringen|bron|kajen|esplanaden|promenaden|"
    "strand|stranden|höjden|lunden|dalen|berget|ängen|tået|väg|gata"
)
_SEPARATE_WORDS = "väg|gata|gränd|allé|torg|plan|stig|backe"
_NUMBER = r"\d{1,4}(?: ?[A-Za-z](?![\w]))?(?:-\d{1,4})?"
_APARTMENT = r"(?:,? ?(?:lgh|lägenhet|lght|ltg)\.? ?(?:nr\.? ?)?\d{4})?"
_POSTCODE_TOWN = r"(?:,? (?:SE-?)?\d{3} ?\d{2} [A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+)?)?"
_STREET_WORD = r"[A-Za-zÅÄÖåäöéÉü]"


class SeAddressRecognizer(ContextPatternRecognizer):
    """Find street addresses with a number, and postcodes."""

    ENTITY = "LOCATION"
    PATTERNS = [
        # One word ending in a street suffix: "Storgatan 12", "aspvägen 136A, lgh 1102".
        Pattern(
            "street_suffix",
            rf"(?i)(?<![\w-])(?:(?:norra|södra|östra|västra|stora|lilla|gamla|nya) )?"
            rf"{_STREET_WORD}{{2,}}(?:{_SUFFIXES}) {_NUMBER}{_APARTMENT}{_POSTCODE_TOWN}(?![\w])",
            0.7,
        ),
        # Capitalised words then a separate street word: "Drottning Kristinas väg 4".
        Pattern(
            "street_word",
            rf"(?<![\w-])(?:[A-ZÅÄÖ][a-zåäöé]+ ){{1,2}}(?:{_SEPARATE_WORDS}) "
            rf"{_NUMBER}{_APARTMENT}{_POSTCODE_TOWN}(?![\w])",
            0.7,
        ),
        # Postcode followed by a town: "SE-123 45 Exempelstad", "123 45 Exempelstad".
        Pattern("postcode_town", r"(?<![\w-])(?:SE-?)?\d{3} ?\d{2} [A-ZÅÄÖ][a-zåäöé]+(?![\w])", 0.6),
        Pattern("postcode_se", r"(?<![\w-])SE-?\d{3} ?\d{2}(?![\w])", 0.6),
        # Bare postcode: only with context.
        Pattern("postcode", r"(?<![\w\-+])\d{3} \d{2}(?![\w-])", 0.2),
    ]
    CONTEXT = ["postnummer", "postnr", "adress", "adressen", "bor på", "bor i", "address", "zip", "postort"]
    REGEX_FLAGS = 0
