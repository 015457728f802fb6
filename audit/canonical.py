"""Canonical JSON: the exact bytes that are hashed into the log.

Keys sorted, no insignificant whitespace, UTF-8, no NaN/Infinity. Python's float repr is the shortest
round-trip form, so a value read back from storage serialises to the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def canonical_json(value: Any) -> bytes:
    """Serialise ``value`` to canonical JSON bytes."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def loads(data: bytes | str) -> Any:
    """Parse JSON bytes produced by :func:`canonical_json`."""
    return json.loads(data)


def fast_loads(data: bytes) -> Any:
    """Parse JSON with orjson (several times faster; used where verify reads every record).

    Parsing only: the bytes that are hashed are always produced by :func:`canonical_json`.
    """
    return orjson.loads(data)
