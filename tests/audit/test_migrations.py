"""Alembic migrations: the migrated schema is the one the code uses, on SQLite and from the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from audit.errors import AuditConfigError
from audit.log import open_audit_log
from audit.migrate import current_revision, head_revision
from audit.settings import AuditSettings
from audit.tables import metadata

REPO = Path(__file__).resolve().parents[2]


def test_migrated_schema_matches_code(db_url: str, audit_settings: AuditSettings) -> None:
    log = open_audit_log(db_url, settings=audit_settings)
    try:
        with log.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
        assert current_revision(log.engine) == head_revision()
    finally:
        log.close()


def test_alembic_cli_upgrade_and_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "KOMMUNSVAR_AUDIT_DATABASE_URL": url}
    for args in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"]):
        result = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(REPO / "alembic.ini"), *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    assert "audit_entry" in inspect(engine).get_table_names()
    engine.dispose()


def test_concurrent_first_open_migrates_once(db_url: str, audit_settings: AuditSettings) -> None:
    def opener(_: int) -> str | None:
        log = open_audit_log(db_url, settings=audit_settings)
        try:
            return current_revision(log.engine)
        finally:
            log.close()

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(opener, range(4))) == {head_revision()}


def test_unversioned_development_database_is_refused(tmp_path: Path, audit_settings: AuditSettings) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE audit_entry (seq INTEGER PRIMARY KEY, payload BLOB)"))
    engine.dispose()
    with pytest.raises(AuditConfigError, match="move the file away"):
        open_audit_log(url, settings=audit_settings)
