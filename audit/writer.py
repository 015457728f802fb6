"""Writing to the audit log: validation, group commit, the append lock, leaves and tree nodes.

``LogWriter`` adds writing to an :class:`audit.store.AuditStore`: appends, signed checkpoints, and the
transaction holding the append lock that retention deletes under too. Appends take a lock that spans
threads (one writer transaction per process) and processes (SQLite ``BEGIN IMMEDIATE``, PostgreSQL
advisory lock), so concurrent writers produce one gapless log. Inside the lock an append costs one
round trip for the lock and the log's tail, one for the inserts and one for the commit; the disk flush
comes after the lock (PostgreSQL) and is shared by every record of a batch.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from audit import content as content_crypto
from audit import merkle, rawsql, tree
from audit.canonical import canonical_json
from audit.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from audit.clock import utc_now
from audit.columns import COLUMN_NAMES, index_columns
from audit.db import (
    PG_APPEND_LOCK_KEY,
    PG_LOCK_SQL,
    make_durable,
    store_errors,
    writer_connection,
)
from audit.db import writer_transaction as _writer_transaction
from audit.errors import AuditError, AuditStoreUnavailable, InvalidRecord
from audit.ids import new_audit_id
from audit.keys import KeyPolicy
from audit.leaf import build_leaf
from audit.record import validate_record
from audit.settings import AuditSettings
from audit.store import AuditStore
from audit.tables import checkpoints, conversation_keys, entries, tree_nodes

__all__ = ["AuditEntry", "LogWriter", "utc_now"]

_KEY_CACHE_SIZE = 10_000
_MAX_BATCH = 500

# Everything an append needs to know, in one round trip: the tail of the log, the conversation's live
# key, and the newest checkpoint.
_LIVE_KEY = select(func.max(conversation_keys.c.key_id)).where(
    conversation_keys.c.conversation == bindparam("conversation"),
    conversation_keys.c.kek_id == bindparam("kek_id"),
    conversation_keys.c.wrapped.is_not(None),
)
_STATE = select(
    select(func.max(entries.c.seq)).scalar_subquery().label("last_seq"),
    _LIVE_KEY.scalar_subquery().label("key_id"),
    select(func.max(checkpoints.c.tree_size)).scalar_subquery().label("cp_size"),
    select(func.max(checkpoints.c.created_at)).scalar_subquery().label("cp_time"),
)
_KEY_WRAPPED = select(conversation_keys.c.wrapped).where(conversation_keys.c.key_id == bindparam("key_id"))
_INSERT_ENTRY = entries.insert()
_INSERT_NODE = tree_nodes.insert()
_INSERT_KEY = conversation_keys.insert()
_INSERT_CHECKPOINT = checkpoints.insert()


@dataclass(frozen=True)
class AuditEntry:
    """What ``append`` returns: the record's public reference and position in the log."""

    audit_id: str
    seq: int
    created_at: str
    leaf_hash: bytes


@dataclass
class _Job:
    """One record waiting to be written, and what became of it."""

    meta: dict[str, Any]
    meta_json: bytes
    plaintext: bytes
    entry: AuditEntry | None = None
    error: AuditError | None = None


class _State(NamedTuple):
    last_seq: int | None
    key_id: int | None
    cp_size: int | None
    cp_time: str | None


def _is_disconnect(error: BaseException | None) -> bool:
    """Whether a database error means the connection was lost (worth one retry on a new one)."""
    if getattr(error, "connection_invalidated", False):
        return True
    orig = getattr(error, "orig", None)
    if orig is None or not type(orig).__module__.startswith("psycopg"):
        return False
    import psycopg

    return isinstance(orig, psycopg.OperationalError)


def _all_done(jobs: list[_Job]) -> bool:
    return all(job.entry is not None or job.error is not None for job in jobs)


class LogWriter(AuditStore):
    """An audit store that can be written: appends (group commit), checkpoints, the append lock."""

    def __init__(
        self,
        engine: Engine,
        settings: AuditSettings,
        *,
        read_only: bool = False,
        key_policy: KeyPolicy | None = None,
    ) -> None:
        """Wrap an engine; use :func:`audit.log.open_audit_log` instead of calling this directly."""
        super().__init__(engine, settings, read_only=read_only, key_policy=key_policy)
        self._lock = threading.RLock()  # one writer transaction per process at a time
        self._cond = threading.Condition()  # guards the queue of records waiting to be written
        self._queue: list[_Job] = []
        self._writing = False
        self._tail: merkle.CompactRange | None = None
        self._pending_tail: merkle.CompactRange | None = None
        self._keys: dict[int, bytes] = {}  # unwrapped conversation keys by key id
        self._writer_conn: Connection | None = None

    def _now(self) -> str:
        """The time stamped on records and checkpoints (``AuditLog`` lets tests pin it)."""
        return utc_now()

    def close(self) -> None:
        """Release the kept writer connection and every pooled one."""
        with self._lock:
            self._drop_writer_connection()
        super().close()

    def _drop_writer_connection(self) -> None:
        conn, self._writer_conn = self._writer_conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is dropped anyway
                conn.invalidate()

    def writer_transaction(self, *, lock: bool = True) -> AbstractContextManager[Connection]:
        """Context manager: a transaction holding the append lock (threads and processes).

        ``lock=False`` leaves taking the PostgreSQL lock to the caller (see ``_read_state``).
        """
        return _LockedTransaction(self, lock=lock)

    def checkpoint(self, min_size: int = 0) -> Checkpoint:
        """Return a signed checkpoint covering at least ``min_size`` leaves, signing a new one if needed.

        With ``min_size=0`` a new checkpoint is signed whenever the tree grew since the latest.
        """
        with store_errors("write a checkpoint"), self.writer_transaction() as conn:
            size = tree.size(conn)
            latest = conn.execute(
                select(checkpoints.c.tree_size, checkpoints.c.note).order_by(checkpoints.c.id.desc()).limit(1)
            ).first()
            wanted = max(min_size, size) if min_size == 0 else min_size
            if latest is not None and latest.tree_size >= wanted:
                note = str(latest.note)
            else:
                note = self._write_checkpoint(conn, size, tree.root_at(conn, size), self._now())
        with store_errors("flush a checkpoint to disk"):
            make_durable(self._engine)
        return open_checkpoint(note, self.public_keys(), self.settings.log_origin)

    def append(self, record: Mapping[str, Any]) -> AuditEntry:
        """Validate and append one record; on return it is committed to disk.

        Raises:
            InvalidRecord: the record does not match the schema.
            AuditStoreUnavailable: the record could not be written (then nothing was written).
            SigningKeyError: a checkpoint was due but the key cannot be used.
        """
        return self.append_many([record])[0]

    def append_many(self, records: Sequence[Mapping[str, Any]]) -> list[AuditEntry]:
        """Validate and append records in order; on return all are committed to disk.

        Callers in several threads share commits (group commit): one thread writes every queued record
        in one transaction while the others wait, so one disk flush serves many answers; on PostgreSQL
        the flush happens after the lock is released, so writers in other processes overlap too.

        Raises:
            InvalidRecord: a record does not match the schema (then none of ``records`` was written).
            AuditStoreUnavailable: the records could not be written.
        """
        if self.read_only:
            raise AuditStoreUnavailable("audit log was opened read-only")
        jobs = [self._prepare(record) for record in records]
        content_key = self.content_key()
        assert content_key is not None  # not read-only, so the key exists
        with self._cond:
            self._queue.extend(jobs)
        while True:
            with self._cond:
                # Wait while another thread writes, and also while the queue is empty but our jobs are
                # not done: then they are in a batch another thread has written and is flushing (on
                # PostgreSQL outside the lock); its _finish wakes us.
                while (self._writing or not self._queue) and not _all_done(jobs):
                    self._cond.wait()
                if _all_done(jobs):
                    break
                self._writing = True
                batch, self._queue = self._queue[:_MAX_BATCH], self._queue[_MAX_BATCH:]
            written: list[AuditEntry] | AuditError | None = None
            try:
                written = self._write_batch(batch, content_key)
            finally:
                with self._cond:  # the next batch may start while this one waits for the disk
                    self._writing = False
                    self._cond.notify_all()
                if written is None:  # an unexpected exception: free the waiters, then propagate
                    self._finish(batch, AuditStoreUnavailable("audit store failed to append records"))
            if not isinstance(written, AuditError):
                try:
                    with store_errors("flush records to disk"):
                        make_durable(self._engine)
                except AuditStoreUnavailable as exc:
                    written = exc
            self._finish(batch, written)
        for job in jobs:
            if job.error is not None:
                raise type(job.error)(*job.error.args) from job.error
        return [job.entry for job in jobs if job.entry is not None]

    def _finish(self, batch: list[_Job], outcome: list[AuditEntry] | AuditError) -> None:
        """Hand each job of ``batch`` its entry or the error, and wake the threads waiting for them."""
        with self._cond:
            for i, job in enumerate(batch):
                if isinstance(outcome, AuditError):
                    job.error = outcome
                else:
                    job.entry = outcome[i]
            self._cond.notify_all()

    def _prepare(self, record: Mapping[str, Any]) -> _Job:
        body = validate_record(dict(record))
        if body["retention_class"] not in self.settings.retention_classes:
            raise InvalidRecord(f"unknown retention class {body['retention_class']!r}")
        meta, content = content_crypto.split_content(body)
        try:
            return _Job(meta, canonical_json(meta), content_crypto.content_plaintext(content))
        except (TypeError, ValueError) as exc:  # e.g. NaN or a huge int among extra keys
            raise InvalidRecord(f"audit record cannot be stored as JSON: {type(exc).__name__}") from None

    def _write_batch(self, batch: list[_Job], content_key: bytes) -> list[AuditEntry] | AuditError:
        """Write ``batch`` in one transaction; returns the entries or the error that stopped it.

        Retried: an audit id collision (a new id is drawn), and once a connection the server had
        closed (a restart, an idle timeout); the failed connection is replaced first.
        """
        reconnected = False
        for _attempt in range(5):
            try:
                with store_errors("append records"), self.writer_transaction(lock=False) as conn:
                    return self._append_locked(conn, batch, content_key)
            except AuditStoreUnavailable as exc:
                self._tail = None
                if isinstance(exc.__cause__, IntegrityError):
                    continue
                if not reconnected and _is_disconnect(exc.__cause__):
                    reconnected = True
                    continue
                return exc
            except AuditError as exc:
                return exc
        return AuditStoreUnavailable("audit store failed to append records after retries")

    def _append_locked(self, conn: Connection, batch: list[_Job], content_key: bytes) -> list[AuditEntry]:
        """Build and insert the rows of ``batch`` (the append lock is held)."""
        first = batch[0].meta["conversation"]
        state = self._read_state(conn, first)
        size = 0 if state.last_seq is None else int(state.last_seq) + 1
        compact = self._tail if self._tail is not None and self._tail.size == size else None
        compact = (compact or tree.load_compact_range(conn, size)).copy()
        known_keys: dict[str, int | None] = {first: state.key_id}
        last_checkpoint = int(state.cp_size or 0)
        rows, nodes, written = [], [], []
        for job in batch:
            now = self._now()
            audit_id = new_audit_id()
            conversation = job.meta["conversation"]
            if conversation not in known_keys:
                known_keys[conversation] = self._live_key_id(conn, conversation)
            key_id, conversation_key = self._conversation_key(
                conn, conversation, known_keys[conversation], now, content_key
            )
            known_keys[conversation] = key_id
            blob = content_crypto.encrypt(conversation_key, job.plaintext, audit_id.encode())
            leaf_data = build_leaf(
                compact.size,
                audit_id,
                now,
                job.meta,
                content_crypto.commitment(blob),
                meta_json=job.meta_json,
            )
            leaf = merkle.leaf_hash(leaf_data)
            row = dict(zip(COLUMN_NAMES, index_columns(job.meta), strict=True))
            row.update(
                seq=compact.size,
                audit_id=audit_id,
                created_at=now,
                schema_version=job.meta["schema_version"],
                retention_class=job.meta["retention_class"],
                leaf_hash=leaf,
                leaf_data=leaf_data,
                leaf_seal=content_crypto.leaf_seal(content_key, leaf),
                key_id=key_id,
                content=blob,
                content_deleted_at=None,
                content_deleted_reason=None,
                metadata_deleted_at=None,
            )
            rows.append(row)
            written.append(AuditEntry(audit_id=audit_id, seq=compact.size, created_at=now, leaf_hash=leaf))
            nodes.extend(tree.node_rows(compact.append(leaf)))
            if compact.size - last_checkpoint >= self.settings.checkpoint_every:
                self._write_checkpoint(conn, compact.size, compact.root(), now)
                last_checkpoint = compact.size
        rawsql.execute_many(conn, [(_INSERT_ENTRY, rows), (_INSERT_NODE, nodes)])
        if last_checkpoint != compact.size and self._checkpoint_stale(state.cp_time):
            self._write_checkpoint(conn, compact.size, compact.root(), written[-1].created_at)
        self._pending_tail = compact
        return written

    def _read_state(self, conn: Connection, conversation: str) -> _State:
        """Take the append lock (PostgreSQL) and read the log's tail; one round trip on either store."""
        params = {"conversation": conversation, "kek_id": self._kek_id}
        if conn.dialect.name == "postgresql":
            # The tail query runs after the lock is granted (a statement of its own): it sees every commit.
            row = rawsql.pg_pipeline_fetch(conn, (PG_LOCK_SQL, {"key": PG_APPEND_LOCK_KEY}), _STATE, params)
        else:
            row = rawsql.fetch_one(conn, _STATE, params)  # SQLite: BEGIN IMMEDIATE already holds the lock
        assert row is not None
        return _State(*row)

    def _live_key_id(self, conn: Connection, conversation: str) -> int | None:
        row = rawsql.fetch_one(conn, _LIVE_KEY, {"conversation": conversation, "kek_id": self._kek_id})
        return None if row is None else row[0]

    def _conversation_key(
        self, conn: Connection, conversation: str, key_id: int | None, now: str, content_key: bytes
    ) -> tuple[int, bytes]:
        """The conversation's live key (cached by id), or a new one when it has none or it was shredded."""
        if key_id is not None:
            cached = self._keys.get(key_id)
            if cached is not None:
                return key_id, cached
            found = rawsql.fetch_one(conn, _KEY_WRAPPED, {"key_id": key_id})
            wrapped = None if found is None else found[0]
            key = wrapped and content_crypto.unwrap_key(content_key, bytes(wrapped), conversation)
            if key:
                self._remember_key(key_id, key)
                return key_id, key
        key = content_crypto.new_conversation_key()
        result = conn.execute(
            _INSERT_KEY,
            {
                "conversation": conversation,
                "kek_id": self._kek_id,
                "wrapped": content_crypto.wrap_key(content_key, key, conversation),
                "created_at": now,
                "shredded_at": None,
            },
        )
        inserted = result.inserted_primary_key
        assert inserted is not None
        new_id = int(inserted[0])
        self._remember_key(new_id, key)
        return new_id, key

    def _remember_key(self, key_id: int, key: bytes) -> None:
        if len(self._keys) >= _KEY_CACHE_SIZE:
            self._keys.clear()
        self._keys[key_id] = key

    def _checkpoint_stale(self, last_time: str | None) -> bool:
        """True when the newest checkpoint is older than the interval (the first comes by count)."""
        if last_time is None:
            return False
        age = datetime.now(UTC) - datetime.fromisoformat(last_time.replace("Z", "+00:00"))
        return age.total_seconds() >= self.settings.checkpoint_interval_s

    def _write_checkpoint(self, conn: Connection, size: int, root: bytes, now: str) -> str:
        note = sign_checkpoint(self.signing_key(), self.settings.log_origin, size, root, now)
        conn.execute(
            _INSERT_CHECKPOINT, {"tree_size": size, "root_hash": root, "created_at": now, "note": note}
        )
        return note


class _LockedTransaction:
    """In-process lock + database append lock + transaction; publishes the new tail after commit."""

    def __init__(self, log: LogWriter, *, lock: bool = True) -> None:
        self._log = log
        self._db_lock = lock
        self._inner: AbstractContextManager[Connection] | None = None

    def __enter__(self) -> Connection:
        log = self._log
        log._lock.acquire()
        try:
            if log._writer_conn is None:  # one connection kept for this process's writes
                log._writer_conn = writer_connection(log._engine)
            self._inner = _writer_transaction(log._engine, lock=self._db_lock, conn=log._writer_conn)
            conn: Connection = self._inner.__enter__()
        except BaseException:
            log._drop_writer_connection()
            log._lock.release()
            raise
        return conn

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        log = self._log
        committed = False
        try:
            assert self._inner is not None
            self._inner.__exit__(kind, error, trace)
            committed = kind is None
        finally:
            if committed:
                if log._pending_tail is not None:
                    log._tail = log._pending_tail
            else:
                log._tail = None
                log._drop_writer_connection()  # after any failure start again on a fresh connection
            log._pending_tail = None
            log._lock.release()
