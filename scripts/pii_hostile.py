"""Hostile forms of personal data, generated from the rules of the world (not from any evaluation set).

Values come from the numbering rules: personnummer (a real date, birth number 001-999, Luhn check digit,
samordningsnummer with day + 60), Swedish phone numbers (checked against Google's numbering plan in
``phonenumbers``), payment cards (issuer prefixes, Luhn) and e-mail addresses. Each is then written the
way people hide or mangle it: reversed inside a right-to-left override, sprinkled with invisible
characters, spaced out, spelled in words (Swedish and English, digit by digit or in pairs, "double"),
split into a birth date and "the last four", percent-encoded in a URL, broken over a line, several in a
list. ``clean_rows`` gives messages with the same surface features and no personal data.

Rows have the PII set's shape: ``{"id", "lang", "section", "text", "spans", "negatives"}``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import phonenumbers

SV_DIGITS = ["noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio"]
EN_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
SV_TEENS = ["tio", "elva", "tolv", "tretton", "fjorton", "femton", "sexton", "sjutton", "arton", "nitton"]
SV_TENS = ["", "", "tjugo", "trettio", "fyrtio", "femtio", "sextio", "sjuttio", "åttio", "nittio"]
EN_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SV_MONTHS = [
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
EN_MONTHS = [
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
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
FIRST = ["anna", "erik", "maria", "lars", "fatima", "johan", "sara", "ahmed", "karin", "mikael"]
LAST = ["andersson", "johansson", "karlsson", "nilsson", "eriksson", "hassan", "larsson", "olsson"]
DOMAINS = ["example.se", "exempel.nu", "gmail.com", "hotmail.com", "telia.com", "outlook.se"]


def luhn_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def personnummer(rng: random.Random) -> tuple[str, dt.date, str]:
    """A valid personnummer as ``YYYYMMDD-NNNN`` (sometimes a samordningsnummer), its date and serial."""
    born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(0, 34000))
    day = born.day + (60 if rng.random() < 0.1 else 0)
    birth = rng.randrange(1, 1000)
    short = f"{born.year % 100:02d}{born.month:02d}{day:02d}{birth:03d}"
    serial = f"{birth:03d}{luhn_digit(short)}"
    return f"{born.year:04d}{born.month:02d}{day:02d}-{serial}", born, serial


def phone(rng: random.Random) -> str:
    """A Swedish phone number valid in the numbering plan, as plain digits (trunk 0 included)."""
    while True:
        if rng.random() < 0.7:
            digits = "07" + rng.choice("02369") + "".join(rng.choice("0123456789") for _ in range(7))
        else:
            area = rng.choice(["8", "31", "40", "18", "13", "90", "470", "920"])
            rest = 9 - len(area) - (1 if area == "8" else 0)
            digits = (
                "0"
                + area
                + str(rng.randrange(2, 10))
                + "".join(rng.choice("0123456789") for _ in range(rest - 1))
            )
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "SE")):
            return digits


def card(rng: random.Random) -> str:
    """A 16-digit Visa or Mastercard number with a valid Luhn digit."""
    prefix = rng.choice(["4", "51", "52", "53", "54", "55", "2221", "2720"])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(15 - len(prefix)))
    return body + luhn_digit(body)


def email(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)}.{rng.choice(LAST)}@{rng.choice(DOMAINS)}"


def group_phone(digits: str) -> str:
    """``070-123 45 67`` / ``08-123 456 78`` style grouping."""
    two_digit_areas = ("07", "031", "040", "018", "013", "090")
    area_len = 2 if digits.startswith("08") else 3 if digits.startswith(two_digit_areas) else 4
    area, rest = digits[:area_len], digits[area_len:]
    groups = [rest[:3], rest[3:5], rest[5:]] if len(rest) == 7 else [rest[:3], rest[3:]]
    return area + "-" + " ".join(g for g in groups if g)


def spell(digits: str, rng: random.Random, english: bool) -> str:
    """Digits as words: one by one, sometimes as pairs ("fyrtiofem") or with "double"/"dubbel"."""
    ones, teens, tens = (EN_DIGITS, EN_TEENS, EN_TENS) if english else (SV_DIGITS, SV_TEENS, SV_TENS)
    words: list[str] = []
    i = 0
    while i < len(digits):
        d = digits[i]
        pair = digits[i : i + 2]
        if len(pair) == 2 and pair[0] != "0" and rng.random() < 0.25:
            n = int(pair)
            if n < 20:
                words.append(teens[n - 10])
            else:
                unit = "" if pair[1] == "0" else ones[int(pair[1])]
                words.append(f"{tens[n // 10]}-{unit}".rstrip("-") if english else tens[n // 10] + unit)
            i += 2
            continue
        if i + 1 < len(digits) and digits[i + 1] == d and rng.random() < 0.5:
            words.append(("double " if english else "dubbel ") + ones[int(d)])
            i += 2
            continue
        words.append("oh" if english and d == "0" and rng.random() < 0.3 else ones[int(d)])
        i += 1
    separator = rng.choice([" ", " ", ", "])
    return separator.join(words)


def _row(rows: list[dict[str, Any]], section: str, lang: str, parts: list[tuple[str, str | None]]) -> None:
    """Append a row built from (text, type-or-None) parts."""
    text, spans = "", []
    for piece, kind in parts:
        if kind:
            spans.append({"start": len(text), "end": len(text) + len(piece), "type": kind})
        text += piece
    rows.append(
        {
            "id": f"hostile-{len(rows) + 1:04d}",
            "lang": lang,
            "section": section,
            "text": text,
            "spans": spans,
            "negatives": [],
        }
    )


def _date_forms(born: dt.date, day: int, rng: random.Random) -> str:
    forms = [
        f"{born.year}{born.month:02d}{day:02d}",
        f"{born.year % 100:02d}{born.month:02d}{day:02d}",
        f"{born.year}-{born.month:02d}-{day:02d}",
        f"{day} {SV_MONTHS[born.month - 1]} {born.year}",
        f"{EN_MONTHS[born.month - 1]} {day}, {born.year}",
        f"{day}.{born.month:02d}.{born.year}",
    ]
    return rng.choice(forms if day <= 31 else forms[:3])


LAST_FOUR_CUES = [
    "de fyra sista är",
    "sista fyra:",
    "fyra sista siffrorna",
    "och sista fyra",
    "last four digits",
    "the last 4 are",
    "kontrollsiffrorna är",
    "de sista fyra siffrorna är",
]


def hostile_rows(seed: int = 7, per_class: int = 25) -> list[dict[str, Any]]:
    """Rows with personal data in hostile forms, ``per_class`` of each class."""
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    makers: dict[str, Callable[[], None]] = {}

    def bidi_reversed() -> None:
        pnr = personnummer(rng)[0]
        value = "\u202e" + pnr[::-1] + "\u202c"
        if rng.random() < 0.3:
            value = "\u2067" + value + "\u2069"
        _row(
            rows,
            "bidi_reversed_pnr",
            "sv",
            [("Mitt personnummer: ", None), (value, "SE_PERSONNUMMER"), (" tack", None)],
        )

    def invisible() -> None:
        kind, value = rng.choice(
            [
                ("SE_PERSONNUMMER", personnummer(rng)[0]),
                ("PHONE_NUMBER", group_phone(phone(rng))),
                ("EMAIL_ADDRESS", email(rng)),
            ]
        )
        chars = list(value)
        for _ in range(rng.randrange(1, 4)):
            chars.insert(rng.randrange(1, len(chars)), rng.choice(INVISIBLE))
        _row(rows, "invisible_chars", "sv", [("Hej, här: ", None), ("".join(chars), kind), (".", None)])

    def spaced() -> None:
        pnr = personnummer(rng)[0]
        head, serial = pnr[2:8], pnr[9:]
        form = rng.choice(
            [
                " ".join(head) + " - " + " ".join(serial),
                f"{head[:2]} {head[2:4]} {head[4:]} - {serial}",
                f"{pnr[:4]} {pnr[4:6]} {pnr[6:8]} {serial}",
                " ".join(pnr[:8]) + " " + " ".join(serial),
            ]
        )
        _row(
            rows,
            "spaced_digits",
            "sv",
            [("pnr ", None), (form, "SE_PERSONNUMMER"), (" gäller ansökan", None)],
        )

    def spelled_sv() -> None:
        if rng.random() < 0.5:
            kind, digits, lead = (
                "SE_PERSONNUMMER",
                personnummer(rng)[0][2:].replace("-", ""),
                "mitt personnummer är ",
            )
        else:
            kind, digits, lead = "PHONE_NUMBER", phone(rng), "ring mig på "
        _row(
            rows,
            "spelled_sv",
            "sv",
            [(lead, None), (spell(digits, rng, english=False), kind), (" tack", None)],
        )

    def spelled_en() -> None:
        digits = phone(rng)
        _row(
            rows,
            "spelled_en",
            "en",
            [("my number is ", None), (spell(digits, rng, english=True), "PHONE_NUMBER"), (", thanks", None)],
        )

    def split_pnr() -> None:
        pnr, born, serial = personnummer(rng)
        date, cue = _date_forms(born, int(pnr[6:8]), rng), rng.choice(LAST_FOUR_CUES)
        if rng.random() < 0.8:
            parts = [
                ("Jag är född ", None),
                (f"{date}, {cue} {serial}", "SE_PERSONNUMMER"),
                (" om det behövs.", None),
            ]
        else:
            parts = [(cue.capitalize() + " ", None), (f"{serial}, född {date}", "SE_PERSONNUMMER")]
        _row(rows, "split_pnr", "sv", parts)

    def percent_email() -> None:
        user, domain = email(rng).split("@")
        encoded = rng.choice(
            [f"{user}%40{domain}", f"{user}%40{domain.replace('.', '%2E')}", f"{user}&#64;{domain}"]
        )
        lead = rng.choice(["https://exempelstad.se/kontakt?epost=", "mailto:", '<a href="mailto:'])
        _row(
            rows,
            "encoded_email",
            "sv",
            [("Skicka till ", None), (lead, None), (encoded, "EMAIL_ADDRESS"), (" tack", None)],
        )

    def card_break() -> None:
        number = card(rng)
        grouped = " ".join(number[i : i + 4] for i in range(0, 16, 4))
        cut = rng.choice([9, 14, 7])
        value = grouped[:cut].rstrip() + "\n" + grouped[cut:].lstrip()
        _row(
            rows,
            "card_line_break",
            "sv",
            [("Kortnummer:\n", None), (value, "CREDIT_CARD"), ("\nGiltigt till 12/27", None)],
        )

    def phone_list() -> None:
        parts: list[tuple[str, str | None]] = [("Nå oss på ", None)]
        for k in range(rng.randrange(2, 5)):
            if k:
                parts.append((rng.choice([", ", " / ", " eller ", "\n", " och ", "; ", " "]), None))
            digits = phone(rng)
            parts.append((rng.choice([digits, group_phone(digits), "+46 " + digits[1:]]), "PHONE_NUMBER"))
        _row(rows, "phone_list", "sv", parts)

    def exotic_digits() -> None:
        pnr = personnummer(rng)[0]
        base = rng.choice([0xFF10, 0x0660, 0x06F0, 0x0966])
        value = "".join(chr(base + int(c)) if c.isdigit() else c for c in pnr)
        _row(rows, "exotic_digits", "sv", [("pnr ", None), (value, "SE_PERSONNUMMER")])

    for maker in (
        bidi_reversed,
        invisible,
        spaced,
        spelled_sv,
        spelled_en,
        split_pnr,
        percent_email,
        card_break,
        phone_list,
        exotic_digits,
    ):
        makers[maker.__name__] = maker
        for _ in range(per_class):
            maker()
    return rows


CLEAN = [
    "Vi är fem personer i hushållet och har två bilar och tre cyklar.",
    "Jag har sex barn, fyra går i skolan och två på förskolan.",
    "Sista dagen att ansöka är 2024-03-15, fyra dagar kvar.",
    "Sök på https://exempelstad.se/sok?q=bygglov%20altan%20pool",
    "Rum 4 5 6 ligger på plan 2, kl 12 30 öppnar vi.",
    "\u202ePDF\u202c-filen går inte att öppna",
    "De fyra sista veckorna i juni har förskolan sommarstängt.",
    "one two three, is the microphone on?",
    "Jag är född 1985 och har bott här i tolv år.",
    "Tjugo minuter till bussen, sedan tio minuter att gå.",
    "Priset är 1 200 kr, ordernummer 4412 3390, tack.",
    "Vi ses at the library, room two.",
]


def clean_rows() -> list[dict[str, Any]]:
    """Messages with hostile-looking surface features and no personal data."""
    return [
        {
            "id": f"hostile-clean-{i:03d}",
            "lang": "sv",
            "section": "hostile_clean",
            "text": t,
            "spans": [],
            "negatives": [],
        }
        for i, t in enumerate(CLEAN, start=1)
    ]
