"""Case retention reaches the disk: a purged contact leaves no bytes in the SQLite file or its WAL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from cases.models import Contact, NewCase
from cases.retention import purge
from cases.store import CaseStore
from cases.tables import cases


def _files(path: Path) -> bytes:
    """The database file and its ``-wal``/``-shm`` companions, read while the store is open."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def test_case_purge_leaves_no_contact_in_the_file(tmp_path: Path) -> None:
    db = tmp_path / "cases.db"
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    store = CaseStore.open(f"sqlite:///{db}", key_path=tmp_path / "keys" / "case.key", clock=lambda: now)
    case, _ = store.create(
        NewCase(
            kind="contest",
            channel="web",
            language="sv",
            message_redacted="Svaret stämmer inte, skriv till <EMAIL_1>",
            ack_deadline=now.date(),
            reply_deadline=now.date(),
            contact=Contact("email", "karin.kontakt@example.se"),
            contact_expires_at="2026-03-03T00:00:00.000000Z",
        )
    )
    with store.engine.connect() as conn:
        sealed = bytes(conn.execute(select(cases.c.contact_sealed)).scalar_one())
    assert sealed in _files(db)
    report = purge(store, now + timedelta(days=2))
    assert report.contacts_deleted == 1
    assert sealed not in _files(db)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    store.close()
