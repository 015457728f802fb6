"""Read queries for the admin console: filter, count, page and export audit records.

Filters map to indexed columns; dates are whole days in Swedish time (Europe/Stockholm).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, true

from audit.db import access_log, contests, entries, store_errors
from audit.errors import RecordNotFound
from audit.ids import normalise_audit_id

if TYPE_CHECKING:
    from audit.log import AuditLog

_TZ = ZoneInfo("Europe/Stockholm")
ConfidenceBand = Literal["high", "medium", "low"]
# Bands as the console shows them: sure (>= 0.9), fairly sure (0.7-0.9), unsure (< 0.7).
CONFIDENCE_BANDS: dict[str, tuple[float, float]] = {
    "high": (0.9, 2.0),
    "medium": (0.7, 0.9),
    "low": (-1.0, 0.7),
}


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


def _stamp(value: date | datetime, *, end: bool) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=_TZ)
        if end:
            moment += timedelta(microseconds=1)
    else:
        moment = datetime.combine(value + timedelta(days=1) if end else value, time(), tzinfo=_TZ)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
        low, high = CONFIDENCE_BANDS[q.confidence_band]
        parts.append(and_(entries.c.confidence >= low, entries.c.confidence < high))
    if q.contested is not None:
        parts.append(_contested() if q.contested else ~_contested())
    return and_(true(), *parts)


def count(log: AuditLog, query: AuditQuery | None = None) -> int:
    """Number of records matching ``query``."""
    with store_errors("count records"), log.engine.connect() as conn:
        statement = select(func.count()).select_from(entries).where(where_clause(query))
        return int(conn.execute(statement).scalar_one())


def search(
    log: AuditLog,
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
    with store_errors("search records"), log.engine.connect() as conn:
        return [RecordSummary(**row._asdict()) for row in conn.execute(statement)]


def export(log: AuditLog, query: AuditQuery | None = None, *, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """Every matching record in log order, as full dicts (for JSON lines / CSV export)."""
    from audit.log import select_records

    last = -1
    while True:
        statement = (
            select_records()
            .where(where_clause(query), entries.c.seq > last)
            .order_by(entries.c.seq)
            .limit(batch)
        )
        with store_errors("export records"), log.engine.connect() as conn:
            rows = conn.execute(statement).all()
        for row in rows:
            yield log.record_from_row(row)
        if len(rows) < batch:
            return
        last = rows[-1].seq


def mark_contested(log: AuditLog, audit_id: str, case_ref: str | None = None) -> None:
    """Record that a citizen contested the answer ``audit_id`` (case reference optional).

    Raises:
        RecordNotFound: no such record.
    """
    from audit.log import utc_now

    canonical = normalise_audit_id(audit_id)
    with store_errors("mark a record contested"), log.engine.begin() as conn:
        found = (
            canonical and conn.execute(select(entries.c.seq).where(entries.c.audit_id == canonical)).first()
        )
        if not found:
            raise RecordNotFound(f"no audit record {audit_id!r}")
        conn.execute(contests.insert().values(audit_id=canonical, case_ref=case_ref, created_at=utc_now()))


def log_access(log: AuditLog, actor: str, action: str, target: str | None = None) -> None:
    """Record who viewed or exported audit data (actor = staff user name, never a citizen's data)."""
    from audit.log import utc_now

    with store_errors("log an access"), log.engine.begin() as conn:
        conn.execute(access_log.insert().values(at=utc_now(), actor=actor, action=action, target=target))


def access_entries(log: AuditLog, limit: int = 100) -> list[dict[str, Any]]:
    """Newest access-log entries."""
    with store_errors("read the access log"), log.engine.connect() as conn:
        rows = conn.execute(select(access_log).order_by(access_log.c.id.desc()).limit(limit))
        return [dict(row._mapping) for row in rows]
