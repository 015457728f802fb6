"""Reading stored records back: the leaf's metadata merged with the decrypted content.

A stored record is the record the gateway handed to ``append`` (schema v1, :mod:`audit.record`) plus
``audit_id``, ``seq`` and ``created_at``. Deleted content comes back as empty fields with
``content_shredded``; content whose key file is missing here has ``content_unavailable``; a record whose
metadata expired has only its reference and ``metadata_deleted``.
"""

from __future__ import annotations

from typing import Any, Required, TypedDict, cast

from sqlalchemy import Row, Select, select

from audit import content as content_crypto
from audit.db import single_read, store_errors
from audit.errors import RecordNotFound
from audit.ids import normalise_audit_id
from audit.leaf import leaf_record
from audit.store import AuditStore
from audit.tables import conversation_keys, entries


class StoredRecord(TypedDict, total=False):
    """A record as read back from the log (keys the schema does not know are kept as well)."""

    audit_id: Required[str]
    seq: Required[int]
    created_at: Required[str]
    schema_version: int
    channel: str
    language: str
    conversation: str
    turn: int
    input_redacted: str | None
    pii: dict[str, Any]
    nlu: dict[str, Any]
    actions: list[dict[str, Any]]
    answers: list[dict[str, Any]]
    topic: str | None
    model: dict[str, Any]
    guardrails: dict[str, Any]
    latency_ms: dict[str, float | None]
    legal_nature: str
    retention_class: str
    content_shredded: bool  # content deleted (retention or a request): its fields are empty
    content_unavailable: bool  # content kept, but its key file is not available here
    metadata_deleted: bool  # only the reference is left (retention of metadata)


def select_records() -> Select[Any]:
    """The columns :func:`record_from_row` needs: a leaf with its conversation's wrapped key."""
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


def find_row(store: AuditStore, audit_id: str) -> Row[Any] | None:
    """The row of ``audit_id`` (forgiving typing mistakes) as :func:`select_records` reads it, or None."""
    canonical = normalise_audit_id(audit_id)
    if canonical is None:
        return None
    with store_errors("read a record"), single_read(store.engine) as conn:
        return conn.execute(select_records().where(entries.c.audit_id == canonical)).first()


def record_from_row(store: AuditStore, row: Row[Any]) -> StoredRecord:
    """Rebuild the stored record from a row (leaf data + decrypted content)."""
    base = {"audit_id": row.audit_id, "seq": row.seq, "created_at": row.created_at}
    if row.leaf_data is None:
        return cast(StoredRecord, {**base, "metadata_deleted": True, "content_shredded": True})
    record = content_crypto.merge_content(leaf_record(bytes(row.leaf_data)), _decrypt_row(store, row))
    if record.get("content_shredded") and row.content is not None and row.wrapped is not None:
        record.pop("content_shredded")
        record["content_unavailable"] = True  # key file missing here, not deleted
    return cast(StoredRecord, {**record, **base})


def _decrypt_row(store: AuditStore, row: Row[Any]) -> dict[str, Any] | None:
    content_key = store.content_key()
    if row.content is None or row.wrapped is None or content_key is None or row.kek_id != store.kek_id:
        return None
    key = content_crypto.unwrap_key(content_key, bytes(row.wrapped), row.key_conversation)
    plaintext = key and content_crypto.decrypt(key, bytes(row.content), row.audit_id.encode())
    return content_crypto.open_plaintext(plaintext) if plaintext else None


def get_record(store: AuditStore, audit_id: str) -> StoredRecord | None:
    """The stored record for ``audit_id`` (forgiving typing mistakes), or None."""
    row = find_row(store, audit_id)
    return None if row is None else record_from_row(store, row)


def require_record(store: AuditStore, audit_id: str) -> StoredRecord:
    """Like :func:`get_record` but raises when there is no such record.

    Raises:
        RecordNotFound: no record has that audit id.
    """
    record = get_record(store, audit_id)
    if record is None:
        raise RecordNotFound(f"no audit record {audit_id!r}")
    return record
