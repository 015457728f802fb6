"""Filter columns copied out of a record for the admin console, per record schema version.

They are written into the hashed leaf header (see :mod:`audit.leaf`) with the function of the record's
own schema version; verify compares the row's columns with the header, so editing a column is caught,
and ``verify --deep`` re-derives them. A new schema version adds an extractor and never changes how old
records are checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

COLUMN_NAMES = ("conversation", "channel", "language", "topic", "intent", "confidence", "fallback", "handoff")


def _columns_v1(meta: dict[str, Any]) -> tuple[Any, ...]:
    nlu = meta.get("nlu") or {}
    intent, confidence, threshold = nlu.get("intent"), nlu.get("confidence"), nlu.get("fallback_threshold")
    fallback = intent == "nlu_fallback" or (
        confidence is not None and threshold is not None and confidence < threshold
    )
    handoff = bool((meta.get("guardrails") or {}).get("handoff_offered"))
    return (
        meta.get("conversation"),
        meta.get("channel"),
        meta.get("language"),
        meta.get("topic"),
        intent,
        confidence,
        fallback,
        handoff,
    )


EXTRACTORS: dict[int, Callable[[dict[str, Any]], tuple[Any, ...]]] = {1: _columns_v1}


def index_columns(meta: dict[str, Any]) -> tuple[Any, ...]:
    """Column values (in :data:`COLUMN_NAMES` order) for a record's metadata."""
    return EXTRACTORS[int(meta["schema_version"])](meta)
