"""The console's "Webbplatsens sidor": imported pages, their imports, and how often answers cite them.

Web editors use it to see which pages the chat leans on and which of those answers were contested.
A page is "shown" once per audit record whose answers cite one of its passages (counted by
``page_url``); "contested" counts those records that have a case, with the console's own rule
(:class:`bot.admin.queries.AdminQueries`). Records are read through the console's export, so the
count is done here in Python; a record whose metadata has expired no longer names its sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from audit.labels import pii_label
from audit.records import StoredRecord
from bot.admin.charts import Chart, horizontal
from bot.admin.filters import AuditFilter, parse_filter
from bot.admin.queries import AdminQueries
from content.errors import SiteError
from content.site.store import SiteStore, site_passage

CHART_PAGES = 10
CHART_LABEL_CHARS = 30
IMPORTS_SHOWN = 5
FILTER_FIELDS = ("date_from", "date_to", "contested")

STATUS_LABELS = {
    "active": "används",
    "removed": "borttagen",
    "flagged": "flaggad – används inte",
    "unknown": "finns inte i sidregistret",
}
COUNT_KEYS = ("new", "changed", "unchanged", "removed", "skipped", "flagged")

_PERSONAL_DATA = re.compile(r"^personal data: (?P<found>.+)$")
_FOUND = re.compile(r"^(?P<kind>[A-Z_]+) ×(?P<n>\d+)$")
_SAME_URL = "same URL as another page: "


@dataclass
class PageUse:
    """How often answers in the period cited one page."""

    shown: int = 0
    contested: int = 0
    title: str = ""  # as the answer named it (for pages the store no longer knows)


@dataclass(frozen=True)
class PageRow:
    """One row of the pages table."""

    url: str
    title: str
    status: str  # active, removed, flagged or unknown
    status_label: str
    flag_reason: str | None  # plain Swedish
    last_modified: str | None
    passages: int  # active passages
    shown: int
    contested: int | None  # None while contested answers are unknown


@dataclass(frozen=True)
class ImportRow:
    """One import: when, from where, what it did, and which pages it flagged or skipped."""

    import_id: str
    source: str
    finished_at: str
    counts: dict[str, int]
    flagged: list[tuple[str, str]]  # (url, reason in Swedish)
    skipped: list[tuple[str, str]]  # (location, reason in Swedish)


@dataclass(frozen=True)
class SitePagesReport:
    """Everything the page shows."""

    imports: list[ImportRow]
    pages: list[PageRow]  # after the "only contested" filter, most shown first
    flagged: list[PageRow]  # pages kept out of answers now, whatever the period
    chart: Chart
    total_pages: int
    records: int  # audit records read in the period
    site_records: int  # of those, records that cite at least one page
    contested_known: bool
    only_contested: bool


# --- filter -------------------------------------------------------------------------------------------


def parse_site_filter(params: Mapping[str, str]) -> AuditFilter:
    """The period and "only contested" from the query string (other audit filters do not apply here).

    Raises:
        FilterError: a date is malformed or the period is reversed (Swedish message).
    """
    return parse_filter({k: params[k] for k in FILTER_FIELDS if params.get(k)})


def period_filter(flt: AuditFilter) -> AuditFilter:
    """The records to read: the period only ("only contested" selects pages, not records)."""
    return AuditFilter(date_from=flt.date_from, date_to=flt.date_to)


# --- plain-Swedish reasons ------------------------------------------------------------------------------


def flag_reason_sv(reason: str | None) -> str:
    """Why the importer kept a page out of answers, in plain Swedish."""
    if not reason:
        return "Sidan används inte i svar."
    match = _PERSONAL_DATA.match(reason)
    if match is None:
        return reason
    found = []
    for part in match["found"].split(", "):
        item = _FOUND.match(part.strip())
        found.append(f"{item['n']} {pii_label(item['kind'])}" if item else part)
    return f"Sidan innehåller personuppgifter ({', '.join(found)}). Den används därför inte i svar."


def skip_reason_sv(reason: str) -> str:
    """Why the importer skipped a page, in plain Swedish."""
    if reason == "no main text":
        return "Sidan har ingen huvudtext."
    if reason == "not an HTML page":
        return "Det är inte en webbsida (HTML)."
    if reason.startswith(_SAME_URL):
        return f"Samma adress som en annan sida: {reason[len(_SAME_URL) :]}"
    return f"Sidan gick inte att hämta ({reason})."


# --- counting -----------------------------------------------------------------------------------------


def cited_pages(record: StoredRecord) -> dict[str, str]:
    """The pages one record's answers cite: url → title as the answer named it."""
    pages: dict[str, str] = {}
    for answer in record.get("answers") or []:
        source = answer.get("source") if isinstance(answer, dict) else None
        if not isinstance(source, dict) or not source.get("passage_id") or not source.get("page_url"):
            continue
        url = str(source["page_url"])
        pages.setdefault(url, str(source.get("page_title") or ""))
    return pages


def count_page_use(records: Iterable[tuple[StoredRecord, bool]]) -> tuple[dict[str, PageUse], int, int]:
    """Per page, how many records cite it and how many of those are contested.

    Returns:
        (url → use, records read, records citing at least one page).
    """
    uses: dict[str, PageUse] = {}
    total = citing = 0
    for record, contested in records:
        total += 1
        pages = cited_pages(record)
        if pages:
            citing += 1
        for url, title in pages.items():
            use = uses.setdefault(url, PageUse(title=title))
            use.shown += 1
            use.contested += int(contested)
    return uses, total, citing


def active_passage_counts(store: SiteStore) -> dict[str, int]:
    """Active passages per page url (counted in SQL: the passages' texts are not needed)."""
    statement = (
        select(site_passage.c.url, func.count())
        .where(site_passage.c.active.is_(True))
        .group_by(site_passage.c.url)
    )
    try:
        with store.engine.connect() as conn:
            return {str(url): int(n) for url, n in conn.execute(statement)}
    except SQLAlchemyError as exc:
        raise SiteError(f"the site store failed: {type(exc).__name__}") from None


# --- the report ---------------------------------------------------------------------------------------


def import_row(raw: Mapping[str, Any]) -> ImportRow:
    """One stored import as the page shows it."""
    report = raw.get("report") or {}
    counts = report.get("counts") or {}
    return ImportRow(
        import_id=str(raw.get("import_id")),
        source=str(raw.get("source")),
        finished_at=str(raw.get("finished_at")),
        counts={key: int(counts.get(key) or 0) for key in COUNT_KEYS},
        flagged=[
            (str(item.get("url")), flag_reason_sv(item.get("reason"))) for item in report.get("flagged") or []
        ],
        skipped=[
            (str(item.get("location")), skip_reason_sv(str(item.get("reason"))))
            for item in report.get("skipped") or []
        ],
    )


def _short(label: str) -> str:
    return label if len(label) <= CHART_LABEL_CHARS else label[: CHART_LABEL_CHARS - 1].rstrip() + "…"


def top_pages_chart(rows: list[PageRow]) -> Chart:
    """Horizontal bars of the most shown pages (labels shortened on the axis, whole in the table)."""
    items = [(row.title, row.shown, None) for row in rows if row.shown][:CHART_PAGES]
    chart = horizontal(
        "chart-site-pages",
        f"De {CHART_PAGES} mest visade sidorna",
        items,
        description="Hur många svar som byggde på varje sida, flest först.",
    )
    return replace(chart, bars=[replace(bar, tick=_short(bar.label)) for bar in chart.bars])


def site_pages_report(
    queries: AdminQueries, store: SiteStore | None, flt: AuditFilter
) -> SitePagesReport | None:
    """The page's content for the period of ``flt`` (None while no import has been made).

    ``flt.contested`` true keeps only pages with a contested answer in the period.

    Raises:
        SiteError: the site store cannot be read.
    """
    if store is None:
        return None
    imports = store.imports(IMPORTS_SHOWN)
    if not imports:
        return None
    known = store.pages()
    passages = active_passage_counts(store)
    contested_known = queries.contested_clause() is not None
    uses, total, citing = count_page_use(queries.export(period_filter(flt)))

    rows = []
    for page in known:
        url = str(page["url"])
        use = uses.get(url, PageUse())
        status = str(page["status"])
        rows.append(
            PageRow(
                url=url,
                title=str(page["title"]) or url,
                status=status,
                status_label=STATUS_LABELS.get(status, status),
                flag_reason=flag_reason_sv(page.get("flag_reason")) if status == "flagged" else None,
                last_modified=page.get("last_modified"),
                passages=passages.get(url, 0),
                shown=use.shown,
                contested=use.contested if contested_known else None,
            )
        )
    known_urls = {row.url for row in rows}
    for url in sorted(set(uses) - known_urls):  # cited by answers, but the store was rebuilt without them
        use = uses[url]
        rows.append(
            PageRow(
                url=url,
                title=use.title or url,
                status="unknown",
                status_label=STATUS_LABELS["unknown"],
                flag_reason=None,
                last_modified=None,
                passages=0,
                shown=use.shown,
                contested=use.contested if contested_known else None,
            )
        )
    rows.sort(key=lambda row: (-row.shown, -(row.contested or 0), row.title.casefold(), row.url))
    only_contested = bool(flt.contested) and contested_known
    shown_rows = [row for row in rows if row.contested] if only_contested else rows
    return SitePagesReport(
        imports=[import_row(raw) for raw in imports],
        pages=shown_rows,
        flagged=[row for row in rows if row.status == "flagged"],
        chart=top_pages_chart(shown_rows),
        total_pages=len(known),
        records=total,
        site_records=citing,
        contested_known=contested_known,
        only_contested=only_contested,
    )
