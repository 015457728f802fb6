"""The log's one time format: UTC, fixed width, sortable as text (``2026-03-02T09:00:00.000000Z``)."""

from __future__ import annotations

from datetime import UTC, datetime

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_stamp(moment: datetime) -> str:
    """``moment`` (timezone-aware) in the log's format."""
    return moment.astimezone(UTC).strftime(STAMP_FORMAT)


def utc_now() -> str:
    """Current UTC time in the log's format."""
    return datetime.now(UTC).strftime(STAMP_FORMAT)
