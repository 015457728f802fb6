"""Turns errors into JSON responses ``{"error": {"code", "message"}}`` — never a stack trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.errors import GatewayError, UpstreamUnavailable

logger = logging.getLogger("kommunsvar.http")


def error_response(status: int, code: str, message: str) -> JSONResponse:
    """The one error shape of the API."""
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(GatewayError)
    async def _gateway_error(request: Request, exc: GatewayError) -> JSONResponse:
        if isinstance(exc, UpstreamUnavailable):
            logger.warning("upstream_unavailable", extra={"part": exc.part})
        return error_response(exc.status_code, exc.code, exc.message_sv)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = sorted({".".join(str(p) for p in err.get("loc", ())[1:]) for err in exc.errors()})
        return error_response(
            422, "invalid_request", "Fel i förfrågan: " + ", ".join(fields or ["okänt fält"])
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {404: "Sidan finns inte.", 405: "Metoden stöds inte."}
        return error_response(
            exc.status_code, "http_error", messages.get(exc.status_code, "Fel i förfrågan.")
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unexpected_error", extra={"error": type(exc).__name__})
        return error_response(500, "internal_error", "Något gick fel. Försök igen om en stund.")
