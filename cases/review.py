"""Learning from outcomes: the content-review list per article owner and the error-rate counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from cases.models import OUTCOMES, ReviewItem
from cases.store import CaseStore, db_errors
from cases.tables import cases


def _period(statement: Any, date_from: date | None, date_to: date | None) -> Any:
    if date_from is not None:
        statement = statement.where(cases.c.resolved_at >= date_from.isoformat())
    if date_to is not None:
        statement = statement.where(cases.c.resolved_at < (date_to + timedelta(days=1)).isoformat())
    return statement


def content_review(store: CaseStore, owner: str | None = None) -> list[ReviewItem]:
    """Article versions whose answers staff resolved as wrong, the most often wrong first."""
    statement = (
        select(
            cases.c.article_id,
            cases.c.article_version,
            cases.c.article_owner,
            cases.c.case_id,
            cases.c.resolved_at,
        )
        .where(cases.c.outcome == "answer_wrong", cases.c.article_id.is_not(None))
        .order_by(cases.c.resolved_at)
    )
    if owner:
        statement = statement.where(cases.c.article_owner == owner)
    grouped: dict[tuple[str, int | None], dict[str, Any]] = {}
    with db_errors("read the content review list"), store.engine.connect() as conn:
        for row in conn.execute(statement):
            key = (row.article_id, row.article_version)
            item = grouped.setdefault(key, {"owner": row.article_owner, "cases": [], "last": ""})
            item["cases"].append(row.case_id)
            item["last"] = max(item["last"], row.resolved_at or "")
    items = [
        ReviewItem(aid, ver, v["owner"], len(v["cases"]), tuple(v["cases"]), v["last"])
        for (aid, ver), v in grouped.items()
    ]
    return sorted(items, key=lambda i: (-i.wrong_count, i.article_id))


def review_owners(store: CaseStore) -> list[str]:
    """Owners that have articles on the review list (for the filter)."""
    statement = (
        select(cases.c.article_owner)
        .where(cases.c.outcome == "answer_wrong", cases.c.article_owner.is_not(None))
        .distinct()
    )
    with db_errors("read the content review owners"), store.engine.connect() as conn:
        return sorted(str(r.article_owner) for r in conn.execute(statement))


def outcome_counts(
    store: CaseStore, date_from: date | None = None, date_to: date | None = None
) -> dict[str, int]:
    """Resolved cases per outcome, resolved within ``[date_from, date_to]`` (UTC days)."""
    statement = (
        select(cases.c.outcome, func.count()).where(cases.c.status == "resolved").group_by(cases.c.outcome)
    )
    with db_errors("count outcomes"), store.engine.connect() as conn:
        counts = {str(o): int(n) for o, n in conn.execute(_period(statement, date_from, date_to))}
    return {outcome: counts.get(outcome, 0) for outcome in OUTCOMES}


def wrong_audit_ids(
    store: CaseStore, date_from: date | None = None, date_to: date | None = None
) -> list[str]:
    """Audit ids of answers resolved as wrong, each once: the numerator of the answer error rate."""
    statement = select(cases.c.audit_id).where(
        cases.c.outcome == "answer_wrong", cases.c.kind == "contest", cases.c.audit_id.is_not(None)
    )
    with db_errors("list wrong answers"), store.engine.connect() as conn:
        rows = conn.execute(_period(statement, date_from, date_to).distinct())
        return sorted({str(r.audit_id) for r in rows})
