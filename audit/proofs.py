"""Reading the tree: its size, tree heads, the newest signed checkpoint and RFC 9162 proofs.

Signing a new checkpoint is a write and lives with the writer (:meth:`audit.writer.LogWriter.checkpoint`).
"""

from __future__ import annotations

from sqlalchemy import select

from audit import tree
from audit.checkpoint import Checkpoint, open_checkpoint
from audit.db import single_read, store_errors
from audit.store import AuditStore
from audit.tables import checkpoints


def tree_size(store: AuditStore) -> int:
    """Number of leaves in the tree."""
    with store_errors("read the tree size"), store.engine.connect() as conn:
        return tree.size(conn)


def latest_checkpoint(store: AuditStore, min_size: int = 0) -> Checkpoint | None:
    """The newest signed checkpoint covering at least ``min_size`` leaves, if any (signature checked).

    Raises:
        ReceiptInvalid: the stored checkpoint does not verify with the trusted keys.
    """
    with store_errors("read checkpoints"), store.engine.connect() as conn:
        note = conn.execute(
            select(checkpoints.c.note)
            .where(checkpoints.c.tree_size >= min_size)
            .order_by(checkpoints.c.id.desc())
            .limit(1)
        ).scalar()
    if note is None:
        return None
    return open_checkpoint(note, store.public_keys(), store.settings.log_origin)


def inclusion_proof(store: AuditStore, seq: int, size: int) -> list[bytes]:
    """RFC 9162 inclusion proof for leaf ``seq`` in the tree of ``size`` leaves."""
    with store_errors("build an inclusion proof"), single_read(store.engine) as conn:
        return tree.inclusion_proof(conn, seq, size)


def consistency_proof(store: AuditStore, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 consistency proof from ``old_size`` to ``new_size`` leaves."""
    with store_errors("build a consistency proof"), single_read(store.engine) as conn:
        return tree.consistency_proof(conn, old_size, new_size)


def root(store: AuditStore, size: int) -> bytes:
    """Tree head at ``size`` leaves, from the stored nodes."""
    with store_errors("compute a tree head"), single_read(store.engine) as conn:
        return tree.root_at(conn, size)
