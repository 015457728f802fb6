"""The Merkle tree as stored: leaves in ``audit_entry.leaf_hash``, interior nodes in ``audit_tree_node``.

Every perfect subtree is saved once, when it is completed, so an inclusion or consistency proof for any
tree size needs only the O(log n) nodes of :func:`audit.merkle.perfect_cover`, fetched in one query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, func, select

from audit import merkle
from audit.errors import AuditIntegrityError
from audit.tables import entries

LEVEL_BITS = 6
_SIZE = select(func.coalesce(func.max(entries.c.seq) + 1, 0))


def size(conn: Connection) -> int:
    """Number of leaves stored (the next record's ``seq``)."""
    return int(conn.execute(_SIZE).scalar_one())


def node_id(level: int, index: int) -> int:
    """Database key of an interior node; ids grow in the order nodes are completed."""
    last_leaf = ((index + 1) << level) - 1
    return (last_leaf << LEVEL_BITS) | level


def node_rows(completed: Iterable[tuple[merkle.Node, bytes]]) -> list[dict[str, object]]:
    """Rows to insert for nodes returned by :meth:`audit.merkle.CompactRange.append`."""
    return [{"node": node_id(level, index), "hash": h} for (level, index), h in completed]


def fetch_nodes(conn: Connection, nodes: Sequence[merkle.Node]) -> dict[merkle.Node, bytes]:
    """Fetch perfect-subtree hashes in a single round trip.

    The statement is plain SQL with integer literals (ids we computed, never input): this skips the
    per-call compilation of expanding IN parameters, which otherwise costs more than the query.

    Raises:
        AuditIntegrityError: a node the tree must have is missing.
    """
    if not nodes:
        return {}
    leaves = ",".join(str(int(index)) for level, index in nodes if level == 0)
    inner = {node_id(level, index): (level, index) for level, index in nodes if level > 0}
    parts = []
    if leaves:
        parts.append(f"SELECT seq * {1 << LEVEL_BITS}, leaf_hash FROM audit_entry WHERE seq IN ({leaves})")
    if inner:
        parts.append(f"SELECT node, hash FROM audit_tree_node WHERE node IN ({','.join(map(str, inner))})")
    found: dict[merkle.Node, bytes] = {}
    for node, value in conn.exec_driver_sql(" UNION ALL ".join(parts)).all():
        key = inner.get(node) if node & ((1 << LEVEL_BITS) - 1) else (0, node >> LEVEL_BITS)
        if key is not None:
            found[key] = bytes(value)
    missing = [node for node in nodes if node not in found]
    if missing:
        raise AuditIntegrityError(f"Merkle tree nodes missing from the store: {missing[:3]}")
    return found


def load_compact_range(conn: Connection, size: int) -> merkle.CompactRange:
    """The compact range of the first ``size`` leaves, read from the store."""
    cover = merkle.perfect_cover(0, size)
    found = fetch_nodes(conn, cover)
    return merkle.CompactRange(size, [found[node] for node in cover])


def inclusion_proof(conn: Connection, index: int, size: int) -> list[bytes]:
    """RFC 9162 inclusion proof for leaf ``index`` in the tree of ``size`` leaves."""
    return merkle.resolve_ranges(merkle.inclusion_ranges(index, size), lambda n: fetch_nodes(conn, n))


def consistency_proof(conn: Connection, old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 consistency proof between two tree sizes."""
    return merkle.resolve_ranges(
        merkle.consistency_ranges(old_size, new_size), lambda n: fetch_nodes(conn, n)
    )


def root_at(conn: Connection, size: int) -> bytes:
    """Tree head for the first ``size`` leaves, from stored nodes."""
    if size == 0:
        return merkle.EMPTY_ROOT
    return merkle.resolve_ranges([(0, size)], lambda n: fetch_nodes(conn, n))[0]
