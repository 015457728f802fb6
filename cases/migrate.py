"""Create or upgrade the case tables with Alembic when the store opens, once even if many start at once.

The case store has its own migrations (``cases/migrations``) and its own version table
(:data:`VERSION_TABLE`), so it can live in the audit log's PostgreSQL database without touching the
log's ``alembic_version``. A database whose tables were made before there were migrations (by
``metadata.create_all``) is stamped with the first revision, which creates exactly those tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from cases.errors import CaseStoreUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "cases_alembic_version"
BASELINE = "0001"  # the tables metadata.create_all made before the store had migrations
# Arbitrary constant naming "the case store's migration lock" among PostgreSQL advisory locks.
PG_MIGRATION_LOCK_KEY = 0x4B53_4341_5345_53  # "KSCASES"


def alembic_config() -> Config:
    """Alembic config pointing at the case migrations (works without alembic.ini, e.g. when installed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest revision id."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None before the case tables exist)."""
    with engine.connect() as conn:
        return _revision(conn)


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """A transaction that concurrent starters wait on (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: a lock)."""
    with engine.connect().execution_options(audit_writer=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK_KEY})
        yield conn


def upgrade_schema(engine: Engine) -> None:
    """Bring the case tables to the newest revision (creating them in an empty database).

    Raises:
        CaseStoreUnavailable: the database cannot be reached or migrated.
    """
    try:
        with engine.connect() as conn:
            if _revision(conn) == head_revision():
                return
        with _migration_lock(engine) as conn:
            revision = _revision(conn)
            if revision == head_revision():
                return
            config = alembic_config()
            config.attributes["connection"] = conn
            if revision is None and inspect(conn).has_table("case_record"):
                command.stamp(config, BASELINE)
            command.upgrade(config, "head")
    except SQLAlchemyError as exc:
        raise CaseStoreUnavailable(f"case store failed to migrate its schema: {type(exc).__name__}") from exc
