"""Rasa's tracker store: a conversation's turns go on request and after retention, leaving no bytes."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from tracker_rows import fill, json_forms, session

from audit.tracker import TrackerStore, events

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
DAY = 86400.0
SECRET_TURN = "Mitt ärende gäller <PERSONNUMMER_1>, ring <PHONE_1> om Plommonvägen-kvitto"
SLOT_TEXT = "Klagomål: soptunnan vid <ADDRESS_1> töms aldrig (kvitto-slot)"
OTHER_TURN = "När hämtas soporna?"


def _db(tmp_path: Path, journal: str) -> tuple[Path, str]:
    path = tmp_path / "var" / "rasa-tracker.db"
    path.parent.mkdir()
    if journal == "wal":
        sqlite3.connect(path).execute("PRAGMA journal_mode=WAL").close()
    return path, f"sqlite:///{path}"


def _file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def _senders(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(events.c.sender_id, func.count()).group_by(events.c.sender_id)).all()
    engine.dispose()
    return {row[0]: row[1] for row in rows}


@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_forget_deletes_every_event_of_the_conversation_and_leaves_no_bytes(
    tmp_path: Path, journal: str
) -> None:
    path, url = _db(tmp_path, journal)
    start = NOW.timestamp() - DAY
    writer = create_engine(url)
    # A long turn spills onto an overflow page; Rasa's own connection keeps the file's journal mode.
    long_turn = SECRET_TURN + " " + "lång text " * 800
    fill(writer, session("c_gone", start, [SECRET_TURN, long_turn], slot=SLOT_TEXT))
    fill(writer, session("c_gone", start + 7200, [SECRET_TURN]))  # a second session
    fill(writer, session("c_kept", start, [OTHER_TURN]))
    if journal == "wal":
        assert Path(f"{path}-wal").exists()
    for text in (SECRET_TURN, SLOT_TEXT):
        assert any(form in _file_bytes(path) for form in json_forms(text))  # the check can see it

    store = TrackerStore(url)
    preview = store.forget("c_gone", dry_run=True)
    assert preview.events_deleted == 8 + 5 and preview.conversations == 1
    assert _senders(url)["c_gone"] == 13  # a dry run deletes nothing
    report = store.forget("c_gone")
    assert report.events_deleted == 13 and report.conversations == 1 and report.wal_truncated
    # Read the files while Rasa's connection is still open (closing the last one removes the WAL).
    data = _file_bytes(path)
    if journal == "wal":
        assert Path(f"{path}-wal").stat().st_size == 0
    store.close()
    writer.dispose()
    assert _senders(url) == {"c_kept": 5}
    for text in (SECRET_TURN, SLOT_TEXT, "Plommonvägen", "kvitto-slot", "lång text"):
        for form in json_forms(text):
            assert form not in data, (text, form)
    assert any(form in data for form in json_forms(OTHER_TURN))  # other conversations stay
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == journal


def test_retention_deletes_idle_conversations_and_old_sessions_only(tmp_path: Path) -> None:
    _, url = _db(tmp_path, "delete")
    now = NOW.timestamp()
    engine = create_engine(url)
    fill(engine, session("c_idle", now - 3 * DAY, [SECRET_TURN], slot=SLOT_TEXT))  # idle 3 days
    fill(engine, session("c_recent", now - 3600, [OTHER_TURN]))  # active an hour ago
    # Long-lived: an old session 5 days ago and the current one started 2 hours ago.
    fill(engine, session("c_long", now - 5 * DAY, [SECRET_TURN]))
    fill(engine, session("c_long", now - 7200, [OTHER_TURN]))
    # Active and old, but with no session start at all: never cut in half.
    old_no_session = session("c_nosession", now - 3 * DAY, [SECRET_TURN])[3:]
    fill(engine, old_no_session + session("c_nosession", now - 60, [OTHER_TURN])[3:])
    engine.dispose()
    before = _senders(url)

    store = TrackerStore(url)
    cutoff = NOW - timedelta(days=1)
    assert store.purge_expired(cutoff, dry_run=True).events_deleted == 6 + 5
    report = store.purge_expired(cutoff)
    assert report.events_deleted == 11 and report.conversations == 2
    after = _senders(url)
    assert "c_idle" not in after
    assert after["c_recent"] == before["c_recent"] and after["c_nosession"] == before["c_nosession"]
    assert after["c_long"] == 5  # the current session only: what Rasa reads
    engine = create_engine(url)
    with engine.connect() as conn:
        kept = conn.execute(
            select(events.c.action_name, events.c.type_name)
            .where(events.c.sender_id == "c_long")
            .order_by(events.c.id)
        ).all()
    engine.dispose()
    # The current session whole, from its action_session_start: what Rasa reads and counts.
    assert [tuple(row) for row in kept[:2]] == [("action_session_start", "action"), (None, "session_started")]
    assert store.purge_expired(cutoff).events_deleted == 0  # idempotent
    store.close()


def test_missing_store_is_reported_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "rasa-tracker.db"
    store = TrackerStore(f"sqlite:///{path}")
    report = store.forget("c_x")
    assert not report.present and report.events_deleted == 0
    assert not store.purge_expired(NOW).present
    assert not path.exists() and not path.parent.exists()
    # A file without Rasa's table (Rasa has not started yet) is left alone too.
    path.parent.mkdir()
    sqlite3.connect(path).execute("CREATE TABLE other (x)").close()
    assert not TrackerStore(f"sqlite:///{path}").forget("c_x").present


def test_purge_connections_zero_what_they_delete(tmp_path: Path) -> None:
    _, url = _db(tmp_path, "delete")
    fill(create_engine(url), session("c_a", NOW.timestamp(), [OTHER_TURN]))
    store = TrackerStore(url)
    engine = store._open()
    assert engine is not None
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"  # Rasa's choice kept
    store.close()
