"""The append-only audit log: one record per automated answer, in an RFC 9162 Merkle tree.

Usage::

    log = open_audit_log("sqlite:///var/audit.db")
    entry = log.append(record)          # entry.audit_id, entry.seq; written and durable on return
    log.get(entry.audit_id)             # the stored record
    log.receipt(entry.audit_id)         # inclusion proof + signed checkpoint
    log.verify().ok

``AuditLog`` is a façade: each method hands over to the module that does the work. The layers, each
importing only those before it::

    store     tables, db, rawsql, store (engine, settings, keys)
    writer    writer (appends, checkpoints, the append lock)
    reading   records, proofs, query (console filters), annotations (contests, access log)
    checking  verifier, receipt
    deleting  retention
    façade    log; above it purge and cli
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from audit import proofs, records, retention
from audit import query as queries
from audit.annotations import log_access, mark_contested
from audit.checkpoint import Checkpoint
from audit.clock import utc_now
from audit.db import create_audit_engine, store_errors
from audit.errors import AuditStoreUnavailable
from audit.explain import explain
from audit.migrate import current_revision, head_revision, upgrade_schema
from audit.query import AuditQuery, RecordSummary, TurnFacts
from audit.receipt import Receipt, make_receipt
from audit.records import StoredRecord
from audit.retention import RetentionReport
from audit.settings import AuditSettings, get_settings
from audit.verifier import VerifyReport, verify_log
from audit.writer import AuditEntry, LogWriter

__all__ = ["AuditEntry", "AuditLog", "open_audit_log", "utc_now"]


class AuditLog(LogWriter):
    """A tamper-evident log of audit records in one database (writing: :class:`LogWriter`)."""

    def _now(self) -> str:
        # Resolved in this module at call time, so ``monkeypatch.setattr(audit.log, "utc_now", ...)``
        # pins the time of appended records (the admin console's tests rely on it).
        return utc_now()

    # --- the tree -------------------------------------------------------------------------------

    def size(self) -> int:
        """Number of leaves in the tree."""
        return proofs.tree_size(self)

    def latest_checkpoint(self, min_size: int = 0) -> Checkpoint | None:
        """See :func:`audit.proofs.latest_checkpoint`."""
        return proofs.latest_checkpoint(self, min_size)

    def inclusion_proof(self, seq: int, tree_size: int) -> list[bytes]:
        """RFC 9162 inclusion proof for leaf ``seq`` in the tree of ``tree_size`` leaves."""
        return proofs.inclusion_proof(self, seq, tree_size)

    def consistency_proof(self, old_size: int, new_size: int) -> list[bytes]:
        """RFC 9162 consistency proof from ``old_size`` to ``new_size`` leaves."""
        return proofs.consistency_proof(self, old_size, new_size)

    def root(self, tree_size: int) -> bytes:
        """Tree head at ``tree_size`` leaves, from the stored nodes."""
        return proofs.root(self, tree_size)

    def receipt(self, audit_id: str) -> Receipt:
        """A receipt for one record: leaf, inclusion proof and a signed checkpoint covering it."""
        return make_receipt(self, audit_id)

    def verify(
        self,
        *,
        external_checkpoints: list[Checkpoint] | None = None,
        batch: int = 5000,
        deep: bool = False,
    ) -> VerifyReport:
        """Recompute the whole log; see :func:`audit.verifier.verify_log`."""
        return verify_log(self, external_checkpoints=external_checkpoints, batch=batch, deep=deep)

    # --- reading --------------------------------------------------------------------------------

    def get(self, audit_id: str) -> StoredRecord | None:
        """Return the stored record for ``audit_id`` (forgiving typing mistakes), or None.

        Deleted content comes back as empty fields with ``content_shredded: True``.
        """
        return records.get_record(self, audit_id)

    def require(self, audit_id: str) -> StoredRecord:
        """Like :meth:`get` but raises ``RecordNotFound`` when there is no such record."""
        return records.require_record(self, audit_id)

    def explain(self, audit_id: str) -> str:
        """The plain-Swedish explanation of one record."""
        return explain(self.require(audit_id))

    def search(
        self,
        query: AuditQuery | None = None,
        *,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = True,
    ) -> list[RecordSummary]:
        """See :func:`audit.query.search`."""
        return queries.search(self, query, limit=limit, offset=offset, newest_first=newest_first)

    def count(self, query: AuditQuery | None = None) -> int:
        """See :func:`audit.query.count`."""
        return queries.count(self, query)

    def turn_facts(self, query: AuditQuery | None = None) -> list[TurnFacts]:
        """See :func:`audit.query.turn_facts`."""
        return queries.turn_facts(self, query)

    def export(self, query: AuditQuery | None = None, *, batch: int = 1000) -> Iterator[StoredRecord]:
        """See :func:`audit.query.export`."""
        return queries.export(self, query, batch=batch)

    def iter_records(self, batch: int = 1000) -> Iterator[StoredRecord]:
        """Every stored record in log order."""
        return queries.export(self, batch=batch)

    # --- annotations ----------------------------------------------------------------------------

    def mark_contested(self, audit_id: str, case_ref: str | None = None) -> None:
        """See :func:`audit.annotations.mark_contested`."""
        mark_contested(self, audit_id, case_ref, now=self._now())

    def log_access(self, actor: str, action: str, target: str | None = None) -> None:
        """See :func:`audit.annotations.log_access`."""
        log_access(self, actor, action, target, now=self._now())

    # --- deleting -------------------------------------------------------------------------------

    def apply_retention(self, *, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
        """See :func:`audit.retention.apply_retention`."""
        return retention.apply_retention(self, now=now, dry_run=dry_run)

    def forget_conversation(self, reference: str, *, dry_run: bool = False) -> RetentionReport:
        """See :func:`audit.retention.forget_conversation`."""
        return retention.forget_conversation(self, reference, dry_run=dry_run)


def open_audit_log(
    database_url: str | None = None, *, settings: AuditSettings | None = None, read_only: bool = False
) -> AuditLog:
    """Open the audit log at ``database_url``, creating or upgrading its schema.

    Args:
        database_url: SQLAlchemy URL; defaults to the ``KOMMUNSVAR_AUDIT_DATABASE_URL`` setting.
        settings: explicit settings (tests); defaults to the environment.
        read_only: for inspection (verify, explain, export): no schema changes, no key creation.

    Raises:
        AuditStoreUnavailable: the database cannot be reached or its schema created.
        SigningKeyError: a key file cannot be created or read.
    """
    settings = settings or get_settings()
    url = database_url or settings.database_url
    engine = create_audit_engine(
        url,
        busy_timeout_s=settings.busy_timeout_s,
        connect_timeout_s=settings.connect_timeout_s,
        sqlite_synchronous=settings.sqlite_synchronous,
    )
    log = AuditLog(engine, settings, read_only=read_only, key_policy=settings.key_policy(url))
    try:
        if read_only:
            with store_errors("read its schema version"):
                revision = current_revision(engine)
            if revision != head_revision():
                raise AuditStoreUnavailable(f"audit schema is at {revision}, expected {head_revision()}")
        else:
            upgrade_schema(engine)
            log.load_keys()
    except BaseException:
        engine.dispose()
        raise
    return log
