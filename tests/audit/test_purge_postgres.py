"""PostgreSQL: a deletion request and a retention run purge the audit content and the tracker store.

At the SQL level (PostgreSQL has no ``secure_delete``: dead tuples stay in the table files until
VACUUM; ``--vacuum`` rewrites the purged tables, see docs/ARCHITECTURE.md for WAL and backups).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from required_services import fresh_pg_schema
from sqlalchemy import create_engine, func, select, text
from tracker_rows import fill, session

from audit.db import vacuum
from audit.log import AuditLog, open_audit_log
from audit.purge import ConversationStores, forget, purge_expired
from audit.settings import AuditSettings
from audit.tracker import TrackerStore, events
from guardrails.vault import Vault

pytestmark = pytest.mark.postgres
MakeRecord = Callable[..., dict[str, Any]]
TURN = "Jag heter <PERSON_1>, ring <PHONE_1> om Plommonvägen-pg"


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A fresh schema for the audit tables and Rasa's ``events`` table, dropped afterwards."""
    with fresh_pg_schema("purge_test") as url:
        yield url


@pytest.fixture
def pg_stores(
    pg_schema_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> Iterator[ConversationStores]:
    log = open_audit_log(pg_schema_url, settings=audit_settings)
    for turn in range(3):
        log.append(make_record(conversation="c_gone", turn=turn, input_redacted=TURN))
        log.append(make_record(conversation="c_kept", turn=turn))
    # Rasa's URL names psycopg2; the tracker store accepts it and uses psycopg.
    tracker_url = pg_schema_url.replace("postgresql+psycopg://", "postgresql+psycopg2://")
    engine = create_engine(pg_schema_url)
    now = datetime.now(UTC).timestamp()
    fill(engine, session("c_gone", now - 600, [TURN], slot=TURN) + session("c_kept", now - 600, ["Hej"]))
    engine.dispose()
    vault = Vault()
    vault.placeholder_for("c_gone", "PHONE_NUMBER", "070-123 45 67")
    stores = ConversationStores(audit_log=log, tracker=TrackerStore(tracker_url), vault=vault)
    yield stores
    assert stores.tracker is not None
    stores.tracker.close()
    log.close()


def _rows(log: AuditLog, sql: str) -> list[Any]:
    with log.engine.connect() as conn:
        return list(conn.execute(text(sql)).all())


def test_forget_on_postgres(pg_stores: ConversationStores) -> None:
    log = pg_stores.audit_log
    report = forget(pg_stores, "c_gone")
    assert report.audit.content_deleted["request"] == 3 and report.audit.keys_shredded == 1
    assert report.tracker is not None and report.tracker.events_deleted == 6 and report.vault == 1
    assert _rows(
        log, "SELECT count(*) FROM audit_entry WHERE conversation = 'c_gone' AND content IS NOT NULL"
    ) == [(0,)]
    assert _rows(
        log,
        "SELECT count(*) FROM audit_conversation_key WHERE conversation = 'c_gone' AND wrapped IS NOT NULL",
    ) == [(0,)]
    assert _rows(log, "SELECT count(*) FROM audit_entry WHERE content IS NOT NULL") == [(3,)]
    assert _rows(log, "SELECT sender_id, count(*) FROM events GROUP BY sender_id") == [("c_kept", 5)]
    assert _rows(log, "SELECT count(*) FROM events WHERE data LIKE '%Plommonv%'") == [(0,)]
    assert log.verify().ok

    # The rows are gone for every query, but their dead tuples stay in the table files until VACUUM;
    # --vacuum rewrites the tables (VACUUM FULL): new files, without the dead tuples.
    files = (
        "SELECT relname, relfilenode FROM pg_class WHERE relnamespace = current_schema()::regnamespace"
        " AND relname IN ('events', 'audit_entry', 'audit_conversation_key') ORDER BY relname"
    )
    before = _rows(log, files)
    vacuum(log.engine, ("audit_entry", "audit_conversation_key"))
    assert pg_stores.tracker is not None and pg_stores.tracker.vacuum()
    after = _rows(log, files)
    assert len(before) == 3 and all(old[1] != new[1] for old, new in zip(before, after, strict=True))
    assert log.verify().ok


def test_retention_on_postgres(pg_stores: ConversationStores) -> None:
    log = pg_stores.audit_log
    report = purge_expired(pg_stores, now=datetime.now(UTC) + timedelta(days=91))
    assert report.audit.content_deleted["conversation"] == 6 and report.audit.keys_shredded == 2
    assert report.tracker is not None and report.tracker.events_deleted == 11
    assert _rows(log, "SELECT count(*) FROM events") == [(0,)]
    assert _rows(log, "SELECT count(*) FROM audit_conversation_key WHERE wrapped IS NOT NULL") == [(0,)]
    with log.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar() == 0
    assert log.verify().ok
