"""Full verification: recompute every leaf, node and tree head, and check every signed checkpoint.

Detects a modified record (leaf hash, encrypted content or filter columns), a deleted, inserted or reordered
record (sequence, leaf data and tree nodes), a bad signature, and a rewritten history (a tree head that
differs from a signed checkpoint stored in the log or held outside it). The first failure is reported
with the record it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from hashlib import sha256
from hmac import digest as hmac_digest
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from audit import content as content_crypto
from audit import merkle, rawsql, tree
from audit.checkpoint import Checkpoint, open_checkpoint
from audit.columns import COLUMN_NAMES
from audit.db import store_errors
from audit.errors import ReceiptInvalid
from audit.leaf import columns_for, leaf_header, leaf_record
from audit.store import AuditStore
from audit.tables import checkpoints, conversation_keys, entries, tree_nodes

# Rows are read as plain tuples (attribute access on result rows costs more than the hashing).
_FIELDS = (
    entries.c.seq,
    entries.c.audit_id,
    entries.c.created_at,
    entries.c.leaf_hash,
    entries.c.leaf_data,
    entries.c.leaf_seal,
    entries.c.key_id,
    entries.c.content,
    entries.c.content_deleted_at,
    entries.c.metadata_deleted_at,
    conversation_keys.c.wrapped,
    conversation_keys.c.kek_id,
    conversation_keys.c.conversation,
    *(entries.c[name] for name in (*COLUMN_NAMES, "schema_version", "retention_class")),
)
(
    SEQ,
    AUDIT_ID,
    CREATED_AT,
    LEAF_HASH,
    LEAF_DATA,
    LEAF_SEAL,
    KEY_ID,
    CONTENT,
    CONTENT_DELETED_AT,
    METADATA_DELETED_AT,
    WRAPPED,
    KEK_ID,
    KEY_CONVERSATION,
) = range(13)
_ROW_COLUMNS = (*COLUMN_NAMES, "schema_version", "retention_class")
_vouched = itemgetter(*_ROW_COLUMNS)
_COLUMNS = slice(13, 13 + len(_ROW_COLUMNS))
_SELECT_ROWS = (
    select(*_FIELDS)
    .select_from(entries.outerjoin(conversation_keys))
    .where(entries.c.seq >= bindparam("start"), entries.c.seq < bindparam("end"))
    .order_by(entries.c.seq)
)
_SELECT_NODES = select(tree_nodes.c.node, tree_nodes.c.hash).where(
    tree_nodes.c.node >= bindparam("low"), tree_nodes.c.node < bindparam("high")
)


@dataclass(frozen=True)
class VerifyReport:
    """Result of a verification; ``ok`` is False when ``first_bad``/``first_bad_seq`` name a failure.

    ``seals_checked`` says whether leaf seals and conversation keys were checked too (needs the content
    key file); everything else, content included, is checked from the database and public key alone.
    """

    ok: bool
    checked: int
    first_bad: str | None = None
    first_bad_seq: int | None = None
    reason: str = ""
    checkpoints_checked: int = 0
    seals_checked: bool = False
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
    def __init__(
        self, conn: Connection, content_key: bytes | None, anchors: list[_Anchor], *, deep: bool = False
    ) -> None:
        self.conn = conn
        self.deep = deep
        self.content_key = content_key
        self.compact = merkle.CompactRange()
        self.anchors: dict[int, list[_Anchor]] = {}
        for anchor in anchors:
            self.anchors.setdefault(anchor.size, []).append(anchor)
        self.key_ok: dict[int, bool] = {}
        self.kek_id = content_crypto.kek_id(content_key) if content_key is not None else None
        self.seal_key = content_crypto.seal_key(content_key) if content_key is not None else None
        self.foreign_keys = 0  # records whose key is wrapped by another content key than ours
        self.segment_start: tuple[int, str] | None = None  # first record after the last matching anchor

    def check_batch(self, rows: list[tuple[Any, ...]], nodes: dict[int, bytes]) -> None:
        produced: set[int] = set()
        compact = self.compact
        for row in rows:
            seq, audit_id = row[SEQ], row[AUDIT_ID]
            if self.segment_start is None:
                self.segment_start = (seq, audit_id)
            if seq != compact.size:
                raise _Failure(
                    seq, audit_id, f"records missing or inserted before it (expected seq {compact.size})"
                )
            leaf_hash = bytes(row[LEAF_HASH])
            self._check_entry(row, seq, audit_id, leaf_hash)
            for (level, index), value in compact.append(leaf_hash):
                key = tree.node_id(level, index)
                produced.add(key)
                stored = nodes.get(key)
                if stored is None:
                    raise _Failure(seq, audit_id, f"Merkle tree node ({level}, {index}) is missing")
                if stored != value:
                    raise _Failure(seq, audit_id, f"Merkle tree node ({level}, {index}) differs")
            if compact.size in self.anchors:
                self._check_anchors(seq, audit_id)
        extra = set(nodes) - produced
        if extra:
            node = min(extra)
            raise _Failure(node >> tree.LEVEL_BITS, None, f"unexpected Merkle tree node {node}")

    def _check_anchors(self, seq: int, audit_id: str) -> None:
        for anchor in self.anchors[self.compact.size]:
            if self.compact.root() != anchor.root:
                start_seq, start_id = self.segment_start or (seq, audit_id)
                raise _Failure(
                    start_seq,
                    start_id,
                    f"history rewritten: records seq {start_seq}..{seq} do not match {anchor.label}",
                )
        self.segment_start = None

    def _check_entry(self, row: tuple[Any, ...], seq: int, audit_id: str, leaf_hash: bytes) -> None:
        if self.seal_key is not None:
            if row[KEK_ID] == self.kek_id:
                seal = row[LEAF_SEAL]
                if seal is None or bytes(seal) != hmac_digest(self.seal_key, leaf_hash, "sha256"):
                    raise _Failure(
                        seq, audit_id, "record was not written by this service (seal does not verify)"
                    )
                if row[WRAPPED] is not None and not self.key_ok.get(row[KEY_ID]) and not self._key_opens(row):
                    raise _Failure(seq, audit_id, "conversation key was altered")
            elif row[WRAPPED] is not None:
                self.foreign_keys += 1
        if row[LEAF_DATA] is None:
            if row[METADATA_DELETED_AT] is None:
                raise _Failure(seq, audit_id, "record data deleted without a retention entry")
            return
        data = bytes(row[LEAF_DATA])
        if sha256(b"\x00" + data).digest() != leaf_hash:
            raise _Failure(seq, audit_id, "record modified: its leaf hash does not match its data")
        try:
            leaf = leaf_header(data)
            same = (
                leaf["seq"] == seq and leaf["audit_id"] == audit_id and leaf["created_at"] == row[CREATED_AT]
            )
            columns = leaf["columns"]
            vouched = _vouched(columns)
        except (ValueError, KeyError, TypeError):
            raise _Failure(seq, audit_id, "record data is not a valid leaf") from None
        if not same:
            raise _Failure(seq, audit_id, "record moved: seq, id or time differ from its leaf data")
        actual = row[_COLUMNS]
        if vouched != actual:
            wrong = next(n for n, a, b in zip(_ROW_COLUMNS, vouched, actual, strict=True) if a != b)
            raise _Failure(seq, audit_id, f"column {wrong} does not match the record")
        if self.deep:
            try:
                derived = columns_for(leaf_record(data))
            except (ValueError, KeyError, TypeError):
                raise _Failure(seq, audit_id, "record metadata is not valid JSON") from None
            if derived != columns:
                raise _Failure(seq, audit_id, "leaf header does not match the record it describes")
        content = row[CONTENT]
        if content is None:
            if row[CONTENT_DELETED_AT] is None:
                raise _Failure(seq, audit_id, "content deleted without a retention entry")
        elif sha256(content).hexdigest() != leaf["content_commitment"]:
            raise _Failure(seq, audit_id, "stored content differs from the content that was logged")

    def _key_opens(self, row: tuple[Any, ...]) -> bool:
        """Whether the conversation key still unwraps (checked once per key)."""
        opens = self.key_ok.get(row[KEY_ID])
        if opens is None:
            assert self.content_key is not None
            key = content_crypto.unwrap_key(self.content_key, bytes(row[WRAPPED]), row[KEY_CONVERSATION])
            opens = self.key_ok[row[KEY_ID]] = key is not None
        return opens


def _stored_anchors(conn: Connection, log: AuditStore) -> tuple[list[_Anchor], int]:
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


def verify_log(
    log: AuditStore,
    *,
    external_checkpoints: list[Checkpoint] | None = None,
    batch: int = 5000,
    deep: bool = False,
) -> VerifyReport:
    """Verify the whole log inside one read transaction (a consistent snapshot).

    Args:
        log: the log to check.
        external_checkpoints: checkpoints kept outside the database (already signature-checked);
            the log must still contain exactly the tree each describes.
        batch: records read per query.
        deep: also re-derive each leaf header from its record (slower).
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
                size = tree.size(conn)
                verifier = _Verifier(conn, content_key, anchors, deep=deep)
                for start in range(0, size, batch):
                    end = min(start + batch, size)
                    rows = rawsql.fetch_all(conn, _SELECT_ROWS, {"start": start, "end": end})
                    bounds = {"low": start << tree.LEVEL_BITS, "high": end << tree.LEVEL_BITS}
                    nodes = {n: bytes(h) for n, h in rawsql.fetch_all(conn, _SELECT_NODES, bounds)}
                    verifier.check_batch(rows, nodes)
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
                    seals_checked=content_key is not None,
                )
    notes = []
    if verifier.foreign_keys:
        notes.append(
            f"{verifier.foreign_keys} records were sealed with another content key; seals not checked"
        )
    return VerifyReport(
        ok=True,
        checked=checked,
        checkpoints_checked=anchor_count,
        seals_checked=content_key is not None and not verifier.foreign_keys,
        root_hash=verifier.compact.root(),
        notes=notes,
    )
