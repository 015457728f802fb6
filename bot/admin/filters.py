"""Filters of the audit browser, parsed from the query string and validated.

Only values from closed sets (dates, code names, yes/no, band names) are accepted, so a filter can be
written to the access log as it is: it never holds free text, let alone personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, and_

from audit.bands import BANDS, ConfidenceBand
from audit.query import AuditQuery, where_clause

Band = ConfidenceBand  # the bands are audit's (audit.bands), so the console and the queries agree
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_YES_NO = {"ja": True, "nej": False}
PAGE_SIZE = 50
MAX_PAGE = 100_000


class FilterError(ValueError):
    """Raised when a filter value is not acceptable; the message is Swedish and names the field."""


@dataclass(frozen=True)
class AuditFilter:
    """What the user filters on; ``None`` = any."""

    date_from: date | None = None
    date_to: date | None = None
    topic: str | None = None
    intent: str | None = None
    band: Band | None = None
    fallback: bool | None = None
    handoff: bool | None = None
    contested: bool | None = None

    def base_query(self) -> AuditQuery:
        """The audit package's query for every filter but "contested" (which the console decides)."""
        return AuditQuery(
            date_from=self.date_from,
            date_to=self.date_to,
            topic=self.topic,
            intent=self.intent,
            confidence_band=self.band,
            fallback=self.fallback,
            handoff=self.handoff,
        )

    def where(self, contested: ColumnElement[bool] | None) -> ColumnElement[bool]:
        """SQL condition for every filter; ``contested`` is the "a case exists" condition, if known."""
        parts = [where_clause(self.base_query())]
        if self.contested is not None and contested is not None:
            parts.append(contested if self.contested else ~contested)
        return and_(*parts)

    def params(self) -> dict[str, str]:
        """The filters as query-string parameters (Swedish yes/no)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, bool):
                out[f.name] = "ja" if value else "nej"
            else:
                out[f.name] = str(value)
        return out

    def query_string(self, **extra: str | int) -> str:
        """URL query string of the filters plus ``extra`` (e.g. a page number)."""
        params: dict[str, str | int] = {**self.params(), **extra}
        return urlencode(params)

    def describe(self) -> str:
        """Compact text of the filters for the access log, e.g. ``topic=parking band=low``."""
        params = self.params()
        return " ".join(f"{k}={v}" for k, v in params.items()) or "alla"

    def without_contested(self) -> AuditFilter:
        """The same filters, minus "contested" (when cases are unknown)."""
        return replace(self, contested=None)


def _date(name: str, label: str, raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FilterError(f"Datumet i fältet ”{label}” måste skrivas som ÅÅÅÅ-MM-DD.") from None


def _code(label: str, raw: str | None) -> str | None:
    if not raw:
        return None
    if not _CODE.match(raw):
        raise FilterError(f"Värdet i fältet ”{label}” finns inte.")
    return raw


def _yes_no(label: str, raw: str | None) -> bool | None:
    if not raw:
        return None
    if raw not in _YES_NO:
        raise FilterError(f"Välj ja, nej eller alla i fältet ”{label}”.")
    return _YES_NO[raw]


def parse_filter(params: dict[str, str]) -> AuditFilter:
    """Build a filter from query parameters.

    Raises:
        FilterError: a value is malformed (one message per call, naming the field in Swedish).
    """
    band = params.get("band") or None
    if band is not None and band not in BANDS:
        raise FilterError("Välj en av nivåerna i fältet ”Säkerhet”.")
    result = AuditFilter(
        date_from=_date("date_from", "Från och med", params.get("date_from")),
        date_to=_date("date_to", "Till och med", params.get("date_to")),
        topic=_code("Ämne", params.get("topic")),
        intent=_code("Tolkning", params.get("intent")),
        band=band,
        fallback=_yes_no("Osäkert svar", params.get("fallback")),
        handoff=_yes_no("Erbjöd kontakt", params.get("handoff")),
        contested=_yes_no("Ifrågasatt", params.get("contested")),
    )
    if result.date_from and result.date_to and result.date_from > result.date_to:
        raise FilterError("Datumet ”Från och med” måste vara före ”Till och med”.")
    return result


def parse_page(raw: str | None) -> int:
    """Page number from the query string (1 when missing or unreadable)."""
    try:
        page = int(raw or "1")
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE)
