"""Read queries for the admin console: filter, count, page and export records; read the access log.

Filters map to indexed columns; dates are whole days in Swedish time (Europe/Stockholm); confidence
bands are :mod:`audit.bands`'. Nothing here writes: contests and access entries are written by
:mod:`audit.annotations`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, true

from audit.bands import BANDS, ConfidenceBand
from audit.clock import utc_stamp
from audit.db import store_errors
from audit.records import StoredRecord, record_from_row, select_records
from audit.store import AuditStore
from audit.tables import access_log, contests, entries

__all__ = [
    "AccessEntry",
    "AuditQuery",
    "ConfidenceBand",
    "RecordSummary",
    "access_entries",
    "band_condition",
    "count",
    "export",
    "search",
    "select_summaries",
    "where_clause",
]

_TZ = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class AuditQuery:
    """Filters; ``None`` means "any". ``date_to`` is inclusive (whole day when a date)."""

    date_from: date | datetime | None = None
    date_to: date | datetime | None = None
    topic: str | None = None
    intent: str | None = None
    confidence_band: ConfidenceBand | None = None
    fallback: bool | None = None
    handoff: bool | None = None
    contested: bool | None = None
    conversation: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class RecordSummary:
    """One row of the console's list."""

    audit_id: str
    seq: int
    created_at: str
    topic: str | None
    intent: str | None
    confidence: float | None
    fallback: bool | None
    handoff: bool | None
    contested: bool
    content_deleted: bool


class AccessEntry(TypedDict):
    """One line of the access log: who (staff user name) did what to which filter or record."""

    id: int
    at: str
    actor: str
    action: str
    target: str | None


def _stamp(value: date | datetime, *, end: bool) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=_TZ)
        if end:
            moment += timedelta(microseconds=1)
    else:
        moment = datetime.combine(value + timedelta(days=1) if end else value, time(), tzinfo=_TZ)
    return utc_stamp(moment)


def select_summaries(contested: ColumnElement[bool]) -> Select[Any]:
    """The columns of a ``RecordSummary``, with ``contested`` computed by the caller's clause."""
    return select(
        entries.c.audit_id,
        entries.c.seq,
        entries.c.created_at,
        entries.c.topic,
        entries.c.intent,
        entries.c.confidence,
        entries.c.fallback,
        entries.c.handoff,
        contested.label("contested"),
        entries.c.content.is_(None).label("content_deleted"),
    )


def _contested() -> ColumnElement[bool]:
    return exists().where(contests.c.audit_id == entries.c.audit_id)


def band_condition(band: ConfidenceBand) -> ColumnElement[bool]:
    """SQL condition "the record's confidence lies in ``band``" (no confidence: in no band)."""
    edges = BANDS[band]
    return and_(entries.c.confidence >= edges.low, entries.c.confidence < edges.high)


def where_clause(query: AuditQuery | None) -> ColumnElement[bool]:
    """SQL condition for ``query``."""
    q = query or AuditQuery()
    parts: list[ColumnElement[bool]] = []
    if q.date_from is not None:
        parts.append(entries.c.created_at >= _stamp(q.date_from, end=False))
    if q.date_to is not None:
        parts.append(entries.c.created_at < _stamp(q.date_to, end=True))
    for column, value in (
        (entries.c.topic, q.topic),
        (entries.c.intent, q.intent),
        (entries.c.fallback, q.fallback),
        (entries.c.handoff, q.handoff),
        (entries.c.conversation, q.conversation),
        (entries.c.language, q.language),
    ):
        if value is not None:
            parts.append(column == value)
    if q.confidence_band is not None:
        parts.append(band_condition(q.confidence_band))
    if q.contested is not None:
        parts.append(_contested() if q.contested else ~_contested())
    return and_(true(), *parts)


@dataclass(frozen=True)
class TurnFacts:
    """The indexed columns of one record that the KPIs count (``bot.kpi``): no text, no decryption."""

    audit_id: str
    created_at: str
    conversation: str | None
    topic: str | None
    intent: str | None
    fallback: bool | None
    handoff: bool | None
    contested: bool


def turn_facts(store: AuditStore, query: AuditQuery | None = None) -> list[TurnFacts]:
    """Every matching record's countable facts, oldest first."""
    statement = (
        select(
            entries.c.audit_id,
            entries.c.created_at,
            entries.c.conversation,
            entries.c.topic,
            entries.c.intent,
            entries.c.fallback,
            entries.c.handoff,
            _contested().label("contested"),
        )
        .where(where_clause(query), entries.c.metadata_deleted_at.is_(None))
        .order_by(entries.c.seq)
    )
    with store_errors("read turn facts"), store.engine.connect() as conn:
        return [TurnFacts(**row._asdict()) for row in conn.execute(statement)]


def count(store: AuditStore, query: AuditQuery | None = None) -> int:
    """Number of records matching ``query``."""
    with store_errors("count records"), store.engine.connect() as conn:
        statement = select(func.count()).select_from(entries).where(where_clause(query))
        return int(conn.execute(statement).scalar_one())


def search(
    store: AuditStore,
    query: AuditQuery | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
    newest_first: bool = True,
) -> list[RecordSummary]:
    """One page of matching records, newest first by default."""
    order = entries.c.seq.desc() if newest_first else entries.c.seq
    statement = (
        select_summaries(_contested()).where(where_clause(query)).order_by(order).limit(limit).offset(offset)
    )
    with store_errors("search records"), store.engine.connect() as conn:
        return [RecordSummary(**row._asdict()) for row in conn.execute(statement)]


def export(
    store: AuditStore, query: AuditQuery | None = None, *, batch: int = 1000
) -> Iterator[StoredRecord]:
    """Every matching record in log order, as full records (for JSON lines / CSV export)."""
    last = -1
    while True:
        statement = (
            select_records()
            .where(where_clause(query), entries.c.seq > last)
            .order_by(entries.c.seq)
            .limit(batch)
        )
        with store_errors("export records"), store.engine.connect() as conn:
            rows = conn.execute(statement).all()
        for row in rows:
            yield record_from_row(store, row)
        if len(rows) < batch:
            return
        last = rows[-1].seq


def access_entries(store: AuditStore, limit: int = 100) -> list[AccessEntry]:
    """Newest access-log entries."""
    with store_errors("read the access log"), store.engine.connect() as conn:
        rows = conn.execute(select(access_log).order_by(access_log.c.id.desc()).limit(limit))
        return [
            AccessEntry(id=row.id, at=row.at, actor=row.actor, action=row.action, target=row.target)
            for row in rows
        ]
