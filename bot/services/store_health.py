"""Whether the stores a turn needs answer: the audit database and, in the cluster profile, Redis.

A turn is answered only when its audit record is written (the audit database) and, in the cluster
profile, when the contact vault and the turn lock answer (Redis; both fail closed). ``/api/health``
therefore names them beside the processes: ``audit_database`` and ``redis``. Each check is one round trip
(``SELECT 1``, ``PING``) bounded by a short timeout, so a store that hangs makes the health answer late by
at most that much, never forever.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Iterable

import redis.asyncio
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def redis_urls(*urls: str) -> list[str]:
    """The distinct Redis URLs among ``urls`` (others, such as ``memory://`` or empty ones, are left out)."""
    seen: list[str] = []
    for url in urls:
        if url and url.startswith(REDIS_SCHEMES) and url not in seen:
            seen.append(url)
    return seen


class StoreHealth:
    """Checks the audit database and every configured Redis, each within ``timeout_s``."""

    def __init__(self, audit_engine: Engine, urls: Iterable[str] = (), timeout_s: float = 2.0) -> None:
        """Remember the audit engine and open (lazily connecting) clients for the Redis URLs."""
        self._engine = audit_engine
        self._timeout_s = timeout_s
        self._redis = [  # one pool per distinct URL, connecting on the first check
            redis.asyncio.Redis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
            for url in redis_urls(*urls)
        ]

    async def parts(self) -> dict[str, bool]:
        """``{"audit_database": up, "redis": up}`` (``redis`` only when one is configured)."""
        checks = [self._database()]
        if self._redis:
            checks.append(self._redis_up())
        results = await asyncio.gather(*checks)
        states = {"audit_database": results[0]}
        if self._redis:
            states["redis"] = results[1]
        return states

    async def _database(self) -> bool:
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._select_one), self._timeout_s)
        except (TimeoutError, SQLAlchemyError, OSError) as exc:
            logger.warning(
                "store_unavailable", extra={"store": "audit_database", "error": type(exc).__name__}
            )
            return False

    def _select_one(self) -> bool:
        with self._engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1

    async def _redis_up(self) -> bool:
        try:
            for client in self._redis:
                await asyncio.wait_for(self._ping(client), self._timeout_s)
            return True
        except (TimeoutError, RedisError, OSError) as exc:
            logger.warning("store_unavailable", extra={"store": "redis", "error": type(exc).__name__})
            return False

    @staticmethod
    async def _ping(client: redis.asyncio.Redis) -> bool:
        reply = client.ping()  # typed as "Awaitable[bool] | bool" for the sync and async clients alike
        return bool(await reply) if inspect.isawaitable(reply) else bool(reply)

    async def close(self) -> None:
        """Close the Redis clients."""
        for client in self._redis:
            await client.aclose()
