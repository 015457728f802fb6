"""Login and logout of the admin console and staff queue (``/admin/login``, ``/admin/logout``)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool

from bot.api.deps import SESSION_COOKIE, Auth, ClientAddress, CurrentUser, Limits, OptionalSession
from bot.auth.errors import CsrfFailed, InvalidCredentials
from bot.auth.models import User
from bot.auth.pages import nav_for, render
from bot.auth.setup import cookie_secure
from bot.auth.store import AuthStore, tokens_match

router = APIRouter(prefix="/admin", tags=["auth"])

LOGIN_COOKIE = "ks_login"
_LOGIN_TOKEN_AGE_S = 3600
_MAX_FIELD = 1024


def _serializer(store: AuthStore) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(store.secret, salt="kommunsvar-login-form")


def safe_next(value: str | None) -> str | None:
    """A local path to return to after login; anything else (other sites, odd forms) becomes None."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(c) < 32 for c in value) or value.startswith(("/admin/login", "/admin/logout")):
        return None
    return value


def home_for(user: User, request: Request) -> str:
    """Where a user lands after login: the first page their role may see."""
    links = nav_for(user, request.url.path)
    return links[0]["href"] if links else "/admin"


def _login_page(
    request: Request, store: AuthStore, *, error: str = "", next_url: str = "", status_code: int = 200
) -> Response:
    nonce = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
    context = {
        "login_token": _serializer(store).dumps(nonce),
        "error": error,
        "next_url": next_url,
        "username": "",
        "logged_out": request.query_params.get("utloggad") == "1",
        "max_failed": store.settings.max_failed_logins,
        "lockout_minutes": round(store.settings.lockout_minutes),
    }
    response = render(request, "auth/login.html", context, status_code=status_code)
    response.set_cookie(
        LOGIN_COOKIE,
        nonce,
        max_age=_LOGIN_TOKEN_AGE_S,
        httponly=True,
        samesite="strict",
        secure=cookie_secure(store, request.url.hostname, request.url.scheme),
        path="/admin/login",
    )
    return response


@router.get("/login", include_in_schema=False)
async def login_form(request: Request, store: Auth, session: OptionalSession) -> Response:
    """The login form; a logged-in user goes straight on."""
    next_url = safe_next(request.query_params.get("next")) or ""
    if session is not None:
        return RedirectResponse(next_url or home_for(session.user, request), status_code=303)
    return _login_page(request, store, next_url=next_url)


@router.post("/login", include_in_schema=False)
async def login(request: Request, store: Auth, limits: Limits, address: ClientAddress) -> Response:
    """Check the form's token and the password; on success start a session (new token)."""
    limits.login(address)  # per address, besides the per-account lockout
    form = await request.form()
    fields = {k: (v if isinstance(v, str) else "")[:_MAX_FIELD] for k, v in form.items()}
    next_url = safe_next(fields.get("next")) or ""
    nonce = request.cookies.get(LOGIN_COOKIE)
    try:
        signed = _serializer(store).loads(fields.get("login_token", ""), max_age=_LOGIN_TOKEN_AGE_S)
    except BadSignature:
        signed = None
    if nonce is None or not isinstance(signed, str) or not tokens_match(signed, nonce):
        raise CsrfFailed("login form token missing, expired or not matching the cookie")
    try:
        user = await run_in_threadpool(
            store.authenticate, fields.get("username", ""), fields.get("password", "")
        )
    except InvalidCredentials:
        error = (
            "Inloggningen misslyckades. Kontrollera användarnamn och lösenord. "
            f"Efter {store.settings.max_failed_logins} misslyckade försök i rad spärras kontot "
            f"i {round(store.settings.lockout_minutes)} minuter."
        )
        return _login_page(request, store, error=error, next_url=next_url, status_code=401)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await run_in_threadpool(store.end_session, old)
    token, session = await run_in_threadpool(store.start_session, user)
    response = RedirectResponse(next_url or home_for(user, request), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(store.settings.session_hours * 3600),
        httponly=True,
        samesite="strict",
        secure=cookie_secure(store, request.url.hostname, request.url.scheme),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/admin/login")
    return response


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, store: Auth, user: CurrentUser) -> Response:
    """End the session (the CSRF token was checked by ``CurrentUser``)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(store.end_session, token)
    response = RedirectResponse("/admin/login?utloggad=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
