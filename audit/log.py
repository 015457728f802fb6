"""The append-only audit log: one record per automated answer, in an RFC 9162 Merkle tree.

Usage::

    log = open_audit_log("sqlite:///var/audit.db")
    entry = log.append(record)          # entry.audit_id, entry.seq; written and durable on return
    log.get(entry.audit_id)             # the stored record
    log.receipt(entry.audit_id)         # inclusion proof + signed checkpoint
    log.verify().ok

Writing (locks, group commit, leaves) lives in :mod:`audit.writer`; this module holds keys, reading,
proofs and the entry points of the other parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine, Select, func, select

from audit import content as content_crypto
from audit import tree
from audit.checkpoint import Checkpoint, open_checkpoint
from audit.db import (
    checkpoints,
    conversation_keys,
    create_audit_engine,
    entries,
    make_durable,
    single_read,
    store_errors,
)
from audit.errors import AuditStoreUnavailable, RecordNotFound, SigningKeyError
from audit.ids import normalise_audit_id
from audit.keys import KeyPolicy, load_or_create_content_key, load_or_create_signing_key, load_public_key
from audit.leaf import leaf_record
from audit.migrate import upgrade_schema
from audit.settings import AuditSettings, get_settings
from audit.writer import AuditEntry, LogWriter, utc_now

__all__ = ["AuditEntry", "AuditLog", "open_audit_log", "utc_now"]


def select_records() -> Select[Any]:
    """The columns ``AuditLog.record_from_row`` needs: a leaf with its conversation's wrapped key."""
    return select(
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
    ).select_from(entries.outerjoin(conversation_keys))


class AuditLog(LogWriter):
    """A tamper-evident log of audit records in one database (writing: :class:`LogWriter`)."""

    def __init__(
        self,
        engine: Engine,
        settings: AuditSettings,
        *,
        read_only: bool = False,
        key_policy: KeyPolicy | None = None,
    ) -> None:
        """Wrap an engine; use :func:`open_audit_log` instead of calling this directly."""
        self._engine = engine
        self.settings = settings
        self.read_only = read_only
        self.key_policy = key_policy or settings.key_policy()
        self._init_writer()
        self._signing_key: Ed25519PrivateKey | None = None
        self._content_key: bytes | None = None

    # --- plumbing -------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and the admin console's read queries)."""
        return self._engine

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
            self._signing_key = load_or_create_signing_key(path, self.key_policy)
        return self._signing_key

    def content_key(self) -> bytes | None:
        """The key wrapping conversation keys; None when read-only and it does not exist."""
        if self._content_key is None:
            path = self.settings.content_key_path
            if self.read_only and not path.exists():
                return None
            self._content_key = load_or_create_content_key(path, self.key_policy)
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
            keys.append(load_public_key(key_path, self.key_policy))
        elif pub_path.exists():
            keys.append(load_public_key(pub_path))
        keys.extend(load_public_key(path) for path in self.settings.public_key_paths)
        return keys

    def _now(self) -> str:
        # Resolved in this module at call time, so ``monkeypatch.setattr(audit.log, "utc_now", ...)``
        # pins the time of appended records (the admin console's tests rely on it).
        return utc_now()

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
            return conn.execute(select_records().where(entries.c.audit_id == canonical)).first()

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
        with self._lock:
            self._drop_writer_connection()
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
    log = AuditLog(engine, settings, read_only=read_only, key_policy=settings.key_policy(url))
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
