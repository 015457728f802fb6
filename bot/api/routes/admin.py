"""The admin console: overview, audit browser, record view, integrity and export (``/admin``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.auth.deps import CurrentAuditor
from bot.auth.pages import render

router = APIRouter(prefix="/admin", tags=["admin"])


@router.get("", include_in_schema=False)
async def overview(request: Request, user: CurrentAuditor) -> Response:
    """The start page of the console."""
    return render(request, "admin/overview.html", {})
