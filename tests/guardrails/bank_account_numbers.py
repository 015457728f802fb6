"""Build Swedish bank account numbers by Bankgirot's rules (check digits computed, never real accounts)."""

from __future__ import annotations

from pii_generators import luhn_check_digit, mod11_check_digit

# (clearing, rule) for one clearing number of each kind in Bankgirot's table.
TYPE1_COMMENT1 = (
    "1100",
    "1200",
    "3000",
    "3400",
    "5000",
    "5321",
    "7000",
    "7100",
    "9060",
    "9120",
    "9250",
    "9270",
)
TYPE1_COMMENT2 = ("2300", "4000", "9020", "9040", "9150", "9190", "9550", "9660", "9780")
TYPE2_COMMENT1 = ("9180", "9300", "9570", "9890")  # Luhn over the 10-digit account
SWEDBANK_8 = ("8000", "8105", "8327", "8480", "8901")


def type1(clearing: str, body: int) -> tuple[str, str] | None:
    """Return ``(clearing, 7-digit account)`` with the mod 11 check digit, or None if none exists."""
    comment2 = clearing in TYPE1_COMMENT2
    head = f"{body:06d}"
    check = mod11_check_digit((clearing if comment2 else clearing[1:]) + head)
    return None if check is None else (clearing, head + check)


def handelsbanken(clearing: str, body: int) -> tuple[str, str] | None:
    """Return ``(clearing, 9-digit account)`` with Handelsbanken's mod 11 check digit, or None."""
    head = f"{body:08d}"
    check = mod11_check_digit(head)
    return None if check is None else (clearing, head + check)


def luhn_account(clearing: str, body: int, length: int = 10) -> tuple[str, str]:
    """Return ``(clearing, account)`` whose account ends in a Luhn check digit (type 2)."""
    head = f"{body:0{length - 1}d}"
    return clearing, head + luhn_check_digit(head)


def swedbank_clearing(clearing: str) -> str:
    """Return Swedbank's 5-digit clearing number (the fifth digit is a Luhn check digit)."""
    return clearing + luhn_check_digit(clearing)
