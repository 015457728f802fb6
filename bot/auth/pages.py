"""Server-rendered pages: the Jinja2 environment, security headers, the navigation, the login redirect.

Every HTML page of the admin console and the staff queue extends ``base.html`` and is rendered with
:func:`render`, which adds the logged-in user, the CSRF token and the navigation to the context.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot.auth.models import User

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
LOGIN_PATH = "/admin/login"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class NavItem:
    """One link of the top navigation, shown to the listed roles."""

    label: str
    href: str
    roles: tuple[str, ...]


# Other parts (the staff queue) add their entries with ``register_nav`` when their router is imported.
NAV: list[NavItem] = [
    NavItem("Översikt", "/admin", ("admin", "auditor")),
    NavItem("Svarsloggen", "/admin/audit", ("admin", "auditor")),
    NavItem("Kontroll av loggen", "/admin/integrity", ("admin", "auditor")),
    NavItem("Åtkomstloggen", "/admin/access", ("admin",)),
]


def register_nav(label: str, href: str, roles: tuple[str, ...]) -> None:
    """Add a navigation link (idempotent)."""
    item = NavItem(label, href, roles)
    if item not in NAV:
        NAV.append(item)


_templates: Jinja2Templates | None = None


def templates() -> Jinja2Templates:
    """The shared template environment (built on first use, autoescaping on)."""
    global _templates
    if _templates is None:
        _templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
    return _templates


def nav_for(user: User | None, path: str) -> list[dict[str, Any]]:
    """The links ``user`` may see, with the current one marked."""
    if user is None:
        return []
    items = [item for item in NAV if user.role in item.roles]
    best = max(
        (item.href for item in items if path == item.href or path.startswith(item.href + "/")),
        key=len,
        default=None,
    )
    return [{"label": i.label, "href": i.href, "current": i.href == best} for i in items]


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """Render ``template`` with the user, CSRF token and navigation, plus security headers."""
    session = getattr(request.state, "auth_session", None)
    user = session.user if session is not None else None
    full = {
        "user": user,
        "csrf_token": session.csrf_token if session is not None else "",
        "nav": nav_for(user, request.url.path),
        **(context or {}),
    }
    response = templates().TemplateResponse(request, template, full, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    if headers:
        response.headers.update(headers)
    return response


def wants_json(request: Request) -> bool:
    """True for API calls: paths under /api/ or requests that accept JSON but not HTML."""
    if request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def login_redirect(request: Request) -> RedirectResponse:
    """303 to the login page, remembering where the user wanted to go (GET only)."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = LOGIN_PATH if request.method != "GET" else f"{LOGIN_PATH}?next={quote(target, safe='')}"
    return RedirectResponse(location, status_code=303, headers={"Cache-Control": "no-store"})
