"""Swedish street addresses and postcodes (``LOCATION``).

A street name alone or a town alone is not personal data; a street *with a number* is, and so is a
postcode. We find:

* ``Storgatan 12``, ``Aspvägen 136A, lgh 1102``, ``Norra Kyrkogatan 3 B``, ``Drottning Kristinas väg 4``,
  optionally followed by a postcode, with or without a town (``…, 123 45 Exempelstad``,
  ``Storgatan 1B, 12345``, ``Storgatan 1B, 123 45``): after a street address five digits are a postcode;
* any place name with a house number and a four-digit flat number (``Solvändan 3 lgh 1302``);
* a village or farm and its number (``Bäckby 214``), ``Storg. 5``, a private box with its postcode and
  town, streets abroad (``ul. Długa 15/3, 80-831 Gdańsk``), the number first (``15 Hamngatan``), and the
  floor after the number (``1 tr``, ``nb``);
* postcodes next to a town name: ``123 45 Exempelstad``, ``12345 Exempelstad``, ``Exempelstad, 123 45``;
* ``SE-123 45``, ``postnummer 12345`` or a bare ``123 45`` (with a context word: ``postnummer``,
  ``adress``…) only in a personal statement: a postcode alone, without a street address or a town, is
  not personal data (``postnumret 41263, hör det till er?``). It is flagged only when a street address
  or a personal cue (``jag bor``, ``min adress``, ``bor på``, ``my address``) is near.

Swedish postcodes (PostNord) are five digits from ``100 00`` to ``984 99``, written ``NNN NN``: the
first digit is never 0. A town name is a capitalised word (``Exempelstad``, ``Upplands Väsby``) or, after
the postcode, one in capitals as on an envelope (``123 45 EXEMPELSTAD``); a unit is not a town
(``350 00 öre``). Before a postcode the town must be capitalised and the postcode written with its
canonical space (``Exempelstad 123 45``): a capitalised word before five plain digits is as often a label
(``Order 12345``), and in a message typed in capitals every word would look like a town.

Street names are recognised by their ending (``-gatan``, ``-vägen``, ``-gränd``…) or by a separate
street word (``väg``, ``gata``, ``allé``…), in any letter case, since citizens type ``storgatan 12``.
Many street names have neither: they open with a side or size word (``Västra Lyckan 4``, ``Övre
Bruket 3``); such a name with a house number of at most three digits is an address unless a unit
follows the number (``gamla stan 2 gånger``).
A letter after a space is a house letter only from A-H: ``Storgatan 5 i Exempelstad`` keeps its "i".
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails.recognizers.base import ContextPatternRecognizer, found_by

# Each also as it is typed without å, ä and ö ("plogvagen 6", "ostra langgatan 21"); "allen" not after
# an "h" ("simhallen 14 maj" is a hall).
_SUFFIXES = (
    "gatan|v[äa]gen|gr[äa]nd|gr[äa]nden|stigen|backen|allén|(?<![hH])allen|torget|torg|platsen|plan|leden|slingan|"
    "g[åa]ngen|liden|udden|kroken|sv[äa]ngen|parken|hagen|ringen|bron|kajen|esplanaden|promenaden|"
    "strand|stranden|h[öo]jden|lunden|dalen|berget|[äa]ngen|t[åa]et|v[äa]g|gata|"
    # The street words of the neighbouring languages, for addresses abroad ("Hauptstraße 5", "Nørregade
    # 12", "Mannerheiminkatu 3", "Storgata 10" is already here).
    "stra(?:ß|ss)e|gasse|weg|vej|gade|veien|katu"
)
_SEPARATE_WORDS = "väg|gata|gränd|allé|torg|plan|stig|backe"
_SIDE_WORD = "(?:(?:norra|s[öo]dra|[öo]stra|v[äa]stra|stora|lilla|gamla|nya) |(?:[nsöov]|st)\\. ?)"
# A house number, its letter written on or after a space ("12B", "3 B"); a spaced letter is a house
# letter only from A-H, so "Storgatan 5 i Exempelstad" keeps its "i".
_HOUSE_LETTER = r"(?:(?-i:[A-Za-z]| [A-Ha-h])(?![\w]))?"
_NUMBER = rf"\d{{1,4}}{_HOUSE_LETTER}(?:-\d{{1,4}})?"
# The floor as it is written after a house number: "1 tr", "2tr", "nb" (bottom floor), "bv", "3rd floor".
_FLOOR = r"(?:,? ?(?:\d{1,2} ?(?:tr|trappor|trappa|tr\.)|nb|n\.b\.|bv|[1-9](?:st|nd|rd|th) floor)(?![\w]))"
_APARTMENT = rf"{_FLOOR}?(?:,? ?(?:lgh|lägenhet|lght|ltg)\.? ?(?:nr\.? ?)?\d{{4}})?{_FLOOR}?"
# A number before a month is a day of the month, not a house number ("bröt handleden 3 december",
# "leden 12 maj stängd"). "jan" is left out: it is as often a name ("Storgatan 5 Jan Ek").
_NOT_DATE = (
    r"(?!\s*(?i:januari|februari|feb|mars|april|apr|maj|juni|juli|augusti|aug|september|sept|sep|oktober|okt|"
    r"november|nov|december|dec|january|february|march|may|june|july|august|october|oct)\b)"
)
_POSTCODE = r"(?:SE-?)?[1-9]\d{2} ?\d{2}"
# A unit after a number is not a town ("350 00 öre", "123 45 kr").
_NOT_TOWN = r"(?!(?i:öre|kr|kronor|sek|eur|euro|kg|km|st|stycken|min|timmar|dagar|personer)\b)"
# Words after a number that make it a quantity, not a house number ("gamla stan 2 gånger").
_NOT_UNIT = (
    r"(?!\s*(?i:%|procent|öre|kr|kronor|sek|st|stycken|år|gånger|ggr|dagar|dygn|veckor|månader|timmar|tim|"
    r"min|minuter|m|meter|km|kvm|m2|kg|personer|pers|barn|elever|platser|klass|poäng|mål|av|och|eller|till|-)"
    r"(?![\w]))"
)
_TOWN_WORD = r"[A-ZÅÄÖ][a-zåäöé]+(?:[ -][A-ZÅÄÖ][a-zåäöé]+)?"
_TOWN = rf"{_NOT_TOWN}(?:{_TOWN_WORD}|[A-ZÅÄÖ]{{3,}}(?:[ -][A-ZÅÄÖ]{{2,}})?)(?![\w])"
# Words that follow an address but are not its town ("Storgatan 1, 123 45 och ...").
_NOT_TOWN_WORDS = (
    r"(?!(?i:och|men|som|att|har|för|med|från|till|vid|tack|sen|kan|ska|jag|the|and|for|with|please|"
    r"den|det|när|innan|efter|senast|idag|igår|imorgon|nu)\b)"
)
# After a street address and its postcode the next word is the town, in any case ("exempelstad"); a
# town of two letters ("Ed", "Ås") where the sentence or the message ends after it.
_TOWN_AFTER_STREET = (
    rf"(?:(?-i:{_TOWN})|{_NOT_TOWN}{_NOT_TOWN_WORDS}(?i:[a-zåäöé]{{3,}})(?![\w])"
    rf"|(?i:[a-zåäö]{{2}})(?=[.,;!?)]|\s*$))"
)
_POSTCODE_TOWN = rf"(?:,? {_POSTCODE}(?![\w-])(?:,? {_TOWN_AFTER_STREET})?)?"
# The name in front of a separate street word, when not capitalised: a genitive ("kristinas väg"), not
# a preposition or a possessive pronoun ("på väg 2", "hans väg").
_NOT_NAME = r"(?!(?i:till|på|vid|och|från|mot|bor|av|utanför|bakom|nära|om|hans|hennes|dess|deras|vems)\b)"
_STREET_WORD = r"[A-Za-zÅÄÖåäöéÉüøØæÆ]"
# Capitalised labels that precede a number but are not towns ("Postnummer 123 45", "Order 123 45").
_LABELS = (
    r"(?:Post(?:nummer|nr|ort)|Adress(?:en)?|Nummer|Nr|Box|Lgh|Order|Ordernummer|Kundnummer|Ärende|"
    r"Ärendenummer|Dnr|Faktura|Fakturanummer|Telefon|Tel|Mobil|Konto|Kontonummer|Totalt|Summa|Pris)"
)
# The endings of Swedish place names (ortnamnsefterled) that name villages and farms: a rural address is
# the village's or farm's name and a number (Lantmäteriet's belägenhetsadress: address area and address
# place number, "Bäckby 214", "Norrgården 3"), with no street word at all.
_PLACE_ENDINGS = (
    "by|byn|g[åa]rden|g[åa]rd|torp|torpet|hult|ryd|boda|s[äa]ter|s[äa]tra|[åa]sen|n[äa]s|n[äa]set|viken|"
    "holmen|myren|mossen|heden|bruket|forsen|b[äa]cken|kullen|tj[äa]rn|berga|lunda|l[öo]sa|hyttan|valla|"
    "tuna|[åa]kern|sj[öo]n"
)
# Words that end like a place but are none ("min baby 3", "hobby 2").
_NOT_PLACE = r"(?!(?i:baby|hobby|lobby|rugby|derby|abby|gården|gård|byn|sjön|åkern|viken)\b)"
# Before a property designation the name and number are the property's, not an address
# ("fastigheten Norrgården 3" as written in the land register).
_NOT_AFTER_PROPERTY = (
    r"(?<!(?i:fastighet|fastigheten|fastigheterna|kvarteret|kvarter|kv\.|beteckning|beteckningen) )"
)
# A postcode abroad after a street address, with its town: "0155 Oslo", "80-831 Gdańsk", "1200-195 Lisboa".
_FOREIGN_POSTCODE_TOWN = (
    r"(?:,? (?:\d{4}|\d{2}-\d{3}|\d{4}-\d{3}|[A-Z]{1,2}-\d{4,5}) "
    r"(?!(?i:jag|vi|han|hon|hen|de|det|den|och|men|i|på|till|från|the|and|we|he|she|it)\b)"
    r"(?-i:[A-ZÅÄÖ][\w'’-]+)(?![\w]))?"
)
# The street words that open a street's name abroad ("ul. Długa 15/3", "Rua das Flores 28", "Via Roma
# 12", "Calle Mayor 5"); the name is capitalised as written there, its words may be joined by particles.
# "Via", "Corso" and "Rue" only capitalised: in capitals "VIA" is as often the word ("PAID VIA APP 09:05").
_FOREIGN_OPENER = (
    r"(?:(?i:ul\.|al\.|os\.|ulica|rua|avenida|calle|carrer|viale|piazza|avenue|boulevard)"
    r"|(?-i:Via|Corso|Rue))"
)
_FOREIGN_NAME = (
    r"(?:(?:[A-ZÅÄÖÀ-ÞŁŚŻŹĆŃ][\w'’.-]*|da|das|de|do|dos|del|della|di|la|le|les|des|du|von|van) ){0,3}"
    r"[A-ZÅÄÖÀ-ÞŁŚŻŹĆŃ][\w'’.-]*"
)
# Presidio compiles patterns with the ``regex`` module, whose look-behinds may vary in width.
_AFTER_LABEL = r"(?<=(?i:postnummer|postnr\.?|zip)(?::? | är ))"


class SeAddressRecognizer(ContextPatternRecognizer):
    """Find street addresses with a number, and postcodes."""

    ENTITY = "LOCATION"
    PATTERNS = [
        # One word ending in a street suffix: "Storgatan 12", "aspvägen 136A, lgh 1102".
        Pattern(
            "street_suffix",
            rf"(?i)(?<![\w-])(?={_SIDE_WORD}?[^\W\d_]+ \d){_SIDE_WORD}?"
            rf"{_STREET_WORD}{{2,}}(?:{_SUFFIXES}) {_NUMBER}{_NOT_DATE}{_APARTMENT}{_POSTCODE_TOWN}"
            rf"{_FOREIGN_POSTCODE_TOWN}(?![\w])",
            0.7,
        ),
        # A street named without a street word or ending: a side or size word, a name and a house number
        # ("Västra Lyckan 4", "övre bangården 9"). Not before a unit ("gamla stan 2 gånger").
        Pattern(
            "street_prefixed",
            rf"(?i)(?<![\w-])(?:norra|s[öo]dra|[öo]stra|v[äa]stra|stora|lilla|gamla|[öo]vre|nedre) "
            rf"{_STREET_WORD}{{3,}} \d{{1,3}}{_HOUSE_LETTER}{_NOT_UNIT}{_NOT_DATE}"
            rf"{_APARTMENT}{_POSTCODE_TOWN}(?![\w:.,]\d)(?![\w])",
            0.6,
        ),
        # Capitalised words then a separate street word: "Drottning Kristinas väg 4".
        Pattern(
            "street_word",
            rf"(?<![\w-])(?=(?:[A-ZÅÄÖ][a-zåäöé]+ ){{1,2}}(?:{_SEPARATE_WORDS}) \d)"
            rf"(?:[A-ZÅÄÖ][a-zåäöé]+ ){{1,2}}(?:{_SEPARATE_WORDS}) "
            rf"{_NUMBER}{_NOT_DATE}{_APARTMENT}{_POSTCODE_TOWN}(?![\w])",
            0.7,
        ),
        # The same in any case, the name a genitive: "drottning kristinas väg 4", "OLOF PALMES GATA 2".
        Pattern(
            "street_word_genitive",
            rf"(?i)(?<![\w-])(?=(?:[a-zåäöé]+ )?[a-zåäöé]+s (?:{_SEPARATE_WORDS}) \d)"
            rf"(?:{_NOT_NAME}[a-zåäöé]+ )?{_NOT_NAME}[a-zåäöé]+s (?:{_SEPARATE_WORDS}) "
            rf"{_NUMBER}{_NOT_DATE}{_APARTMENT}{_POSTCODE_TOWN}(?![\w])",
            0.7,
        ),
        # A street name shortened to "g." for "gatan": "Storg. 5", "kungsg.12 lgh 1101". The name has at
        # least three letters before the "g" and is no "-ing" or "-dag" ("parkering. 5 bilar").
        Pattern(
            "street_abbreviated",
            rf"(?i)(?<![\w-]){_SIDE_WORD}?{_STREET_WORD}{{3,}}(?<!in|da)g\. ?\d{{1,4}}"
            rf"{_HOUSE_LETTER}{_NOT_UNIT}{_NOT_DATE}{_APARTMENT}{_POSTCODE_TOWN}"
            rf"(?![\w:.,]\d)(?![\w])",
            0.6,
        ),
        # A village or farm and its number: "Bäckby 214", "Norrgården 3, 780 44 Dala-Järna", capitalised,
        # or in any case after "på", "vid", "till" or "från" ("mätaren på lövåsen 11"). Not a property's
        # designation ("fastigheten Bäckby 1:4", "kvarteret Norrgården 3"), a time or a quantity.
        Pattern(
            "rural_address",
            rf"{_NOT_AFTER_PROPERTY}(?<![\w-]){_NOT_PLACE}"
            rf"(?:(?-i:[A-ZÅÄÖ][a-zåäöé]+|[A-ZÅÄÖ]{{2,}})"
            rf"|(?<=(?i:\bpå|\bvid|\btill|\bfrån|\bbor på) )[a-zåäöé]+)"
            rf"(?<=(?i:{_PLACE_ENDINGS})) \d{{1,3}}(?! \d){_HOUSE_LETTER}"
            rf"(?i:{_NOT_UNIT}{_NOT_DATE}{_APARTMENT}{_POSTCODE_TOWN})(?![\w:.,/–-]\d)(?![\w])",
            0.6,
        ),
        # A private post-office box with its postcode and town is a postal address as a whole: "Box 1204,
        # 123 29 Exempelstad". (The municipality's own box is public when its profile or articles name it.)
        Pattern(
            "box_postcode_town",
            rf"(?i)(?<![\w-])(?:box|postbox|pl|postlåda) \d{{1,5}},? {_POSTCODE}(?![\w-]),? "
            rf"{_TOWN_AFTER_STREET}",
            0.6,
        ),
        # A street abroad, opened by its street word: "ul. Długa 15/3, 80-831 Gdańsk", "Rua das Flores 28".
        Pattern(
            "street_foreign",
            rf"(?<![\w;-]){_FOREIGN_OPENER} {_FOREIGN_NAME} \d{{1,4}}[A-Za-z]?(?:/\d{{1,4}})?"
            rf"(?![\w:.,]\d)(?![\w])"
            rf"{_NOT_UNIT}{_FOREIGN_POSTCODE_TOWN}",
            0.6,
        ),
        # The number first, as in English: "15 Hamngatan", "Apartment 3, 15 Hamngatan, 123 32 Exempelstad",
        # "4 Lingonvägen".
        Pattern(
            "street_number_first",
            rf"(?i)(?<![\w.,-])(?:(?:apartment|apt\.?|flat|unit) \d{{1,4}}[a-z]?,? )?\d{{1,4}}[a-z]? "
            rf"(?={_SIDE_WORD}?[^\W\d_]+(?![\w-])){_SIDE_WORD}?{_STREET_WORD}{{2,}}(?:{_SUFFIXES})(?![\w-])"
            rf"(?! \d)(?:{_POSTCODE_TOWN})",
            0.6,
        ),
        # Any place name and a house number, then a comma, a postcode and a town: a postal address whatever
        # its first line is called ("Norrby 112, 826 93 Söderala", a village; "kvarnbacken 4, 123 45 …").
        # A label before the number is not a place ("Box 123, 123 45 Exempelstad" is a post-office box,
        # found whole by "box_postcode_town").
        Pattern(
            "place_number_postcode",
            rf"(?i)(?<![\w-])(?!{_LABELS}\b){_NOT_NAME}{_SIDE_WORD}?{_STREET_WORD}{{3,}} \d{{1,4}}"
            rf"(?:(?-i:[A-Za-z])(?![\w]))?, {_POSTCODE}(?![\w-]),? {_TOWN_AFTER_STREET}",
            0.6,
        ),
        # Any place name and a house number, then a flat number: "Solvändan 3 lgh 1302". The flat number
        # of the population register (Lantmäteriet's lägenhetsnummer) has four digits, the floor and the
        # flat, and follows nothing but a home address, so whatever the street is called it is one.
        Pattern(
            "place_number_flat",
            rf"(?i)(?<![\w-])(?!{_LABELS}\b){_NOT_NAME}{_SIDE_WORD}?{_STREET_WORD}{{3,}} {_NUMBER}{_NOT_DATE}"
            rf",? ?(?:lgh|lägenhet|lght|ltg)\.? ?(?:nr\.? ?)?\d{{4}}(?![\w]){_POSTCODE_TOWN}(?![\w])",
            0.6,
        ),
        # Postcode followed by a town: "SE-123 45 Exempelstad", "123 45 Exempelstad", "12345 Exempelstad".
        Pattern("postcode_town", rf"(?=[1-9S])(?<![\w\-+]){_POSTCODE},? {_TOWN}", 0.6),
        # A town, then a postcode in its canonical form: "Exempelstad 123 45", "Exempelstad, SE-123 45".
        Pattern(
            "town_postcode",
            rf"(?=[A-ZÅÄÖ])(?<![\w-])(?={_TOWN_WORD},? (?:SE-?)?[1-9])(?!{_LABELS}\b)"
            rf"{_TOWN_WORD},? (?:SE-?)?[1-9]\d{{2}} \d{{2}}(?![\w-])",
            0.5,
        ),
        Pattern("postcode_se", r"(?<![\w-])SE-?[1-9]\d{2} ?\d{2}(?![\w])", 0.6),
        # Bare postcode: only with context.
        Pattern("postcode", r"(?<![\w\-+])[1-9]\d{2} \d{2}(?![\w-])", 0.2),
        # Five plain digits right after the word "postnummer": "postnummer: 12345".
        Pattern("postcode_labelled", rf"{_AFTER_LABEL}[1-9]\d{{4}}(?![\w-])", 0.6),
    ]
    CONTEXT = [
        "postnummer",
        "postnr",
        "adress",
        "adressen",
        "postadress",
        "hemadress",
        "bor på",
        "bor i",
        "address",
        "zip",
        "postal code",
        "postcode",
        "postort",
    ]
    REGEX_FLAGS = 0
    WEAK_SCORE = 0.2
    # A postcode alone is personal only near these cues (or near a street address).
    PERSONAL_CUE = re.compile(
        r"(?i)(?<!\w)(?:jag bor|vi bor|bor på|bor i|(?:min|vår|mitt) (?:post|hem|bostads)?adress|"
        r"(?:my|our) (?:home |postal )?address|i live|we live|skicka (?:det )?till mig)"
    )
    VCARD_SCORE = 0.85
    PERSONAL_BEFORE = 60
    PERSONAL_AFTER = 40

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        """Find addresses; a postcode on its own stays under the threshold outside a personal statement."""
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            if _POSTCODE_ONLY.match(text[result.start : result.end]) and not self._personal(text, result):
                result.score = min(result.score, self.WEAK_SCORE)
        for match in _VCARD_ADDRESS.finditer(text):
            start, end = match.span("value")
            results.append(found_by(self, self.ENTITY, start, end, self.VCARD_SCORE))
        return results

    def _personal(self, text: str, result: RecognizerResult) -> bool:
        before = text[max(0, result.start - self.PERSONAL_BEFORE) : result.start]
        after = text[result.end : result.end + self.PERSONAL_AFTER]
        if self.PERSONAL_CUE.search(before) or self.PERSONAL_CUE.search(after):
            return True
        return any(street.search(before) or street.search(after) for street in _STREETS)


_POSTCODE_ONLY = re.compile(r"(?:SE-?)?[1-9]\d{2} ?\d{2}$")
# A contact card's address line (vCard, RFC 6350: "ADR;TYPE=home:;;Via Roma 12;Torino;;10121;Italia"):
# whatever the street is called, the line is a postal address. The value runs from its first part to the
# end of the line, without the empty parts' semicolons around it.
_VCARD_ADDRESS = re.compile(r"(?im)^[ \t]*(?:item\d+\.)?ADR(?:;[^:\n]*)?:[; ]*(?P<value>[^\n]*[^\s;])")
_STREETS = [
    re.compile(pattern.regex)
    for pattern in SeAddressRecognizer.PATTERNS
    if pattern.name in ("street_suffix", "street_word", "street_word_genitive")
]
