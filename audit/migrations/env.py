"""Alembic environment: migrates the audit schema on a given connection or on the configured URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from audit.db import create_audit_engine
from audit.settings import get_settings
from audit.tables import metadata

target_metadata = metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection the application passed in, else open the configured database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    settings = get_settings()
    url = context.get_x_argument(as_dictionary=True).get("database_url") or settings.database_url
    engine = create_audit_engine(
        url,
        busy_timeout_s=settings.busy_timeout_s,
        connect_timeout_s=settings.connect_timeout_s,
        sqlite_synchronous=settings.sqlite_synchronous,
    )
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported for the audit schema")
run_migrations_online()
