"""Notes kept beside the log, outside the Merkle tree: contested answers and the access log.

Neither changes a record: a contest says that a citizen disputed an answer (the case lives with the case
handling), an access entry says which staff member viewed or exported audit data. Both are written
here; :mod:`audit.query` reads them.
"""

from __future__ import annotations

from sqlalchemy import select

from audit.clock import utc_now
from audit.db import store_errors
from audit.errors import RecordNotFound
from audit.ids import normalise_audit_id
from audit.store import AuditStore
from audit.tables import access_log, contests, entries


def mark_contested(
    store: AuditStore, audit_id: str, case_ref: str | None = None, *, now: str | None = None
) -> None:
    """Record that a citizen contested the answer ``audit_id`` (case reference optional).

    Raises:
        RecordNotFound: no such record.
    """
    canonical = normalise_audit_id(audit_id)
    with store_errors("mark a record contested"), store.engine.begin() as conn:
        found = (
            canonical and conn.execute(select(entries.c.seq).where(entries.c.audit_id == canonical)).first()
        )
        if not found:
            raise RecordNotFound(f"no audit record {audit_id!r}")
        conn.execute(
            contests.insert().values(audit_id=canonical, case_ref=case_ref, created_at=now or utc_now())
        )


def log_access(
    store: AuditStore, actor: str, action: str, target: str | None = None, *, now: str | None = None
) -> None:
    """Record who viewed or exported audit data (actor = staff user name, never a citizen's data)."""
    with store_errors("log an access"), store.engine.begin() as conn:
        conn.execute(
            access_log.insert().values(at=now or utc_now(), actor=actor, action=action, target=target)
        )
