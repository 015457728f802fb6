"""Case numbers in approved texts: the token an article holds where a case number goes.

Bot messages that confirm a case carry its number (``KS-2026-000123``). Their approved text (a
knowledge article) holds :data:`CASE_NUMBER_TOKEN` instead, so the gateway's output guard can check the
message against the article with :func:`to_template` and nothing but a case number can vary. The action
server fills the token with :func:`fill_case_number`; the case store numbers cases (``cases.ids``).
"""

from __future__ import annotations

import re

CASE_NUMBER = re.compile(r"\bKS-(\d{4})-(\d{6})\b")
CASE_NUMBER_TOKEN = "KS-ÅÅÅÅ-NNNNNN"


def fill_case_number(template: str, case_id: str) -> str:
    """Put ``case_id`` where an approved text holds the case-number token."""
    return template.replace(CASE_NUMBER_TOKEN, case_id)


def to_template(text: str) -> str:
    """Replace every case number in ``text`` by the token (the inverse of :func:`fill_case_number`)."""
    return CASE_NUMBER.sub(CASE_NUMBER_TOKEN, text)
