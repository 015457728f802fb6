"""The citizen chat page at ``/`` and its static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"

router = APIRouter(tags=["pages"])


@router.get("/", include_in_schema=False)
async def chat_page() -> FileResponse:
    """The chat page (Swedish)."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8")
