"""Full verification: recompute every leaf, node and tree head, and check every signed checkpoint.

Detects a modified record (leaf hash, content or filter columns), a deleted, inserted or reordered
record (sequence, leaf data and tree nodes), a bad signature, and a rewritten history (a tree head that
differs from a signed checkpoint stored in the log or held outside it). The first failure is reported
with the record it concerns.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Connection, func, select

from audit import content as content_crypto
from audit import merkle, tree
from audit.canonical import loads
from audit.checkpoint import Checkpoint, open_checkpoint
from audit.columns import COLUMN_NAMES, index_columns
from audit.db import checkpoints, conversation_keys, entries, store_errors, tree_nodes
from audit.errors import ReceiptInvalid

if TYPE_CHECKING:
    from audit.log import AuditLog

_LEVEL_MASK = (1 << tree.LEVEL_BITS) - 1


@dataclass(frozen=True)
class VerifyReport:
    """Result of a verification; ``ok`` is False when ``first_bad``/``first_bad_seq`` name a failure."""

    ok: bool
    checked: int
    first_bad: str | None = None
    first_bad_seq: int | None = None
    reason: str = ""
    checkpoints_checked: int = 0
    content_checked: bool = False
    root_hash: bytes | None = None
    notes: list[str] = field(default_factory=list)


class _Failure(Exception):
    def __init__(self, seq: int | None, audit_id: str | None, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.audit_id, self.reason = seq, audit_id, reason


@dataclass
class _Anchor:
    size: int
    root: bytes
    label: str


class _Verifier:
    def __init__(self, conn: Connection, content_key: bytes | None, anchors: list[_Anchor]) -> None:
        self.conn = conn
        self.content_key = content_key
        self.compact = merkle.CompactRange()
        self.anchors: dict[int, list[_Anchor]] = {}
        for anchor in anchors:
            self.anchors.setdefault(anchor.size, []).append(anchor)
        self.ciphers: dict[int, AESGCM | None] = {}
        self.kek_id = content_crypto.kek_id(content_key) if content_key is not None else None
        self.foreign_keys = 0  # records whose key is wrapped by another content key than ours
        self.segment_start: tuple[int, str] | None = None  # first record after the last matching anchor

    def check_batch(self, rows: list[Any], nodes: dict[int, bytes]) -> None:
        produced: set[int] = set()
        for row in rows:
            expected = self.compact.size
            if self.segment_start is None:
                self.segment_start = (row.seq, row.audit_id)
            if row.seq != expected:
                raise _Failure(
                    row.seq, row.audit_id, f"records missing or inserted before it (expected seq {expected})"
                )
            self._check_entry(row)
            for (level, index), value in self.compact.append(bytes(row.leaf_hash)):
                key = tree.node_id(level, index)
                produced.add(key)
                stored = nodes.get(key)
                if stored is None:
                    raise _Failure(row.seq, row.audit_id, f"Merkle tree node ({level}, {index}) is missing")
                if stored != value:
                    raise _Failure(row.seq, row.audit_id, f"Merkle tree node ({level}, {index}) differs")
            self._check_anchors(row)
        extra = set(nodes) - produced
        if extra:
            node = min(extra)
            raise _Failure(node >> tree.LEVEL_BITS, None, f"unexpected Merkle tree node {node}")

    def _check_anchors(self, row: Any) -> None:
        for anchor in self.anchors.get(self.compact.size, []):
            if self.compact.root() != anchor.root:
                start_seq, start_id = self.segment_start or (row.seq, row.audit_id)
                raise _Failure(
                    start_seq,
                    start_id,
                    f"history rewritten: records seq {start_seq}..{row.seq} do not match {anchor.label}",
                )
            self.segment_start = None

    def _check_entry(self, row: Any) -> None:
        if self.content_key is not None and row.kek_id == self.kek_id:
            seal = content_crypto.leaf_seal(self.content_key, bytes(row.leaf_hash))
            if row.leaf_seal is None or bytes(row.leaf_seal) != seal:
                raise _Failure(
                    row.seq, row.audit_id, "record was not written by this service (seal does not verify)"
                )
        if row.leaf_data is None:
            if row.metadata_deleted_at is None:
                raise _Failure(row.seq, row.audit_id, "record data deleted without a retention entry")
            return
        data = bytes(row.leaf_data)
        if hashlib.sha256(b"\x00" + data).digest() != bytes(row.leaf_hash):
            raise _Failure(row.seq, row.audit_id, "record modified: its leaf hash does not match its data")
        try:
            leaf = loads(data)
            meta = leaf["record"]
            same = (leaf["seq"], leaf["audit_id"], leaf["created_at"]) == (
                row.seq,
                row.audit_id,
                row.created_at,
            )
        except (ValueError, KeyError, TypeError):
            raise _Failure(row.seq, row.audit_id, "record data is not a valid leaf") from None
        if not same:
            raise _Failure(row.seq, row.audit_id, "record moved: seq, id or time differ from its leaf data")
        if (
            meta.get("schema_version") != row.schema_version
            or meta.get("retention_class") != row.retention_class
        ):
            raise _Failure(row.seq, row.audit_id, "record columns do not match its leaf data")
        derived = index_columns(meta)
        actual = tuple(getattr(row, name) for name in COLUMN_NAMES)
        if derived != actual:
            wrong = next(n for n, a, b in zip(COLUMN_NAMES, derived, actual, strict=True) if a != b)
            raise _Failure(row.seq, row.audit_id, f"column {wrong} does not match the record")
        self._check_content(row, leaf.get("content_commitment"))

    def _check_content(self, row: Any, commitment: str | None) -> None:
        if row.content is None:
            if row.content_deleted_at is None:
                raise _Failure(row.seq, row.audit_id, "content deleted without a retention entry")
            return
        if self.content_key is None or row.wrapped is None:
            return  # shredded key or no content key here: content unreadable, nothing to compare
        if row.kek_id != self.kek_id:
            self.foreign_keys += 1
            return
        cipher = self.ciphers.get(row.key_id, False)
        if cipher is False:
            key = content_crypto.unwrap_key(self.content_key, bytes(row.wrapped), row.key_conversation)
            cipher = AESGCM(key) if key is not None else None
            self.ciphers[row.key_id] = cipher
        if cipher is None:
            raise _Failure(row.seq, row.audit_id, "conversation key was altered")
        plaintext = content_crypto.decrypt(cipher, bytes(row.content), row.audit_id.encode())
        if plaintext is None:
            raise _Failure(row.seq, row.audit_id, "encrypted content was altered")
        if hashlib.sha256(plaintext).hexdigest() != commitment:
            raise _Failure(row.seq, row.audit_id, "content does not match the commitment in its leaf")


def _stored_anchors(conn: Connection, log: AuditLog) -> tuple[list[_Anchor], int]:
    anchors: list[_Anchor] = []
    rows = conn.execute(select(checkpoints).order_by(checkpoints.c.id)).all()
    if not rows:
        return anchors, 0
    keys = log.public_keys()
    previous = 0
    for row in rows:
        label = f"signed checkpoint #{row.id} (size {row.tree_size})"
        try:
            parsed = open_checkpoint(row.note, keys, log.settings.log_origin)
        except ReceiptInvalid as exc:
            raise _Failure(None, None, f"{label}: {exc}") from None
        if (parsed.tree_size, parsed.root_hash) != (row.tree_size, bytes(row.root_hash)):
            raise _Failure(None, None, f"{label}: columns differ from the signed text")
        if parsed.tree_size < previous:
            raise _Failure(None, None, f"{label}: smaller than an earlier checkpoint (history rewritten)")
        previous = parsed.tree_size
        anchors.append(_Anchor(parsed.tree_size, parsed.root_hash, label))
    return anchors, len(rows)


def _select_rows(start: int, end: int) -> Any:
    return (
        select(
            entries,
            conversation_keys.c.wrapped,
            conversation_keys.c.kek_id,
            conversation_keys.c.conversation.label("key_conversation"),
        )
        .select_from(entries.outerjoin(conversation_keys))
        .where(entries.c.seq >= start, entries.c.seq < end)
        .order_by(entries.c.seq)
    )


def verify_log(
    log: AuditLog, *, external_checkpoints: list[Checkpoint] | None = None, batch: int = 5000
) -> VerifyReport:
    """Verify the whole log inside one read transaction (a consistent snapshot).

    Args:
        log: the log to check.
        external_checkpoints: checkpoints kept outside the database (already signature-checked);
            the log must still contain exactly the tree each describes.
        batch: records read per query.
    """
    checked = 0
    anchor_count = 0
    verifier: _Verifier | None = None
    content_key = log.content_key()
    with store_errors("read the log for verification"), log.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            try:
                anchors, anchor_count = _stored_anchors(conn, log)
                for i, cp in enumerate(external_checkpoints or []):
                    anchors.append(
                        _Anchor(
                            cp.tree_size, cp.root_hash, f"external checkpoint {i + 1} (size {cp.tree_size})"
                        )
                    )
                size = int(conn.execute(select(func.coalesce(func.max(entries.c.seq) + 1, 0))).scalar_one())
                verifier = _Verifier(conn, content_key, anchors)
                for start in range(0, size, batch):
                    end = min(start + batch, size)
                    rows = conn.execute(_select_rows(start, end)).all()
                    node_rows = conn.execute(
                        select(tree_nodes.c.node, tree_nodes.c.hash).where(
                            tree_nodes.c.node >= start << tree.LEVEL_BITS,
                            tree_nodes.c.node < end << tree.LEVEL_BITS,
                        )
                    ).all()
                    verifier.check_batch(rows, {n: bytes(h) for n, h in node_rows})
                    checked = verifier.compact.size
                beyond = conn.execute(
                    select(func.min(tree_nodes.c.node)).where(tree_nodes.c.node >= size << tree.LEVEL_BITS)
                ).scalar()
                if beyond is not None:
                    raise _Failure(
                        size, None, "Merkle tree nodes exist beyond the last record (records deleted)"
                    )
                longer = [a for a in anchors if a.size > size]
                if longer:
                    raise _Failure(
                        size, None, f"log truncated: {longer[0].label} covers more records than exist"
                    )
            except _Failure as failure:
                done = verifier.compact.size if verifier is not None else 0
                return VerifyReport(
                    ok=False,
                    checked=done if failure.seq is None else min(done, failure.seq),
                    first_bad=failure.audit_id,
                    first_bad_seq=failure.seq,
                    reason=failure.reason,
                    checkpoints_checked=anchor_count,
                    content_checked=content_key is not None,
                )
    notes = []
    if verifier.foreign_keys:
        notes.append(f"{verifier.foreign_keys} records use keys wrapped by another content key; not opened")
    return VerifyReport(
        ok=True,
        checked=checked,
        checkpoints_checked=anchor_count,
        content_checked=content_key is not None and not verifier.foreign_keys,
        root_hash=verifier.compact.root(),
        notes=notes,
    )
