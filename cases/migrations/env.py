"""Alembic environment of the case store: migrates on a given connection or on the configured URL.

The case store keeps its own version table (:data:`cases.migrate.VERSION_TABLE`) and only looks at
its own tables, so it can share a database with the audit log (which has its own migrations).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from audit.db import create_audit_engine
from cases.migrate import VERSION_TABLE
from cases.settings import CasesSettings
from cases.tables import metadata

target_metadata = metadata


def _ours(name: str | None, type_: str, parent_names: Any) -> bool:
    """Compare only the case tables (another package's tables may share the database)."""
    return type_ != "table" or name in metadata.tables


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_name=_ours,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use the connection the application passed in, else open the configured database."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    settings = CasesSettings()
    url = context.get_x_argument(as_dictionary=True).get("database_url") or settings.resolved_database_url
    engine = create_audit_engine(url, busy_timeout_s=30.0, connect_timeout_s=5.0, sqlite_synchronous="FULL")
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported for the case schema")
run_migrations_online()
