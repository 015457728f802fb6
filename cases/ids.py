"""Case numbers such as ``KS-2026-000123``: prefix, year, and a gapless per-year sequence.

The pattern and the token that approved texts hold in place of a number live with the content
(:mod:`content.case_numbers`), where the action server and the output guard use them too.
"""

from __future__ import annotations

from content.case_numbers import CASE_NUMBER


def format_case_id(year: int, number: int) -> str:
    """Return the case number of the ``number``-th case of ``year``."""
    return f"KS-{year:04d}-{number:06d}"


def parse_case_id(text: str) -> tuple[int, int] | None:
    """Return (year, number) of a case number (surrounding spaces and case forgiven), or None."""
    match = CASE_NUMBER.fullmatch(text.strip().upper())
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2))
