"""The store checks behind ``/api/health``: the audit database and the configured Redis servers."""

from __future__ import annotations

import asyncio
import time

from sqlalchemy import create_engine

from bot.runner import free_port
from bot.services.store_health import StoreHealth, redis_urls
from tests.audit.required_services import redis_problem, require_service


def test_only_distinct_redis_urls_are_checked():
    urls = redis_urls("", "memory://", "redis://h:1/0", "redis://h:1/0", "rediss://h:2/1")
    assert urls == ["redis://h:1/0", "rediss://h:2/1"]


def test_an_sqlite_audit_database_answers(tmp_path):
    health = StoreHealth(create_engine(f"sqlite:///{tmp_path / 'audit.db'}"))
    assert asyncio.run(health.parts()) == {"audit_database": True}


def test_an_unreachable_postgresql_is_down_within_the_timeout():
    port = free_port()  # nothing listens: the connection is refused
    engine = create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/test", connect_args={"connect_timeout": 1}
    )
    started = time.monotonic()
    assert asyncio.run(StoreHealth(engine, timeout_s=1.0).parts()) == {"audit_database": False}
    assert time.monotonic() - started < 5


def test_redis_up_and_down(tmp_path):
    require_service(redis_problem())
    engine = create_engine(f"sqlite:///{tmp_path / 'audit.db'}")

    async def check(*urls: str) -> dict[str, bool]:
        health = StoreHealth(engine, urls, timeout_s=1.0)
        try:
            return await health.parts()
        finally:
            await health.close()

    assert asyncio.run(check("redis://127.0.0.1:6379/0", "memory://")) == {
        "audit_database": True,
        "redis": True,
    }
    dead = f"redis://127.0.0.1:{free_port()}/0"
    assert asyncio.run(check("redis://127.0.0.1:6379/0", dead)) == {"audit_database": True, "redis": False}
