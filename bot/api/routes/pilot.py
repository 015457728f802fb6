"""Supervised pilot mode: the citizen's ``POST /api/pilot/status`` and the staff's ``/staff/pilot``.

Staff (and admins) see the answers waiting for approval, oldest first, and approve each as drafted or
with their own words; the approval is an audit record that names them. Admins switch topics in and out
of pilot mode on the same page, with each topic's recent error rate beside the switch.
"""

from __future__ import annotations

import hmac
import statistics
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import anyio
from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from bot.api.body import read_json
from bot.api.deps import Cases, Chat, ClientAddress, CurrentAdmin, CurrentStaff, Limits
from bot.api.openapi import error_responses, json_body
from bot.auth.pages import register_nav, render
from bot.kpi import Period, gather
from bot.services.pilot import release
from cases.errors import AnswerNotFound, CaseStepNotAllowed
from cases.pilot import PilotDesk
from content.topics import load_topics

router = APIRouter(tags=["pilot"])
staff_router = APIRouter(tags=["staff"], include_in_schema=False)
register_nav("Pilotläge", "/staff/pilot", ("staff", "admin"))
_TZ = ZoneInfo("Europe/Stockholm")
LOW_ERROR_WEEKS = 4
DONE = {
    "approved": "Svaret är godkänt och skickat.",
    "topic": "Pilotläget är ändrat.",
    "gone": "Svaret väntar inte längre på godkännande (någon annan hann före).",
}


class StatusIn(BaseModel):
    """Body of ``POST /api/pilot/status``: the held answer's Svar-ID and the reply's token."""

    model_config = ConfigDict(extra="forbid", strict=True)

    audit_id: str = Field(max_length=64)
    contest_token: str = Field(max_length=64)


def _desk(request: Request) -> PilotDesk:
    desk: PilotDesk = request.app.state.pilot_desk
    return desk


@router.post(
    "/api/pilot/status",
    openapi_extra=json_body(StatusIn),
    responses=error_responses("400", "404", "413", "415", "422", "429", "503"),
)
async def pilot_status(request: Request, chat: Chat, limits: Limits, address: ClientAddress) -> JSONResponse:
    """``pending`` while staff look at the answer; ``released`` with the messages once approved."""
    req = await read_json(request, StatusIn)
    limits.feedback(address)
    if not hmac.compare_digest(chat.contest_token(req.audit_id).encode(), req.contest_token.encode()):
        raise AnswerNotFound("no held answer with this id and token")
    desk = _desk(request)
    draft = await anyio.to_thread.run_sync(lambda: desk.get(req.audit_id))
    if draft is None:
        raise AnswerNotFound("no held answer with this id")
    if draft.status == "pending" or draft.release_audit_id is None:
        return JSONResponse({"status": "pending"})
    released = draft.release_audit_id
    messages = draft.final
    if messages is None:  # staff wrote their own words: they are in the (encrypted) audit record only
        record = await anyio.to_thread.run_sync(lambda: request.app.state.audit_log.get(released)) or {}
        messages = [{"text": a.get("text"), "source": a.get("source")} for a in record.get("answers") or []]
    return JSONResponse(
        {
            "status": "released",
            "messages": messages,
            "audit_id": released,
            "contest_token": chat.contest_token(released),
            "edited": draft.status == "edited",
        }
    )


def _topic_rows(request: Request, cases: Any, desk: PilotDesk) -> list[dict[str, Any]]:
    """Every topic with its switch, and the share of "not helpful" votes on its answers lately."""
    today = datetime.now(_TZ).date()
    period = Period("pilot", today - timedelta(weeks=LOW_ERROR_WEEKS), today)
    inputs = gather(request.app.state.audit_log, cases.store, cases.feedback, period, guard_hits=False)
    votes = {v["audit_id"]: bool(v["helpful"]) for v in inputs.votes}
    state = desk.topics()
    rows = []
    for code, label in load_topics(_data_dir()).labels("sv").items():
        ids = [t.audit_id for t in inputs.turns if t.topic == code]
        cast = [votes[a] for a in ids if a in votes]
        row = state.get(code) or {}
        rows.append(
            {
                "code": code,
                "label": label,
                "enabled": bool(row.get("enabled")),
                "changed_by": row.get("changed_by"),
                "answers": len(ids),
                "votes": len(cast),
                "not_helpful": (cast.count(False) / len(cast)) if cast else None,
            }
        )
    return rows


@staff_router.get("/staff/pilot")
async def pilot_queue(request: Request, user: CurrentStaff, cases: Cases, done: str = "") -> Response:
    """Answers waiting for approval (oldest first), recent decisions, and the topics in pilot mode."""
    desk = _desk(request)
    audit_log = request.app.state.audit_log

    def load() -> dict[str, Any]:
        pending = desk.drafts("pending")
        questions = {}
        for draft in pending:
            record = audit_log.get(draft.audit_id) or {}
            questions[draft.audit_id] = record.get("input_redacted") or ""
        decided = [d for d in desk.drafts(None, limit=1000) if d.status != "pending"][-20:]
        waits = [d.seconds_to_decision for d in decided if d.seconds_to_decision is not None]
        audit_log.log_access(user.username, "view_pilot_queue", f"pending={len(pending)}")
        return {
            "pending": pending,
            "questions": questions,
            "decided": list(reversed(decided)),
            "median_wait": statistics.median(waits) if waits else None,
            "topics": _topic_rows(request, cases, desk),
        }

    context = await anyio.to_thread.run_sync(load)
    context.update({"done": DONE.get(done, ""), "is_admin": user.role == "admin", "weeks": LOW_ERROR_WEEKS})
    return render(request, "staff/pilot.html", context)


@staff_router.post("/staff/pilot/{audit_id}/approve")
async def approve(
    request: Request, audit_id: str, user: CurrentStaff, edited_text: str = Form(default="")
) -> Response:
    """Release a held answer as drafted, or with the staff member's own words."""
    desk = _desk(request)
    audit_log = request.app.state.audit_log
    text = edited_text.strip()[:4000] or None
    try:
        await anyio.to_thread.run_sync(lambda: release(desk, audit_log, audit_id, user.username, text))
    except CaseStepNotAllowed:
        return RedirectResponse("/staff/pilot?done=gone", status_code=303)
    return RedirectResponse("/staff/pilot?done=approved", status_code=303)


@staff_router.post("/staff/pilot/topics")
async def switch_topic(
    request: Request, user: CurrentAdmin, topic: str = Form(...), enabled: str = Form(...)
) -> Response:
    """Switch a topic in or out of pilot mode (admins only)."""
    desk = _desk(request)
    known = set(load_topics(_data_dir()).labels("sv"))
    if topic not in known or enabled not in ("ja", "nej"):
        return RedirectResponse("/staff/pilot", status_code=303)
    await anyio.to_thread.run_sync(lambda: desk.set_topic(topic, enabled == "ja", user.username))
    return RedirectResponse("/staff/pilot?done=topic", status_code=303)


def _data_dir() -> Any:
    from bot.settings import get_settings

    return get_settings().data_dir
