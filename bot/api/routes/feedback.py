"""``POST /api/feedback``: "Hjälpte svaret? Ja / Nej" on an answer, or "Hur nöjd är du?" (1–5).

The same proof of owning the answer as a contest (``contest_token`` from the chat reply). No free text:
a "no" may carry one reason from a fixed list (``cases.feedback.REASONS``).
"""

from __future__ import annotations

from typing import Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot.api.body import read_json
from bot.api.deps import Cases, ClientAddress, Limits
from bot.api.openapi import error_responses, json_body
from cases.feedback import FeedbackReceipt

router = APIRouter(prefix="/api", tags=["feedback"])

Reason = Literal["wrong", "not_my_question", "unclear", "outdated", "other"]


class FeedbackIn(BaseModel):
    """Body of ``POST /api/feedback``: ``helpful`` (and perhaps ``reason``) or ``rating``, not both."""

    model_config = ConfigDict(extra="forbid", strict=True)  # "yes" is not a yes, "4" not a rating

    audit_id: str = Field(max_length=64)
    contest_token: str = Field(default="", max_length=64)
    conversation_id: str | None = Field(default=None, max_length=64)
    helpful: bool | None = None
    reason: Reason | None = None
    rating: int | None = Field(default=None, ge=1, le=5)

    @model_validator(mode="after")
    def _one_kind(self) -> FeedbackIn:
        if (self.helpful is None) == (self.rating is None):
            raise ValueError("give either helpful or rating")
        if self.reason is not None and self.helpful is not False:
            raise ValueError("a reason goes with helpful: false")
        return self


@router.post(
    "/feedback",
    status_code=201,
    openapi_extra=json_body(FeedbackIn),
    responses={
        200: {"description": "An earlier vote on the same answer (or rating) was replaced"},
        **error_responses("400", "404", "413", "415", "422", "429", "503"),
    },
)
async def give_feedback(
    request: Request, service: Cases, limits: Limits, address: ClientAddress
) -> JSONResponse:
    """Store the vote or rating: 201, or 200 when it replaced an earlier one."""
    req = await read_json(request, FeedbackIn)
    limits.feedback(address)

    def store() -> FeedbackReceipt:
        if req.rating is not None:
            rating = req.rating
            return service.feedback.conversation(req.audit_id, rating, req.contest_token, req.conversation_id)
        return service.feedback.answer(
            req.audit_id, bool(req.helpful), req.reason, req.contest_token, req.conversation_id
        )

    receipt = await anyio.to_thread.run_sync(store)
    return JSONResponse(receipt.to_dict(), status_code=200 if receipt.replaced else 201)
