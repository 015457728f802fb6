"""The admin console (``/admin``): overview, audit log, records, export, integrity, access, site pages.

Routes are thin: they parse the request, log the access and render what :class:`AdminConsole` returns.
Every view and export of audit data is written to the access log (who, what, which filter or record).
"""

from __future__ import annotations

import json
import logging
import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from audit.explain import swedish_date
from bot.admin.export import csv_lines, jsonl_lines
from bot.admin.filters import PAGE_SIZE, AuditFilter, FilterError, parse_filter, parse_page
from bot.admin.service import AdminConsole
from bot.admin.site_pages import parse_site_filter, site_pages_report
from bot.api.deps import Chat, Console, CurrentAdmin, CurrentAuditor
from bot.auth.pages import SECURITY_HEADERS, register_nav, render
from content.errors import SiteError

_TZ = ZoneInfo("Europe/Stockholm")
logger = logging.getLogger("kommunsvar.admin")

ACTION_LABELS = {
    "view_overview": "Tittade på översikten",
    "list_records": "Sökte i svarsloggen",
    "view_record": "Öppnade ett svar",
    "download_receipt": "Laddade ner ett kvitto",
    "export_jsonl": "Exporterade (JSON Lines)",
    "export_csv": "Exporterade (CSV)",
    "view_integrity": "Tittade på kontrollen av loggen",
    "verify_log": "Startade en kontroll av loggen",
    "view_access_log": "Tittade på åtkomstloggen",
    "view_kpi": "Tittade på nyckeltalen",
    "view_site_pages": "Tittade på webbplatsens sidor",
}


router = APIRouter(prefix="/admin", tags=["admin"])
register_nav("Webbplatsens sidor", "/admin/site", ("admin", "auditor"))


def _filter(request: Request, console: AdminConsole) -> tuple[AuditFilter, str]:
    """The request's filter (without unknown "contested") and a Swedish error, if any."""
    try:
        return console.effective(parse_filter(dict(request.query_params))), ""
    except FilterError as exc:
        return AuditFilter(), str(exc)


@router.get("", include_in_schema=False)
def overview(request: Request, user: CurrentAuditor, console: Console) -> Response:
    """Figures and charts: answers per day and topic, confidence distribution."""
    flt, error = _filter(request, console)
    shown = console.overview_filter(flt)
    console.record_access(user.username, "view_overview", shown.describe())
    stats, charts = console.overview(shown)
    context = {
        "flt": shown,
        "error": error,
        "stats": stats,
        "charts": charts,
        "options": console.filter_options(),
        "period": (swedish_date(str(shown.date_from)), swedish_date(str(shown.date_to))),
        "list_url": "/admin/audit?" + shown.query_string(),
    }
    return render(request, "admin/overview.html", context, status_code=422 if error else 200)


@router.get("/audit", include_in_schema=False)
def audit_list(request: Request, user: CurrentAuditor, console: Console) -> Response:
    """The audit browser: filters and one page of records."""
    flt, error = _filter(request, console)
    page = parse_page(request.query_params.get("page"))
    console.record_access(user.username, "list_records", f"{flt.describe()} page={page}")
    rows, total = console.listing(flt, page, PAGE_SIZE)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    context = {
        "flt": flt,
        "error": error,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": pages,
        "first": (page - 1) * PAGE_SIZE + 1 if rows else 0,
        "last": (page - 1) * PAGE_SIZE + len(rows),
        "options": console.filter_options(),
        "topic_label": console.topic_label,
        "swedish_date": swedish_date,
    }
    return render(request, "admin/audit_list.html", context, status_code=422 if error else 200)


def _export(request: Request, user_name: str, console: AdminConsole, kind: str) -> Response:
    flt, error = _filter(request, console)
    if error:
        return render(request, "admin/audit_list.html", _error_context(console, error), status_code=422)
    total = console.queries.count(flt)
    console.record_access(user_name, f"export_{kind}", f"{flt.describe()} rows={total}")
    stamp = datetime.now(_TZ).strftime("%Y%m%d-%H%M%S")
    lines = jsonl_lines if kind == "jsonl" else csv_lines
    media = "application/x-ndjson; charset=utf-8" if kind == "jsonl" else "text/csv; charset=utf-8"
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": f'attachment; filename="kommunsvar-svarslogg-{stamp}.{kind}"',
        "X-Record-Count": str(total),
    }
    return StreamingResponse(lines(console.queries.export(flt)), media_type=media, headers=headers)


def _error_context(console: AdminConsole, error: str) -> dict[str, Any]:
    return {
        "flt": AuditFilter(),
        "error": error,
        "rows": [],
        "total": 0,
        "page": 1,
        "pages": 1,
        "first": 0,
        "last": 0,
        "options": console.filter_options(),
        "topic_label": console.topic_label,
        "swedish_date": swedish_date,
    }


@router.get("/audit/export.jsonl", include_in_schema=False)
def export_jsonl(request: Request, user: CurrentAuditor, console: Console) -> Response:
    """The filtered records as JSON lines, exactly as stored (streamed)."""
    return _export(request, user.username, console, "jsonl")


@router.get("/audit/export.csv", include_in_schema=False)
def export_csv(request: Request, user: CurrentAuditor, console: Console) -> Response:
    """The filtered records as CSV, one row per record (streamed)."""
    return _export(request, user.username, console, "csv")


@router.get("/audit/{audit_id}", include_in_schema=False)
def record_view(request: Request, audit_id: str, user: CurrentAuditor, console: Console) -> Response:
    """One record: explanation, input, answer, source, guardrails, receipt."""
    record = console.record(audit_id[:64])
    if record is None:
        return render(request, "admin/not_found.html", {"audit_id": audit_id[:64]}, status_code=404)
    if str(record["audit_id"]) != audit_id:  # typed loosely: show it under its canonical address
        return RedirectResponse(f"/admin/audit/{record['audit_id']}", status_code=303)
    console.record_access(user.username, "view_record", str(record["audit_id"]))
    context = {
        "record": record,
        "receipt": console.receipt(str(record["audit_id"])),
        "back": request.headers.get("referer", "")
        if "/admin/audit" in request.headers.get("referer", "")
        else "",
        **console.record_context(record),
    }
    return render(request, "admin/record.html", context)


@router.get("/audit/{audit_id}/receipt.json", include_in_schema=False)
def receipt_download(request: Request, audit_id: str, user: CurrentAuditor, console: Console) -> Response:
    """The record's receipt as a JSON file (checkable with the municipality's public key)."""
    receipt = console.receipt(audit_id[:64])
    if receipt.data is None:
        return render(request, "admin/not_found.html", {"audit_id": audit_id[:64]}, status_code=404)
    console.record_access(user.username, "download_receipt", str(receipt.data["audit_id"]))
    body = json.dumps(receipt.data, ensure_ascii=False, indent=2) + "\n"
    filename = f"kvitto-{receipt.data['audit_id']}.json"
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type="application/json", headers=headers)


@router.get("/integrity", include_in_schema=False)
def integrity(request: Request, user: CurrentAuditor, console: Console) -> Response:
    """The latest signed checkpoint, the log size and the latest verification."""
    console.record_access(user.username, "view_integrity")
    return render(request, "admin/integrity.html", {**console.integrity(), "swedish_date": swedish_date})


@router.post("/integrity/verify", include_in_schema=False)
def verify_now(request: Request, user: CurrentAuditor, console: Console) -> Response:
    """Start a full verification (CSRF-checked by the dependency) and show its progress."""
    job = console.jobs.start(user.username)
    console.record_access(user.username, "verify_log", f"job={job.id}")
    return RedirectResponse(f"/admin/integrity/verify/{job.id}", status_code=303)


@router.get("/integrity/verify/{job_id}", include_in_schema=False)
def verify_status(request: Request, job_id: str, user: CurrentAuditor, console: Console) -> Response:
    """Progress or result of a verification run (the page reloads itself while it runs)."""
    job = console.jobs.get(job_id[:32])
    if job is None:
        return render(request, "admin/not_found.html", {"job": True}, status_code=404)
    return render(
        request, "admin/verify_job.html", {"job": job, "started": datetime.fromtimestamp(job.started_at, _TZ)}
    )


@router.get("/site", include_in_schema=False)
def site_pages(request: Request, user: CurrentAuditor, console: Console, chat: Chat) -> Response:
    """The imported website: latest imports, flagged pages, and how often answers cite each page."""
    try:
        flt, error = parse_site_filter(request.query_params), ""
    except FilterError as exc:
        flt, error = AuditFilter(), str(exc)
    flt = console.overview_filter(console.effective(flt))
    console.record_access(user.username, "view_site_pages", flt.describe())
    try:
        report, problem = site_pages_report(console.queries, chat.site, flt), ""
    except SiteError as exc:
        logger.warning("site_store_unreadable", extra={"error": str(exc)})
        report, problem = None, "Sidregistret går inte att läsa just nu. Försök igen om en stund."
    context = {
        "flt": flt,
        "error": error,
        "problem": problem,
        "report": report,
        "date_from": swedish_date(flt.date_from.isoformat()) if flt.date_from else "",
        "date_to": swedish_date(flt.date_to.isoformat()) if flt.date_to else "",
        "swedish_date": swedish_date,
    }
    return render(request, "admin/site.html", context, status_code=422 if error else 200)


@router.get("/access", include_in_schema=False)
def access_log(request: Request, user: CurrentAdmin, console: Console) -> Response:
    """Who looked at or exported audit data (admins only)."""
    console.record_access(user.username, "view_access_log")
    entries = [
        {
            **entry,
            "label": ACTION_LABELS.get(entry["action"], entry["action"]),
            "when": swedish_date(entry["at"], with_time=True),
        }
        for entry in console.access_entries(200)
    ]
    return render(request, "admin/access.html", {"entries": entries})
