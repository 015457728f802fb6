"""Security headers on every response: the citizen page, ``/static``, ``/api/*`` and the console.

The console's pages set their own, stricter set (``bot.auth.pages.SECURITY_HEADERS``); this middleware
adds what a response does not already carry. The citizen page may be framed by the municipality's own
site: ``KOMMUNSVAR_FRAME_ANCESTORS`` (default ``'self'``) names who may embed it; everything else may
not be framed at all. HSTS is sent when the request came over TLS (directly or via a trusted proxy).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

EMBEDDABLE = ("/", "/static/")  # the citizen chat and its assets
DOCS = ("/docs", "/redoc", "/openapi.json")  # development only; their UI needs the CDN and inline script
HSTS = "max-age=31536000; includeSubDomains"


def policy(frame_ancestors: str) -> str:
    """The Content-Security-Policy: only our own scripts and styles, no inline script."""
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"connect-src 'self'; form-action 'self'; frame-ancestors {frame_ancestors}; base-uri 'none'; "
        "object-src 'none'"
    )


def install_security_headers(app: FastAPI, frame_ancestors: str) -> None:
    """Add the headers to every response of ``app``."""
    embeddable = policy(frame_ancestors)
    closed = policy("'none'")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        path = request.url.path
        headers = response.headers
        if not path.startswith(DOCS):
            may_frame = path == "/" or path.startswith("/static/")
            headers.setdefault("Content-Security-Policy", embeddable if may_frame else closed)
            if not may_frame:
                headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if path.startswith("/api/"):
            headers.setdefault("Cache-Control", "no-store")
        if request.url.scheme == "https":
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
