"""Database plumbing: engines per dialect, transactions, durability and the cross-process writer lock.

The tables live in :mod:`audit.tables`.

SQLite runs in WAL mode with ``synchronous=FULL`` by default (every commit is on disk before ``append``
returns; ``NORMAL`` survives a process crash but may lose the last commits on power loss), and writers
take the database write lock up front with ``BEGIN IMMEDIATE``. PostgreSQL writers serialise on a
transaction-level advisory lock. Either way, reading the log's tail and appending to it happen under one
lock, across threads and processes, so the log never forks.

Every SQLite connection runs with ``secure_delete=ON``: content that retention or a deletion request
removes (ciphertext, wrapped conversation keys, tracker turns) is overwritten with zeros in the page,
not left in free space. After a purge, :func:`checkpoint_wal` copies the WAL back and truncates it, so
no older page image survives in the ``-wal`` file either.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from audit.errors import AuditConfigError, AuditStoreUnavailable

# Arbitrary constant naming "the audit log's append lock" among PostgreSQL advisory locks.
PG_APPEND_LOCK_KEY = 0x4B53_4155_4449_54  # "KSAUDIT"


def create_audit_engine(
    database_url: str,
    *,
    busy_timeout_s: float,
    connect_timeout_s: float,
    sqlite_synchronous: str = "FULL",
    sqlite_wal: bool = True,
) -> Engine:
    """Create an engine for ``database_url``; for SQLite files, create the parent folder.

    ``sqlite_wal=False`` leaves the journal mode and durability of the file as they are (for a database
    another program owns, such as Rasa's tracker store); ``secure_delete`` is always switched on.

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
        _configure_sqlite(engine, sqlite_synchronous if sqlite_wal else None, busy_timeout_s)
        return engine
    if backend == "postgresql":
        if url.drivername in ("postgresql", "postgresql+psycopg2"):  # Rasa's URLs name psycopg2
            url = url.set(drivername="postgresql+psycopg")
        return create_engine(
            url,
            connect_args={"connect_timeout": max(1, int(connect_timeout_s))},
            # No pre-ping (a round trip per checkout): a dropped connection is detected on use,
            # invalidated by SQLAlchemy, and the append is retried once on a fresh one.
            pool_recycle=1800,
        )
    raise AuditConfigError(f"unsupported audit database: {backend}")


def _configure_sqlite(engine: Engine, synchronous: str | None, busy_timeout_s: float = 30.0) -> None:
    """Set up every new SQLite connection of ``engine``.

    We issue BEGIN ourselves (IMMEDIATE for writers), deleted content is zeroed, and (unless
    ``synchronous`` is None) WAL is switched on with the chosen durability.
    """
    if synchronous not in ("FULL", "NORMAL", None):
        raise AuditConfigError("sqlite_synchronous must be FULL or NORMAL")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        # Per connection: whatever this connection deletes or overwrites is zeroed on the page.
        cursor.execute("PRAGMA secure_delete=ON")
        if synchronous is not None:
            _switch_to_wal(cursor, busy_timeout_s)
            cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        if options.get("audit_writer"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif not options.get("audit_single_read"):
            conn.exec_driver_sql("BEGIN")


def _switch_to_wal(cursor: Any, busy_timeout_s: float) -> None:
    """Put the file in WAL mode, waiting while another process does the same.

    Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is locked" at once
    (without its busy handler) while another connection holds one: several processes opening a new
    database together meet exactly that, so we retry until the busy timeout.
    """
    deadline = time.monotonic() + busy_timeout_s
    delay = 0.01
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


PG_LOCK_SQL = "SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(%(key)s)"


@contextmanager
def writer_transaction(
    engine: Engine, *, lock: bool = True, conn: Connection | None = None
) -> Iterator[Connection]:
    """Open a transaction that holds the log's append lock until it commits or rolls back.

    On PostgreSQL the commit does not wait for the disk (``synchronous_commit`` off, for this
    transaction only), so the lock is held for a few round trips and not for a disk flush; writers
    call :func:`make_durable` after the commit, outside the lock, where the flushes of concurrent
    writers overlap. WAL is written in commit order, so a crash can only lose a suffix of the log
    (never a record in the middle), and no caller returns before its own records are flushed.

    ``lock=False`` (PostgreSQL only): the caller sends :data:`PG_LOCK_SQL` itself as the first
    statement, e.g. pipelined with its first query. ``conn``: a writer connection to reuse (from
    :func:`writer_connection`); otherwise one is taken from the pool for this transaction.
    """
    if conn is None:
        with writer_connection(engine) as fresh, _locked(fresh, lock):
            yield fresh
    else:
        with _locked(conn, lock):
            yield conn


def writer_connection(engine: Engine) -> Connection:
    """A connection whose transactions take the append lock (SQLite: ``BEGIN IMMEDIATE``)."""
    return engine.connect().execution_options(audit_writer=True)


@contextmanager
def _locked(conn: Connection, lock: bool) -> Iterator[None]:
    with conn.begin():
        if conn.dialect.name == "postgresql" and lock:
            conn.execute(
                text("SELECT set_config('synchronous_commit', 'off', true), pg_advisory_xact_lock(:key)"),
                {"key": PG_APPEND_LOCK_KEY},
            )
        yield


def make_durable(engine: Engine) -> None:
    """Return once everything committed so far is on disk.

    PostgreSQL: a tiny synchronous transaction that writes WAL (a logical message) and so must flush
    the WAL up to its own commit, which lies after every earlier commit. SQLite: nothing to do (with
    ``synchronous=FULL`` each commit was flushed; with NORMAL durability was traded away on purpose).
    """
    if engine.dialect.name != "postgresql":
        return
    import psycopg

    for attempt in range(2):
        with engine.connect() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None
            try:
                driver.autocommit = True
                driver.execute(_FLUSH_SQL)
                driver.autocommit = False
                return
            except psycopg.Error as exc:
                conn.invalidate()  # the server closed it (restart, idle timeout): retry on a new one
                if attempt:
                    raise DBAPIError.instance(_FLUSH_SQL, None, exc, psycopg.Error) from exc


_FLUSH_SQL = "SELECT txid_current(), pg_logical_emit_message(true, 'kommunsvar-audit', 'flush')"


def checkpoint_wal(engine: Engine) -> bool:
    """After a purge: copy a SQLite WAL into the database and truncate it to zero bytes.

    Older page images (with the content just deleted) otherwise stay in the ``-wal`` file until it is
    overwritten. Returns False when readers kept the checkpoint from completing (run the purge again);
    True when it completed, the file is not in WAL mode, or the database is not SQLite.
    """
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect().execution_options(audit_single_read=True) as conn:
        busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    return busy is None or int(busy[0]) == 0


def vacuum(engine: Engine, tables: tuple[str, ...]) -> None:
    """Rewrite the database (SQLite: ``VACUUM``) or the tables (PostgreSQL: ``VACUUM FULL``).

    For old SQLite files whose free pages were written before ``secure_delete`` was on, and on
    PostgreSQL to drop the dead tuples of purged rows from the table files. Locks the store while it
    runs: a maintenance-window step, not part of every purge.
    """
    if engine.dialect.name == "sqlite":
        with engine.connect().execution_options(audit_single_read=True) as conn:
            conn.exec_driver_sql("VACUUM")
        checkpoint_wal(engine)
        return
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.exec_driver_sql(f'VACUUM FULL "{table}"')


def single_read(engine: Engine) -> Connection:
    """A connection for one read statement: on SQLite it skips BEGIN (a lone SELECT is consistent)."""
    return engine.connect().execution_options(audit_single_read=True)


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Turn database errors into ``AuditStoreUnavailable`` naming the action, not the data."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise AuditStoreUnavailable(f"audit store failed to {action}: {type(exc).__name__}") from exc
