"""Helpers that build valid identifiers for tests (check digits computed, never real data)."""

from __future__ import annotations


def luhn_check_digit(payload: str) -> str:
    """Return the digit that makes ``payload + digit`` pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(payload)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def personnummer(year: int, month: int, day: int, birth: int, *, long: bool = True, sep: str = "-") -> str:
    """Return a valid personnummer (``day`` + 60 gives a samordningsnummer)."""
    short = f"{year % 100:02d}{month:02d}{day:02d}{birth:03d}"
    check = luhn_check_digit(short)
    head = f"{year:04d}{month:02d}{day:02d}" if long else short[:6]
    return f"{head}{sep}{short[6:]}{check}"


def flip_last_digit(number: str) -> str:
    """Return ``number`` with its last digit changed (so a Luhn check fails)."""
    last = int(number[-1])
    return number[:-1] + str((last + 1) % 10)


def iban_se(bban: str) -> str:
    """Return a Swedish IBAN (``SEkk`` + 20-digit BBAN) with correct mod-97 check digits."""
    numeric = int(bban + "2814" + "00")  # "SE" -> 28 14
    check = 98 - numeric % 97
    return f"SE{check:02d}{bban}"


def group4(text: str) -> str:
    """Return ``text`` in groups of four characters separated by spaces."""
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def mod11_check_digit(payload: str) -> str | None:
    """Return the digit that makes ``payload + digit`` pass the banks' mod 11 check, or None."""
    for digit in "0123456789":
        candidate = payload + digit
        total = sum(int(d) * (i % 10 + 1) for i, d in enumerate(reversed(candidate)))
        if total % 11 == 0:
            return digit
    return None
