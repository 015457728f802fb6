"""Services some tests need (PostgreSQL, Rasa's venv): skipped locally when missing, failed in CI."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def require_service(problem: str | None) -> None:
    """Go on when ``problem`` is None; otherwise skip, or fail in CI.

    CI is recognised by ``CI`` or ``KOMMUNSVAR_REQUIRE_SERVICES`` in the environment: there a missing
    service must never let its tests pass silently.
    """
    if problem is None:
        return
    if os.environ.get("CI") or os.environ.get("KOMMUNSVAR_REQUIRE_SERVICES"):
        pytest.fail(f"{problem} (required in CI)")
    pytest.skip(problem)


def postgres_problem() -> str | None:
    """Why PostgreSQL on 127.0.0.1:5432 (user postgres, database test) cannot be used, or None."""
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3):
            return None
    except Exception as exc:  # any failure means the server is not usable here
        return f"PostgreSQL not reachable on 127.0.0.1:5432 (user postgres, db test): {type(exc).__name__}"


def redis_problem() -> str | None:
    """Why Redis on 127.0.0.1:6379 cannot be used, or None."""
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_timeout=3).ping()
        return None
    except Exception as exc:  # any failure means Redis is not usable here
        return f"Redis not reachable on 127.0.0.1:6379: {type(exc).__name__}"


def rasa_python() -> str:
    """The Python of the Rasa venv (``.venv-rasa``); skip, or fail in CI, when it is not installed."""
    from pathlib import Path

    python = Path(__file__).resolve().parents[2] / ".venv-rasa" / "bin" / "python"
    require_service(None if python.exists() else f"Rasa is not installed at {python} (make setup)")
    return str(python)


@contextmanager
def fresh_pg_schema(prefix: str) -> Iterator[str]:
    """A URL to a new schema in the ``test`` database, dropped afterwards (fails in CI without PostgreSQL)."""
    from sqlalchemy import create_engine, text

    require_service(postgres_problem())
    schema = f"{prefix}_{secrets.token_hex(4)}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
