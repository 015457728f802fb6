"""The case tables come from Alembic (own version table): on SQLite, on PostgreSQL beside the audit log."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, inspect, text

from audit import migrate as audit_migrate
from audit.log import open_audit_log
from audit.settings import AuditSettings
from cases.migrate import VERSION_TABLE, alembic_config, current_revision, head_revision
from cases.models import NewCase
from cases.store import CaseStore
from cases.tables import metadata
from tests.audit.required_services import fresh_pg_schema

REPO = Path(__file__).resolve().parents[2]
CASE_TABLES = {"case_record", "case_audit_link", "case_event", "case_reply", "case_outbox"}


def _diff(engine: Engine) -> list[object]:
    """What Alembic would change to make the database's case tables equal the code's."""
    opts = {
        "version_table": VERSION_TABLE,
        "include_name": lambda name, type_, _parents: type_ != "table" or name in metadata.tables,
    }
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn, opts=opts), metadata))


def _new_case() -> NewCase:
    from datetime import date

    return NewCase(
        kind="complaint",
        channel="chat_form",
        language="sv",
        message_redacted="Soptunnan blev inte tömd.",
        ack_deadline=date(2026, 3, 4),
        reply_deadline=date(2026, 3, 16),
    )


def test_sqlite_store_is_migrated_to_head_and_matches_the_code(tmp_path: Path) -> None:
    store = CaseStore.open(f"sqlite:///{tmp_path / 'cases.db'}", key_path=tmp_path / "k.key")
    try:
        assert current_revision(store.engine) == head_revision() is not None
        assert _diff(store.engine) == []
        names = set(inspect(store.engine).get_table_names())
        assert CASE_TABLES | {VERSION_TABLE} <= names and "alembic_version" not in names
    finally:
        store.close()


def test_database_made_by_create_all_is_adopted_with_its_cases(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    # How the store made its tables before it had migrations (the tables of then: revision 0001's).
    later = ("answer_feedback", "conversation_rating", "pilot_topic", "pilot_draft")  # revisions 0002, 0003
    baseline = [table for name, table in metadata.tables.items() if name not in later]
    metadata.create_all(engine, tables=baseline)
    engine.dispose()
    first = CaseStore.open(url, key_path=tmp_path / "k.key")
    case, _ = first.create(_new_case())
    first.close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))  # as an old build left it: tables, no version
        for newer in later:  # … and none of the later revisions' tables
            conn.execute(text(f"DROP TABLE {newer}"))
    engine.dispose()
    again = CaseStore.open(url, key_path=tmp_path / "k.key")
    try:
        assert current_revision(again.engine) == head_revision()
        assert again.get(case.case_id).message_redacted == "Soptunnan blev inte tömd."
    finally:
        again.close()


def test_concurrent_first_open_migrates_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.db'}"

    def opener(_: int) -> str | None:
        store = CaseStore.open(url, key_path=tmp_path / "k.key")
        try:
            return current_revision(store.engine)
        finally:
            store.close()

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(opener, range(4))) == {head_revision()}


def test_alembic_cli_upgrade_and_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "KOMMUNSVAR_CASES_DATABASE_URL": url}
    for args in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"]):
        result = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(REPO / "alembic.ini"), "-n", "cases", *args],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    engine = create_engine(url)
    assert CASE_TABLES | {VERSION_TABLE} <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema in the ``test`` database, dropped afterwards (fails in CI without PostgreSQL)."""
    with fresh_pg_schema("cases_test") as url:
        yield url


@pytest.mark.postgres
def test_postgresql_beside_the_audit_log(pg_url: str, tmp_path: Path) -> None:
    audit_settings = AuditSettings(
        key_path=tmp_path / "keys" / "audit_ed25519.pem", content_key_path=tmp_path / "keys" / "audit.key"
    )
    log = open_audit_log(pg_url, settings=audit_settings)
    store = CaseStore.open(pg_url, key_path=tmp_path / "keys" / "case.key")
    try:
        names = set(inspect(store.engine).get_table_names())
        assert CASE_TABLES | {VERSION_TABLE, "alembic_version", "audit_entry"} <= names
        assert current_revision(store.engine) == head_revision()
        assert _diff(store.engine) == []
        assert audit_migrate.current_revision(log.engine) == audit_migrate.head_revision()
        case, created = store.create(_new_case())
        assert created and store.get(case.case_id).status == "new"
        store.close()
        store = CaseStore.open(pg_url, key_path=tmp_path / "keys" / "case.key")  # again: nothing to do
        assert store.get(case.case_id).case_id == case.case_id
        config = alembic_config()
        with store.engine.begin() as conn:  # taking the case tables away leaves the audit log alone
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        names = set(inspect(store.engine).get_table_names())
        assert not names & CASE_TABLES and {"audit_entry", "alembic_version"} <= names
        assert audit_migrate.current_revision(log.engine) == audit_migrate.head_revision()
    finally:
        store.close()
        log.close()
