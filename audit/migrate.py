"""Bring the audit schema to the newest Alembic revision, safely when several processes start at once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from audit.db import store_errors, writer_transaction
from audit.errors import AuditConfigError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """Alembic config pointing at our migrations (works without alembic.ini, e.g. when installed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    return config


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The newest revision id."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_schema(engine: Engine) -> None:
    """Upgrade to head under the append lock, so concurrent starters migrate once.

    Raises:
        AuditStoreUnavailable: the database cannot be reached.
        AuditConfigError: the database holds an audit table Alembic did not create.
    """
    with store_errors("check its schema version"):
        if current_revision(engine) == head_revision():
            return
    with store_errors("migrate its schema"), writer_transaction(engine) as conn:
        if MigrationContext.configure(conn).get_current_revision() == head_revision():
            return
        if MigrationContext.configure(conn).get_current_revision() is None and inspect(conn).has_table(
            "audit_entry"
        ):
            raise AuditConfigError(
                "the audit database has tables from an unversioned development build; "
                "move the file away (it holds only test data) and start again"
            )
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
