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

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class SecurityHeaders:
    """Plain ASGI middleware that adds the headers to each response's start message.

    Starlette's ``@app.middleware("http")`` (``BaseHTTPMiddleware``) would run every request through an
    extra task and a streamed copy of the response body; this one only touches the headers.
    """

    def __init__(self, app: ASGIApp, frame_ancestors: str, embed_origins: Sequence[str] = ()) -> None:
        self.app = app
        more = [origin for origin in embed_origins if origin not in frame_ancestors.split()]
        ancestors = " ".join([frame_ancestors, *more])
        self.embeddable = policy(ancestors)
        self.closed = policy("'none'")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers when the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(MutableHeaders(scope=message), path, secure)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _add(self, headers: MutableHeaders, path: str, secure: bool) -> None:
        if not path.startswith(DOCS):
            may_frame = path in EMBEDDABLE or path.startswith("/static/")
            headers.setdefault("Content-Security-Policy", self.embeddable if may_frame else self.closed)
            if not may_frame:
                headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if path.startswith("/api/"):
            headers.setdefault("Cache-Control", "no-store")
        if secure:
            headers.setdefault("Strict-Transport-Security", HSTS)


def install_security_headers(app: FastAPI, frame_ancestors: str, embed_origins: Sequence[str] = ()) -> None:
    """Add the headers to every response of ``app``."""
    app.add_middleware(SecurityHeaders, frame_ancestors=frame_ancestors, embed_origins=embed_origins)


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
