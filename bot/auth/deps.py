"""FastAPI dependencies for logged-in users, as ``Annotated`` aliases.

Usage in a route::

    @router.get("/staff/cases")
    async def cases(request: Request, user: CurrentStaff) -> Response: ...

Without a valid session, HTML routes redirect (303) to ``/admin/login?next=…`` and JSON routes get 401;
a user with the wrong role gets 403. Every unsafe request (POST, PUT, PATCH, DELETE) through these
dependencies must carry the session's CSRF token, as the form field ``csrf_token`` or the header
``X-CSRF-Token``; templates get it as ``{{ csrf_token }}``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from bot.auth.errors import CsrfFailed, Forbidden, NotAuthenticated
from bot.auth.models import AuthSession, User
from bot.auth.store import AuthStore, tokens_match

SESSION_COOKIE = "ks_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


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
