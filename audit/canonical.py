"""Canonical JSON: the bytes that are hashed into the log.

Keys sorted, no insignificant whitespace, UTF-8 (no escaping of non-ASCII), no NaN or Infinity. The log
stores these bytes and verification hashes what is stored, so verifying never depends on serialising
again; canonical form makes the bytes a deterministic function of the record. Written with orjson
(several times faster than the standard library on the append path).
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson


def check_finite(value: Any) -> None:
    """Raise ValueError if ``value`` holds NaN or Infinity anywhere (pydantic would turn them to null)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("NaN and Infinity are not JSON")
    elif isinstance(value, dict):
        for item in value.values():
            check_finite(item)
    elif isinstance(value, list | tuple):
        for item in value:
            check_finite(item)


def canonical_json(value: Any, *, checked: bool = False) -> bytes:
    """Serialise ``value`` to canonical JSON bytes.

    Args:
        value: JSON-compatible data (str keys; ints within 64 bits).
        checked: the caller already guarantees there is no NaN/Infinity (skips the walk).

    Raises:
        ValueError: NaN or Infinity in ``value``.
        TypeError: something JSON cannot represent.
    """
    if not checked:
        check_finite(value)
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def loads(data: bytes | str) -> Any:
    """Parse JSON bytes produced by :func:`canonical_json`."""
    return json.loads(data)


def fast_loads(data: bytes) -> Any:
    """Parse JSON with orjson (used where verify reads every record)."""
    return orjson.loads(data)
