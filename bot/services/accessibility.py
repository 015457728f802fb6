"""The accessibility statement (``/tillganglighet``, ``/accessibility``) as the templates show it.

Everything comes from ``data/municipality.yml`` (its ``accessibility`` section and the contact centre)
and the case settings (response times): :func:`statement_view` turns them into dates, opening hours and
texts in Swedish or English. :func:`receipt_token` signs the case number the receipt page shows, so that
only the person who sent a report sees its deadlines (case numbers are sequential and easy to guess).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import date, time
from typing import Any

from audit.explain import swedish_date
from cases.models import Case
from cases.settings import CasesSettings
from content.municipality import Municipality

PATHS = {"sv": "/tillganglighet", "en": "/accessibility"}
WEEKDAYS = {
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip
COMPLIANCE_WORDS = {
    "sv": {"full": "helt förenlig", "partial": "delvis förenlig", "none": "inte förenlig"},
    "en": {"full": "fully compliant", "partial": "partially compliant", "none": "not compliant"},
}


def long_date(day: date | None, language: str) -> str:
    """``2 december 2026`` (Swedish) or ``2 December 2026`` (English); empty for None."""
    if day is None:
        return ""
    if language == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return swedish_date(day.isoformat())


def _clock(value: time, language: str) -> str:
    return f"{value:%H:%M}" if language == "en" else f"{value.hour}.{value.minute:02d}"


def opening_hours_text(hours: dict[int, tuple[time, time] | None], language: str) -> str:
    """The opening hours as one line, equal days run together: ``måndag–torsdag 8.00–17.00, …``."""
    names = WEEKDAYS[language]
    groups: list[tuple[int, int, tuple[time, time]]] = []
    for day in range(7):
        span = hours.get(day)
        if span is None:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == span:
            groups[-1] = (groups[-1][0], day, span)
        else:
            groups.append((day, day, span))
    parts = []
    for first, last, (opens, closes) in groups:
        days = names[first] if first == last else f"{names[first]}–{names[last]}"
        parts.append(f"{days} {_clock(opens, language)}–{_clock(closes, language)}")
    return ", ".join(parts)


def statement_view(municipality: Municipality, cases: CasesSettings, language: str) -> dict[str, Any]:
    """What the statement page shows in ``language`` (sv or en)."""
    a11y = municipality.accessibility
    return {
        "language": language,
        "municipality": municipality.name.get(language) or municipality.display_name,
        "centre": {
            "phone": municipality.switchboard,
            "email": municipality.email,
            "hours": opening_hours_text(municipality.opening_hours, language),
        },
        "contact": {"email": a11y.email, "phone": a11y.phone},
        "compliance": a11y.compliance,
        "compliance_words": COMPLIANCE_WORDS[language][a11y.compliance],
        "standard": a11y.text("standard", language),
        "known_issues": [issue.text(language) for issue in a11y.known_issues],
        "method": a11y.text("method", language),
        "assessed_on": long_date(a11y.assessed_on, language),
        "published_on": long_date(a11y.published_on, language),
        "updated_on": long_date(a11y.updated_on, language),
        "supervision_url": a11y.supervision_url,
        "response_days": {"acknowledge": cases.ack_working_days, "reply": cases.reply_working_days},
        "contact_days": cases.contact_retention_days,
        "paths": PATHS,
    }


def receipt_view(case: Case, language: str) -> dict[str, Any]:
    """The receipt of a report: its number and deadlines (nothing the person wrote)."""
    return {
        "case_id": case.case_id,
        "ack_deadline": long_date(case.ack_deadline, language),
        "reply_deadline": long_date(case.reply_deadline, language),
        "has_contact": case.has_contact,
    }


def receipt_token(secret: bytes, case_id: str) -> str:
    """A short signature of ``case_id``: the receipt link carries it beside the number."""
    digest = hmac.new(secret, b"kommunsvar-a11y-receipt/" + case_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).decode().rstrip("=")


def receipt_matches(secret: bytes, case_id: str, token: str) -> bool:
    """True when ``token`` is :func:`receipt_token` of ``case_id``."""
    return hmac.compare_digest(receipt_token(secret, case_id).encode(), token.encode())
