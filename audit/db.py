"""Database plumbing: engine creation per dialect, the tables, and the cross-process writer lock.

SQLite runs in WAL mode with ``synchronous=FULL`` (every commit is durable) and writers take the
database write lock up front with ``BEGIN IMMEDIATE``. PostgreSQL writers serialise on a transaction-level
advisory lock. Either way, reading the log's tail and appending to it happen under one lock, across
threads and processes, so the log never forks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from audit.errors import AuditConfigError, AuditStoreUnavailable

# Arbitrary constant naming "the audit log's append lock" among PostgreSQL advisory locks.
PG_APPEND_LOCK_KEY = 0x4B53_4155_4449_54  # "KSAUDIT"

metadata = MetaData()

entries = Table(
    "audit_entry",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("audit_id", String(16), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("conversation", String(128), nullable=False),
    Column("channel", String(32), nullable=True),
    Column("language", String(8), nullable=True),
    Column("topic", String(64), nullable=True),
    Column("intent", String(64), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("fallback", Boolean, nullable=False),
    Column("handoff", Boolean, nullable=False),
    Column("retention_class", String(64), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("entry_hash", LargeBinary(32), nullable=False),
    Index("ix_audit_entry_created_at", "created_at"),
    Index("ix_audit_entry_conversation", "conversation"),
    Index("ix_audit_entry_topic", "topic"),
    Index("ix_audit_entry_intent", "intent"),
)


def create_audit_engine(database_url: str, *, busy_timeout_s: float, connect_timeout_s: float) -> Engine:
    """Create an engine for ``database_url``; for SQLite files, create the parent folder.

    Raises:
        AuditConfigError: the URL is malformed or names an unsupported database.
        AuditStoreUnavailable: the SQLite folder cannot be created.
    """
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise AuditConfigError(f"invalid audit database URL: {exc}") from None
    backend = url.get_backend_name()
    if backend == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise AuditStoreUnavailable(f"cannot create folder for the audit database: {exc}") from None
        engine = create_engine(url, connect_args={"timeout": busy_timeout_s, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return create_engine(
            url,
            connect_args={"connect_timeout": max(1, int(connect_timeout_s))},
            pool_pre_ping=True,
        )
    raise AuditConfigError(f"unsupported audit database: {backend}")


def _configure_sqlite(engine: Engine) -> None:
    """Let us issue BEGIN ourselves (IMMEDIATE for writers) and switch on WAL + durable commits."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("audit_writer"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


@contextmanager
def writer_transaction(engine: Engine) -> Iterator[Connection]:
    """Open a transaction that holds the log's append lock until it commits or rolls back."""
    with engine.connect().execution_options(audit_writer=True) as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_APPEND_LOCK_KEY})
        yield conn


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Turn database errors into ``AuditStoreUnavailable`` naming the action, not the data."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise AuditStoreUnavailable(f"audit store failed to {action}: {type(exc).__name__}") from exc
