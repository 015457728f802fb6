"""The accessibility statement's settings (``accessibility:`` in ``data/municipality.yml``).

The law on accessibility of digital public services (lagen om tillgänglighet till digital offentlig
service, DOS-lagen) asks for a published statement in DIGG's structure: how compliant the service is,
known problems, how it was tested, when, whom to tell and the supervisory authority. The page
``/tillganglighet`` (``/accessibility``) is rendered from these values; the contact defaults to the
contact centre's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from content.errors import MunicipalityError

COMPLIANCE = ("full", "partial", "none")
DIGG_REPORT_URL = (
    "https://www.digg.se/analys-och-uppfoljning/lagen-om-tillganglighet-till-digital-offentlig-service-"
    "dos-lagen/anmal-bristande-tillganglighet"
)
DEFAULT_STANDARD = {"sv": "WCAG 2.1 nivå AA (EN 301 549)", "en": "WCAG 2.1 level AA (EN 301 549)"}
DEFAULT_METHOD = {
    "sv": "Vi har gjort en egen granskning med automatiska tester (axe-core) och tangentbordstester i "
    "webbläsare.",
    "en": "We reviewed the service ourselves with automated tests (axe-core) and keyboard tests in a "
    "browser.",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class KnownIssue:
    """One known accessibility problem, in Swedish and English."""

    sv: str
    en: str

    def text(self, language: str) -> str:
        """The text in ``language`` (Swedish when there is no English)."""
        return self.en if language == "en" and self.en else self.sv


@dataclass(frozen=True)
class AccessibilityStatement:
    """What the accessibility statement says; dates are None until the municipality sets them."""

    compliance: str = "partial"  # full | partial | none (helt / delvis / inte förenlig med lagen)
    standard: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_STANDARD))
    known_issues: tuple[KnownIssue, ...] = ()
    method: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_METHOD))
    assessed_on: date | None = None
    published_on: date | None = None
    updated_on: date | None = None
    email: str = ""
    phone: str = ""
    supervision_url: str = DIGG_REPORT_URL

    def text(self, name: str, language: str) -> str:
        """``standard`` or ``method`` in ``language`` (Swedish when missing)."""
        values: dict[str, str] = getattr(self, name)
        return values.get(language) or values.get("sv", "")


def _texts(value: Any, where: str, default: dict[str, str]) -> dict[str, str]:
    if value is None:
        return dict(default)
    if isinstance(value, str) and value.strip():
        return {"sv": value.strip()}
    if isinstance(value, dict) and str(value.get("sv") or "").strip():
        return {str(k): str(v).strip() for k, v in value.items() if v}
    raise MunicipalityError(f"accessibility.{where} needs a Swedish text (sv)")


def _day(value: Any, where: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise MunicipalityError(f"accessibility.{where}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _issues(value: Any) -> tuple[KnownIssue, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise MunicipalityError("accessibility.known_issues must be a list of {sv, en} texts")
    issues = []
    for index, item in enumerate(value):
        texts = _texts(item, f"known_issues[{index}]", {})
        issues.append(KnownIssue(sv=texts["sv"], en=texts.get("en", "")))
    return tuple(issues)


def parse_accessibility(raw: Any, email: str, phone: str) -> AccessibilityStatement:
    """Build the statement's settings; ``email`` and ``phone`` (the contact centre's) are the defaults.

    Raises:
        MunicipalityError: an unknown compliance status, a malformed date or e-mail address, dates out
            of order (published or assessed after the last update), or a supervision link not on https.
    """
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise MunicipalityError("accessibility must be a mapping")
    compliance = str(raw.get("compliance") or "partial")
    if compliance not in COMPLIANCE:
        raise MunicipalityError(f"accessibility.compliance must be one of {COMPLIANCE}, not {compliance!r}")
    contact = raw.get("contact") or {}
    if not isinstance(contact, dict):
        raise MunicipalityError("accessibility.contact must map email and phone")
    statement = AccessibilityStatement(
        compliance=compliance,
        standard=_texts(raw.get("standard"), "standard", DEFAULT_STANDARD),
        known_issues=_issues(raw.get("known_issues")),
        method=_texts(raw.get("method"), "method", DEFAULT_METHOD),
        assessed_on=_day(raw.get("assessed_on"), "assessed_on"),
        published_on=_day(raw.get("published_on"), "published_on"),
        updated_on=_day(raw.get("updated_on"), "updated_on"),
        email=str(contact.get("email") or email).strip(),
        phone=str(contact.get("phone") or phone).strip(),
        supervision_url=str(raw.get("supervision_url") or DIGG_REPORT_URL).strip(),
    )
    if statement.email and not _EMAIL.match(statement.email):
        raise MunicipalityError(f"accessibility.contact.email {statement.email!r} is not an e-mail address")
    if not statement.supervision_url.startswith("https://"):
        raise MunicipalityError("accessibility.supervision_url must be an https:// link")
    updated = statement.updated_on
    for name in ("published_on", "assessed_on"):
        day = getattr(statement, name)
        if updated is not None and day is not None and day > updated:
            raise MunicipalityError(f"accessibility.{name} is after updated_on")
    return statement
