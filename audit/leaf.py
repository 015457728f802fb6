"""Leaf data: the exact bytes hashed into the Merkle tree for one record.

Format 1 is two canonical JSON documents joined by a newline (canonical JSON never contains a raw
newline, so the split is unambiguous)::

    {"audit_id": ..., "columns": {...}, "content_commitment": ..., "created_at": ..., "format": 1, "seq": ...}
    {...the record's metadata...}

The small header carries what verification compares with the database row (position, id, time, the
console's filter columns, the content commitment), so verify never has to parse the record itself. The
header is produced from the record by :func:`audit.columns.index_columns` of the record's own schema
version; ``verify --deep`` re-derives it.
"""

from __future__ import annotations

from typing import Any

from audit.canonical import canonical_json, fast_loads, loads
from audit.columns import COLUMN_NAMES, index_columns

LEAF_FORMAT = 1


def columns_for(meta: dict[str, Any]) -> dict[str, Any]:
    """The row columns that the leaf header vouches for."""
    columns = dict(zip(COLUMN_NAMES, index_columns(meta), strict=True))
    columns.update(schema_version=meta["schema_version"], retention_class=meta["retention_class"])
    return columns


def build_leaf(
    seq: int,
    audit_id: str,
    created_at: str,
    meta: dict[str, Any],
    commitment: str,
    *,
    meta_json: bytes | None = None,
) -> bytes:
    """Leaf data for one record (``meta_json``: ``canonical_json(meta)`` if already computed)."""
    header = {
        "format": LEAF_FORMAT,
        "seq": seq,
        "audit_id": audit_id,
        "created_at": created_at,
        "columns": columns_for(meta),
        "content_commitment": commitment,
    }
    return canonical_json(header) + b"\n" + (meta_json if meta_json is not None else canonical_json(meta))


def leaf_header(data: bytes) -> dict[str, Any]:
    """Parse only the header.

    Raises:
        ValueError: the data is not format-1 leaf data.
    """
    cut = data.find(b"\n")
    if cut < 0:
        raise ValueError("leaf data has no header")
    header = fast_loads(data[:cut])
    if not isinstance(header, dict) or header.get("format") != LEAF_FORMAT:
        raise ValueError("unknown leaf format")
    return header


def leaf_record(data: bytes) -> dict[str, Any]:
    """Parse the record's metadata."""
    return dict(loads(data[data.index(b"\n") + 1 :]))
