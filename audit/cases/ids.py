"""Case numbers such as ``KS-2026-000123``: prefix, year, and a gapless per-year sequence.

Bot messages that confirm a case carry the number. Their approved text (a knowledge article) holds the
token :data:`CASE_NUMBER_TOKEN` where the number goes, so the gateway's output guard can check the
message against the article with :func:`to_template` and nothing but a case number can vary.
"""

from __future__ import annotations

import re

CASE_NUMBER = re.compile(r"\bKS-(\d{4})-(\d{6})\b")
CASE_NUMBER_TOKEN = "KS-ÅÅÅÅ-NNNNNN"


def format_case_id(year: int, number: int) -> str:
    """Return the case number of the ``number``-th case of ``year``."""
    return f"KS-{year:04d}-{number:06d}"


def parse_case_id(text: str) -> tuple[int, int] | None:
    """Return (year, number) of a case number (surrounding spaces and case forgiven), or None."""
    match = CASE_NUMBER.fullmatch(text.strip().upper())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))


def fill_case_number(template: str, case_id: str) -> str:
    """Put ``case_id`` where an approved text holds the case-number token."""
    return template.replace(CASE_NUMBER_TOKEN, case_id)


def to_template(text: str) -> str:
    """Replace every case number in ``text`` by the token (the inverse of :func:`fill_case_number`)."""
    return CASE_NUMBER.sub(CASE_NUMBER_TOKEN, text)
