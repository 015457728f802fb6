"""Security headers on every response: the citizen page, ``/static``, ``/api/*`` and the console.

The console's pages set their own, stricter set (``bot.auth.pages.SECURITY_HEADERS``); this middleware
adds what a response does not already carry. The citizen page and the widget's panel (``/widget``) may be
framed by the municipality's own site: ``KOMMUNSVAR_FRAME_ANCESTORS`` (default ``'self'``) and the
origins of ``KOMMUNSVAR_EMBED_ORIGINS`` name who may embed them; everything else may not be framed at
all. Those origins may also call the citizen API cross-origin (:func:`install_embed_cors`; no
credentials: the citizen API uses none). HSTS is sent when the request came over TLS (directly or via a
trusted proxy).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

EMBEDDABLE = ("/", "/widget")  # the citizen chat and the widget's panel (and /static/, their assets)
DOCS = ("/docs", "/redoc", "/openapi.json")  # development only; their UI needs the CDN and inline script
HSTS = "max-age=31536000; includeSubDomains"


def policy(frame_ancestors: str) -> str:
    """The Content-Security-Policy: only our own scripts and styles, no inline script."""
    return (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        f"connect-src 'self'; form-action 'self'; frame-ancestors {frame_ancestors}; base-uri 'none'; "
        "object-src 'none'"
    )


def install_security_headers(app: FastAPI, frame_ancestors: str, embed_origins: Sequence[str] = ()) -> None:
    """Add the headers to every response of ``app``."""
    ancestors = " ".join([frame_ancestors, *[o for o in embed_origins if o not in frame_ancestors.split()]])
    embeddable = policy(ancestors)
    closed = policy("'none'")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        path = request.url.path
        headers = response.headers
        if not path.startswith(DOCS):
            may_frame = path in EMBEDDABLE or path.startswith("/static/")
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


def install_embed_cors(app: FastAPI, embed_origins: Sequence[str]) -> None:
    """Let the municipality's embedding sites call the citizen API (no cookies, JSON only)."""
    if embed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(embed_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
            allow_credentials=False,
            max_age=600,
        )
