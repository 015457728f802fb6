"""The citizen chat: the page at ``/``, the embeddable widget and its demo, and their static files.

- ``/``: the chat as a page of its own (the same document as ``/widget``).
- ``/widget.js``: the loader a municipality puts on its own site (``<script src=… data-kommunsvar>``).
  It adds a launcher button and a panel in a Shadow DOM (the host page's CSS and ours do not meet);
  the panel is an ``<iframe>`` of ``/widget``, so the chat itself runs on the gateway's origin.
- ``/widget``: the chat panel's document (also the ``<iframe>`` alternative to the script).
- ``/demo``: a fictional municipal page with the widget on it.

Who may frame ``/widget`` is set by ``KOMMUNSVAR_EMBED_ORIGINS`` (CSP ``frame-ancestors``; see
:mod:`bot.api.headers`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"

router = APIRouter(tags=["pages"])

HTML = "text/html; charset=utf-8"


@router.get("/", include_in_schema=False)
@router.get("/widget", include_in_schema=False)
async def chat_page() -> FileResponse:
    """The chat: a page of its own at ``/``, the panel in the widget's frame at ``/widget``.

    One document for both (``chat.js`` sees ``?embedded=1`` from widget.js and then offers "Stäng");
    language (``?lang=en``) and colour (``?color=RRGGBB``) come from the query string.
    """
    return FileResponse(STATIC_DIR / "widget.html", media_type=HTML)


@router.get("/widget.js", include_in_schema=False)
async def widget_loader() -> FileResponse:
    """The loader script for the municipality's own pages (any origin may load it)."""
    response = FileResponse(STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8")
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@router.get("/demo", include_in_schema=False)
async def widget_demo() -> FileResponse:
    """A fictional municipality's page with the widget on it."""
    return FileResponse(STATIC_DIR / "demo.html", media_type=HTML)
