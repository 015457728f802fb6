"""Read queries of the console on top of the audit store: pages, counts, statistics, contested answers.

"Contested" means a case exists for the record. The case handling (staff queue) records each contested
answer in the audit package's ``audit_contest`` table (``mark_contested``, with the case number); when
its own ``case_record`` / ``case_audit_link`` tables live in the audit database they count too. While no
case handling is linked (``cases_linked`` false and no case tables), contested is unknown and the
console hides that filter.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Column,
    ColumnElement,
    MetaData,
    String,
    Table,
    case,
    exists,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
)

from audit.db import store_errors
from audit.query import RecordSummary as Row  # one line of the audit list
from audit.query import export as audit_export
from audit.query import select_summaries
from audit.records import StoredRecord
from audit.tables import contests, entries
from bot.admin.filters import PAGE_SIZE, AuditFilter

if TYPE_CHECKING:
    from audit.log import AuditLog

_TZ = ZoneInfo("Europe/Stockholm")
HISTOGRAM_BINS = 20  # confidence 0-1 in steps of 0.05

# The two columns of the case tables the console reads (their full schema is the staff queue's).
_case_meta = MetaData()
case_records = Table("case_record", _case_meta, Column("case_id", String), Column("audit_id", String))
case_links = Table("case_audit_link", _case_meta, Column("audit_id", String), Column("role", String))


@dataclass(frozen=True)
class Stats:
    """Figures for the overview page."""

    total: int
    fallback: int
    handoff: int
    contested: int | None
    per_day: list[tuple[date, int]]
    per_topic: list[tuple[str, int]]
    histogram: list[int]  # HISTOGRAM_BINS counts; records without a confidence are left out


class AdminQueries:
    """Queries over one audit log's database."""

    def __init__(self, log: AuditLog, *, cases_linked: bool = False) -> None:
        """Wrap the log; case tables are looked up on each call (they may appear later)."""
        self.log = log
        self.cases_linked = cases_linked

    # --- contested ------------------------------------------------------------------------------

    def case_tables(self) -> set[str]:
        """Which case tables exist in the audit database."""
        with store_errors("look up the case tables"), self.log.engine.connect() as conn:
            names = set(inspect(conn).get_table_names())
        return names & {"case_record", "case_audit_link"}

    def contested_clause(self) -> ColumnElement[bool] | None:
        """SQL "a case exists for this record", or None while cases are unknown."""
        tables = self.case_tables()
        if not tables and not self.cases_linked:
            return None
        parts: list[ColumnElement[bool]] = [exists().where(contests.c.audit_id == entries.c.audit_id)]
        if "case_record" in tables:
            parts.append(exists().where(case_records.c.audit_id == entries.c.audit_id))
        if "case_audit_link" in tables:
            parts.append(
                exists().where(case_links.c.audit_id == entries.c.audit_id, case_links.c.role == "contested")
            )
        return or_(*parts)

    def cases_for(self, audit_id: str) -> list[str] | None:
        """Case numbers for one record (None while cases are unknown)."""
        tables = self.case_tables()
        if not tables and not self.cases_linked:
            return None
        with store_errors("read cases"), self.log.engine.connect() as conn:
            refs = set(
                conn.execute(select(contests.c.case_ref).where(contests.c.audit_id == audit_id)).scalars()
            )
            if "case_record" in tables:
                refs |= set(
                    conn.execute(
                        select(case_records.c.case_id).where(case_records.c.audit_id == audit_id)
                    ).scalars()
                )
        return sorted(str(ref) for ref in refs if ref)

    def _contested_ids(self, clause: ColumnElement[bool] | None, where: ColumnElement[bool]) -> set[str]:
        if clause is None:
            return set()
        with store_errors("read contested records"), self.log.engine.connect() as conn:
            return set(conn.execute(select(entries.c.audit_id).where(where, clause)).scalars())

    # --- list -----------------------------------------------------------------------------------

    def count(self, flt: AuditFilter) -> int:
        """Number of matching records."""
        where = flt.where(self.contested_clause())
        with store_errors("count records"), self.log.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(entries).where(where)).scalar_one())

    def page(self, flt: AuditFilter, page: int, size: int = PAGE_SIZE) -> list[Row]:
        """One page of matching records, newest first."""
        clause = self.contested_clause()
        statement = (
            select_summaries(clause if clause is not None else false())
            .where(flt.where(clause))
            .order_by(entries.c.seq.desc())
            .limit(size)
            .offset((page - 1) * size)
        )
        with store_errors("search records"), self.log.engine.connect() as conn:
            return [Row(**row._asdict()) for row in conn.execute(statement)]

    def distinct(self, column: str) -> list[str]:
        """Values of a filter column that occur in the log (for the select lists)."""
        col = entries.c[column]
        with store_errors("list filter values"), self.log.engine.connect() as conn:
            return sorted(v for v in conn.execute(select(col).distinct()).scalars() if v)

    # --- export ---------------------------------------------------------------------------------

    def export(self, flt: AuditFilter) -> Iterator[tuple[StoredRecord, bool]]:
        """Every matching record in log order, with whether it is contested."""
        clause = self.contested_clause()
        contested_ids = self._contested_ids(clause, flt.without_contested().where(None))
        for record in audit_export(self.log, flt.base_query()):
            is_contested = record.get("audit_id") in contested_ids
            if flt.contested is not None and clause is not None and is_contested != flt.contested:
                continue
            yield record, is_contested

    # --- statistics -----------------------------------------------------------------------------

    def stats(self, flt: AuditFilter) -> Stats:
        """Totals, answers per day (Swedish time) and topic, and the confidence histogram."""
        clause = self.contested_clause()
        where = flt.where(clause)
        hour = func.substr(entries.c.created_at, 1, 13)
        bins = case(
            *[(entries.c.confidence < (i + 1) / HISTOGRAM_BINS, i) for i in range(HISTOGRAM_BINS - 1)],
            else_=HISTOGRAM_BINS - 1,
        )
        with store_errors("compute statistics"), self.log.engine.connect() as conn:
            totals = conn.execute(
                select(
                    func.count(),
                    func.sum(case((entries.c.fallback.is_(True), 1), else_=0)),
                    func.sum(case((entries.c.handoff.is_(True), 1), else_=0)),
                    func.sum(case((clause, 1), else_=0)) if clause is not None else literal(0),
                ).where(where)
            ).one()
            hours = conn.execute(select(hour, func.count()).where(where).group_by(hour)).all()
            topics = conn.execute(
                select(entries.c.topic, func.count()).where(where).group_by(entries.c.topic)
            ).all()
            histogram_rows = conn.execute(
                select(bins.label("bin"), func.count())
                .where(where, entries.c.confidence.is_not(None))
                .group_by("bin")
            ).all()
        per_day: Counter[date] = Counter()
        for stamp, n in hours:
            moment = datetime.strptime(stamp, "%Y-%m-%dT%H").replace(tzinfo=UTC).astimezone(_TZ)
            per_day[moment.date()] += n
        histogram = [0] * HISTOGRAM_BINS
        for index, n in histogram_rows:
            histogram[min(max(int(index), 0), HISTOGRAM_BINS - 1)] += n
        return Stats(
            total=int(totals[0]),
            fallback=int(totals[1] or 0),
            handoff=int(totals[2] or 0),
            contested=int(totals[3] or 0) if clause is not None else None,
            per_day=sorted(per_day.items()),
            per_topic=sorted(((t or "okänt", n) for t, n in topics), key=lambda item: (-item[1], item[0])),
            histogram=histogram,
        )
