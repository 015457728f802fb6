"""Reading a JSON request body into a model, so that bad bytes and bad JSON get a clear 400.

FastAPI's own body parsing answers undecodable bytes and broken JSON with a generic 422; the citizen
API reads the body itself and raises the gateway's errors instead (answered by :mod:`bot.api.errors`).
"""

from __future__ import annotations

import json
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from bot.errors import BodyNotJson, BodyNotUtf8, BodyTooLarge, InvalidRequest, UnsupportedMediaType

MAX_BODY_BYTES = 64 * 1024

Model = TypeVar("Model", bound=BaseModel)


async def read_body(request: Request, media_type: str, *, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The request's body, when it is of ``media_type`` and at most ``max_bytes`` long.

    The size is checked from ``Content-Length`` before anything is read, and the stream is cut at
    ``max_bytes`` whatever the header said.

    Raises:
        UnsupportedMediaType: the Content-Type is not ``media_type``.
        BodyTooLarge: more than ``max_bytes`` bytes.
    """
    given = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if given != media_type:
        raise UnsupportedMediaType(f"body is not {media_type}")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
        raise BodyTooLarge(f"body larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise BodyTooLarge(f"body larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json(request: Request, model: type[Model], *, max_bytes: int = MAX_BODY_BYTES) -> Model:
    """The request's body as ``model``.

    Only ``application/json`` is read: another site's form or ``text/plain`` post (sent without a CORS
    preflight in a visitor's name) is refused. The size is checked from ``Content-Length`` before
    anything is read, and the stream is cut at ``max_bytes`` whatever the header said.

    Raises:
        UnsupportedMediaType: the Content-Type is not application/json.
        BodyTooLarge: more than ``max_bytes`` bytes.
        BodyNotUtf8: the bytes are not UTF-8.
        BodyNotJson: the text is not JSON.
        InvalidRequest: the JSON does not fit ``model`` (names the fields, never their values).
    """
    body = await read_body(request, "application/json", max_bytes=max_bytes)
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BodyNotUtf8("body is not UTF-8") from None
    except json.JSONDecodeError:
        raise BodyNotJson("body is not JSON") from None
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise InvalidRequest(
            sorted({".".join(str(p) for p in err["loc"]) or "body" for err in exc.errors()})
        ) from None
