"""``/admin/kpi``: the oversight dashboard (admins and auditors), see :mod:`bot.admin.kpi_view`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response

from audit.explain import swedish_date
from bot.admin.kpi_view import current_quarter, dashboard
from bot.api.deps import Cases, Console, CurrentAuditor
from bot.auth.pages import register_nav, render
from bot.kpi import parse_period
from bot.settings import get_settings

router = APIRouter(prefix="/admin", tags=["admin"])
register_nav("Nyckeltal", "/admin/kpi", ("admin", "auditor"))
_TZ = ZoneInfo("Europe/Stockholm")


@router.get("/kpi", include_in_schema=False)
async def kpi(request: Request, user: CurrentAuditor, console: Console, cases: Cases) -> Response:
    """The KPIs of a period (``?period=2026-Q4``; the current quarter by default) with trends."""
    spec = (request.query_params.get("period") or "").strip()
    error = ""
    period = current_quarter(datetime.now(_TZ).date())
    if spec:
        try:
            period = parse_period(spec)
        except ValueError:
            error = (
                f"”{spec[:40]}” är ingen period som går att läsa. Skriv ett kvartal (2026-Q4), en vecka "
                "(2026-W48), en månad (2026-11) eller två datum (2026-10-01..2026-12-31)."
            )
    console.record_access(user.username, "view_kpi", period.label)
    settings = get_settings()
    board = await anyio.to_thread.run_sync(
        lambda: dashboard(console.log, cases.store, cases.feedback, settings, period)
    )
    context = {
        **board,
        "error": error,
        "spec": spec or period.label,
        "first": swedish_date(period.start.isoformat()),
        "last": swedish_date(period.end.isoformat()),
    }
    return render(request, "admin/kpi.html", context, status_code=422 if error else 200)
