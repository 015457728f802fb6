"""Every shared FastAPI dependency, as ``Annotated`` aliases: the services and the logged-in user.

Usage in a route::

    @router.get("/staff/cases")
    async def cases(request: Request, user: CurrentStaff, service: Cases) -> Response: ...

Services are the ones built in the app's lifespan (``app.state``). Without a valid session, HTML routes
redirect (303) to ``/admin/login?next=…`` and JSON routes get 401; a user with the wrong role gets 403
(both through the error table in :mod:`bot.api.errors`). Every unsafe request (POST, PUT, PATCH,
DELETE) through the user aliases must carry the session's CSRF token, as the form field ``csrf_token``
or the header ``X-CSRF-Token``; templates get it as ``{{ csrf_token }}``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from bot.admin.service import AdminConsole
from bot.auth.errors import CsrfFailed, Forbidden, NotAuthenticated
from bot.auth.models import AuthSession, User
from bot.auth.store import AuthStore, tokens_match
from bot.rasa_client import RasaClient
from bot.services.chat import ChatService
from bot.services.privacy import PrivacyService
from bot.services.rate_limit import RateLimits
from cases.service import CaseService

SESSION_COOKIE = "ks_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


# --- services -------------------------------------------------------------------------------------


def chat_service(request: Request) -> ChatService:
    """The chat service built in the app's lifespan."""
    service: ChatService = request.app.state.chat_service
    return service


def rasa_client(request: Request) -> RasaClient:
    """The Rasa client built in the app's lifespan."""
    client: RasaClient = request.app.state.rasa
    return client


def case_service(request: Request) -> CaseService:
    """The case service built in the app's lifespan."""
    service: CaseService = request.app.state.case_service
    return service


def admin_console(request: Request) -> AdminConsole:
    """The console service built in the app's lifespan."""
    console: AdminConsole = request.app.state.admin
    if not console.queries.cases_linked and getattr(request.app.state, "case_service", None) is not None:
        console.queries.cases_linked = True  # the staff queue records contested answers (mark_contested)
    return console


def rate_limits(request: Request) -> RateLimits:
    """The abuse limits built with the app (bot.services.rate_limit)."""
    limits: RateLimits = request.app.state.rate_limits
    return limits


def client_address(request: Request) -> str:
    """The client's address (uvicorn takes it from X-Forwarded-For only from a trusted proxy)."""
    return request.client.host if request.client else "unknown"


def privacy_service(request: Request) -> PrivacyService:
    """The privacy service built in the app's lifespan, after checking the caller."""
    service: PrivacyService = request.app.state.privacy
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    service.authorise(request.headers.get("authorization", ""), loopback)
    return service


Chat = Annotated[ChatService, Depends(chat_service)]
Rasa = Annotated[RasaClient, Depends(rasa_client)]
Cases = Annotated[CaseService, Depends(case_service)]
Console = Annotated[AdminConsole, Depends(admin_console)]
Privacy = Annotated[PrivacyService, Depends(privacy_service)]
Limits = Annotated[RateLimits, Depends(rate_limits)]
ClientAddress = Annotated[str, Depends(client_address)]


# --- the logged-in user ----------------------------------------------------------------------------


def auth_store(request: Request) -> AuthStore:
    """The user store built in the app's lifespan."""
    store: AuthStore = request.app.state.auth
    return store


async def optional_session(request: Request) -> AuthSession | None:
    """The request's valid session, or None; remembered on ``request.state.auth_session``."""
    if hasattr(request.state, "auth_session"):
        cached: AuthSession | None = request.state.auth_session
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    session = await run_in_threadpool(auth_store(request).session, token) if token else None
    request.state.auth_session = session
    return session


async def check_csrf(request: Request, session: AuthSession) -> None:
    """Raise ``CsrfFailed`` unless an unsafe request echoes the session's CSRF token."""
    if request.method not in _UNSAFE:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not tokens_match(session.csrf_token, given):
        raise CsrfFailed("missing or wrong CSRF token")


async def current_user(request: Request) -> User:
    """The logged-in user (any role); checks CSRF on unsafe requests."""
    session = await optional_session(request)
    if session is None:
        raise NotAuthenticated("no valid session")
    await check_csrf(request, session)
    return session.user


def require_roles(*roles: str) -> Callable[[Request], Awaitable[User]]:
    """A dependency that lets only ``roles`` through (after the login and CSRF checks)."""

    async def dependency(request: Request) -> User:
        user = await current_user(request)
        if user.role not in roles:
            raise Forbidden(f"role {user.role} may not use this route")
        return user

    dependency.__name__ = "require_" + "_or_".join(roles)
    return dependency


current_admin = require_roles("admin")
current_auditor = require_roles("auditor", "admin")
current_staff = require_roles("staff", "admin")

CurrentUser = Annotated[User, Depends(current_user)]
CurrentAdmin = Annotated[User, Depends(current_admin)]
CurrentAuditor = Annotated[User, Depends(current_auditor)]
CurrentStaff = Annotated[User, Depends(current_staff)]
OptionalSession = Annotated[AuthSession | None, Depends(optional_session)]
Auth = Annotated[AuthStore, Depends(auth_store)]
