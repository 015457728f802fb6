"""Rasa's SQL tracker store, seen from outside: delete a conversation's turns, or those past retention.

Rasa keeps every event of every conversation (the redacted user text, the bot's answers, slots such as
``case_message``) in one table and never deletes any. We talk plain SQL to that table (Rasa 3.6's
``SQLTrackerStore``: ``events(id, sender_id, type_name, timestamp, intent_name, action_name, data)``,
``timestamp`` in Unix seconds); nothing here imports Rasa. ``sender_id`` is the gateway's pseudonym of
the conversation, the same value the audit records keep as ``conversation`` and the vault is keyed by.

Age: Rasa only reads the events since a conversation's latest ``session_started`` event, so events of
earlier sessions and of conversations idle longer than the retention period can go without disturbing
a live conversation; the current session of an active conversation is never cut in half (Rasa counts
the stored events of that session to know which ones it still has to write).

SQLite: the purge connection runs with ``secure_delete=ON`` and the WAL (if the file is in WAL mode) is
checkpointed and truncated afterwards; the file's journal mode is left as Rasa set it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    case,
    delete,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from audit.db import checkpoint_wal, create_audit_engine, store_errors, vacuum
from audit.settings import sqlite_file

CHUNK = 2000
SESSION_STARTED = "session_started"

# Rasa 3.6 ``SQLTrackerStore.SQLEvent`` (rasa/core/tracker_store.py), column for column.
events = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass
class TrackerPurge:
    """What a purge of the tracker store removed (or would remove)."""

    events_deleted: int = 0
    conversations: int = 0
    present: bool = True  # False: no tracker store there (yet): nothing to delete
    wal_truncated: bool = True


class TrackerStore:
    """Deletes events from Rasa's SQL tracker store; the engine is created on first use.

    Args:
        database_url: SQLAlchemy URL of the store (``sqlite:///var/rasa-tracker.db``,
            ``postgresql://...``; Rasa's ``postgresql+psycopg2`` URLs are accepted).
        busy_timeout_s: how long to wait for Rasa's write lock (SQLite).
    """

    def __init__(self, database_url: str, *, busy_timeout_s: float = 30.0) -> None:
        """Keep the URL; nothing is opened (and no SQLite file created) until the first purge."""
        self.database_url = database_url
        self._busy_timeout_s = busy_timeout_s
        self._engine: Engine | None = None

    def _open(self) -> Engine | None:
        """The engine, or None when the SQLite file or the ``events`` table does not exist."""
        path = sqlite_file(self.database_url)
        if path is not None and not path.exists():
            return None
        if self._engine is None:
            self._engine = create_audit_engine(
                self.database_url,
                busy_timeout_s=self._busy_timeout_s,
                connect_timeout_s=5.0,
                sqlite_wal=False,  # Rasa owns the file: keep its journal mode
            )
        with store_errors("inspect the tracker store"):
            if not inspect(self._engine).has_table("events"):
                return None
        return self._engine

    def forget(self, sender_id: str, *, dry_run: bool = False) -> TrackerPurge:
        """Delete every event of one conversation (all sessions)."""
        engine = self._open()
        if engine is None:
            return TrackerPurge(present=False)
        return self._delete(engine, events.c.sender_id == sender_id, dry_run)

    def purge_expired(self, before: datetime, *, dry_run: bool = False) -> TrackerPurge:
        """Delete what Rasa no longer reads and is older than ``before``.

        That is every event of a conversation whose last event is older than ``before``, and events of
        earlier sessions of a live conversation when they are older than ``before``.
        """
        engine = self._open()
        if engine is None:
            return TrackerPurge(present=False)
        cutoff = before.timestamp()
        every, older = events.alias("every_event"), events.alias("older_event")
        per_sender = (
            select(
                every.c.sender_id.label("sender_id"),
                func.max(every.c.timestamp).label("last_at"),
                func.max(case((every.c.type_name == SESSION_STARTED, every.c.timestamp), else_=None)).label(
                    "session_at"
                ),
            )
            .group_by(every.c.sender_id)
            .subquery("per_sender")
        )
        expired = (
            select(older.c.id)
            .join(per_sender, per_sender.c.sender_id == older.c.sender_id)
            .where(
                or_(
                    per_sender.c.last_at < cutoff,
                    and_(older.c.timestamp < cutoff, older.c.timestamp < per_sender.c.session_at),
                )
            )
            .correlate(None)
        )
        return self._delete(engine, events.c.id.in_(expired), dry_run)

    def _delete(self, engine: Engine, condition: ColumnElement[bool], dry_run: bool) -> TrackerPurge:
        report = TrackerPurge()
        if dry_run:
            with store_errors("count tracker events"), engine.connect() as conn:
                row = conn.execute(
                    select(func.count(), func.count(events.c.sender_id.distinct())).where(condition)
                ).one()
            report.events_deleted, report.conversations = int(row[0]), int(row[1])
            return report
        senders: set[str] = set()
        while True:
            with (
                store_errors("delete tracker events"),
                engine.connect().execution_options(audit_writer=True) as conn,
                conn.begin(),
            ):
                rows = conn.execute(
                    select(events.c.id, events.c.sender_id)
                    .where(condition)
                    .order_by(events.c.id)
                    .limit(CHUNK)
                ).all()
                if not rows:
                    break
                senders.update(row.sender_id for row in rows)
                conn.execute(delete(events).where(events.c.id.in_([row.id for row in rows])))
            report.events_deleted += len(rows)
        report.conversations = len(senders)
        if report.events_deleted:
            with store_errors("truncate the tracker store's WAL"):
                report.wal_truncated = checkpoint_wal(engine)
        return report

    def vacuum(self) -> bool:
        """Rewrite the store (see :func:`audit.db.vacuum`); False when there is no store."""
        engine = self._open()
        if engine is None:
            return False
        try:
            vacuum(engine, ("events",))
        except SQLAlchemyError as exc:
            from audit.errors import AuditStoreUnavailable

            raise AuditStoreUnavailable(f"cannot vacuum the tracker store: {type(exc).__name__}") from exc
        return True

    def close(self) -> None:
        """Release database connections."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
