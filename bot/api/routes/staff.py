"""The staff queue (server-rendered, Swedish): cases with deadlines, the case view and its steps.

Only logged-in staff (roles ``staff`` and ``admin``) may read cases; every form carries the session's
CSRF token (checked by ``CurrentStaff``). Each step redirects back to the case (POST → 303 → GET).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from urllib.parse import urlencode

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from audit.errors import AuditError
from bot.api.deps import Cases, CurrentStaff
from bot.auth.pages import register_nav, render
from bot.services.staff_view import (
    KIND_LABELS,
    STATUS_LABELS,
    case_row,
    event_rows,
    explain_record,
    outcome_labels,
)
from cases import review
from cases.contact import display_phone
from cases.errors import CaseStepNotAllowed
from cases.models import CaseFilter

logger = logging.getLogger("kommunsvar.staff")

router = APIRouter(tags=["staff"], include_in_schema=False)
PAGE_SIZE = 50
_ROLES = ("staff", "admin")

register_nav("Ärenden", "/staff/cases", _ROLES)
register_nav("Utkorg", "/staff/outbox", _ROLES)
register_nav("Innehållsgranskning", "/staff/content-review", _ROLES)

DONE_MESSAGES = {
    "acknowledged": "Ärendet är bekräftat.",
    "replied": "Svaret är sparat.",
    "reassigned": "Ärendet har fått en ny handläggare.",
    "resolved": "Ärendet är avslutat.",
    "outbox": "Utkorgen är uppdaterad.",
}


def _log_access(service: Any, actor: str, action: str, target: str) -> None:
    """Record a staff view in the access log; when that fails the view is refused (fail closed)."""
    try:
        service.audit_log.log_access(actor, action, target)
    except AuditError as exc:
        logger.warning("access_not_logged", extra={"error": type(exc).__name__})
        raise


def _redirect(case_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/staff/cases/{case_id}?{urlencode({'done': done})}", status_code=303)


@router.get("/staff/cases")
async def queue(
    request: Request,
    user: CurrentStaff,
    status: str = "open",
    kind: str = "",
    assignee: str = "",
    overdue: str = "",
    page: int = 1,
) -> Response:
    """The queue: open cases by default, the most urgent first, with overdue flags and filters."""
    service = getattr(request.app.state, "case_service", None)
    if service is None:  # the landing page of staff: say so instead of failing
        return render(request, "staff/unavailable.html", status_code=503)
    today = service.local_today()
    flt = CaseFilter(
        status=status if status in (*STATUS_LABELS, "open") else None,
        kind=kind if kind in KIND_LABELS else None,
        assignee={"mine": user.username, "none": ""}.get(assignee),
        overdue_on=today if overdue else None,
    )
    page = max(1, page)
    rows, total = await anyio.to_thread.run_sync(
        lambda: service.queue(flt, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    )
    await anyio.to_thread.run_sync(service.purge_if_due)
    context = {
        "cases": [case_row(c, today) for c in rows],
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "filters": {"status": status, "kind": kind, "assignee": assignee, "overdue": overdue},
        "status_labels": STATUS_LABELS,
        "kind_labels": KIND_LABELS,
        "today": today,
    }
    return render(request, "staff/cases.html", context)


def _staff_names(request: Request) -> list[str]:
    """User names that cases can be assigned to."""
    return [u.username for u in request.app.state.auth.list_users() if u.role in _ROLES]


def _case_context(
    request: Request, service: Any, case_id: str, contact: dict[str, Any] | None
) -> dict[str, Any]:
    """Everything the case page shows (runs in a worker thread: it reads two databases)."""
    case = service.get(case_id)
    record = service.linked_record(case)
    return {
        "case": case_row(case, service.local_today()),
        "record": record,
        "explanation": explain_record(record),
        "transcript": service.transcript(case),
        "events": event_rows(service.store.events(case.case_id)),
        "replies": service.store.replies(case.case_id),
        "outbox": service.store.outbox(case_id=case.case_id),  # subjects and states only: no recipient shown
        "outcome_labels": outcome_labels(case.kind),
        "staff_names": _staff_names(request),
        "contact": contact,
    }


@router.get("/staff/cases/{case_id}")
async def case_view(
    request: Request, case_id: str, user: CurrentStaff, service: Cases, done: str = ""
) -> Response:
    """One case: the message, deadlines, the linked answer with its explanation, the transcript, steps."""
    _log_access(service, user.username, "case_view", case_id.strip().upper())  # no log, no view
    context = await anyio.to_thread.run_sync(_case_context, request, service, case_id, None)
    return render(request, "staff/case.html", {**context, "done": DONE_MESSAGES.get(done)})


@router.post("/staff/cases/{case_id}/contact")
async def show_contact(request: Request, case_id: str, user: CurrentStaff, service: Cases) -> Response:
    """Show the citizen's contact; decrypting it is recorded as an event of the case."""
    case = await anyio.to_thread.run_sync(service.get, case_id)
    contact = await anyio.to_thread.run_sync(service.store.contact, case.case_id, user.username, "view")
    shown = None
    if contact is not None:
        value = display_phone(contact.value) if contact.type == "phone" else contact.value
        shown = {"type": contact.type, "value": value}
    context = await anyio.to_thread.run_sync(_case_context, request, service, case.case_id, shown)
    return render(request, "staff/case.html", {**context, "done": None})


@router.post("/staff/cases/{case_id}/acknowledge")
async def acknowledge(case_id: str, user: CurrentStaff, service: Cases) -> Response:
    """Confirm that the case has been received."""
    case = await anyio.to_thread.run_sync(service.acknowledge, case_id, user.username)
    return _redirect(case.case_id, "acknowledged")


@router.post("/staff/cases/{case_id}/reply")
async def reply(case_id: str, user: CurrentStaff, service: Cases, body: str = Form(default="")) -> Response:
    """Store a reply (and e-mail it when SMTP is configured)."""
    case, _item = await anyio.to_thread.run_sync(service.reply, case_id, user.username, body)
    return _redirect(case.case_id, "replied")


@router.post("/staff/cases/{case_id}/reassign")
async def reassign(
    request: Request, case_id: str, user: CurrentStaff, service: Cases, assignee: str = Form(default="")
) -> Response:
    """Give the case to another staff member (empty = nobody)."""
    name = assignee.strip()
    if name and name not in await anyio.to_thread.run_sync(_staff_names, request):
        raise CaseStepNotAllowed("unknown staff member")
    case = await anyio.to_thread.run_sync(service.reassign, case_id, user.username, name)
    return _redirect(case.case_id, "reassigned")


@router.post("/staff/cases/{case_id}/resolve")
async def resolve(
    case_id: str, user: CurrentStaff, service: Cases, outcome: str = Form(default="")
) -> Response:
    """Close the case with an outcome."""
    case = await anyio.to_thread.run_sync(service.resolve, case_id, user.username, outcome)
    return _redirect(case.case_id, "resolved")


@router.get("/staff/outbox")
async def outbox(request: Request, user: CurrentStaff, service: Cases) -> Response:
    """Replies waiting to be sent (no SMTP) or that failed, and those sent."""
    _log_access(service, user.username, "outbox_view", "outbox")  # logged first: no log, no view
    items = await anyio.to_thread.run_sync(lambda: service.store.outbox(limit=200, actor=user.username))
    shown = [
        {**item.__dict__, "recipient": display_phone(item.recipient) if item.recipient else None}
        for item in items
    ]
    return render(
        request,
        "staff/outbox.html",
        {"items": shown, "smtp": service.mailer.configured},
    )


@router.post("/staff/outbox/{item_id}")
async def outbox_step(
    item_id: int, user: CurrentStaff, service: Cases, step: str = Form(default="")
) -> Response:
    """Mark a stored message as sent by hand (or called), or try SMTP again."""
    item = await anyio.to_thread.run_sync(service.store.outbox_item, item_id)
    if step == "sent":
        await anyio.to_thread.run_sync(service.store.mark_outbox, item_id, "sent", user.username)
    elif step == "retry" and service.mailer.configured and item.channel == "email":
        await anyio.to_thread.run_sync(service.send_outbox, item, user.username)
    else:
        raise CaseStepNotAllowed("unknown outbox step")
    return RedirectResponse("/staff/outbox", status_code=303)


@router.get("/staff/content-review")
async def content_review(request: Request, user: CurrentStaff, service: Cases, owner: str = "") -> Response:
    """Answers resolved as wrong, per article, for the article's owner; and the error-rate counts."""
    items = await anyio.to_thread.run_sync(review.content_review, service.store, owner or None)
    owners = await anyio.to_thread.run_sync(review.review_owners, service.store)
    kpis = await anyio.to_thread.run_sync(service.kpis)
    titles = {a.id: a.title.get("sv", a.id) for a in service.knowledge.articles.values()}
    current = {a.id: a.version for a in service.knowledge.articles.values()}
    site = getattr(getattr(request.app.state, "chat_service", None), "site", None)
    links: dict[str, str] = {}
    if site is not None:  # website passages on the list: their page, heading and link for the web editors
        for item in items:
            passage = await anyio.to_thread.run_sync(site.passage, item.article_id)
            if passage is not None:
                titles[item.article_id] = f"Webbsida: {passage.title} – {' > '.join(passage.heading[1:])}"
                links[item.article_id] = passage.url
    return render(
        request,
        "staff/content_review.html",
        {
            "items": items,
            "owners": owners,
            "owner": owner,
            "kpis": kpis,
            "titles": titles,
            "current": current,
            "links": links,
        },
    )


@router.get("/api/staff/case-kpis")
async def case_kpis(
    user: CurrentStaff, service: Cases, date_from: date | None = None, date_to: date | None = None
) -> JSONResponse:
    """Outcome counts and error figures as JSON, for the KPI page."""
    return JSONResponse(await anyio.to_thread.run_sync(service.kpis, date_from, date_to))
