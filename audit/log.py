"""The append-only audit log: one record per automated answer, in an RFC 9162 Merkle tree.

Usage::

    log = open_audit_log("sqlite:///var/audit.db")
    entry = log.append(record)          # entry.audit_id, entry.seq; written and durable on return
    log.get(entry.audit_id)             # the stored record
    log.receipt(entry.audit_id)         # inclusion proof + signed checkpoint
    log.verify().ok

Appends take a lock that spans threads (in-process lock) and processes (SQLite ``BEGIN IMMEDIATE``,
PostgreSQL advisory lock), so concurrent writers produce one gapless log.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, Engine, Table, bindparam, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from audit import content as content_crypto
from audit import merkle, tree
from audit.canonical import canonical_json
from audit.checkpoint import Checkpoint, open_checkpoint, sign_checkpoint
from audit.columns import COLUMN_NAMES, index_columns
from audit.db import (
    PG_APPEND_LOCK_KEY,
    PG_LOCK_SQL,
    checkpoints,
    conversation_keys,
    create_audit_engine,
    entries,
    make_durable,
    single_read,
    store_errors,
    tree_nodes,
)
from audit.db import writer_transaction as _writer_transaction
from audit.errors import AuditError, AuditStoreUnavailable, InvalidRecord, RecordNotFound, SigningKeyError
from audit.ids import new_audit_id, normalise_audit_id
from audit.keys import load_or_create_content_key, load_or_create_signing_key, load_public_key
from audit.leaf import build_leaf, leaf_record
from audit.migrate import upgrade_schema
from audit.record import validate_record
from audit.settings import AuditSettings, get_settings

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
_INSERT_ENTRY = entries.insert()
_INSERT_NODE = tree_nodes.insert()
_INSERT_KEY = conversation_keys.insert()
_INSERT_CHECKPOINT = checkpoints.insert()


@dataclass
class _Job:
    """One record waiting to be written, and what became of it."""

    meta: dict[str, Any]
    meta_json: bytes
    plaintext: bytes
    entry: AuditEntry | None = None
    error: AuditError | None = None


def _insert_pipelined(conn: Connection, rows: list[dict[str, Any]], nodes: list[dict[str, Any]]) -> None:
    """PostgreSQL: send the entry and node inserts in one round trip (psycopg pipeline mode).

    The append lock is held meanwhile, so every round trip saved is throughput for all writers.
    Errors are re-raised as SQLAlchemy errors, as if the inserts had gone through SQLAlchemy.
    """
    import psycopg

    driver = conn.connection.driver_connection
    assert driver is not None
    statements = [(_pg_sql(entries), rows)] + ([(_pg_sql(tree_nodes), nodes)] if nodes else [])
    try:
        with driver.pipeline(), driver.cursor() as cursor:
            for sql, params in statements:
                cursor.executemany(sql, params)
    except psycopg.Error as exc:
        raise DBAPIError.instance(statements[0][0], None, exc, psycopg.Error) from exc


class _State(NamedTuple):
    last_seq: int | None
    key_id: int | None
    cp_size: int | None
    cp_time: str | None


@lru_cache(maxsize=1)
def _pg_state_sql() -> str:
    """``_STATE`` as PostgreSQL SQL with psycopg's ``%(name)s`` parameters."""
    from sqlalchemy.dialects import postgresql

    return str(_STATE.compile(dialect=postgresql.psycopg.dialect()))  # type: ignore[no-untyped-call]


@lru_cache(maxsize=4)
def _pg_sql(table: Table) -> str:
    names = [column.name for column in table.columns]
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join(f'%({n})s' for n in names)})"


def _all_done(jobs: list[_Job]) -> bool:
    return all(job.entry is not None or job.error is not None for job in jobs)


@dataclass(frozen=True)
class AuditEntry:
    """What ``append`` returns: the record's public reference and position in the log."""

    audit_id: str
    seq: int
    created_at: str
    leaf_hash: bytes


def utc_now() -> str:
    """Current UTC time in the log's fixed, sortable format."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class AuditLog:
    """A tamper-evident log of audit records in one database."""

    def __init__(self, engine: Engine, settings: AuditSettings, *, read_only: bool = False) -> None:
        """Wrap an engine; use :func:`open_audit_log` instead of calling this directly."""
        self._engine = engine
        self.settings = settings
        self.read_only = read_only
        self._lock = threading.RLock()  # one writer transaction per process at a time
        self._cond = threading.Condition()  # guards the queue of records waiting to be written
        self._queue: list[_Job] = []
        self._writing = False
        self._tail: merkle.CompactRange | None = None
        self._pending_tail: merkle.CompactRange | None = None
        self._keys: dict[int, bytes] = {}  # unwrapped conversation keys by key id
        self._kek_id: str | None = None
        self._signing_key: Ed25519PrivateKey | None = None
        self._content_key: bytes | None = None

    # --- plumbing -------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and the admin console's read queries)."""
        return self._engine

    def writer_transaction(self, *, lock: bool = True) -> Any:
        """Context manager: a transaction holding the append lock (threads and processes).

        ``lock=False`` leaves taking the PostgreSQL lock to the caller (see ``_read_state``).
        """
        return _LockedTransaction(self, lock=lock)

    def load_keys(self) -> None:
        """Load (creating when missing) the signing and content keys, so problems show at start-up."""
        self.signing_key()
        self.content_key()

    def signing_key(self) -> Ed25519PrivateKey:
        """The checkpoint signing key (created on first use unless read-only)."""
        if self._signing_key is None:
            path = self.settings.key_path
            if self.read_only and not path.exists():
                raise SigningKeyError(f"no signing key at {path}")
            self._signing_key = load_or_create_signing_key(path)
        return self._signing_key

    def content_key(self) -> bytes | None:
        """The key wrapping conversation keys; None when read-only and it does not exist."""
        if self._content_key is None:
            path = self.settings.content_key_path
            if self.read_only and not path.exists():
                return None
            self._content_key = load_or_create_content_key(path)
            self._kek_id = content_crypto.kek_id(self._content_key)
        return self._content_key

    def public_keys(self, extra: list[Ed25519PublicKey] | None = None) -> list[Ed25519PublicKey]:
        """Keys trusted for checkpoints: the signing key's, configured ones, and ``extra``."""
        keys = list(extra or [])
        key_path = self.settings.key_path
        pub_path = key_path.with_name(key_path.name.removesuffix(".pem") + ".pub")
        if self._signing_key is not None:
            keys.append(self._signing_key.public_key())
        elif key_path.exists():
            keys.append(load_public_key(key_path))
        elif pub_path.exists():
            keys.append(load_public_key(pub_path))
        keys.extend(load_public_key(path) for path in self.settings.public_key_paths)
        return keys

    # --- writing --------------------------------------------------------------------------------

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
                while self._writing and not _all_done(jobs):
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
        return _Job(meta, canonical_json(meta), content_crypto.content_plaintext(content))

    def _write_batch(self, batch: list[_Job], content_key: bytes) -> list[AuditEntry] | AuditError:
        """Write ``batch`` in one transaction; returns the entries or the error that stopped it."""
        for attempt in range(5):
            try:
                with store_errors("append records"), self.writer_transaction(lock=False) as conn:
                    return self._append_locked(conn, batch, content_key)
            except AuditStoreUnavailable as exc:
                self._tail = None
                cause = exc.__cause__
                retry = isinstance(cause, IntegrityError) or getattr(cause, "connection_invalidated", False)
                if retry and attempt < 4:
                    continue  # audit id collision, or a pooled connection the server had dropped
                return exc
            except AuditError as exc:
                return exc
        raise AssertionError("unreachable")

    def _append_locked(self, conn: Connection, batch: list[_Job], content_key: bytes) -> list[AuditEntry]:
        first = batch[0].meta["conversation"]
        state = self._read_state(conn, first)
        size = 0 if state.last_seq is None else int(state.last_seq) + 1
        compact = self._tail if self._tail is not None and self._tail.size == size else None
        compact = (compact or tree.load_compact_range(conn, size)).copy()
        known_keys: dict[str, int | None] = {first: state.key_id}
        last_checkpoint = int(state.cp_size or 0)
        rows, nodes, written = [], [], []
        for job in batch:
            now = utc_now()
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
        if conn.dialect.name == "postgresql":
            _insert_pipelined(conn, rows, nodes)
        else:
            conn.execute(_INSERT_ENTRY, rows)
            if nodes:
                conn.execute(_INSERT_NODE, nodes)
        if last_checkpoint != compact.size and self._checkpoint_stale(state.cp_time):
            self._write_checkpoint(conn, compact.size, compact.root(), written[-1].created_at)
        self._pending_tail = compact
        return written

    def _read_state(self, conn: Connection, conversation: str) -> Any:
        """Take the append lock (PostgreSQL) and read the log's tail; one round trip on either store."""
        params = {"conversation": conversation, "kek_id": self._kek_id}
        if conn.dialect.name != "postgresql":
            return conn.execute(_STATE, params).one()  # SQLite: BEGIN IMMEDIATE already holds the lock
        import psycopg

        driver = conn.connection.driver_connection
        assert driver is not None
        lock, state = driver.cursor(), driver.cursor()
        try:
            with driver.pipeline():
                lock.execute(PG_LOCK_SQL, {"key": PG_APPEND_LOCK_KEY})
                # A statement of its own, so it runs after the lock is granted and sees every commit.
                state.execute(_pg_state_sql(), params)
            row = state.fetchone()
        except psycopg.Error as exc:
            raise DBAPIError.instance(PG_LOCK_SQL, None, exc, psycopg.Error) from exc
        finally:
            lock.close()
            state.close()
        assert row is not None
        return _State(*row)

    def _live_key_id(self, conn: Connection, conversation: str) -> int | None:
        return conn.execute(_LIVE_KEY, {"conversation": conversation, "kek_id": self._kek_id}).scalar()

    def _conversation_key(
        self, conn: Connection, conversation: str, key_id: int | None, now: str, content_key: bytes
    ) -> tuple[int, bytes]:
        """The conversation's live key (cached by id), or a new one when it has none or it was shredded."""
        if key_id is not None:
            cached = self._keys.get(key_id)
            if cached is not None:
                return key_id, cached
            wrapped = conn.execute(
                select(conversation_keys.c.wrapped).where(conversation_keys.c.key_id == key_id)
            ).scalar()
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

    # --- checkpoints and proofs -----------------------------------------------------------------

    def size(self) -> int:
        """Number of leaves in the tree."""
        with store_errors("read the tree size"), self._engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(entries.c.seq) + 1, 0))).scalar_one())

    def latest_checkpoint(self, min_size: int = 0) -> Checkpoint | None:
        """The newest signed checkpoint covering at least ``min_size`` leaves, if any (signature checked)."""
        with store_errors("read checkpoints"), self._engine.connect() as conn:
            note = conn.execute(
                select(checkpoints.c.note)
                .where(checkpoints.c.tree_size >= min_size)
                .order_by(checkpoints.c.id.desc())
                .limit(1)
            ).scalar()
        if note is None:
            return None
        return open_checkpoint(note, self.public_keys(), self.settings.log_origin)

    def checkpoint(self, min_size: int = 0) -> Checkpoint:
        """Return a signed checkpoint covering at least ``min_size`` leaves, signing a new one if needed.

        With ``min_size=0`` a new checkpoint is signed whenever the tree grew since the latest.
        """
        with store_errors("write a checkpoint"), self.writer_transaction() as conn:
            size = int(conn.execute(select(func.coalesce(func.max(entries.c.seq) + 1, 0))).scalar_one())
            latest = conn.execute(
                select(checkpoints.c.tree_size, checkpoints.c.note).order_by(checkpoints.c.id.desc()).limit(1)
            ).first()
            wanted = max(min_size, size) if min_size == 0 else min_size
            if latest is not None and latest.tree_size >= wanted:
                note = str(latest.note)
            else:
                note = self._write_checkpoint(conn, size, tree.root_at(conn, size), utc_now())
        with store_errors("flush a checkpoint to disk"):
            make_durable(self._engine)
        return open_checkpoint(note, self.public_keys(), self.settings.log_origin)

    def inclusion_proof(self, seq: int, tree_size: int) -> list[bytes]:
        """RFC 9162 inclusion proof for leaf ``seq`` in the tree of ``tree_size`` leaves."""
        with store_errors("build an inclusion proof"), single_read(self._engine) as conn:
            return tree.inclusion_proof(conn, seq, tree_size)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """RFC 9162 consistency proof from ``old_size`` to ``new_size`` leaves."""
        with store_errors("build a consistency proof"), single_read(self._engine) as conn:
            return tree.consistency_proof(conn, old_size, new_size)

    def root(self, tree_size: int) -> bytes:
        """Tree head at ``tree_size`` leaves, from the stored nodes."""
        with store_errors("compute a tree head"), single_read(self._engine) as conn:
            return tree.root_at(conn, tree_size)

    def receipt(self, audit_id: str) -> Any:
        """A receipt for one record: leaf, inclusion proof and a signed checkpoint covering it."""
        from audit.receipt import make_receipt

        return make_receipt(self, audit_id)

    # --- reading --------------------------------------------------------------------------------

    def _row(self, audit_id: str) -> Any:
        canonical = normalise_audit_id(audit_id)
        if canonical is None:
            return None
        with store_errors("read a record"), single_read(self._engine) as conn:
            return conn.execute(
                select(
                    entries.c.seq,
                    entries.c.leaf_hash,
                    entries.c.leaf_data,
                    entries.c.content,
                    entries.c.audit_id,
                    entries.c.created_at,
                    entries.c.content_deleted_at,
                    conversation_keys.c.wrapped,
                    conversation_keys.c.kek_id,
                    conversation_keys.c.conversation.label("key_conversation"),
                )
                .select_from(entries.outerjoin(conversation_keys))
                .where(entries.c.audit_id == canonical)
            ).first()

    def record_from_row(self, row: Any) -> dict[str, Any]:
        """Rebuild the stored record from a row (leaf data + decrypted content)."""
        base = {"audit_id": row.audit_id, "seq": row.seq, "created_at": row.created_at}
        if row.leaf_data is None:
            return {**base, "metadata_deleted": True, "content_shredded": True}
        record = content_crypto.merge_content(leaf_record(bytes(row.leaf_data)), self._decrypt_row(row))
        if record.get("content_shredded") and row.content is not None and row.wrapped is not None:
            record.pop("content_shredded")
            record["content_unavailable"] = True  # key file missing here, not deleted
        return {**record, **base}

    def _decrypt_row(self, row: Any) -> dict[str, Any] | None:
        content_key = self.content_key()
        if row.content is None or row.wrapped is None or content_key is None or row.kek_id != self._kek_id:
            return None
        key = content_crypto.unwrap_key(content_key, bytes(row.wrapped), row.key_conversation)
        plaintext = key and content_crypto.decrypt(key, bytes(row.content), row.audit_id.encode())
        return content_crypto.open_plaintext(plaintext) if plaintext else None

    def get(self, audit_id: str) -> dict[str, Any] | None:
        """Return the stored record for ``audit_id`` (forgiving typing mistakes), or None.

        Deleted content comes back as empty fields with ``content_shredded: True``.
        """
        row = self._row(audit_id)
        return None if row is None else self.record_from_row(row)

    def require(self, audit_id: str) -> dict[str, Any]:
        """Like :meth:`get` but raises ``RecordNotFound`` when there is no such record."""
        record = self.get(audit_id)
        if record is None:
            raise RecordNotFound(f"no audit record {audit_id!r}")
        return record

    def explain(self, audit_id: str) -> str:
        """The plain-Swedish explanation of one record."""
        from audit.explain import explain

        return explain(self.require(audit_id))

    def verify(self, **kwargs: Any) -> Any:
        """Recompute the whole log; see :func:`audit.verifier.verify_log` for options."""
        from audit.verifier import verify_log

        return verify_log(self, **kwargs)

    def close(self) -> None:
        """Release database connections."""
        self._engine.dispose()

    # the admin console's queries live in audit.query; re-exported here for convenience
    def search(self, *args: Any, **kwargs: Any) -> Any:
        """See :func:`audit.query.search`."""
        from audit.query import search

        return search(self, *args, **kwargs)

    def count(self, *args: Any, **kwargs: Any) -> int:
        """See :func:`audit.query.count`."""
        from audit.query import count

        return count(self, *args, **kwargs)

    def export(self, *args: Any, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """See :func:`audit.query.export`."""
        from audit.query import export

        return export(self, *args, **kwargs)

    def iter_records(self, batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Every stored record in log order."""
        return self.export(batch=batch)

    def mark_contested(self, audit_id: str, case_ref: str | None = None) -> None:
        """See :func:`audit.query.mark_contested`."""
        from audit.query import mark_contested

        mark_contested(self, audit_id, case_ref)

    def log_access(self, actor: str, action: str, target: str | None = None) -> None:
        """See :func:`audit.query.log_access`."""
        from audit.query import log_access

        log_access(self, actor, action, target)

    def apply_retention(self, **kwargs: Any) -> Any:
        """See :func:`audit.retention.apply_retention`."""
        from audit.retention import apply_retention

        return apply_retention(self, **kwargs)

    def forget_conversation(self, reference: str, **kwargs: Any) -> Any:
        """See :func:`audit.retention.forget_conversation`."""
        from audit.retention import forget_conversation

        return forget_conversation(self, reference, **kwargs)


class _LockedTransaction:
    """In-process lock + database append lock + transaction; publishes the new tail after commit."""

    def __init__(self, log: AuditLog, *, lock: bool = True) -> None:
        self._log = log
        self._db_lock = lock
        self._inner: Any = None

    def __enter__(self) -> Connection:
        self._log._lock.acquire()
        try:
            self._inner = _writer_transaction(self._log.engine, lock=self._db_lock)
            conn: Connection = self._inner.__enter__()
        except BaseException:
            self._log._lock.release()
            raise
        return conn

    def __exit__(self, *exc: Any) -> None:
        log = self._log
        committed = False
        try:
            self._inner.__exit__(*exc)
            committed = exc[0] is None
        finally:
            if committed:
                if log._pending_tail is not None:
                    log._tail = log._pending_tail
            else:
                log._tail = None
            log._pending_tail = None
            log._lock.release()


def open_audit_log(
    database_url: str | None = None, *, settings: AuditSettings | None = None, read_only: bool = False
) -> AuditLog:
    """Open the audit log at ``database_url``, creating or upgrading its schema.

    Args:
        database_url: SQLAlchemy URL; defaults to the ``KOMMUNSVAR_AUDIT_DATABASE_URL`` setting.
        settings: explicit settings (tests); defaults to the environment.
        read_only: for inspection (verify, explain, export): no schema changes, no key creation.

    Raises:
        AuditStoreUnavailable: the database cannot be reached or its schema created.
        SigningKeyError: a key file cannot be created or read.
    """
    settings = settings or get_settings()
    url = database_url or settings.database_url
    engine = create_audit_engine(
        url,
        busy_timeout_s=settings.busy_timeout_s,
        connect_timeout_s=settings.connect_timeout_s,
        sqlite_synchronous=settings.sqlite_synchronous,
    )
    log = AuditLog(engine, settings, read_only=read_only)
    try:
        if read_only:
            from audit.migrate import current_revision, head_revision

            with store_errors("read its schema version"):
                revision = current_revision(engine)
            if revision != head_revision():
                raise AuditStoreUnavailable(f"audit schema is at {revision}, expected {head_revision()}")
        else:
            upgrade_schema(engine)
            log.load_keys()
    except BaseException:
        engine.dispose()
        raise
    return log
