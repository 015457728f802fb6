"""Retention of case data: the contact has its own, short period; case text follows the case file.

The contact is deleted at ``contact_expires_at`` (set when the case is created and moved earlier when
it is resolved); the redacted message and the replies are deleted a configurable time after the case
was resolved. What stays is the case's skeleton: kind, dates, outcome and events. On SQLite the store
zeroes what it deletes (``secure_delete``) and the WAL is truncated after each purge that removed data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update

from audit.db import checkpoint_wal
from cases.models import PurgeReport
from cases.store import CaseStore, db_errors, stamp
from cases.tables import case_outbox, case_replies, cases


def set_contact_expiry(store: CaseStore, case_id: str, expires_at: str) -> None:
    """Move the contact's deletion time earlier (never later)."""
    with store.transaction("set contact retention") as conn:
        pk = store.primary_key(conn, case_id)
        conn.execute(
            update(cases)
            .where(
                cases.c.id == pk,
                or_(cases.c.contact_expires_at.is_(None), cases.c.contact_expires_at > expires_at),
            )
            .values(contact_expires_at=expires_at)
        )


def purge(
    store: CaseStore, now: datetime | None = None, *, content_days_after_resolution: int = 730
) -> PurgeReport:
    """Delete expired contacts (with outbox recipients) and the text of long-resolved cases."""
    moment = now or datetime.now(UTC)
    now_s = stamp(moment)
    report = PurgeReport()
    with store.transaction("delete expired case data") as conn:
        expired = conn.execute(
            select(cases.c.id).where(cases.c.contact_sealed.is_not(None), cases.c.contact_expires_at <= now_s)
        ).all()
        for row in expired:
            conn.execute(
                update(cases)
                .where(cases.c.id == row.id)
                .values(contact_sealed=None, contact_deleted_at=now_s)
            )
            conn.execute(
                update(case_outbox).where(case_outbox.c.case_pk == row.id).values(recipient_sealed=None)
            )
            store.add_event(conn, row.id, "system", "contact_deleted", {"reason": "retention"}, now_s)
        report.contacts_deleted = len(expired)
        cutoff = stamp(moment - timedelta(days=content_days_after_resolution))
        old = conn.execute(
            select(cases.c.id).where(
                cases.c.status == "resolved",
                cases.c.resolved_at <= cutoff,
                cases.c.content_deleted_at.is_(None),
            )
        ).all()
        for row in old:
            conn.execute(
                update(cases)
                .where(cases.c.id == row.id)
                .values(message_redacted=None, contact_sealed=None, content_deleted_at=now_s)
            )
            conn.execute(
                update(case_replies).where(case_replies.c.case_pk == row.id).values(body_sealed=None)
            )
            conn.execute(
                update(case_outbox)
                .where(case_outbox.c.case_pk == row.id)
                .values(body_sealed=None, recipient_sealed=None)
            )
            store.add_event(conn, row.id, "system", "content_deleted", {"reason": "retention"}, now_s)
        report.contents_deleted = len(old)
    if report.contacts_deleted or report.contents_deleted:
        with db_errors("truncate the WAL"):
            checkpoint_wal(store.engine)
    return report
