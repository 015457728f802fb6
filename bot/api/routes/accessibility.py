"""The accessibility statement and its report form: ``/tillganglighet`` (Swedish), ``/accessibility``.

GET shows the statement in DIGG's structure (:mod:`bot.services.accessibility`, from
``data/municipality.yml``). POST takes a report from the page's form (``application/x-www-form-urlencoded``,
no JavaScript needed) and makes it a case in the staff queue (``CaseService.accessibility_report``),
then redirects (303) to the page with the receipt: ``?skickat=<case number>&kvitto=<signature>``. Bad
input shows the form again (422) with what was typed and the errors; nothing typed is logged.

CSRF: the form is anonymous, so there is no session to tie a token to. A POST is taken only from our own
pages: ``Origin`` (or, when a browser sends none, ``Referer``) must name this host, and a
``Sec-Fetch-Site`` other than ``same-origin`` is refused. Browsers set these headers themselves and
another site's page cannot change them; a request with neither is refused (403). The per-address case
limit (``limits.case``) applies to every report that passes the checks.
"""

from __future__ import annotations

import math
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bot.api.body import read_body
from bot.api.deps import Cases, ClientAddress, Limits
from bot.auth.pages import render
from bot.errors import BodyNotUtf8, RateLimited
from bot.services.accessibility import (
    PATHS,
    receipt_matches,
    receipt_token,
    receipt_view,
    statement_view,
)
from bot.services.accessibility_form import LABELS, MESSAGES, ReportForm, check
from cases.errors import CaseMessageEmpty, CaseMessageTooLong, CaseStoreDown, CaseUnknown
from cases.service import A11Y_WHERE_MAX_CHARS, IDEMPOTENCY_KEY, CaseService
from content.municipality import PROFILE_FILE, Municipality, load_municipality

router = APIRouter(tags=["public"], include_in_schema=False)
FORM_TYPE = "application/x-www-form-urlencoded"


def same_origin(request: Request) -> bool:
    """True when the browser says the POST comes from a page of this host (see the module docstring)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    host = request.headers.get("host", "").lower()
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    return bool(host) and urlsplit(source).netloc.lower() == host


async def read_form(request: Request) -> dict[str, str]:
    """The posted fields (first value of each); the body is cut at ``MAX_BODY_BYTES``.

    Raises:
        UnsupportedMediaType: not ``application/x-www-form-urlencoded``.
        BodyTooLarge: more than ``MAX_BODY_BYTES`` bytes.
        BodyNotUtf8: the fields are not UTF-8.
    """
    body = await read_body(request, FORM_TYPE)
    try:
        text = body.decode("ascii")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise BodyNotUtf8("form fields are not UTF-8") from exc
    fields: dict[str, str] = {}
    for name, value in pairs:
        fields.setdefault(name, value)
    return fields


def _municipality(data_dir: Path) -> Municipality:
    """The profile, parsed again only when the file changed: the page is public and needs no login."""
    path = data_dir / PROFILE_FILE
    return _parsed(data_dir, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=8)
def _parsed(data_dir: Path, _mtime_ns: int) -> Municipality:
    return load_municipality(data_dir)


async def _page(
    request: Request,
    service: CaseService,
    language: str,
    *,
    form: ReportForm | None = None,
    receipt: dict[str, Any] | None = None,
    notice: str = "",
    minutes: int = 0,
    idempotency_key: str = "",
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    municipality = await anyio.to_thread.run_sync(_municipality, service.settings.data_dir)
    view = statement_view(municipality, service.settings, language)
    if notice:  # one of MESSAGES, with the accessibility contact filled in
        contact = view["contact"]
        notice = MESSAGES[language][notice].format(
            minutes=minutes, phone=contact["phone"], email=contact["email"]
        )
    context = {
        "language": language,
        "account": {"municipality": {"name": view["municipality"]}},  # what public/base.html names
        "sv_path": PATHS["sv"],
        "en_path": PATHS["en"],
        "view": view,
        "form": form or ReportForm(),
        "receipt": receipt,
        "notice": notice,
        "labels": LABELS[language],
        "max_chars": service.settings.message_max_chars,
        "where_max": A11Y_WHERE_MAX_CHARS,
        "idempotency_key": idempotency_key or secrets.token_urlsafe(18),
    }
    template = f"public/statement_{language}.html"
    return render(request, template, context, status_code=status_code, headers=headers)


async def _show(request: Request, service: CaseService, language: str) -> Response:
    """The statement; with a valid ``skickat`` and ``kvitto``, the receipt of that report too."""
    case_id = request.query_params.get("skickat", "")[:32]
    token = request.query_params.get("kvitto", "")[:64]
    receipt = None
    if case_id and token and receipt_matches(request.app.state.auth.secret, case_id, token):
        try:
            case = await anyio.to_thread.run_sync(service.get, case_id)
        except CaseUnknown:
            case = None
        if case is not None and case.kind == "accessibility":
            receipt = receipt_view(case, language)
    return await _page(request, service, language, receipt=receipt)


async def _report(
    request: Request, service: CaseService, limits: Limits, address: str, language: str
) -> Response:
    """Check the origin and the fields, then make the case and redirect to the receipt."""
    if not same_origin(request):
        return await _page(request, service, language, notice="cross_origin", status_code=403)
    fields = await read_form(request)
    form = ReportForm.from_fields(fields)
    key = fields.get("idempotency_key", "")
    key = key if IDEMPOTENCY_KEY.match(key) else ""

    async def again(status: int, notice: str = "", minutes: int = 0) -> Response:
        headers = {"Retry-After": str(minutes * 60)} if minutes else None
        return await _page(
            request, service, language, form=form, notice=notice, minutes=minutes, idempotency_key=key,
            status_code=status, headers=headers,
        )  # fmt: skip

    contact = check(form, service.settings.message_max_chars, language)
    if form.errors:
        return await again(422)
    try:
        limits.case(address)
    except RateLimited as exc:
        return await again(429, "rate_limited", math.ceil(exc.retry_after / 60))
    try:
        receipt = await anyio.to_thread.run_sync(
            lambda: service.accessibility_report(form.message, form.where, contact, language, key or None)
        )
    except (CaseMessageEmpty, CaseMessageTooLong):  # only whitespace or control characters were typed
        form.errors["message"] = MESSAGES[language]["message_empty"]
        return await again(422)
    except CaseStoreDown:
        return await again(503, "unavailable")
    case_id = receipt.case.case_id
    query = urlencode({"skickat": case_id, "kvitto": receipt_token(request.app.state.auth.secret, case_id)})
    return RedirectResponse(f"{PATHS[language]}?{query}#rapportera", status_code=303)


@router.get("/tillganglighet")
async def statement_sv(request: Request, service: Cases) -> Response:
    """Tillgänglighetsredogörelsen, med formuläret för att rapportera brister."""
    return await _show(request, service, "sv")


@router.get("/accessibility")
async def statement_en(request: Request, service: Cases) -> Response:
    """The accessibility statement in English, with the report form."""
    return await _show(request, service, "en")


@router.post("/tillganglighet")
async def report_sv(request: Request, service: Cases, limits: Limits, address: ClientAddress) -> Response:
    """Rapportera en brist i tillgängligheten: blir ett ärende i handläggarnas kö."""
    return await _report(request, service, limits, address, "sv")


@router.post("/accessibility")
async def report_en(request: Request, service: Cases, limits: Limits, address: ClientAddress) -> Response:
    """Report an accessibility problem: it becomes a case in the staff queue."""
    return await _report(request, service, limits, address, "en")
