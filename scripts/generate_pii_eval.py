#!/usr/bin/env python3
"""Blind, deterministic generator of personal-data (PII) test messages for Kommunsvar.

The messages are written from the rules of the world (how Swedish identifiers are
built and how people type them), NOT from the project's recognizers. Standard library
only; the name lists below are our own.

Usage:
    python3 scripts/generate_pii_eval.py [--seed 20260314] [--count 1400]
                                         [--out data/eval/pii/pii_generated.jsonl] [--show 15]

Output: one JSON object per line:
    {"id": "gen-0001", "lang": "sv"|"en", "section": "...", "text": "...",
     "spans": [{"start", "end", "type"}], "negatives": [{"start", "end", "kind"}]}
Offsets are Python str indices (end exclusive). Every message is assembled from pieces
(literal text, labelled values, look-alikes), so offsets are exact by construction; a
self-check re-validates every span/negative afterwards (inside the text, non-overlapping,
slice == intended value, check digits right).

Rules and their sources (one per value type)
--------------------------------------------
SE_PERSONNUMMER  Skatteverket (folkbokföringslagen 18 §, SKV 704): YYMMDD + 3-digit birth
    number + check digit; the check digit is Luhn (weights 2,1,2,... from the left) over the
    10-digit form YYMMDDNNN. The separator is "-" until the year the person turns 100, then "+"
    (reference year 2026). Written as YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYMMDD NNNN,
    YYYYMMDDNNNN, YYYYMMDD-NNNN, YYYYMMDD NNNN. Birth dates are real calendar dates.
    Samordningsnummer (SKV 707): same, with day + 60 (61..91).
INVALID_PERSONNUMMER (negative)  a real date with a WRONG check digit (80 %), or an impossible
    date (month 13..19/00, Feb 30/31, day 32..60) with a correct Luhn digit (20 %).
PHONE_NUMBER  PTS, Svensk nummerplan: trunk prefix 0; mobiles 070/072/073/076/079 + 7 digits;
    Stockholm 08 + 5..8 digits; two-digit area codes 0xx (011, 031, 040 ...) + 5..7 digits;
    three-digit area codes 0xxx (0498, 0920 ...) + 5..6 digits; national significant number
    never longer than 9 digits; subscriber numbers start with 2..9. International form +46 /
    0046 drops the 0; "+46 (0)70-..." also occurs. Grouping of the subscriber number follows
    the Swedish writing convention (Språkrådet / Swedish standard for telephone numbers):
    5 = 3-2, 6 = 2-2-2, 7 = 3-2-2, 8 = 3-3-2.
SE_BANK_ACCOUNT  Bankgirot, "Bankernas kontonummeruppbyggnad":
    type 1 (clearing 4 + account 7): mod 11, weights 1,2,...,10 (repeating) from the right;
      comment 1: over the last 3 clearing digits + account (10 digits),
      comment 2: over all 4 clearing digits + account (11 digits);
    type 2: Handelsbanken 6xxx: 9-digit account, mod 11 over the account only;
      Swedbank 8xxx-x: the 5th clearing digit is Luhn over the 4 clearing digits, account
      8..10 digits whose last digit is Luhn over the account; Nordea personkonto 3300: the
      account is the holder's 10-digit personnummer (Luhn); Danske Bank 9180: 10 digits, Luhn.
SE_BANKGIRO  Bankgirot: 7 or 8 digits, last digit Luhn (mod 10), written NNN-NNNN / NNNN-NNNN.
    Plusgiro (Nordea/PlusGirot): 6..8 digits, last digit Luhn, written NNNNN-N .. NNNNNNN-N
    or in pairs "NN NN NN-N". Both carry type SE_BANKGIRO.
IBAN_CODE  ISO 13616 / ISO 7064 MOD 97-10. Swedish IBAN = SE + 2 check digits + 3-digit bank
    code + 17-digit account (24 chars), the BBAN built from a generated valid domestic account
    (clearing+account zero-padded; Handelsbanken and personkonto without clearing). Written in
    groups of 4 or in one run. A few foreign IBANs (DE, FI, NO, DK) in English messages.
CREDIT_CARD  ISO/IEC 7812: Luhn over all digits; Visa 4 (16), Mastercard 51-55 and
    2221-2720 (16), American Express 34/37 (15, grouped 4-6-5). Written 4-4-4-4 with spaces,
    dashes, in one run, and sometimes broken over a line ("\\n" is inside the span).
EMAIL_ADDRESS  RFC 5322 (simplified): name-based local parts with dots, "_", "-", digits,
    "+tags"; rarely Swedish letters (RFC 6531); Swedish and international consumer domains.
IP_ADDRESS  IPv4 dotted quad (RFC 791), public ranges only; IPv6 (RFC 4291) full form and
    RFC 5952 compressed form ("::"), mostly lower case.
LOCATION  street address = street name + house number (+ letter, + "lgh NNNN" apartment
    number, Lantmäteriet's lägenhetsnummer) as one span; postcode (PostNord: 5 digits, first
    digit 1..9, written "NNN NN" or "NNNNN") as a separate span when it follows an address.
    The city after the postcode is NOT labelled.
SE_LICENSE_PLATE  Transportstyrelsen: 3 letters + 3 digits (ABC 123), and since 2019
    3 letters + 2 digits + digit-or-letter (ABC 12A); I, Q, V, Å, Ä, Ö are never used, the
    last letter is never O. Written with/without space, upper and lower case, rarely "ABC-123".
PERSON  our own lists (>= 150 first names, >= 120 surnames): common Swedish names, old and
    uncommon ones, names that are ordinary words (Björn, Sten, Rut, Ros, Dag, Bo, My, Vilja,
    Lo, Stig, Love, Juni ...), and names common among Swedes of immigrant background.
ORG_NUMBER (negative)  Bolagsverket/Skatteverket organisationsnummer: 10 digits, first digit
    = legal-form group 1..9 (we use 2, 5, 7, 8, 9), third digit >= 2 (so it can never be a
    date), Luhn check digit; written NNNNNN-NNNN or in one run; incl. the demo municipality's
    own 212000-9994.

Decisions (documented, deliberately taken)
-----------------------------------------
* Postcode WITHOUT a street address (e.g. "vilken dag töms kärlen i 123 45?") is NOT personal
  data: a Swedish postcode covers hundreds of addresses and is needed to answer waste/service
  questions -> negative POSTCODE_ONLY. A postcode that follows a street address IS labelled.
* A street name WITHOUT a house number ("får man parkera på Storgatan?") is NOT personal
  data -> negative STREET_NAME. Any street name WITH a house number is labelled LOCATION,
  except the municipality's own public addresses (Storgatan 1, Biblioteksgatan 3,
  Returvägen 10 and its postcode 123 45) -> negative PUBLIC_ADDRESS.
* The municipality's own contact numbers and national service numbers (0123-45 xx xx, 112,
  114 14, 1177, 113 13, Skatteverket 0771-567 567, Försäkringskassan 0771-524 524) ->
  negative PUBLIC_PHONE; the municipality's e-mail addresses -> PUBLIC_EMAIL.
* Clearing number and account number written apart ("clearingnummer 8327-9 kontonummer
  123 456 789-0") -> TWO SE_BANK_ACCOUNT spans (the clearing number is part of the account
  identifier; the words between are not). A whole account written together is ONE span,
  incl. an internal ", " in Swedbank's "8327-9, 123 456 789-0".
* Nordea personkonto "3300-YYMMDDNNNN" is ONE SE_BANK_ACCOUNT span (not a personnummer span).
* Name spans are the name only: a genitive -s ("Fatima Husseins ansökan") is outside the span;
  titles/relations ("min granne", "handläggaren") are outside too. Full name = one span.
* A card number broken over a line is ONE span that contains the "\\n".
* The last four digits of a card ("kortet som slutar på 4821") -> negative CARD_LAST_DIGITS.
* Ordinary words that are also first names, used as words ("en ros", "vilken dag", "bo kvar")
  -> negative NAME_LIKE_WORD; app versions like "17.4.1" -> negative VERSION (IP look-alike).
* Private/loopback IP ranges are not generated at all (ambiguous as personal data).
* Nguyen (and Tran, Le, Pham) are used as surnames -- they are Vietnamese family names; the
  Vietnamese given names used are Linh, Anh, Minh. Staff names ("handläggaren Eva") are
  labelled PERSON like anyone else's. City names are never labelled.
* Bankgiro numbers are always labelled (no allow-list of public bankgiro numbers), since a
  user-typed bankgiro may belong to a sole trader.
* Negatives mark the look-alike value itself: "kl 08.30" -> "08.30" (TIME); amounts include
  the currency ("1 250 kr"); case numbers include their series code ("KS-2026-00123").
* ~22 % of messages (at least 250 when --count >= 1200) are clean: no spans at all; most of
  them carry look-alikes. ~80 % Swedish, ~20 % English; ~22 % are rewritten in chat style
  (lower case, no punctuation, a typo) -- chat style only touches literal text, plus
  sometimes lower-cases names and plates; the section then ends in "/chat".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "eval" / "pii" / "pii_generated.jsonl"
DEFAULT_SEED = 20260314
DEFAULT_COUNT = 1400
REF_YEAR = 2026  # "today" for the +/- separator rule

SPAN_TYPES = (
    "PERSON",
    "LOCATION",
    "PHONE_NUMBER",
    "EMAIL_ADDRESS",
    "SE_PERSONNUMMER",
    "IBAN_CODE",
    "CREDIT_CARD",
    "SE_BANK_ACCOUNT",
    "SE_BANKGIRO",
    "SE_LICENSE_PLATE",
    "IP_ADDRESS",
)

# ---------------------------------------------------------------------------------------
# Name lists (our own)
# ---------------------------------------------------------------------------------------
FEMALE_SV = """Anna Eva Maria Karin Kristina Lena Sara Emma Kerstin Ingrid Marie Malin Jenny Hanna
Linda Elin Annika Susanne Monica Birgitta Johanna Sofia Inger Carina Elisabeth Ulla Helena
Camilla Ida Julia Frida Linnea Maja Ella Wilma Alice Olivia Astrid Saga Ebba Elsa Agnes Freja
Stina Greta Sigrid Tilda Klara Tova Selma Signe Moa Gunilla Margareta Barbro Britt Majken Siv
Rut Ros My Vilja Alva Ylva Lo Hedda Tyra Svea Liv Iris Juni Lykke Dagny Asta Åsa Märta Solveig
Gun Ronja Idun Embla Yrsa Ingeborg Ulrika Therese Jessica Louise Matilda Nellie Ester Edith
Vera Elvira Hjördis Gullan Vivianne""".split()
MALE_SV = """Lars Anders Johan Per Karl Erik Peter Jan Mikael Thomas Hans Daniel Fredrik Stefan
Magnus Mats Andreas Ulf Björn Sten Dag Bo Hugo Ebbe Tor Stig Nils Sigge Olle Kalle Gösta Sven
Bengt Leif Rolf Åke Göran Kjell Lennart Gunnar Ingvar Arne Ove Oskar William Liam Noah Elias
Lucas Adam Axel Vincent Theo Ludvig Viktor Isak Filip Albin Melker Folke Harald Ture Vidar
Algot Sixten Måns Love Vide Bror Frans Holger Egon Ragnar Tage Ivar Otto Alvar Edvin Elof Knut
Malte Pelle Janne Micke Karl-Johan Per-Olof Örjan Yngve Torbjörn Uno Sune""".split()
FEMALE_IMM = """Fatima Aisha Leyla Mirela Yasmin Shirin Nasrin Zahra Maryam Amina Hodan Nour Layla
Rania Dina Elif Ayşe Zeynep Jelena Ivana Emina Lejla Katarzyna Agnieszka Olena Oksana Päivi
Tuula Tigist Selam Parisa Behnaz Linh Anh Jing Priya Samira Hawa Mariam Noor Dunja Azra Nadia
Rahel""".split()
MALE_IMM = """Ahmed Mohammed Mohamed Muhammed Hussein Goran Arash Ali Omar Hassan Mustafa Ibrahim
Yusuf Amir Reza Dariush Abdi Abdullahi Khalid Samir Emre Mehmet Dragan Milan Nikola Aleksandar
Edin Senad Haris Adnan Kemal Piotr Tomasz Dmytro Juha Seppo Jorge Carlos Yonas Mehdi Kaveh Minh
Wei Raj Jamal Bilal Tariq Zoran Kenan""".split()
# first names that are also ordinary Swedish words or look like them
WORDLIKE = """Björn Sten Rut Ros Dag Bo Hugo My Vilja Alva Ebbe Siv Majken Tor Ylva Stig Nils Lo
Hedda Sigge Liv Iris Juni Vide Love Bror Ester Saga Frans Vera""".split()
SURNAMES_SV = """Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson
Gustafsson Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson
Olofsson Lindström Lindqvist Lindgren Axelsson Berg Bergström Lundberg Lind Lundgren Lundqvist
Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund
Danielsson Lundin Håkansson Björk Bergman Gunnarsson Holm Wikström Samuelsson Isaksson Fransson
Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström
Mårtensson Lundström Viklund Björklund Eliasson Pålsson Berggren Sandström Lund Nordin Ström
Åberg Hermansson Ekström Holmgren Sundberg Hedlund Dahlberg Hellström Sjögren Abrahamsson Falk
Öberg Andreasson Blom Ek Månsson Strand Åkesson Hedberg Sundqvist Nordqvist Lindholm Sjöström
Ekberg Dahl Åström Nygren Söderström Ivarsson Ljung Ahlberg Wahlström Grahn Rask Hägg Tjäder
Zetterlund Karlsdotter Stensson Rosén Dagsson""".split()
SURNAMES_IMM = """Hussein Ali Mohamed Ahmed Hassan Yilmaz Kaya Demir Çelik Şahin Kovačević Hodžić
Begić Jovanović Petrović Nikolić Hadžić Nowak Kowalski Wiśniewska Nguyen Tran Le Pham Rahimi
Hosseini Karimi Mohammadi Jafari Abdi Farah Osman Warsame Haile Tesfaye Shevchenko Kovalenko
Virtanen Korhonen Mäkinen Lopez Garcia Silva Rodríguez Khan Singh Chen Wang Al-Hassan
Ibrahim Mustafa Öztürk""".split()

STREET_PREFIX = """Stor Kyrk Skol Björk Ek Lind Lönn Al Tall Gran Asp Rönn Lärk Sjö Strand Hamn
Kvarn Mölle Prästgårds Järnvägs Industri Park Ängs Åker Bruks Fabriks Kungs Drottning Prins
Linné Skogs Berg Dal Back Vall Hag Solros Blåbärs Lingon Hassel Körsbärs Äppel Fjäll Myr Tegel
Smedje Snickar Väver Mästar Ny Öster Väster Norr Söder Villa Idrotts Post Trädgårds""".split()
STREET_SUFFIX = (
    ["gatan"] * 4 + ["vägen"] * 4 + ["stigen", "gränd", "backen", "allén", "leden", "slingan", "plan"]
)
STREET_MULTI = [
    "Södra Långgatan",
    "Stora Nygatan",
    "Östra Storgatan",
    "Västra Järnvägsgatan",
    "Lilla Torggatan",
    "Norra Vallgatan",
    "Gamla Landsvägen",
    "Övre Husargatan",
    "Nedre Fogelbergsgatan",
    "Gustav Adolfs väg",
    "Sankt Olofs gata",
]
STREET_NAMES_PUBLIC_LIKE = [
    "Storgatan",
    "Kungsgatan",
    "Drottninggatan",
    "Kyrkogatan",
    "Järnvägsgatan",
    "Skolgatan",
    "Hamngatan",
    "Torggatan",
    "Parkvägen",
    "Södra Långgatan",
    "Stationsvägen",
    "Biblioteksgatan",
]
CITIES = (
    ["Exempelstad"] * 8
    + """Göteborg Malmö Uppsala Växjö Luleå Kiruna Borås Lund Sundsvall
Örebro Norrköping Västerås Umeå Gävle Karlstad Jönköping Halmstad Falun Visby Östersund
Stockholm Södertälje Täby Kalmar""".split()
)
EMAIL_DOMAINS = (
    ["gmail.com"] * 6
    + ["hotmail.com"] * 2
    + """hotmail.se outlook.com live.se
yahoo.se yahoo.com icloud.com me.com telia.com bredband.net spray.se comhem.se bahnhof.se
protonmail.com proton.me student.lu.se foretaget.se byggfirman-ab.se glocalnet.net tele2.se
exempelstadsbostader.se""".split()
)

# Swedish numbering plan (PTS) -- area codes without the trunk 0
MOBILE_PREFIXES = ["70", "72", "73", "76", "79"]
AREA2 = [
    "11",
    "13",
    "16",
    "18",
    "19",
    "21",
    "23",
    "26",
    "31",
    "33",
    "35",
    "36",
    "40",
    "42",
    "44",
    "46",
    "54",
    "60",
    "63",
    "90",
]
AREA3 = [
    "120",
    "123",
    "150",
    "171",
    "220",
    "240",
    "300",
    "303",
    "320",
    "340",
    "370",
    "410",
    "431",
    "451",
    "470",
    "480",
    "490",
    "498",
    "500",
    "510",
    "520",
    "522",
    "550",
    "570",
    "611",
    "620",
    "640",
    "660",
    "680",
    "690",
    "910",
    "920",
    "940",
    "980",
]

# Municipality's own public contacts (data/municipality.yml) + national numbers
PUBLIC_PHONES = [
    "0123-45 00 00",
    "0123-45 01 00",
    "0123-45 02 00",
    "0123-45 02 50",
    "0123-45 03 00",
    "0123-45 04 00",
    "0123-45 05 00",
    "0123-45 06 00",
    "0123-45 07 00",
    "0123-45 08 00",
    "0123-45 08 99",
    "0123-45 09 00",
    "112",
    "114 14",
    "1177",
    "113 13",
    "0771-567 567",
    "0771-524 524",
]
PUBLIC_EMAILS = [
    "kontaktcenter@exempelstad.se",
    "avfall@exempelstad.se",
    "bygglov@exempelstad.se",
    "parkering@exempelstad.se",
    "forskola@exempelstad.se",
    "skola@exempelstad.se",
    "aldreomsorg@exempelstad.se",
    "socialtjanst@exempelstad.se",
    "bibliotek@exempelstad.se",
    "felanmalan@exempelstad.se",
    "vatten@exempelstad.se",
]
PUBLIC_ADDRESSES = ["Storgatan 1", "Biblioteksgatan 3", "Returvägen 10"]
MUNICIPAL_ORG = "212000-9994"

PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"  # no I, Q, V, Å, Ä, Ö
PLATE_LAST_LETTERS = PLATE_LETTERS.replace("O", "")

MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# ---------------------------------------------------------------------------------------
# Check-digit rules
# ---------------------------------------------------------------------------------------


def luhn_digit(payload: str) -> int:
    """Luhn (mod 10) check digit to append to `payload`."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mod11_ok(number: str) -> bool:
    """Bankgirot mod 11: weights 1,2,...,10,1,2... from the right; sum % 11 == 0."""
    total = sum(int(ch) * ((i % 10) + 1) for i, ch in enumerate(reversed(number)))
    return total % 11 == 0


def mod11_digit(payload: str):
    """Check digit (weight 1) making payload+digit pass mod11_ok, or None if it would be 10."""
    total = sum(int(ch) * (((i + 1) % 10) + 1) for i, ch in enumerate(reversed(payload)))
    d = (-total) % 11
    return None if d == 10 else d


def iban_check(country: str, bban: str) -> str:
    num = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(num) % 97:02d}"


def iban_ok(iban: str) -> bool:
    s = re.sub(r"\s", "", iban).upper()
    num = "".join(str(int(c, 36)) for c in s[4:] + s[:4])
    return int(num) % 97 == 1


def pnr_valid(text: str) -> bool:
    """True when text is a personnummer/samordningsnummer with real date and right Luhn."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 12:
        century, digits = digits[:2], digits[2:]
    elif len(digits) == 10:
        century = None
    else:
        return False
    yy, mm, dd = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if dd > 60:
        dd -= 60
    years = [int(century) * 100 + yy] if century else [1900 + yy, 2000 + yy]
    ok_date = False
    for y in years:
        try:
            dt.date(y, mm, dd)
            ok_date = True
        except ValueError:
            pass
    return ok_date and luhn_ok(digits)


# Bank tables (Bankgirot): (from, to, bank, bank code for IBAN)
TYPE1_C1 = [
    (1100, 1199, "Nordea", "300"),
    (1200, 1399, "Danske Bank", "120"),
    (1400, 2099, "Nordea", "300"),
    (3000, 3299, "Nordea", "300"),
    (3301, 3399, "Nordea", "300"),
    (3400, 3409, "Länsförsäkringar", "902"),
    (3410, 3781, "Nordea", "300"),
    (5000, 5999, "SEB", "500"),
    (7000, 7999, "Swedbank", "800"),
    (9120, 9124, "SEB", "500"),
    (9130, 9149, "SEB", "500"),
    (9250, 9259, "SBAB", "925"),
    (9270, 9279, "ICA Banken", "927"),
    (9400, 9449, "Forex Bank", "940"),
]
TYPE1_C2 = [
    (4000, 4999, "Nordea", "300"),
    (9020, 9029, "Länsförsäkringar", "902"),
    (9040, 9049, "Citibank", "904"),
    (9150, 9169, "Skandiabanken", "915"),
    (9550, 9569, "Avanza", "955"),
    (2300, 2399, "Ålandsbanken", "230"),
    (9190, 9199, "DNB", "919"),
]
BIC = {
    "SEB": "ESSESESS",
    "Swedbank": "SWEDSESS",
    "Handelsbanken": "HANDSESS",
    "Nordea": "NDEASESS",
    "Danske Bank": "DABASESX",
    "Länsförsäkringar": "ELLFSESS",
    "ICA Banken": "IBCASES1",
    "SBAB": "SBAVSESS",
    "Skandiabanken": "SKIASESS",
}


def validate_account(clearing: str, account: str) -> bool:
    """Independent re-implementation of the Bankgirot rules used by the self-check."""
    c = int(clearing[:4])
    if 8000 <= c <= 8999:
        return len(clearing) == 5 and luhn_ok(clearing) and luhn_ok(account) and 8 <= len(account) <= 10
    if 6000 <= c <= 6999:
        return len(account) == 9 and mod11_ok(account)
    if c == 3300:
        return len(account) == 10 and pnr_valid(account)
    if 9180 <= c <= 9189:
        return len(account) == 10 and luhn_ok(account)
    for lo, hi, _, _ in TYPE1_C1:
        if lo <= c <= hi:
            return len(account) == 7 and mod11_ok(clearing[1:] + account)
    for lo, hi, _, _ in TYPE1_C2:
        if lo <= c <= hi:
            return len(account) == 7 and mod11_ok(clearing + account)
    return False


# ---------------------------------------------------------------------------------------
# Message pieces
# ---------------------------------------------------------------------------------------
class V:
    """A personal-data value (becomes a span)."""

    def __init__(self, text: str, type_: str, check=None):
        assert type_ in SPAN_TYPES, type_
        self.text, self.type, self.check = text, type_, check


class N:
    """A look-alike that must NOT be flagged (becomes a negative)."""

    def __init__(self, text: str, kind: str):
        self.text, self.kind = text, kind


class Part:
    __slots__ = ("kind", "text", "label", "check")

    def __init__(self, kind, text, label=None, check=None):
        self.kind, self.text, self.label, self.check = kind, text, label, check


SLOT_RE = re.compile(r"\{(\w+)\}")


class Person:
    def __init__(self, first, last, gender):
        self.first, self.last, self.gender = first, last, gender

    @property
    def full(self):
        return f"{self.first} {self.last}"


class Account:
    def __init__(self, kind, bank, clearing, number, bank_code):
        self.kind, self.bank, self.clearing, self.number = kind, bank, clearing, number
        self.bank_code = bank_code
        assert validate_account(clearing, number), (clearing, number)

    # clearing as written
    def clearing_text(self, rng):
        if len(self.clearing) == 5:
            return f"{self.clearing[:4]}-{self.clearing[4]}" if rng.random() < 0.85 else self.clearing
        return self.clearing

    def number_text(self, rng):
        a = self.number
        if self.kind == "swedbank":
            body, chk = a[:-1], a[-1]
            grouped = group3(body)
            return rng.choice([f"{grouped}-{chk}", f"{grouped}-{chk}", a, f"{body}-{chk}"])
        if self.kind == "handelsbanken":
            return rng.choice([a, f"{a[:3]} {a[3:6]} {a[6:]}"])
        if self.kind == "personkonto":
            return rng.choice([a, f"{a[:6]}-{a[6:]}"])
        if self.kind == "danske2":
            return a
        return rng.choice([a, a, f"{a[:2]} {a[2:5]} {a[5:]}"])

    def full_text(self, rng):
        c, a = self.clearing, self.number
        if self.kind == "swedbank":
            c4, k = c[:4], c[4]
            body, chk = a[:-1], a[-1]
            g = group3(body)
            return rng.choice(
                [
                    f"{c4}-{k} {g}-{chk}",
                    f"{c4}-{k}, {g}-{chk}",
                    f"{c4}-{k}, {g}-{chk}",
                    f"{c}{a}",
                    f"{c} {a}",
                    f"{c4}-{k} {a}",
                    f"{c4}-{k} {body}-{chk}",
                ]
            )
        if self.kind == "handelsbanken":
            return rng.choice(
                [
                    f"{c}-{a}",
                    f"{c} {a[:3]} {a[3:6]} {a[6:]}",
                    f"{c}{a}",
                    f"{c}-{a[:3]} {a[3:6]} {a[6:]}",
                    f"{c} {a}",
                ]
            )
        if self.kind == "personkonto":
            return rng.choice([f"{c}-{a}", f"{c} {a}", f"{c} {a[:6]}-{a[6:]}", f"{c}{a}"])
        if self.kind == "danske2":
            return rng.choice([f"{c}-{a}", f"{c} {a}", f"{c}{a}"])
        return rng.choice(
            [
                f"{c}-{a}",
                f"{c}-{a}",
                f"{c} {a}",
                f"{c}-{a[:2]} {a[2:5]} {a[5:]}",
                f"{c} {a[:2]} {a[2:5]} {a[5:]}",
                f"{c}{a}",
            ]
        )

    def iban(self):
        if self.kind in ("handelsbanken", "personkonto"):
            acct = self.number.zfill(17)
        else:
            acct = (self.clearing + self.number).zfill(17)
        bban = self.bank_code + acct
        return "SE" + iban_check("SE", bban) + bban


def group3(digits: str) -> str:
    """Group digits by 3 from the right: 123456789 -> '123 456 789'."""
    out = []
    while digits:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    return " ".join(out)


def group_sub(s: str) -> str:
    """Subscriber-number grouping: 5=3-2, 6=2-2-2, 7=3-2-2, 8=3-3-2."""
    n = len(s)
    if n == 5:
        return f"{s[:3]} {s[3:]}"
    if n == 6:
        return f"{s[:2]} {s[2:4]} {s[4:]}"
    if n == 7:
        return f"{s[:3]} {s[3:5]} {s[5:]}"
    if n == 8:
        return f"{s[:3]} {s[3:6]} {s[6:]}"
    return s


def group4(s: str) -> str:
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def phone_ok(text: str) -> bool:
    s = text.replace("(0)", "")
    s = re.sub(r"[\s\-()/]", "", s)
    if s.startswith("+46"):
        s = "0" + s[3:]
    elif s.startswith("0046"):
        s = "0" + s[4:]
    if not re.fullmatch(r"0\d{6,9}", s):
        return False
    if s.startswith("07"):
        return len(s) == 10 and s[1:3] in MOBILE_PREFIXES
    return len(s) - 1 <= 9


# ---------------------------------------------------------------------------------------
# Value generators
# ---------------------------------------------------------------------------------------
class Gen:
    def __init__(self, rng: random.Random):
        self.rng = rng

    # -- names ---------------------------------------------------------------------------
    def person(self, gender=None, background=None) -> Person:
        r = self.rng
        gender = gender or r.choice("fm")
        background = background or ("imm" if r.random() < 0.3 else "sv")
        if background == "imm":
            first = r.choice(FEMALE_IMM if gender == "f" else MALE_IMM)
            last = r.choice(SURNAMES_IMM) if r.random() < 0.75 else r.choice(SURNAMES_SV)
        else:
            if r.random() < 0.2:
                pool = [n for n in WORDLIKE if n in (FEMALE_SV if gender == "f" else MALE_SV)]
                first = r.choice(pool)
            else:
                first = r.choice(FEMALE_SV if gender == "f" else MALE_SV)
            last = r.choice(SURNAMES_SV) if r.random() < 0.9 else r.choice(SURNAMES_IMM)
        if r.random() < 0.04:  # double surname
            last = f"{last}-{r.choice(SURNAMES_SV)}"
        elif r.random() < 0.05:  # two given names written out
            extra = r.choice(FEMALE_SV if gender == "f" else MALE_SV)
            if extra != first:
                first = f"{first} {extra}"
        return Person(first, last, gender)

    # -- personnummer --------------------------------------------------------------------
    def birth_date(self, lo=1931, hi=2025) -> dt.date:
        start = dt.date(lo, 1, 1).toordinal()
        end = dt.date(hi, 12, 31).toordinal()
        return dt.date.fromordinal(self.rng.randint(start, end))

    def pnr_digits(self, d: dt.date, samordning=False, wrong=False, bad_date=False) -> str:
        r = self.rng
        yy, mm, dd = d.year % 100, d.month, d.day + (60 if samordning else 0)
        if bad_date:
            mm, dd = r.choice(
                [
                    (13, r.randint(1, 28)),
                    (0, r.randint(1, 28)),
                    (2, 30),
                    (2, 31),
                    (r.randint(1, 12), r.randint(32, 59)),
                    (19, r.randint(1, 28)),
                ]
            )
        nine = f"{yy:02d}{mm:02d}{dd:02d}{r.randint(0, 999):03d}"
        check = luhn_digit(nine)
        if wrong:
            check = (check + r.randint(1, 9)) % 10
        return nine + str(check)

    def fmt_pnr(self, ten: str, year: int, form: str) -> str:
        cc = f"{year // 100:02d}"
        sep = "+" if REF_YEAR - year >= 100 else "-"
        return {
            "short_dash": f"{ten[:6]}{sep}{ten[6:]}",
            "short_none": ten,
            "short_space": f"{ten[:6]} {ten[6:]}",
            "long_none": cc + ten,
            "long_dash": f"{cc}{ten[:6]}-{ten[6:]}",
            "long_space": f"{cc}{ten[:6]} {ten[6:]}",
        }[form]

    PNR_FORMS = (
        ["short_dash"] * 5
        + ["long_none"] * 3
        + ["long_dash"] * 3
        + ["short_none"] * 2
        + ["short_space", "long_space"]
    )

    def pnr(self, kind="pnr", form=None):
        """kind: pnr | samo | plus | child. Returns (text, form)."""
        r = self.rng
        if kind == "plus":
            d = self.birth_date(1914, REF_YEAR - 101)
            form = "short_dash"
        elif kind == "child":
            d = self.birth_date(2008, 2025)
        elif kind == "old":
            d = self.birth_date(1928, 1955)
        elif kind == "samo":
            d = self.birth_date(1950, 2008)
        else:
            d = self.birth_date(1931, 2008)
        form = form or r.choice(self.PNR_FORMS)
        ten = self.pnr_digits(d, samordning=(kind == "samo"))
        text = self.fmt_pnr(ten, d.year, form)
        assert pnr_valid(text), text
        return text, form

    def invalid_pnr(self):
        r = self.rng
        d = self.birth_date(1935, 2008)
        bad_date = r.random() < 0.2
        ten = self.pnr_digits(d, wrong=not bad_date, bad_date=bad_date)
        form = r.choice(["short_dash"] * 4 + ["long_none", "long_dash", "short_none"])
        if form.startswith("long"):
            cc = f"{d.year // 100:02d}"
            text = cc + ten if form == "long_none" else f"{cc}{ten[:6]}-{ten[6:]}"
        else:
            text = ten if form == "short_none" else f"{ten[:6]}-{ten[6:]}"
        assert not pnr_valid(text), text
        return text

    # -- phones --------------------------------------------------------------------------
    MOBILE_FORMS = (
        ["dash_grouped"] * 5
        + ["run"] * 4
        + ["space_grouped"] * 4
        + ["dash_run"] * 3
        + [
            "space_2_2_3",
            "dash_2_2_3",
            "space_3_4",
            "intl_spaced",
            "intl_spaced",
            "intl_run",
            "intl_paren0",
            "0046_spaced",
            "0046_run",
            "slash",
        ]
    )
    LAND_FORMS = (
        ["dash_grouped"] * 6
        + ["space_grouped"] * 2
        + ["paren"] * 2
        + ["dash_run"] * 2
        + ["run", "intl_spaced", "intl_run", "0046_spaced", "intl_paren0"]
    )

    def mobile(self):
        r = self.rng
        p = r.choice(MOBILE_PREFIXES)
        a = "".join(str(r.randint(0, 9)) for _ in range(7))
        z = "0" + p
        form = r.choice(self.MOBILE_FORMS)
        text = {
            "run": z + a,
            "dash_grouped": f"{z}-{a[:3]} {a[3:5]} {a[5:]}",
            "space_grouped": f"{z} {a[:3]} {a[3:5]} {a[5:]}",
            "dash_run": f"{z}-{a}",
            "space_2_2_3": f"{z} {a[:2]} {a[2:4]} {a[4:]}",
            "dash_2_2_3": f"{z}-{a[:2]} {a[2:4]} {a[4:]}",
            "space_3_4": f"{z} {a[:3]} {a[3:]}",
            "intl_spaced": f"+46 {p} {a[:3]} {a[3:5]} {a[5:]}",
            "intl_run": f"+46{p}{a}",
            "intl_paren0": f"+46 (0){p}-{a[:3]} {a[3:5]} {a[5:]}",
            "0046_spaced": f"0046 {p} {a[:3]} {a[3:5]} {a[5:]}",
            "0046_run": f"0046{p}{a}",
            "slash": f"{z}/{a[:3]} {a[3:5]} {a[5:]}",
        }[form]
        return text

    def landline(self):
        r = self.rng
        x = r.random()
        if x < 0.4:
            c = "8"
            n = r.choices([5, 6, 7, 8], [1, 3, 5, 5])[0]
        elif x < 0.75:
            c = r.choice(AREA2)
            n = r.choices([5, 6, 7], [1, 4, 5])[0]
        else:
            c = r.choice(AREA3)
            n = r.choices([5, 6], [2, 5])[0]
        while True:
            s = str(r.randint(2, 9)) + "".join(str(r.randint(0, 9)) for _ in range(n - 1))
            if not (c == "123" and s.startswith("45")):  # keep clear of the public 0123-45 block
                break
        form = r.choice(self.LAND_FORMS)
        g = group_sub(s)
        return {
            "dash_grouped": f"0{c}-{g}",
            "space_grouped": f"0{c} {g}",
            "paren": f"(0{c}) {g}",
            "dash_run": f"0{c}-{s}",
            "run": f"0{c}{s}",
            "intl_spaced": f"+46 {c} {g}",
            "intl_run": f"+46{c}{s}",
            "0046_spaced": f"0046 {c} {g}",
            "intl_paren0": f"+46 (0){c}-{g}",
        }[form]

    def phone(self):
        return self.mobile() if self.rng.random() < 0.65 else self.landline()

    # -- e-mail --------------------------------------------------------------------------
    @staticmethod
    def ascii_fold(s: str) -> str:
        table = str.maketrans(
            {
                "å": "a",
                "ä": "a",
                "ö": "o",
                "é": "e",
                "ü": "u",
                "č": "c",
                "ć": "c",
                "ž": "z",
                "š": "s",
                "ş": "s",
                "ç": "c",
                "ś": "s",
                "đ": "d",
                "í": "i",
                "ó": "o",
                "á": "a",
                "ı": "i",
            }
        )
        return s.lower().translate(table)

    def email(self, p: Person | None = None):
        r = self.rng
        p = p or self.person()
        keep_sv = r.random() < 0.06
        fold = (lambda s: s.lower()) if keep_sv else self.ascii_fold
        f = fold(p.first.split()[0]).replace("-", "")
        surname = fold(p.last).replace("-", "").replace(" ", "")
        n = str(r.randint(1, 99)) if r.random() < 0.5 else str(r.randint(1950, 2010))
        local = r.choice(
            [
                f"{f}.{surname}",
                f"{f}.{surname}",
                f"{f}{surname}",
                f"{f[0]}.{surname}",
                f"{f}_{surname}",
                f"{f}.{surname}{n}",
                f"{f}{n}",
                f"{surname}.{f}",
                f"{f}-{surname}",
                f"{f}.{surname}+kommun",
                f"{f}{surname}+{r.choice(['skola', 'bygglov', 'faktura'])}",
                f"{f}.{surname[0]}",
                f"{surname}{n}",
            ]
        )
        domain = r.choice(EMAIL_DOMAINS)
        text = f"{local}@{domain}"
        if r.random() < 0.04:
            text = text[0].upper() + text[1:]
        return text

    # -- addresses -----------------------------------------------------------------------
    def street_name(self):
        r = self.rng
        if r.random() < 0.12:
            return r.choice(STREET_MULTI)
        return r.choice(STREET_PREFIX) + r.choice(STREET_SUFFIX)

    def street(self, allow_lgh=True):
        r = self.rng
        while True:
            name = self.street_name()
            num = str(r.choices([r.randint(1, 20), r.randint(1, 120)], [3, 2])[0])
            x = r.random()
            if x < 0.15:
                num += r.choice("ABCD")
            elif x < 0.2:
                num += " " + r.choice("ABC")
            elif x < 0.24:
                num += r.choice("abc")
            text = f"{name} {num}"
            if allow_lgh and r.random() < 0.15:
                text += f" lgh {r.randint(10, 16)}{r.randint(1, 9):02d}"
            if text not in PUBLIC_ADDRESSES:
                return text

    def postcode(self):
        r = self.rng
        while True:
            d = f"{r.randint(1, 9)}{r.randint(0, 9999):04d}"
            if d != "12345":  # that one is the City Hall postcode (public)
                break
        return f"{d[:3]} {d[3:]}" if r.random() < 0.7 else d

    # -- banks ---------------------------------------------------------------------------
    def account(self, kind=None) -> Account:
        r = self.rng
        if kind is None:
            kind = r.choices(
                ["type1_c1", "type1_c2", "handelsbanken", "swedbank", "personkonto", "danske2"],
                [30, 13, 20, 25, 8, 4],
            )[0]
        while True:
            if kind in ("type1_c1", "type1_c2"):
                lo, hi, bank, code = r.choice(TYPE1_C1 if kind == "type1_c1" else TYPE1_C2)
                c = str(r.randint(lo, hi))
                pay = "".join(str(r.randint(0, 9)) for _ in range(6))
                d = mod11_digit((c[1:] if kind == "type1_c1" else c) + pay)
                if d is None:
                    continue
                return Account(kind, bank, c, pay + str(d), code)
            if kind == "handelsbanken":
                c = str(r.randint(6000, 6999))
                pay = str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(7))
                d = mod11_digit(pay)
                if d is None:
                    continue
                return Account(kind, "Handelsbanken", c, pay + str(d), "600")
            if kind == "swedbank":
                c4 = str(r.randint(8000, 8999))
                c = c4 + str(luhn_digit(c4))
                n = r.choices([10, 9, 8], [7, 2, 1])[0]
                pay = str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(n - 2))
                return Account(kind, "Swedbank", c, pay + str(luhn_digit(pay)), "800")
            if kind == "personkonto":
                d = self.birth_date(1940, 2006)
                return Account(kind, "Nordea", "3300", self.pnr_digits(d), "300")
            if kind == "danske2":
                c = str(r.randint(9180, 9189))
                pay = "".join(str(r.randint(0, 9)) for _ in range(9))
                return Account(kind, "Danske Bank", c, pay + str(luhn_digit(pay)), "120")
            raise ValueError(kind)

    def bankgiro(self):
        r = self.rng
        n = r.choice([7, 8, 8])
        pay = str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(n - 2))
        d = pay + str(luhn_digit(pay))
        return f"{d[:-4]}-{d[-4:]}"

    def plusgiro(self):
        r = self.rng
        n = r.randint(6, 8)
        pay = str(r.randint(1, 9)) + "".join(str(r.randint(0, 9)) for _ in range(n - 2))
        d = pay + str(luhn_digit(pay))
        if r.random() < 0.25:  # pairs from the right: 12 34 56-7
            body = d[:-1]
            pairs = []
            while body:
                pairs.insert(0, body[-2:])
                body = body[:-2]
            return " ".join(pairs) + "-" + d[-1]
        return f"{d[:-1]}-{d[-1]}"

    def iban(self, foreign=False):
        r = self.rng
        if foreign:
            cc, n = r.choice([("DE", 18), ("FI", 14), ("NO", 11), ("DK", 14)])
            bban = "".join(str(r.randint(0, 9)) for _ in range(n))
            s = cc + iban_check(cc, bban) + bban
        else:
            s = self.account().iban()
        assert iban_ok(s), s
        return group4(s) if r.random() < 0.6 else s

    def card(self, brand=None):
        r = self.rng
        brand = brand or r.choices(["visa", "mastercard", "amex"], [6, 4, 2])[0]
        if brand == "visa":
            pre, n = "4", 16
        elif brand == "mastercard":
            pre = str(r.randint(51, 55)) if r.random() < 0.7 else str(r.randint(2221, 2720))
            n = 16
        else:
            pre, n = r.choice(["34", "37"]), 15
        pay = pre + "".join(str(r.randint(0, 9)) for _ in range(n - len(pre) - 1))
        d = pay + str(luhn_digit(pay))
        assert luhn_ok(d)
        form = r.choices(["space", "dash", "run", "newline"], [6, 2, 3, 1.6])[0]
        if n == 15:
            groups = [d[:4], d[4:10], d[10:]]
        else:
            groups = [d[i : i + 4] for i in range(0, 16, 4)]
        if form == "space":
            text = " ".join(groups)
        elif form == "dash":
            text = "-".join(groups)
        elif form == "run":
            text = d
        else:
            cut = r.randint(1, len(groups) - 1)
            text = " ".join(groups[:cut]) + "\n" + " ".join(groups[cut:])
        return text, brand, form

    def plate(self):
        r = self.rng
        letters = "".join(r.choice(PLATE_LETTERS) for _ in range(3))
        if r.random() < 0.4:
            tail = f"{r.randint(0, 99):02d}" + r.choice(PLATE_LAST_LETTERS + "0123456789")
            fmt = "new"
        else:
            tail = f"{r.randint(0, 999):03d}"
            fmt = "old"
        sep = r.choices([" ", "", "-"], [6, 3, 1])[0]
        text = letters + sep + tail
        if r.random() < 0.3:
            text = text.lower()
        return text, fmt

    def ipv4(self):
        r = self.rng
        while True:
            a = r.randint(2, 223)
            if a not in (10, 100, 127, 169, 172, 192, 198, 203):
                break
        return f"{a}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def ipv6(self):
        r = self.rng
        prefix = r.choice(
            [
                ["2001", "9b0"],
                ["2a00", "801"],
                ["2a02", "aa1"],
                ["2a01", "79d"],
                ["2001", "2002"],
                ["2a05", "d014"],
                ["2a03", "4b80"],
            ]
        )
        if r.random() < 0.45:
            groups = prefix + [f"{r.randint(0, 0xFFFF):x}" for _ in range(6)]
            text = ":".join(groups)
        else:
            tail = [f"{r.randint(1, 0xFFFF):x}" for _ in range(r.randint(1, 4))]
            text = ":".join(prefix) + "::" + ":".join(tail)
        if r.random() < 0.15:
            text = text.upper()
        return text

    # -- look-alikes ---------------------------------------------------------------------
    def org_number(self):
        r = self.rng
        if r.random() < 0.12:
            return MUNICIPAL_ORG
        g = r.choice("25555789")
        pay = (
            g + str(r.randint(0, 9)) + str(r.randint(2, 9)) + "".join(str(r.randint(0, 9)) for _ in range(6))
        )
        d = pay + str(luhn_digit(pay))
        assert not pnr_valid(d)
        return f"{d[:6]}-{d[6:]}" if r.random() < 0.8 else d

    def date_text(self, lang="sv"):
        r = self.rng
        d = dt.date.fromordinal(r.randint(dt.date(2025, 1, 1).toordinal(), dt.date(2027, 6, 30).toordinal()))
        if lang == "en":
            return r.choice(
                [
                    d.isoformat(),
                    f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
                    f"{MONTHS_EN[d.month - 1]} {d.day}",
                ]
            )
        return r.choice(
            [
                d.isoformat(),
                d.isoformat(),
                f"{d.day} {MONTHS_SV[d.month - 1]}",
                f"{d.day} {MONTHS_SV[d.month - 1]} {d.year}",
                f"{d.day}/{d.month}",
                f"{d.day}/{d.month} {d.year}",
            ]
        )

    def time_text(self):
        r = self.rng
        h, m = r.randint(6, 21), r.choice([0, 0, 15, 30, 45])
        return r.choice([f"{h:02d}.{m:02d}", f"{h:02d}:{m:02d}", f"{h}.{m:02d}", f"{h}"])

    def amount_text(self, lang="sv"):
        r = self.rng
        v = r.choice([r.randint(5, 99) * 10, r.randint(10, 300) * 50, r.randint(100, 2500) * 10])
        s = f"{v:,}".replace(",", " ")
        if lang == "en":
            return r.choice([f"SEK {s}", f"{s} kr", f"{s} SEK"])
        return r.choice([f"{s} kr", f"{s} kr", f"{s} kronor", f"{s}:-", f"{s} SEK", f"{v} kr"])

    def year_text(self):
        return str(self.rng.randint(1990, 2027))

    def case_number(self):
        r = self.rng
        y = r.randint(2023, 2026)
        return r.choice(
            [
                f"KS-{y}-{r.randint(1, 2999):05d}",
                f"BN-{y}-{r.randint(1, 999):05d}",
                f"{y}/{r.randint(1, 9999):04d}",
                f"SN {y}/{r.randint(1, 999)}",
                f"BUN {y}/{r.randint(1, 999):04d}",
                f"KS {y}.{r.randint(1, 999):03d}",
            ]
        )

    def order_number(self):
        r = self.rng
        return r.choice(
            [
                f"#{r.randint(10000, 999999)}",
                f"ORD-{r.randint(1, 99999):06d}",
                f"4500{r.randint(0, 999999):06d}",
                f"W{r.randint(0, 99999999):08d}",
                f"{r.randint(100000, 999999)}",
            ]
        )

    def version_text(self):
        r = self.rng
        return r.choice(
            [
                f"{r.randint(14, 18)}.{r.randint(0, 7)}.{r.randint(1, 3)}",
                f"{r.randint(1, 5)}.{r.randint(0, 30)}.{r.randint(0, 9)}",
            ]
        )


# ---------------------------------------------------------------------------------------
# Slot providers: {slot} in a template -> value. One "main person" per message so that
# {name}, {first} and {email} agree.
# ---------------------------------------------------------------------------------------
class Ctx:
    def __init__(self, g: Gen, lang: str):
        self.g, self.lang = g, lang
        self._person = None
        self.meta = []

    @property
    def person(self):
        if self._person is None:
            self._person = self.g.person()
        return self._person

    def provide(self, slot: str):
        g, r = self.g, self.g.rng
        base = re.sub(r"\d+$", "", slot)
        fresh = slot != base  # name2, phone2 ... -> independent value
        if base == "name":
            p = g.person() if fresh else self.person
            return V(p.full, "PERSON")
        if base == "first":
            p = g.person() if fresh else self.person
            return V(p.first, "PERSON")
        if base == "lname":
            return V((g.person() if fresh else self.person).full.lower(), "PERSON")
        if base == "lfirst":
            return V((g.person() if fresh else self.person).first.lower(), "PERSON")
        if base in ("woman", "man"):
            return V(g.person("f" if base == "woman" else "m").full, "PERSON")
        if base in ("girl", "boy"):
            return V(g.person("f" if base == "girl" else "m").first, "PERSON")
        if base == "wl":
            return V(r.choice(WORDLIKE), "PERSON")
        if base == "wlfull":
            return V(f"{r.choice(WORDLIKE)} {r.choice(SURNAMES_SV + SURNAMES_IMM)}", "PERSON")
        if base == "gname":  # genitive: span is the name, the -s stays outside
            p = g.person() if fresh else self.person
            s = "" if p.last[-1] in "sxz" else "s"
            return [V(p.full, "PERSON"), s]
        if base == "phone":
            return V(g.phone(), "PHONE_NUMBER")
        if base == "mobile":
            return V(g.mobile(), "PHONE_NUMBER")
        if base == "landline":
            return V(g.landline(), "PHONE_NUMBER")
        if base == "pnr":
            text, form = g.pnr()
            self.meta.append(form)
            return V(text, "SE_PERSONNUMMER")
        if base == "oldpnr":
            return V(g.pnr("old")[0], "SE_PERSONNUMMER")
        if base == "childpnr":
            return V(g.pnr("child")[0], "SE_PERSONNUMMER")
        if base == "samo":
            return V(g.pnr("samo")[0], "SE_PERSONNUMMER")
        if base == "pnrplus":
            return V(g.pnr("plus")[0], "SE_PERSONNUMMER")
        if base == "email":
            p = self.person if (not fresh and r.random() < 0.75) else g.person()
            return V(g.email(p), "EMAIL_ADDRESS")
        if base == "street":
            return V(g.street(), "LOCATION")
        if base == "street_nolgh":
            return V(g.street(allow_lgh=False), "LOCATION")
        if base == "postcode":
            return V(g.postcode(), "LOCATION")
        if base == "city":
            return r.choice(CITIES)
        if base == "acct":
            return V(g.account().full_text(r), "SE_BANK_ACCOUNT")
        if base == "bg":
            return V(g.bankgiro(), "SE_BANKGIRO")
        if base == "pg":
            return V(g.plusgiro(), "SE_BANKGIRO")
        if base == "iban":
            return V(g.iban(), "IBAN_CODE")
        if base == "fiban":
            return V(g.iban(foreign=True), "IBAN_CODE")
        if base == "card":
            return V(g.card()[0], "CREDIT_CARD")
        if base == "plate":
            return V(g.plate()[0], "SE_LICENSE_PLATE")
        if base == "ip":
            return V(g.ipv4() if r.random() < 0.7 else g.ipv6(), "IP_ADDRESS")
        # look-alikes
        if base == "org":
            return N(g.org_number(), "ORG_NUMBER")
        if base == "date":
            return N(g.date_text(self.lang), "DATE")
        if base == "time":
            return N(g.time_text(), "TIME")
        if base == "amount":
            return N(g.amount_text(self.lang), "AMOUNT")
        if base == "year":
            return N(g.year_text(), "YEAR")
        if base == "case":
            return N(g.case_number(), "CASE_NUMBER")
        if base == "order":
            return N(g.order_number(), "ORDER_NUMBER")
        if base == "inv":
            return N(g.invalid_pnr(), "INVALID_PERSONNUMMER")
        if base == "pubphone":
            return N(r.choice(PUBLIC_PHONES), "PUBLIC_PHONE")
        if base == "pubemail":
            return N(r.choice(PUBLIC_EMAILS), "PUBLIC_EMAIL")
        if base == "pubaddr":
            return N(r.choice(PUBLIC_ADDRESSES), "PUBLIC_ADDRESS")
        if base == "pcode":
            return N(g.postcode(), "POSTCODE_ONLY")
        if base == "streetname":
            return N(r.choice(STREET_NAMES_PUBLIC_LIKE), "STREET_NAME")
        if base == "ver":
            return N(g.version_text(), "VERSION")
        if base == "lastfour":
            return N(f"{r.randint(0, 9999):04d}", "CARD_LAST_DIGITS")
        raise KeyError(slot)


def render(template: str, ctx: Ctx, overrides: dict | None = None) -> list[Part]:
    overrides = overrides or {}
    parts: list[Part] = []
    for i, piece in enumerate(SLOT_RE.split(template)):
        if i % 2 == 0:
            if piece:
                parts.append(Part("lit", piece))
            continue
        item = overrides[piece] if piece in overrides else ctx.provide(piece)
        items = item if isinstance(item, list) else [item]
        for it in items:
            if isinstance(it, V):
                parts.append(Part("val", it.text, it.type))
            elif isinstance(it, N):
                parts.append(Part("neg", it.text, it.kind))
            elif it:
                parts.append(Part("plain", it))
    return parts


# ---------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------
PERSON_T = {
    "sv": {
        "intro": [
            "Hej, jag heter {name} och undrar hur jag ansöker om bygglov för ett garage.",
            "jag heter {name} och vill veta vilken dag sophämtningen är",
            "Mitt namn är {name}, jag vill säga upp min plats i förskolan.",
            "Hej! Det är {name} som skriver, har ni fått mina papper?",
            "Jag är {name} och har bott i kommunen i två år. Hur söker jag bostadsbidrag?",
            "Detta är {name}, vårdnadshavare till en elev i årskurs 4.",
            "Hej jag heter {first} och behöver hjälp med en ansökan om färdtjänst",
            "Hej, mitt namn är {name}. Jag har frågor om min faktura för vatten och avlopp.",
            "God morgon, {name} heter jag och jag ringer angående min mammas hemtjänst.",
        ],
        "signature": [
            "Hur ansöker jag om parkeringstillstånd för rörelsehindrade?\n\nMvh {name}",
            "Tack för svaret!\nmvh {first}",
            "Kan ni skicka blanketten igen? /{first}",
            "Jag vill överklaga beslutet.\n\nMed vänliga hälsningar\n{name}",
            "Lampan vid busshållplatsen är trasig sedan en vecka. Hälsningar {name}",
            "okej tack mvh {first}",
            "Hälsningar,\n{name}",
            "Tack på förhand! // {first}",
            "Vi väntar fortfarande på beslut om bostadsanpassning. Vänliga hälsningar, {name}",
        ],
        "third_person": [
            "Boken lånades av {name} men personen har flyttat.",
            "Det finns en pojke som heter {boy} i min sons klass som blir mobbad.",
            "Min granne {name} eldar skräp på tomten varje helg.",
            "Min mamma {woman} har hemtjänst och behöver fler besök.",
            "Handläggaren {first} sa att jag skulle få svar inom två veckor.",
            "Kan {name} ringa tillbaka till mig?",
            "Jag söker försörjningsstöd tillsammans med min sambo {name}.",
            "Min dotter {girl} ska börja förskoleklass i höst, var anmäler jag henne?",
            "Min pappa {man} har fått ett beslut om boendestöd som vi vill överklaga.",
            "Fullmakt: jag ger {name} rätt att hämta ut mina papper.",
            "Vårdnadshavare är {woman} och {man}.",
            "Jag vill klaga på hur {name} på socialtjänsten bemötte mig.",
            "Rektorn {name} har inte svarat på mina mejl.",
            "Kan min bror {boy} få hämta mitt barn på fritids?",
        ],
        "first_name_only": [
            "Hej, det är {first} igen. Har ni hittat min ansökan?",
            "Min son {boy} behöver skolskjuts från hösten.",
            "Vi har en katt och en dotter som heter {girl}, får vi ha katten i lägenheten?",
            "Kan ni hälsa {first} på växeln att jag ringer tillbaka?",
            "Min farmor {girl} behöver trygghetslarm.",
        ],
        "lowercase": [
            "jag heter {lname} och har fått fel faktura",
            "hej det är {lname} kan ni ringa mig",
            "mvh {lfirst}",
            "min granne {lname} har en hund som skäller hela nätterna",
            "{lname} här, har mitt bygglov gått igenom?",
        ],
        "sentence_start": [
            "{name} heter jag och jag har en fråga om bostadsanpassning.",
            "{first} och jag vill hyra en lokal för ett kalas.",
            "{name} har tappat sitt busskort, var kan vi få ett nytt?",
            "{first} behöver plats på fritids från januari. Hur gör vi?",
            "{name}. Jag vill ansöka om skolskjuts.",
        ],
        "wordlike_name": [
            "Jag heter {wlfull} och vill anmäla en vattenläcka.",
            "Min dotter {wl} ska börja i förskolan i augusti.",
            "Hej, det är {wl} som skriver igen.",
            "Mvh {wl}",
            "Vår son heter {wl} och behöver särskilt stöd i skolan.",
            "{wlfull} här, jag har en fråga om bygglov.",
            "Kan {wl} få komma på besök på äldreboendet på söndag?",
            "Jag pratade med en handläggare som hette {wl} i telefon.",
        ],
        "genitive": [
            "Har ni fått {gname} ansökan om ekonomiskt bistånd?",
            "Jag ringer om {gname} plats på äldreboendet.",
            "Vem är {gname} kontaktperson på LSS?",
        ],
    },
    "en": {
        "intro": [
            "Hi, my name is {name} and I need help with a parking permit.",
            "This is {name}. How do I register my child for preschool?",
            "Hello, I'm {name} and I just moved to the municipality.",
        ],
        "signature": [
            "Thanks for the help!\nBest regards,\n{name}",
            "cheers, {first}",
            "Could you send me the form again? Kind regards, {name}",
        ],
        "third_person": [
            "My neighbour {name} burns rubbish in the garden every weekend.",
            "My son {boy} needs a place at an after-school centre.",
            "The library book was borrowed by {name}, who has since moved.",
            "Can {name} call me back tomorrow?",
            "My mother {woman} needs more home care visits.",
        ],
        "first_name_only": [
            "My daughter {girl} starts school in August.",
            "It's {first} again, any news on my application?",
        ],
        "lowercase": ["my name is {lname} and i need help", "thanks {lfirst}"],
        "sentence_start": [
            "{name} here, I called yesterday about my housing adaptation grant.",
            "{first} and I would like to book the community hall.",
        ],
        "wordlike_name": [
            "My name is {wlfull} and I want to report a broken street light.",
            "Our daughter {wl} needs a preschool place.",
        ],
        "genitive": ["Have you received {gname} application?"],
    },
}

PHONE_T = {
    "sv": {
        "cue": [
            "Ring mig på {phone} efter kl {time}.",
            "Mitt telefonnummer är {phone}.",
            "tel {phone}",
            "Tel: {phone}",
            "mobil {phone}",
            "Mobilnr: {phone}",
            "Jag har bytt nummer till {phone}, kan ni uppdatera det?",
            "Kan hemtjänsten ringa {phone} innan de kommer?",
            "ring {phone} tack",
            "Mitt nummer: {phone}",
            "Vill ni sms:a mig på {phone} när beslutet är klart?",
            "Kontakta min son på {phone} om jag inte svarar.",
            "Hej, jag vill bli uppringd angående bygglovet på telefonnummer {phone}",
            "Telefonnummer: {phone}",
            "Nås på {phone} vardagar.",
            "Kan ni ringa upp mig? {phone}",
        ],
        "with_public": [
            "Jag ringde {pubphone} men blev hänvisad hit. Mitt nummer är {phone}.",
            "Växeln {pubphone} svarar inte, kan någon ringa mig på {phone}?",
            "Jag har ringt {pubphone} tre gånger. Ring tillbaka på {mobile}",
        ],
        "several": [
            "Du når mig på {phone} eller {phone2}.",
            "nås bäst på {mobile} dagtid, {landline} kvällar",
            "Hemtelefon {landline}, mobil {mobile}.",
            "Ring {mobile} i första hand, annars min man på {mobile2}.",
            "Mina nummer: {phone}, {phone2}",
        ],
        "no_cue": [
            "{phone}",
            "Jag har frågor om fakturan. {phone}",
            "{phone} är mitt nya nummer",
            "Sopkärlet är inte tömt på två veckor, {phone}",
            "kan nån ringa {phone} snarast",
            "Vattnet är brunt i kranen sedan i morse {phone}",
        ],
    },
    "en": {
        "cue": [
            "Please call me on {phone}.",
            "My phone number is {phone}.",
            "mobile: {phone}",
            "Text me at {phone} when the decision is ready.",
            "You can reach me on {phone} after {time}.",
        ],
        "several": ["You can reach me at {phone} or {phone2}.", "Home {landline}, mobile {mobile}."],
        "no_cue": ["{phone} is my new number", "Question about my invoice, {phone}"],
        "with_public": ["I called {pubphone} but nobody answered, my number is {phone}."],
    },
}

PNR_T = {
    "sv": {
        "personnummer": [
            "Mitt personnummer är {pnr}.",
            "personnr {pnr}",
            "Pnr: {pnr}",
            "{pnr} är mitt personnummer, kan ni kolla min ansökan?",
            "Jag vill veta status på min ansökan om bostadsbidrag, personnummer {pnr}.",
            "Kan ni kolla om ni fått min ansökan? {pnr}",
            "Personnummer (eller samordningsnummer): {pnr}",
            "Min mammas personnummer är {oldpnr}, hon bor på Solgårdens äldreboende.",
            "Sökande: {pnr}",
            "jag har personnummer {pnr} och har inte fått något beslut",
            "{pnr}",
            "Hej, jag skickade in blanketten {date} med personnummer {pnr}.",
        ],
        "child": [
            "Barnets personnummer: {childpnr}",
            "Min dotter har personnummer {childpnr} och behöver plats på fritids.",
            "Ansökan gäller mig, {pnr}, och mitt barn {childpnr2}.",
        ],
        "samordningsnummer": [
            "Jag har samordningsnummer {samo}, kan jag få försörjningsstöd?",
            "Mitt samordningsnummer är {samo}.",
            "samordningsnr {samo}",
            "Jag har inget personnummer än, bara samordningsnummer: {samo}",
        ],
        "correction": [
            "Jag skrev fel förut ({inv}), rätt personnummer är {pnr}.",
            "Inte {inv} utan {pnr}, förlåt!",
            "Mitt personnummer är {pnr}. Ni har registrerat {inv} av misstag.",
        ],
        "elderly": [
            "Ansökan om hemtjänst för min pappa, personnummer {oldpnr}.",
            "Min mormor ({oldpnr}) behöver plats på korttidsboende.",
        ],
        "plus_100": [
            "Min farmor fyller 101 i år, hennes personnummer är {pnrplus}.",
            "Ansökan om färdtjänst för min morfar, {pnrplus}, som är över hundra år.",
            "Personnummer {pnrplus} (100 år fyllda)",
        ],
    },
    "en": {
        "personnummer": [
            "My personal identity number is {pnr}.",
            "personnummer: {pnr}",
            "I sent the form with my personal number {pnr} but got no answer.",
            "{pnr} is my Swedish personal number.",
        ],
        "child": ["My daughter's personal number is {childpnr}."],
        "samordningsnummer": ["I have a coordination number, {samo}, can I get a library card?"],
        "plus_100": ["My grandmother is 101, her personal number is {pnrplus}."],
        "correction": ["Sorry, not {inv} but {pnr}."],
        "elderly": ["My father ({oldpnr}) needs a place in a care home."],
    },
}

EMAIL_T = {
    "sv": [
        "Min mejl är {email}",
        "Skicka beslutet till {email} tack.",
        "e-post: {email}",
        "Ni kan mejla mig på {email} istället för att ringa.",
        "{email}",
        "Jag har bytt mejladress till {email}",
        "Kan ni skicka fakturan till {email}?",
        "jag fick inget mejl till {email}, kan ni skicka igen",
        "Skicka kopia till min dotter på {email2}.",
        "Mejla {email} eller {email2} om ni behöver komplettering.",
        "E-postadress: {email}\nTelefon: {phone}",
        "Jag mejlade från {email} men fick inget svar.",
        "Jag skickade till {pubemail} från {email} men har inte fått svar.",
        "Ska jag mejla {pubemail}? Min adress är {email}.",
    ],
    "en": [
        "My email is {email}.",
        "Please send the decision to {email}.",
        "email me at {email}",
        "I wrote from {email} but got no reply.",
    ],
}

ADDRESS_T = {
    "sv": {
        "street_only": [
            "Jag bor på {street}.",
            "jag bor på {street} och undrar när sopbilen kommer",
            "Kan ni hämta grovsopor på {street} på torsdag?",
            "Det är ett stort hål i asfalten utanför {street}.",
            "Vi flyttar till {street} den {date}.",
            "Min mamma bor på {street} i {city} och behöver trygghetslarm.",
            "Gatlampan utanför {street} är trasig.",
            "Adressen är {street}.",
            "{street} har inte fått sin sophämtning på två veckor.",
            "Grannen på {street} har byggt ett plank utan bygglov.",
            "Jag bor på {street}, nära stadshuset på {pubaddr}.",
            "Kan jag hämta ut nyckeln på {pubaddr}? Jag bor på {street}.",
            "Vi bor på {street} men bilarna parkerar hela dagarna på {streetname}.",
        ],
        "with_postcode": [
            "Adress: {street}, {postcode} {city}",
            "Min adress är {street}, {postcode} {city}.",
            "{street_nolgh}, {postcode}",
            "Skicka pappren till {street}, {postcode} {city}.",
            "{street} {postcode} {city}",
            "Leverans till:\n{street}\n{postcode} {city}",
            "Jag har flyttat till {street}, {postcode} {city}. Hur ändrar jag fakturaadressen?",
            "Ny adress från {date}: {street}, {postcode} {city}",
        ],
    },
    "en": {
        "street_only": [
            "I live at {street}.",
            "My address is {street}.",
            "There is a broken street light outside {street}.",
        ],
        "with_postcode": [
            "Please send the letter to {street}, {postcode} {city}.",
            "My new address is {street}, {postcode} {city}.",
        ],
    },
}

BANK_T = {
    "sv": {
        "whole": [
            "Mitt kontonummer är {acct}.",
            "Betala ut till konto {acct} tack.",
            "Kontonr: {acct}",
            "Jag har bytt bank, nytt konto {acct}",
            "Kan ni sätta in ersättningen på {acct}?",
            "{acct} är mitt lönekonto",
            "Bankkonto ({bank}): {acct}",
            "Utbetalning till {bank} {acct}",
            "Kontonummer {acct}, {bank}.",
            "återbetalningen ska gå till {acct}",
        ],
        "split": [
            "Clearingnummer {clr} kontonummer {acctno}",
            "clearing {clr}, konto {acctno}",
            "Jag har {bank}, clearingnr {clr} och kontonr {acctno}.",
            "Clearingnummer: {clr}\nKontonummer: {acctno}",
            "Mitt konto i {bank} är {acctno} med clearingnummer {clr}.",
        ],
    },
    "en": {
        "whole": [
            "My bank account is {acct} ({bank}).",
            "Please pay into account {acct}.",
            "Swedish account number: {acct}",
        ],
        "split": [
            "clearing number {clr}, account number {acctno}",
            "Bank: {bank}, clearing {clr}, account {acctno}",
        ],
    },
}

GIRO_T = {
    "sv": {
        "bankgiro": [
            "Min firma har bankgiro {bg}.",
            "Betala till bankgiro {bg}",
            "BG {bg}",
            "bankgironummer: {bg}",
            "Föreningens kassör har bankgiro {bg} på sin enskilda firma.",
            "Jag fakturerar som egenföretagare, bg {bg}, och vill ha betalt för uppdraget.",
        ],
        "plusgiro": [
            "Plusgiro {pg}",
            "PG: {pg}",
            "Jag har plusgirokonto {pg}, kan ni betala ut dit?",
            "Sätt in pengarna på mitt plusgiro {pg} tack",
            "Mitt pg är {pg}",
        ],
    },
    "en": {
        "bankgiro": ["Pay to bankgiro {bg}, please.", "My sole-trader bankgiro is {bg}."],
        "plusgiro": ["My plusgiro account is {pg}."],
    },
}

IBAN_T = {
    "sv": [
        "IBAN: {iban}",
        "Mitt IBAN-nummer är {iban}",
        "Jag bor utomlands, betala ut till {iban}",
        "{iban} BIC {bic}",
        "Kan ni betala tillbaka till mitt IBAN {iban}?",
        "IBAN {iban}, kontohavare {name}",
    ],
    "en": [
        "My IBAN is {iban}",
        "IBAN {iban}, BIC {bic}",
        "Please transfer the refund to my account abroad: {fiban}",
        "I have a German account, IBAN {fiban}",
    ],
}

CARD_T = {
    "sv": [
        "Mitt kortnummer är {card}",
        "kort: {card}",
        "Jag betalade med {card} men dragningen blev dubbel.",
        "Kan ni återbetala till kortet {card}?",
        "kortnr {card} giltigt till {exp}",
        "Kortnummer:\n{card}",
        "{card} är kortet jag betalade avgiften med",
        "Jag blev dragen {amount} två gånger på {card}",
    ],
    "en": [
        "My card number is {card}",
        "I paid with card {card} and was charged twice.",
        "Please refund to {card}",
    ],
}

PLATE_T = {
    "sv": [
        "Min bil har reg nr {plate}.",
        "regnr {plate}",
        "Registreringsnummer: {plate}",
        "Jag har fått en parkeringsbot på bilen {plate}.",
        "bil {plate} står felparkerad utanför min infart sen tre dagar",
        "{plate} har stått övergiven på gatan i två veckor",
        "Regnummer {plate}, jag vill överklaga p-boten",
        "Kan jag få boendeparkering för {plate}?",
        "det står en bil {plate} på handikapplatsen",
        "Min bil med regnummer {plate} blev bortforslad.",
        "Jag har två bilar, {plate} och {plate2}. Gäller tillståndet båda?",
        "Kan ni kolla om {plate} har betalat parkeringsavgiften?",
    ],
    "en": [
        "My car's registration number is {plate}.",
        "I got a parking ticket on {plate}.",
        "{plate} has been parked in front of my garage for days.",
    ],
}

IP_T = {
    "sv": [
        "Min IP-adress är {ip}",
        "Jag kommer inte in i e-tjänsten, min ip är {ip}",
        "Felmeddelandet säger att {ip} är blockerad.",
        "ip: {ip}",
        "Det har kommit konstiga inloggningar från {ip} på mitt konto i e-tjänsten.",
        "{ip} kommer inte åt skolplattformen",
    ],
    "en": [
        "My IP address is {ip}",
        "The login page blocks {ip}",
        "Someone logged in to my account from {ip}.",
    ],
}

MULTI_T = {
    "sv": {
        "identity_block": [
            "Hej, jag heter {name} ({pnr}) och bor på {street}, {postcode} {city}. Ring mig på {phone}.",
            "Uppgifter för ansökan: namn {name}, personnummer {pnr}, konto {acct}.",
            "{name}, {pnr}, {phone}",
            "Mitt personnummer är {pnr} och min mejl {email}",
            "Ansökan om förskoleplats: barn {girl} {childpnr}, vårdnadshavare {name} {pnr}, tel {phone}",
            "Namn: {name}\nPersonnummer: {pnr}\nAdress: {street}, {postcode} {city}\nTelefon: {phone}\nE-post: {email}",  # noqa: E501
        ],
        "signature_block": [
            "Jag vill anmäla en trasig gatlampa vid lekplatsen.\n\nMvh\n{name}\n{street}\n{postcode} {city}\nTel {phone}\n{email}",  # noqa: E501
            "Tack för hjälpen!\n\n{name}\n{phone}",
            "Hälsningar {name}, {phone}, {email}",
            "Med vänlig hälsning\n{name}\nMobil: {mobile}",
        ],
        "mixed": [
            "Jag ({name}) fick p-bot på {plate} fast jag har tillstånd, ring {phone}",
            "Kontakta min dotter {woman} på {phone} eller {email2}.",
            "Jag har ärende {case} och mitt nummer är {phone}",
            "Fakturan på {amount} drogs på kortet {card}, jag heter {name}.",
            "Betala ut till {acct} eller bankgiro {bg}.",
            "{name} här, jag kommer inte in i e-tjänsten från {ip}, mitt personnummer är {pnr}",
            "Min granne {name} på {street} har eldat sopor hela dagen",
            "Min mamma {woman}, {pnr}, har flyttat till {street}, {postcode} {city}.",
            "Angående {case}: mitt nya kontonummer är {acct}. /{first}",
            "Vi har bokat lokalen den {date} kl {time}. Kontaktperson {name}, {phone}.",
        ],
    },
    "en": {
        "identity_block": [
            "My name is {name}, personal number {pnr}, phone {phone}.",
            "Name: {name}\nAddress: {street}, {postcode} {city}\nEmail: {email}",
        ],
        "signature_block": ["Best regards,\n{name}\n{phone}\n{email}"],
        "mixed": [
            "Please contact my son {man} on {phone}.",
            "I got a ticket on {plate}, my name is {name}, call {phone}.",
            "Regarding case {case}, please pay the refund to IBAN {iban}.",
        ],
    },
}

# position: one value at start / middle / end; word describes the value
POS_WORDS = {
    "sv": {
        "phone": "telefonnummer",
        "pnr": "personnummer",
        "email": "mejladress",
        "acct": "kontonummer",
        "plate": "registreringsnummer",
        "street": "adress",
        "name": "namn",
        "iban": "IBAN",
        "card": "kortnummer",
        "bg": "bankgiro",
        "ip": "IP-adress",
    },
    "en": {
        "phone": "phone number",
        "pnr": "personal number",
        "email": "email address",
        "acct": "account number",
        "plate": "registration number",
        "street": "address",
        "name": "name",
        "iban": "IBAN",
        "card": "card number",
        "bg": "bankgiro",
        "ip": "IP address",
    },
}
POS_T = {
    "sv": {
        "start": [
            "{v} – det är mitt {w}. Kan ni uppdatera era uppgifter?",
            "{v} är rätt {w}, det andra var fel.",
            "{v}\nVad händer med min ansökan?",
        ],
        "middle": [
            "Hej, mitt {w} är {v} och jag undrar över min faktura.",
            "Jag skrev {v} som {w} i ansökan, är det okej?",
        ],
        "end": [
            "Kan ni uppdatera era uppgifter? Nytt {w}: {v}",
            "Jag har fått brev från er men uppgifterna stämmer inte, rätt {w} är {v}",
        ],
    },
    "en": {
        "start": ["{v} is my {w}, please update your records."],
        "middle": ["Hi, my {w} is {v} and I have a question about my bill."],
        "end": ["Please update your records. New {w}: {v}"],
    },
}

CLEAN_T = {
    "sv": {
        "plain": [
            "När hämtas hushållssoporna i Exempelstad?",
            "Hur ansöker jag om bygglov för en altan?",
            "Vilka öppettider har biblioteket i sommar?",
            "Behöver jag bygglov för att bygga ett växthus?",
            "Hur gör jag för att ställa mitt barn i kö till förskolan?",
            "Var kan jag lämna farligt avfall?",
            "vad kostar ett p-tillstånd",
            "Hur ansöker man om försörjningsstöd?",
            "Vem ska jag kontakta om en trasig gatlampa?",
            "Kan jag få hjälp med hemtjänst?",
            "finns det lediga platser på äldreboende",
            "hur ansöker jag om färdtjänst",
            "När öppnar simhallen efter renoveringen?",
            "Hur gör jag en felanmälan om vattenläcka?",
            "Kan man boka lokal i stadshuset?",
            "vilka regler gäller för eldning i trädgården",
            "Vad gäller för tomgångskörning?",
            "Hur överklagar jag ett beslut?",
            "Får jag ha höns på tomten?",
            "vart vänder jag mig om jag har skulder",
            "Hur lång är handläggningstiden för bygglov?",
            "Hur byter jag storlek på mitt sopkärl?",
            "Kan jag få bidrag för att installera solceller?",
            "Finns det sommarjobb för ungdomar i kommunen?",
            "Hur anmäler jag ett barn till simskola?",
            "Vilka skolor har plats i årskurs 7?",
            "Vad är en god man och hur blir man det?",
            "Hur fungerar kommunens budget- och skuldrådgivning?",
            "Var finns närmaste återvinningsstation?",
            "Får man grilla i parken?",
            "hur lång tid tar det att få svar på en ansökan om LSS",
            "Tack för hjälpen!",
            "Hej, jag har en fråga.",
            "ok tack",
            "Kan jag prata med en människa?",
            "Vilka dagar är det öppet på återvinningscentralen?",
            "Hur ansöker jag om skolskjuts?",
            "Vad kostar det att hyra idrottshallen?",
            "Får jag sätta upp ett staket mot gatan utan bygglov?",
        ],
        "org_number": [
            "Vårt org.nr är {org}, kan vi söka föreningsbidrag?",
            "Faktura till organisationsnummer {org}",
            "Föreningen har organisationsnummer {org}.",
            "Leverantören med orgnr {org} har inte fått betalt.",
            "Kommunens organisationsnummer är väl {org}?",
        ],
        "date": [
            "Kan jag boka tid den {date}?",
            "Ansökan skickades {date}.",
            "Är sista ansökningsdag {date}?",
            "Stänger simhallen {date}?",
            "Sophämtningen blev inställd {date}, när kommer de?",
        ],
        "case_number": [
            "Jag har ärendenummer {case}, hur går det?",
            "Angående ärende {case}: när kommer beslutet?",
            "Dnr {case}",
            "Kan ni koppla mig till handläggaren för {case}?",
        ],
        "order_number": [
            "Min beställning {order} av nytt sopkärl har inte kommit.",
            "Ordernummer {order} gällande kompostbehållare",
        ],
        "amount": [
            "Varför kostar sophämtningen {amount} per kvartal?",
            "Fakturan var på {amount}, stämmer det?",
            "Avgiften för förskolan blev {amount} i månaden, hur räknas den?",
            "Får man ta ut {amount} för ett bygglov för en carport?",
        ],
        "time": [
            "Är återvinningscentralen öppen till kl {time}?",
            "Har ni öppet {time}–{time2} på lördagar?",
            "Bussen till skolan går kl {time}, hinner barnen äta frukost?",
            "Kan jag komma förbi kl. {time} imorgon?",
        ],
        "year": [
            "Hur mycket höjdes taxan {year}?",
            "Skolan byggdes {year}, är den renoverad sedan dess?",
            "Gäller detaljplanen från {year} fortfarande?",
        ],
        "public_contact": [
            "Ska jag ringa {pubphone} om vattnet är avstängt?",
            "Jag försökte ringa {pubphone} men ingen svarade.",
            "Kan jag mejla {pubemail} direkt?",
            "Har ni öppet på {pubaddr} på lördagar?",
            "Var ligger {pubaddr}?",
            "Är {pubphone} rätt nummer till kommunen?",
            "Stämmer det att kontaktcenter har nummer {pubphone}?",
        ],
        "postcode_only": [
            "Vilken dag töms kärlen i postnummer {pcode}?",
            "Gäller fiberutbyggnaden {pcode}?",
            "Vilken skola hör postnummer {pcode} till?",
            "Är det hämtning varannan vecka i {pcode}?",
        ],
        "street_name": [
            "Får man parkera på {streetname} på natten?",
            "När ska {streetname} asfalteras?",
            "Varför är {streetname} avstängd?",
            "Det är väldigt halt på {streetname} idag.",
            "Gäller boendeparkering även på {streetname}?",
        ],
        "namelike_word": [
            "Kan man {bo} i kommunen utan att vara skriven här?",
            "Det ligger en stor {sten} mitt på cykelvägen.",
            "Vilken {dag} hämtas soporna?",
            "Det finns en {stig} genom parken som är väldigt lerig.",
            "Jag såg en {bjorn} nära förskolan i morse!",
            "Det är min {vilja} att få {bo} kvar hemma.",
            "Får man plantera en {ros} vid graven?",
            "Har biblioteket öppet hela {juni}?",
            "Jag vill {bo} kvar i mitt hus när jag blir äldre, vilket stöd finns?",
            "Ge {liv} åt stadsparken – plantera fler träd!",
        ],
        "version": ["Appen kraschar på iOS {ver}.", "Jag har version {ver} av appen och kan inte logga in."],
        "card_last_digits": [
            "Jag betalade med kortet som slutar på {lastfour}, men fick ingen kvittens.",
            "Kortet som slutar på {lastfour} är spärrat, hur betalar jag nu?",
        ],
        "invalid_personnummer": [
            "Mitt personnummer är {inv}",
            "personnr {inv}",
            "Jag skrev {inv} i formuläret men det godkändes inte, varför?",
            "Referens {inv}",
        ],
        "mixed_lookalikes": [
            "Faktura {order} på {amount}, förfallodag {date}.",
            "Ärende {case} från {date}: avgift {amount}.",
            "Föreningen ({org}) vill boka hallen {date} kl {time}.",
            "Tiden {date} kl {time} passar inte, finns det annan tid?",
        ],
    },
    "en": {
        "plain": [
            "When is household waste collected?",
            "How do I apply for a parking permit?",
            "What are the library's opening hours?",
            "Where can I recycle batteries?",
            "Can I get home care for my father?",
            "How do I appeal a decision?",
            "thanks!",
            "Is there Swedish for immigrants (SFI) in the municipality?",
        ],
        "org_number": ["Our association's organisation number is {org}."],
        "date": ["Can I book an appointment on {date}?"],
        "case_number": ["Any news on case {case}?"],
        "amount": ["Why is my water bill {amount}?"],
        "time": ["Is the recycling centre open until {time}?"],
        "public_contact": ["Should I call {pubphone}?", "Can I email {pubemail}?"],
        "postcode_only": ["Which day is bin collection in postcode {pcode}?"],
        "street_name": ["Can I park on {streetname} overnight?"],
        "version": ["The app crashes on version {ver}."],
        "invalid_personnummer": ["My personal number {inv} is rejected by the form, why?"],
        "card_last_digits": ["I paid with the card ending in {lastfour}."],
        "mixed_lookalikes": ["Invoice {order} for {amount} is due on {date}."],
    },
}
NAMELIKE_WORDS = {
    "bo": "bo",
    "sten": "sten",
    "dag": "dag",
    "stig": "stig",
    "bjorn": "björn",
    "vilja": "vilja",
    "ros": "ros",
    "juni": "juni",
    "liv": "liv",
}


# ---------------------------------------------------------------------------------------
# Section builders: (g, lang) -> (section, parts)
# ---------------------------------------------------------------------------------------
def pick_group(g: Gen, table: dict, weights: dict | None = None):
    keys = list(table)
    w = [(weights or {}).get(k, 1.0) for k in keys]
    key = g.rng.choices(keys, w)[0]
    return key, g.rng.choice(table[key])


def sec_person(g, lang):
    key, t = pick_group(
        g,
        PERSON_T[lang],
        {"intro": 2, "third_person": 2.5, "signature": 1.8, "wordlike_name": 1.5, "genitive": 0.6},
    )
    return f"person/{key}", render(t, Ctx(g, lang))


def sec_phone(g, lang):
    key, t = pick_group(g, PHONE_T[lang], {"cue": 3, "several": 1, "no_cue": 1, "with_public": 0.6})
    return f"phone/{key}", render(t, Ctx(g, lang))


def sec_pnr(g, lang):
    key, t = pick_group(
        g,
        PNR_T[lang],
        {
            "personnummer": 5,
            "child": 1,
            "samordningsnummer": 1.5,
            "plus_100": 0.6,
            "correction": 0.8,
            "elderly": 0.7,
        },
    )
    ctx = Ctx(g, lang)
    parts = render(t, ctx)
    sec = f"personnummer/{key}"
    if key == "personnummer" and ctx.meta:
        sec += f"/{ctx.meta[0]}"
    return sec, parts


def sec_email(g, lang):
    return "email", render(g.rng.choice(EMAIL_T[lang]), Ctx(g, lang))


def sec_address(g, lang):
    key, t = pick_group(g, ADDRESS_T[lang])
    return f"address/{key}", render(t, Ctx(g, lang))


def sec_bank(g, lang):
    r = g.rng
    key, t = pick_group(g, BANK_T[lang], {"whole": 3, "split": 1.2})
    acc = g.account()
    ov = {
        "bank": acc.bank,
        "acct": V(acc.full_text(r), "SE_BANK_ACCOUNT"),
        "clr": V(acc.clearing_text(r), "SE_BANK_ACCOUNT"),
        "acctno": V(acc.number_text(r), "SE_BANK_ACCOUNT"),
    }
    return f"bank_account/{key}/{acc.kind}", render(t, Ctx(g, lang), ov)


def sec_giro(g, lang):
    key, t = pick_group(g, GIRO_T[lang], {"bankgiro": 1.5, "plusgiro": 1})
    return f"giro/{key}", render(t, Ctx(g, lang))


def sec_iban(g, lang):
    t = g.rng.choice(IBAN_T[lang])
    acc = g.account()
    s = acc.iban()
    text = group4(s) if g.rng.random() < 0.6 else s
    ov = {"iban": V(text, "IBAN_CODE"), "bic": BIC.get(acc.bank, "NDEASESS")}
    sec = "iban/foreign" if "{fiban}" in t else ("iban/se_grouped" if " " in text else "iban/se_run")
    return sec, render(t, Ctx(g, lang), ov)


def sec_card(g, lang):
    text, brand, form = g.card()
    t = g.rng.choice(CARD_T[lang])
    exp = f"{g.rng.randint(1, 12):02d}/{g.rng.randint(26, 31)}"
    return f"card/{brand}/{form}", render(
        t, Ctx(g, lang), {"card": V(text, "CREDIT_CARD"), "exp": N(exp, "DATE")}
    )


def sec_plate(g, lang):
    text, fmt = g.plate()
    t = g.rng.choice(PLATE_T[lang])
    cue = "no_cue" if t.startswith("{plate}") else "cue"
    return f"plate/{fmt}/{cue}", render(t, Ctx(g, lang), {"plate": V(text, "SE_LICENSE_PLATE")})


def sec_ip(g, lang):
    r = g.rng
    v6 = r.random() < 0.35
    text = g.ipv6() if v6 else g.ipv4()
    return f"ip/{'v6' if v6 else 'v4'}", render(
        r.choice(IP_T[lang]), Ctx(g, lang), {"ip": V(text, "IP_ADDRESS")}
    )


def sec_multi(g, lang):
    key, t = pick_group(g, MULTI_T[lang], {"identity_block": 1.2, "signature_block": 1, "mixed": 1.6})
    return f"multi/{key}", render(t, Ctx(g, lang))


def sec_position(g, lang):
    r = g.rng
    slot = r.choice(list(POS_WORDS[lang]))
    where = r.choice(["start", "middle", "end"])
    t = r.choice(POS_T[lang][where]).replace("{w}", POS_WORDS[lang][slot]).replace("{v}", "{" + slot + "}")
    return f"position/{where}/{slot}", render(t, Ctx(g, lang))


def sec_clean(g, lang):
    weights = {
        "plain": 6.5,
        "org_number": 1.6,
        "date": 1.2,
        "case_number": 1.2,
        "order_number": 1,
        "amount": 1.2,
        "time": 1,
        "year": 1,
        "public_contact": 1.6,
        "postcode_only": 1.2,
        "street_name": 1.4,
        "namelike_word": 1.6,
        "version": 1,
        "card_last_digits": 1,
        "invalid_personnummer": 3.5,
        "mixed_lookalikes": 1.2,
    }
    key, t = pick_group(g, CLEAN_T[lang], weights)
    ov = {k: N(w, "NAME_LIKE_WORD") for k, w in NAMELIKE_WORDS.items()}
    return f"clean/{key}", render(t, Ctx(g, lang), ov)


FAMILIES = [  # (name, builder, weight among non-clean messages)
    ("person", sec_person, 15),
    ("phone", sec_phone, 12),
    ("personnummer", sec_pnr, 11),
    ("email", sec_email, 6),
    ("address", sec_address, 8),
    ("bank_account", sec_bank, 7),
    ("giro", sec_giro, 4),
    ("iban", sec_iban, 3),
    ("card", sec_card, 5),
    ("plate", sec_plate, 5),
    ("ip", sec_ip, 3),
    ("multi", sec_multi, 10),
    ("position", sec_position, 5),
]

# ---------------------------------------------------------------------------------------
# Chat style (literal text only; sometimes lower-cases names and plates)
# ---------------------------------------------------------------------------------------
WORD_RE = re.compile(r"[a-zåäöA-ZÅÄÖ]{5,}")


def typo(word: str, rng: random.Random) -> str:
    i = rng.randint(1, len(word) - 2)
    op = rng.choice(["swap", "drop", "double", "fold"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "drop":
        return word[:i] + word[i + 1 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    folded = word.translate(str.maketrans("åäöÅÄÖ", "aaoAAO"))
    return folded if folded != word else word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def chatify(parts: list[Part], rng: random.Random) -> None:
    lower = rng.random() < 0.85
    nopunct = rng.random() < 0.6
    do_typo = rng.random() < 0.6
    lower_vals = rng.random() < 0.5
    for p in parts:
        if p.kind == "lit":
            t = p.text
            if lower:
                t = t.lower()
            if nopunct:
                t = re.sub(r"[.,!?;]", "", t)
                t = re.sub(r" {2,}", " ", t)
            p.text = t
        elif p.kind == "plain" and lower:
            p.text = p.text.lower()
        elif p.kind == "val" and lower_vals and p.label in ("PERSON", "SE_LICENSE_PLATE"):
            p.text = p.text.lower()
    if do_typo:
        cands = [p for p in parts if p.kind == "lit" and WORD_RE.search(p.text)]
        if cands:
            p = rng.choice(cands)
            ms = list(WORD_RE.finditer(p.text))
            m = rng.choice(ms)
            p.text = p.text[: m.start()] + typo(m.group(), rng) + p.text[m.end() :]


def assemble(parts: list[Part]):
    parts = [p for p in parts if p.text != "" or p.kind in ("val", "neg")]
    if parts and parts[0].kind == "lit":
        parts[0].text = parts[0].text.lstrip()
    if parts and parts[-1].kind == "lit":
        parts[-1].text = parts[-1].text.rstrip()
    text, spans, negs, expect = "", [], [], []
    for p in parts:
        start = len(text)
        text += p.text
        if p.kind == "val":
            spans.append({"start": start, "end": len(text), "type": p.label})
            expect.append(p.text)
        elif p.kind == "neg":
            negs.append({"start": start, "end": len(text), "kind": p.label})
    return text, spans, negs, expect


# ---------------------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------------------
def check_record(rec: dict, expect: list[str]) -> None:
    text = rec["text"]
    assert text and text == text.strip(), rec
    assert rec["lang"] in ("sv", "en")
    items = [(s["start"], s["end"], "span", s["type"]) for s in rec["spans"]] + [
        (n["start"], n["end"], "neg", n["kind"]) for n in rec["negatives"]
    ]
    items.sort()
    prev_end = 0
    for start, end, _what, _label in items:
        assert isinstance(start, int) and isinstance(end, int)
        assert 0 <= start < end <= len(text), (rec["id"], start, end)
        assert start >= prev_end, f"overlap in {rec['id']}: {items}"
        prev_end = end
        val = text[start:end]
        assert val == val.strip(), (rec["id"], repr(val))
    for s, exp in zip(rec["spans"], expect, strict=True):
        val = text[s["start"] : s["end"]]
        assert val == exp, (rec["id"], val, exp)
        t = s["type"]
        digits = re.sub(r"\D", "", val)
        if t == "SE_PERSONNUMMER":
            assert pnr_valid(val), val
        elif t == "CREDIT_CARD":
            assert len(digits) in (15, 16) and luhn_ok(digits), val
        elif t == "IBAN_CODE":
            assert iban_ok(val), val
        elif t == "SE_BANKGIRO":
            assert 6 <= len(digits) <= 8 and luhn_ok(digits), val
        elif t == "PHONE_NUMBER":
            assert phone_ok(val), val
        elif t == "SE_BANK_ACCOUNT" and len(digits) >= 11:
            clen = 5 if digits.startswith("8") else 4
            assert validate_account(digits[:clen], digits[clen:]), val
        elif t == "SE_LICENSE_PLATE":
            assert re.fullmatch(r"[A-Za-z]{3}[ -]?\d{2}[\dA-Za-z]", val), val
            assert not set(val.upper()[:3]) & set("IQVÅÄÖ")
        elif t == "EMAIL_ADDRESS":
            assert re.fullmatch(r"[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}", val, re.I), val
        elif t == "IP_ADDRESS":
            assert re.fullmatch(r"(\d{1,3}\.){3}\d{1,3}", val) or ":" in val, val
    for n in rec["negatives"]:
        val = text[n["start"] : n["end"]]
        if n["kind"] == "INVALID_PERSONNUMMER":
            assert not pnr_valid(val), val
        if n["kind"] == "ORG_NUMBER":
            d = re.sub(r"\D", "", val)
            assert luhn_ok(d) and int(d[2]) >= 2 and d[0] != "0", val
    if rec["section"].startswith("clean/"):
        assert not rec["spans"], rec


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------
def plan(count: int, rng: random.Random):
    n_clean = round(0.22 * count)
    if count >= 1200:
        n_clean = max(250, n_clean)
    rest = count - n_clean
    total_w = sum(w for _, _, w in FAMILIES)
    raw = [(name, fn, rest * w / total_w) for name, fn, w in FAMILIES]
    alloc = [(name, fn, int(x)) for name, fn, x in raw]
    short = rest - sum(a for _, _, a in alloc)
    order = sorted(range(len(raw)), key=lambda i: -(raw[i][2] - int(raw[i][2])))
    for i in order[:short]:
        name, fn, a = alloc[i]
        alloc[i] = (name, fn, a + 1)
    jobs = [fn for _, fn, a in alloc for _ in range(a)] + [sec_clean] * n_clean
    rng.shuffle(jobs)
    return jobs


def generate(seed: int, count: int):
    rng = random.Random(seed)
    g = Gen(rng)
    width = max(4, len(str(count)))
    records = []
    for i, fn in enumerate(plan(count, rng), 1):
        lang = "sv" if rng.random() < 0.8 else "en"
        section, parts = fn(g, lang)
        if rng.random() < 0.22:
            chatify(parts, rng)
            section += "/chat"
        text, spans, negs, expect = assemble(parts)
        rec = {
            "id": f"gen-{i:0{width}d}",
            "lang": lang,
            "section": section,
            "text": text,
            "spans": spans,
            "negatives": negs,
        }
        check_record(rec, expect)
        records.append(rec)
    return records


def summary(records) -> str:
    types, kinds, fams = Counter(), Counter(), Counter()
    langs = Counter(r["lang"] for r in records)
    for r in records:
        fams[r["section"].split("/")[0]] += 1
        for s in r["spans"]:
            types[s["type"]] += 1
        for n in r["negatives"]:
            kinds[n["kind"]] += 1
    clean = sum(1 for r in records if not r["spans"])
    chat = sum(1 for r in records if r["section"].endswith("/chat"))
    lines = [
        f"messages: {len(records)}  (sv {langs['sv']}, en {langs['en']}; chat style {chat})",
        f"clean messages (no spans): {clean}",
        f"values (spans): {sum(types.values())}",
    ]
    lines += [f"  {t:<18} {types[t]}" for t in SPAN_TYPES]
    lines.append(f"negatives: {sum(kinds.values())}")
    lines += [f"  {k:<22} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])]
    lines.append("families: " + ", ".join(f"{k} {v}" for k, v in sorted(fams.items())))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--count", type=int, default=DEFAULT_COUNT)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--show", type=int, default=0, help="print N random examples with spans")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be >= 1")
    records = generate(args.seed, args.count)
    missing = [t for t in SPAN_TYPES if not any(s["type"] == t for r in records for s in r["spans"])]
    if args.count >= 1200:
        assert not missing, f"types never generated: {missing}"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {args.out}")
    print(summary(records))
    if args.show:
        rng = random.Random(args.seed + 1)
        for rec in rng.sample(records, min(args.show, len(records))):
            print(f"\n[{rec['id']}] {rec['lang']} {rec['section']}\n  text: {rec['text']!r}")
            for s in rec["spans"]:
                print(f"  SPAN {s['type']:<16} {rec['text'][s['start'] : s['end']]!r}")
            for n in rec["negatives"]:
                print(f"  NEG  {n['kind']:<16} {rec['text'][n['start'] : n['end']]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
