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
