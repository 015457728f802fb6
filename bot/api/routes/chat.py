"""``POST /api/chat``: one citizen message in, the bot's answer with its audit reference out."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.api.deps import Chat
from bot.api.errors import error_response

router = APIRouter(prefix="/api", tags=["chat"])

MAX_BODY_BYTES = 64 * 1024


class ChatRequest(BaseModel):
    """The citizen's message."""

    model_config = ConfigDict(extra="ignore")

    conversation_id: str | None = None
    text: str
    language: Literal["sv", "en"] | None = None


@router.post("/chat")
async def chat(request: Request, service: Chat) -> JSONResponse:
    """Handle one turn. The body is parsed here so that bad bytes and bad JSON get a clear 400."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return error_response(413, "message_too_long", "Meddelandet är för långt.")
    try:
        payload: Any = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return error_response(400, "invalid_encoding", "Meddelandet måste vara kodat som UTF-8.")
    except json.JSONDecodeError:
        return error_response(400, "invalid_json", "Förfrågan är inte giltig JSON.")
    try:
        req = ChatRequest.model_validate(payload)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in err["loc"]) or "body" for err in exc.errors()})
        return error_response(422, "invalid_request", "Fel i förfrågan: " + ", ".join(fields))
    reply = await service.handle(req.text, req.conversation_id, req.language)
    content: dict[str, Any] = {
        "conversation_id": reply.conversation_id,
        "messages": reply.messages,
        "audit_id": reply.audit_id,
        "topic": reply.topic,
        "language": reply.language,
        "intent": reply.intent,
        "confidence": reply.confidence,
    }
    if reply.notice:
        content["notice"] = reply.notice
    return JSONResponse(content)
