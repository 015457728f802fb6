"""``POST /api/chat``: one citizen message in, the bot's answer with its audit reference out."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict

from bot.api.body import read_json
from bot.api.deps import Chat, ClientAddress, Limits
from bot.api.openapi import error_responses, json_body

router = APIRouter(prefix="/api", tags=["chat"])


class ChatRequest(BaseModel):
    """The citizen's message."""

    model_config = ConfigDict(extra="ignore")

    conversation_id: str | None = None
    text: str
    language: Literal["sv", "en"] | None = None


@router.post(
    "/chat",
    openapi_extra=json_body(ChatRequest),
    responses=error_responses("400", "413", "415", "422", "429", "503"),
)
async def chat(request: Request, service: Chat, limits: Limits, address: ClientAddress) -> JSONResponse:
    """Handle one turn. The body is read here so that bad bytes and bad JSON get a clear 400."""
    req = await read_json(request, ChatRequest)
    limits.chat_turn(address, req.conversation_id)
    reply = await service.handle(req.text, req.conversation_id, req.language)
    content: dict[str, Any] = {
        "conversation_id": reply.conversation_id,
        "messages": reply.messages,
        "audit_id": reply.audit_id,
        "contest_token": reply.contest_token,  # POST /api/cases needs it: only this reader may contest
        "topic": reply.topic,
        "language": reply.language,
        "intent": reply.intent,
        "confidence": reply.confidence,
    }
    if reply.notice:
        content["notice"] = reply.notice
    if reply.pending_review:
        content["pending_review"] = True  # pilot mode: poll POST /api/pilot/status for the answer
    return JSONResponse(content)
