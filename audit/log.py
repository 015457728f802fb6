"""The append-only audit log: one record per automated answer, hash-chained.

Usage::

    log = open_audit_log("sqlite:///var/audit.db")
    entry = log.append(record)          # entry.audit_id, entry.seq
    log.get(entry.audit_id)             # the stored record
    log.verify().ok
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from audit.canonical import canonical_json, loads
from audit.db import create_audit_engine, entries, metadata, store_errors, writer_transaction
from audit.errors import AuditStoreUnavailable, RecordNotFound
from audit.ids import new_audit_id, normalise_audit_id
from audit.record import validate_record
from audit.settings import AuditSettings, get_settings

GENESIS = bytes(32)


@dataclass(frozen=True)
class AuditEntry:
    """What ``append`` returns: the record's public reference and position in the log."""

    audit_id: str
    seq: int
    created_at: str


@dataclass(frozen=True)
class VerifyReport:
    """Result of ``verify``: ``ok`` is False when ``first_bad`` names the first record that fails."""

    ok: bool
    checked: int
    first_bad: str | None = None
    first_bad_seq: int | None = None
    reason: str = ""


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _columns(record: Mapping[str, Any]) -> dict[str, Any]:
    """Derive the indexed columns from a record (verify re-derives them to catch edits)."""
    nlu = record.get("nlu") or {}
    intent = nlu.get("intent")
    confidence = nlu.get("confidence")
    threshold = nlu.get("fallback_threshold")
    fallback = intent == "nlu_fallback" or (
        confidence is not None and threshold is not None and confidence < threshold
    )
    guardrails = record.get("guardrails") or {}
    return {
        "schema_version": record["schema_version"],
        "conversation": record["conversation"],
        "channel": record.get("channel"),
        "language": record.get("language"),
        "topic": record.get("topic"),
        "intent": intent,
        "confidence": confidence,
        "fallback": bool(fallback),
        "handoff": bool(guardrails.get("handoff_offered")),
        "retention_class": record.get("retention_class") or "standard",
    }


def _entry_hash(prev: bytes, payload: bytes) -> bytes:
    return hashlib.sha256(prev + payload).digest()


class AuditLog:
    """A tamper-evident log of audit records in one database."""

    def __init__(self, engine: Engine, settings: AuditSettings) -> None:
        """Wrap an engine; use :func:`open_audit_log` instead of calling this directly."""
        self._engine = engine
        self._settings = settings
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and the admin console's read queries)."""
        return self._engine

    def create_schema(self) -> None:
        """Create the tables if they are missing."""
        with store_errors("create its schema"):
            metadata.create_all(self._engine)

    def append(self, record: Mapping[str, Any]) -> AuditEntry:
        """Validate and append one record; returns its audit id and sequence number.

        Raises:
            InvalidRecord: the record does not match the schema.
            AuditStoreUnavailable: the record could not be written (then nothing was written).
        """
        body = validate_record(dict(record))
        for _attempt in range(5):
            try:
                with self._lock, store_errors("append a record"):
                    return self._append_locked(body)
            except AuditStoreUnavailable as exc:
                if isinstance(exc.__cause__, IntegrityError):
                    continue  # audit id collision (or a racing writer on a broken lock): retry
                raise
        raise AuditStoreUnavailable("audit store failed to append a record after retries")

    def _append_locked(self, body: dict[str, Any]) -> AuditEntry:
        with writer_transaction(self._engine) as conn:
            tail = conn.execute(
                select(entries.c.seq, entries.c.entry_hash).order_by(entries.c.seq.desc()).limit(1)
            ).first()
            seq = 0 if tail is None else tail.seq + 1
            prev = GENESIS if tail is None else bytes(tail.entry_hash)
            stored = {**body, "audit_id": new_audit_id(), "seq": seq, "created_at": _utc_now()}
            payload = canonical_json(stored)
            conn.execute(
                entries.insert().values(
                    seq=seq,
                    audit_id=stored["audit_id"],
                    created_at=stored["created_at"],
                    payload=payload,
                    entry_hash=_entry_hash(prev, payload),
                    **_columns(stored),
                )
            )
        return AuditEntry(audit_id=stored["audit_id"], seq=seq, created_at=stored["created_at"])

    def get(self, audit_id: str) -> dict[str, Any] | None:
        """Return the stored record for ``audit_id`` (forgiving typing mistakes), or None."""
        canonical = normalise_audit_id(audit_id)
        if canonical is None:
            return None
        with store_errors("read a record"), self._engine.connect() as conn:
            row = conn.execute(select(entries.c.payload).where(entries.c.audit_id == canonical)).first()
        return None if row is None else loads(bytes(row.payload))

    def require(self, audit_id: str) -> dict[str, Any]:
        """Like :meth:`get` but raises ``RecordNotFound`` when there is no such record."""
        record = self.get(audit_id)
        if record is None:
            raise RecordNotFound(f"no audit record {audit_id!r}")
        return record

    def explain(self, audit_id: str) -> str:
        """Return the plain-Swedish explanation of one record."""
        from audit.explain import explain

        return explain(self.require(audit_id))

    def count(self) -> int:
        """Number of records in the log."""
        with store_errors("count records"), self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(entries)).scalar_one())

    def iter_records(self, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Yield every stored record in log order."""
        with store_errors("read records"), self._engine.connect() as conn:
            result = conn.execution_options(yield_per=batch).execute(
                select(entries.c.payload).order_by(entries.c.seq)
            )
            for row in result:
                yield loads(bytes(row.payload))

    def verify(self) -> VerifyReport:
        """Recompute the chain over every record; report the first one that does not fit."""
        prev = GENESIS
        checked = 0
        with store_errors("read records for verification"), self._engine.connect() as conn:
            result = conn.execution_options(yield_per=2000).execute(select(entries).order_by(entries.c.seq))
            for row in result:
                problem = self._check_row(row, checked, prev)
                if problem:
                    return VerifyReport(False, checked, row.audit_id, row.seq, problem)
                prev = bytes(row.entry_hash)
                checked += 1
        return VerifyReport(True, checked)

    @staticmethod
    def _check_row(row: Any, expected_seq: int, prev: bytes) -> str:
        if row.seq != expected_seq:
            return f"sequence gap: expected seq {expected_seq}, found {row.seq}"
        payload = bytes(row.payload)
        if _entry_hash(prev, payload) != bytes(row.entry_hash):
            return "hash chain broken: record content or order was changed"
        try:
            stored = loads(payload)
        except ValueError:
            return "payload is not valid JSON"
        if stored.get("seq") != row.seq or stored.get("audit_id") != row.audit_id:
            return "record moved: its seq or audit id does not match its position"
        if stored.get("created_at") != row.created_at:
            return "created_at column does not match the record"
        derived = _columns(stored)
        for name, value in derived.items():
            if getattr(row, name) != value:
                return f"column {name} does not match the record"
        return ""

    def close(self) -> None:
        """Release database connections."""
        self._engine.dispose()


def open_audit_log(database_url: str | None = None, *, settings: AuditSettings | None = None) -> AuditLog:
    """Open (and create if missing) the audit log at ``database_url``.

    Args:
        database_url: SQLAlchemy URL; defaults to the ``KOMMUNSVAR_AUDIT_DATABASE_URL`` setting.
        settings: explicit settings (tests); defaults to the environment.

    Raises:
        AuditStoreUnavailable: the database cannot be reached or its schema created.
    """
    settings = settings or get_settings()
    url = database_url or settings.database_url
    engine = create_audit_engine(
        url, busy_timeout_s=settings.busy_timeout_s, connect_timeout_s=settings.connect_timeout_s
    )
    log = AuditLog(engine, settings)
    try:
        log.create_schema()
    except AuditStoreUnavailable:
        engine.dispose()
        raise
    return log
