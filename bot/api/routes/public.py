"""Public pages without login: the account of the AI, its register entry and the KPIs as open data.

``/om-tjansten`` (``/about-the-service`` in English), ``/om-tjansten/register.json``,
``/oppna-data/nyckeltal.json`` and ``.csv``; see :mod:`bot.services.transparency`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from bot.api.deps import Cases
from bot.auth.pages import SECURITY_HEADERS, render
from bot.services.transparency import LICENCE, open_data_csv, open_data_rows, public_account, register_entry
from bot.settings import get_settings

router = APIRouter(tags=["public"])
_TZ = ZoneInfo("Europe/Stockholm")
CACHE_SECONDS = 60.0
_CACHE = {"Cache-Control": "public, max-age=60"}


async def _cached(request: Request, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` at most once per :data:`CACHE_SECONDS` and app.

    The pages need no login and each computation reads 90 days (or 26 weeks) of records: a burst of
    requests must not repeat it.
    """
    state = request.app.state
    cache: dict[str, tuple[float, Any]] | None = getattr(state, "public_cache", None)
    if cache is None:
        cache = state.public_cache = {}
    found = cache.get(key)
    now = time.monotonic()
    if found is not None and now - found[0] < CACHE_SECONDS:
        return found[1]
    value = await anyio.to_thread.run_sync(compute)
    cache[key] = (now, value)
    return value


async def _account(request: Request, cases: Cases, language: str) -> dict[str, Any]:
    audit_log = request.app.state.audit_log
    settings = get_settings()
    return dict(
        await _cached(
            request,
            f"account-{language}",
            lambda: public_account(audit_log, cases.store, cases.feedback, settings, language),
        )
    )


@router.get("/om-tjansten", include_in_schema=False)
async def about_sv(request: Request, cases: Cases) -> Response:
    """Om chatten: vem som ansvarar, vad den gör och aldrig gör, uppgifter, klagomål, nyckeltal."""
    account = await _account(request, cases, "sv")
    return render(request, "public/about_sv.html", {"account": account, "language": "sv"}, headers=_CACHE)


@router.get("/about-the-service", include_in_schema=False)
async def about_en(request: Request, cases: Cases) -> Response:
    """The same account in English."""
    account = await _account(request, cases, "en")
    return render(request, "public/about_en.html", {"account": account, "language": "en"}, headers=_CACHE)


@router.get("/om-tjansten/register.json", include_in_schema=False)
async def register(request: Request, cases: Cases) -> JSONResponse:
    """The account as a public AI-register record (machine-readable)."""
    account = await _account(request, cases, "en")
    return JSONResponse(register_entry(account), headers={**SECURITY_HEADERS, **_CACHE})


async def _rows(request: Request, cases: Cases) -> list[dict[str, Any]]:
    audit_log = request.app.state.audit_log
    settings = get_settings()
    today = datetime.now(_TZ).date()
    rows: list[dict[str, Any]] = await _cached(
        request, "open-data", lambda: open_data_rows(audit_log, cases.store, cases.feedback, settings, today)
    )
    return rows


@router.get("/oppna-data/nyckeltal.json", include_in_schema=False)
async def open_data_json(request: Request, cases: Cases) -> JSONResponse:
    """The weekly KPI series (small cells suppressed), with its licence."""
    body = {
        "title": "Kommunsvar: nyckeltal per vecka",
        "licence": LICENCE,
        "suppression": "cells over fewer than 5 observations are null",
        "definitions": "docs/kpi.md in the Kommunsvar repository; /om-tjansten",
        "rows": await _rows(request, cases),
    }
    return JSONResponse(body, headers={**SECURITY_HEADERS, **_CACHE})


@router.get("/oppna-data/nyckeltal.csv", include_in_schema=False)
async def open_data_csv_file(request: Request, cases: Cases) -> Response:
    """The same series as CSV (suppressed cells empty)."""
    text = open_data_csv(await _rows(request, cases))
    headers = {
        **SECURITY_HEADERS,
        **_CACHE,
        "Content-Disposition": 'attachment; filename="kommunsvar-nyckeltal.csv"',
        "X-Licence": LICENCE["id"],
    }
    return Response(text, media_type="text/csv; charset=utf-8", headers=headers)
