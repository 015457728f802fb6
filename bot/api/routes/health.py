"""``GET /api/health``: 200 only when the gateway, Rasa and the action server all answer.

While a part is down (the runner is starting it again) the gateway still answers: 503 with status
``degraded`` and the missing part named in ``failing``, so a load balancer or monitor can tell which.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from bot.api.deps import Rasa

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", responses={503: {"description": "A part of the service is down (named in `failing`)"}})
async def health(rasa: Rasa) -> JSONResponse:
    """Report each part; name the failing ones."""
    rasa_ok, actions_ok = await asyncio.gather(rasa.rasa_healthy(), rasa.actions_healthy())
    parts = {
        "gateway": "ok",
        "rasa": "ok" if rasa_ok else "down",
        "action_server": "ok" if actions_ok else "down",
    }
    failing = [name for name, state in parts.items() if state != "ok"]
    if failing:
        return JSONResponse(
            status_code=503,
            content={
                "status": "degraded",
                "parts": parts,
                "failing": failing,
                "error": {
                    "code": "service_unavailable",
                    "message": "Delar av tjänsten svarar inte: " + ", ".join(failing),
                },
            },
        )
    return JSONResponse({"status": "ok", "parts": parts})
