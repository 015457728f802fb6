"""Statements sent straight to the database driver on the hot paths (append, verify).

SQLAlchemy's per-statement work (compile-cache lookup, parameter processing, result rows) cost more
than the database itself on an append. Here statements are compiled once per dialect to plain SQL with
named parameters and run on the driver's cursor; on PostgreSQL several statements share one round
trip (psycopg pipeline mode). Driver errors come back as SQLAlchemy errors, so callers handle one kind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import ClauseElement

Params = dict[str, Any]


@lru_cache(maxsize=64)
def raw_sql(statement: ClauseElement, dialect: str) -> str:
    """``statement`` as SQL text for ``dialect`` ("sqlite" | "postgresql"), with named parameters."""
    if dialect == "sqlite":
        compiled = statement.compile(dialect=sqlite.dialect(paramstyle="named"))
    else:
        compiled = statement.compile(dialect=postgresql.psycopg.dialect())  # type: ignore[no-untyped-call]
    return str(compiled)


@contextmanager
def driver_errors(sql: str) -> Iterator[None]:
    """Re-raise driver errors as the SQLAlchemy errors SQLAlchemy itself would have raised."""
    import psycopg

    try:
        yield
    except sqlite3.Error as exc:
        raise DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc
    except psycopg.Error as exc:
        raise DBAPIError.instance(sql, None, exc, psycopg.Error) from exc


def _driver(conn: Connection) -> Any:
    driver = conn.connection.driver_connection
    assert driver is not None
    return driver


def fetch_one(conn: Connection, statement: ClauseElement, params: Params) -> tuple[Any, ...] | None:
    """Run a query and return its first row as a tuple."""
    sql = raw_sql(statement, conn.dialect.name)
    cursor = _driver(conn).cursor()
    try:
        with driver_errors(sql):
            cursor.execute(sql, params)
            row = cursor.fetchone()
    finally:
        cursor.close()
    return None if row is None else tuple(row)


def fetch_all(conn: Connection, statement: ClauseElement, params: Params) -> list[tuple[Any, ...]]:
    """Run a query and return all rows as tuples."""
    sql = raw_sql(statement, conn.dialect.name)
    cursor = _driver(conn).cursor()
    try:
        with driver_errors(sql):
            cursor.execute(sql, params)
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def execute_many(conn: Connection, batches: Sequence[tuple[ClauseElement, list[Params]]]) -> None:
    """Run ``(statement, rows)`` pairs in order; one round trip on PostgreSQL."""
    driver = _driver(conn)
    dialect = conn.dialect.name
    work = [(raw_sql(statement, dialect), rows) for statement, rows in batches if rows]
    if not work:
        return
    cursor = driver.cursor()
    try:
        with driver_errors(work[0][0]):
            if dialect == "postgresql":
                with driver.pipeline():
                    for sql, rows in work:
                        cursor.executemany(sql, rows)
            else:
                for sql, rows in work:
                    cursor.executemany(sql, rows)
    finally:
        cursor.close()


def pg_pipeline_fetch(
    conn: Connection, first: tuple[str, Params], query: ClauseElement, params: Params
) -> Any:
    """PostgreSQL: send ``first`` (raw SQL) and then ``query`` in one round trip; return the query's row.

    The query is a statement of its own, so it runs after ``first`` finished (e.g. after a lock was
    granted) with a fresh snapshot.
    """
    driver = _driver(conn)
    sql = raw_sql(query, "postgresql")
    before, after = driver.cursor(), driver.cursor()
    try:
        with driver_errors(first[0]), driver.pipeline():
            before.execute(*first)
            after.execute(sql, params)
        return after.fetchone()
    finally:
        before.close()
        after.close()
