"""``GET /api/health``: each part of the service, and whether citizens can be answered.

* ``ok`` (200): the gateway, every Rasa server, every action server and the stores a turn needs answer:
  ``audit_database`` (no answer without its audit record) and, where one is configured (the cluster
  profile), ``redis`` (the contact vault and the turn locks fail closed without it).
* ``degraded``: a part is down (the runner is starting it again), named in ``failing``. While another
  instance of the same kind still answers (the cluster profile), citizens are still answered: 200, so a
  load balancer keeps this gateway. When no instance of a kind answers, or a store is down: 503.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.api.deps import Rasa
from bot.services.store_health import StoreHealth

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", responses={503: {"description": "A part of the service is down (named in `failing`)"}})
async def health(request: Request, rasa: Rasa) -> JSONResponse:
    """Report each part; name the failing ones."""
    stores: StoreHealth = request.app.state.store_health
    rasa_parts, action_parts, store_parts = await asyncio.gather(
        rasa.rasa_parts(), rasa.action_parts(), stores.parts()
    )
    parts = {"gateway": "ok"}
    every = {**rasa_parts, **action_parts, **store_parts}
    parts.update({name: "ok" if up else "down" for name, up in every.items()})
    failing = [name for name, state in parts.items() if state != "ok"]
    if not failing:
        return JSONResponse({"status": "ok", "parts": parts})
    body = {
        "status": "degraded",
        "parts": parts,
        "failing": failing,
        "error": {
            "code": "service_unavailable",
            "message": "Delar av tjänsten svarar inte: " + ", ".join(failing),
        },
    }
    serving = any(rasa_parts.values()) and any(action_parts.values()) and all(store_parts.values())
    return JSONResponse(status_code=200 if serving else 503, content=body)
