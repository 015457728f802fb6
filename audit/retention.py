"""Retention: delete what has expired while the log stays verifiable.

Per retention class (settings), conversation content and later the record's metadata expire. Expired
content is deleted and, once no live content of a conversation remains, its key is destroyed
(crypto-shredding), so copies of the ciphertext elsewhere become unreadable too. Expired metadata leaves
only the leaf hash, which keeps every tree head, checkpoint and receipt valid. A citizen's request to
delete their conversation takes the same path at once, for content (metadata is the municipality's
record of what the service did and follows the retention plan).

Work is done in small transactions under the append lock, so answers are only briefly held up. SQLite
zeroes what is deleted (``secure_delete``) and the WAL is truncated after each run, so a shredded key
leaves no copy in the database file or its ``-wal``. Rasa's tracker store and the gateway's vault are
purged together with this content by :mod:`audit.purge`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, func, select, update

from audit.clock import utc_stamp
from audit.db import checkpoint_wal, make_durable, store_errors
from audit.errors import RecordNotFound
from audit.ids import normalise_audit_id
from audit.store import AuditStore
from audit.tables import conversation_keys, entries
from audit.writer import LogWriter

CHUNK = 2000
_META_COLUMNS = (
    "conversation",
    "channel",
    "language",
    "topic",
    "intent",
    "confidence",
    "fallback",
    "handoff",
)


@dataclass
class RetentionReport:
    """What a retention run or deletion request removed (or would remove, when ``dry_run``)."""

    dry_run: bool
    content_deleted: Counter[str] = field(default_factory=Counter)  # per retention class
    metadata_deleted: Counter[str] = field(default_factory=Counter)
    keys_shredded: int = 0
    unknown_classes: Counter[str] = field(default_factory=Counter)
    wal_truncated: bool = True  # False: readers kept the SQLite WAL from being truncated; run again

    def lines(self) -> list[str]:
        """Human-readable summary (counts only)."""
        verb = "would delete" if self.dry_run else "deleted"
        out = [f"content {verb}: {sum(self.content_deleted.values())} records"]
        out += [f"  {name}: {n}" for name, n in sorted(self.content_deleted.items())]
        out.append(f"metadata {verb}: {sum(self.metadata_deleted.values())} records")
        out += [f"  {name}: {n}" for name, n in sorted(self.metadata_deleted.items())]
        out.append(f"conversation keys {'to shred' if self.dry_run else 'shredded'}: {self.keys_shredded}")
        out += [
            f"warning: {n} records have unknown retention class {c!r}"
            for c, n in self.unknown_classes.items()
        ]
        if not self.wal_truncated:
            out.append("warning: the audit database's WAL could not be truncated (busy readers); run again")
        return out


def _delete_content(log: LogWriter, condition: object, reason: str, now: str, dry_run: bool) -> int:
    total = 0
    while True:
        with store_errors("delete expired content"), log.writer_transaction() as conn:
            seqs = [
                row.seq
                for row in conn.execute(
                    select(entries.c.seq).where(condition, entries.c.content.is_not(None)).limit(CHUNK)  # type: ignore[arg-type]
                )
            ]
            if dry_run or not seqs:
                return total + len(seqs) if dry_run else total
            conn.execute(
                update(entries)
                .where(entries.c.seq.in_(seqs))
                .values(content=None, content_deleted_at=now, content_deleted_reason=reason)
            )
        total += len(seqs)


def _delete_metadata(log: LogWriter, condition: object, now: str, dry_run: bool) -> int:
    total = 0
    while True:
        with store_errors("delete expired metadata"), log.writer_transaction() as conn:
            seqs = [
                row.seq
                for row in conn.execute(
                    select(entries.c.seq).where(condition, entries.c.leaf_data.is_not(None)).limit(CHUNK)  # type: ignore[arg-type]
                )
            ]
            if dry_run or not seqs:
                return total + len(seqs) if dry_run else total
            blank = dict.fromkeys(_META_COLUMNS)
            conn.execute(
                update(entries)
                .where(entries.c.seq.in_(seqs))
                .values(
                    leaf_data=None,
                    content=None,
                    metadata_deleted_at=now,
                    content_deleted_at=func.coalesce(entries.c.content_deleted_at, now),
                    content_deleted_reason=func.coalesce(entries.c.content_deleted_reason, "retention"),
                    **blank,
                )
            )
        total += len(seqs)


def _shred_keys(log: LogWriter, now: str, dry_run: bool, conversation: str | None = None) -> int:
    live = exists().where(entries.c.key_id == conversation_keys.c.key_id, entries.c.content.is_not(None))
    condition: ColumnElement[bool] = conversation_keys.c.wrapped.is_not(None)
    if conversation is not None:
        condition = and_(condition, conversation_keys.c.conversation == conversation)
    else:
        condition = and_(condition, ~live)
    with store_errors("shred conversation keys"), log.writer_transaction() as conn:
        ids = [row.key_id for row in conn.execute(select(conversation_keys.c.key_id).where(condition))]
        if ids and not dry_run:
            conn.execute(
                update(conversation_keys)
                .where(conversation_keys.c.key_id.in_(ids))
                .values(wrapped=None, shredded_at=now)
            )
    return len(ids)


def apply_retention(log: LogWriter, *, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """Delete expired content and metadata per retention class, then shred keys without live content."""
    moment = now or datetime.now(UTC)
    stamp = utc_stamp(moment)
    report = RetentionReport(dry_run=dry_run)
    classes = log.settings.retention_classes
    for name, rule in classes.items():
        of_class = entries.c.retention_class == name
        if rule.content_days is not None:
            cutoff = utc_stamp(moment - timedelta(days=rule.content_days))
            condition = of_class & (entries.c.created_at < cutoff)
            report.content_deleted[name] = _delete_content(log, condition, "retention", stamp, dry_run)
        if rule.metadata_days is not None:
            cutoff = utc_stamp(moment - timedelta(days=rule.metadata_days))
            condition = of_class & (entries.c.created_at < cutoff)
            report.metadata_deleted[name] = _delete_metadata(log, condition, stamp, dry_run)
    with store_errors("count retention classes"), log.engine.connect() as conn:
        unknown = conn.execute(
            select(entries.c.retention_class).where(entries.c.retention_class.not_in(list(classes)))
        ).all()
    report.unknown_classes.update(row.retention_class for row in unknown)
    report.keys_shredded = _shred_keys(log, stamp, dry_run)
    _flush(log, report)
    return report


def _flush(log: LogWriter, report: RetentionReport) -> None:
    """Make the deletions durable and (SQLite) leave no older page image in the WAL."""
    if report.dry_run:
        return
    with store_errors("flush deletions to disk"):
        make_durable(log.engine)
        report.wal_truncated = checkpoint_wal(log.engine)


def resolve_conversation(store: AuditStore, reference: str) -> str | None:
    """The conversation pseudonym named by an audit id (forgiving typing) or by the pseudonym itself."""
    audit_id = normalise_audit_id(reference)
    with store_errors("find the conversation"), store.engine.connect() as conn:
        conversation = None
        if audit_id is not None:
            conversation = conn.execute(
                select(entries.c.conversation).where(entries.c.audit_id == audit_id)
            ).scalar()
        if conversation is None:
            conversation = conn.execute(
                select(entries.c.conversation).where(entries.c.conversation == reference).limit(1)
            ).scalar()
    return None if conversation is None else str(conversation)


def forget_conversation(log: LogWriter, reference: str, *, dry_run: bool = False) -> RetentionReport:
    """A citizen's deletion request: shred the content of the conversation named by an audit id or pseudonym.

    Raises:
        RecordNotFound: no record has that audit id or conversation pseudonym.
    """
    conversation = resolve_conversation(log, reference)
    if conversation is None:
        raise RecordNotFound("no conversation found for that reference")
    return forget_pseudonym(log, conversation, dry_run=dry_run)


def forget_pseudonym(log: LogWriter, conversation: str, *, dry_run: bool = False) -> RetentionReport:
    """Delete the content of every record of ``conversation`` and shred its keys (no-op when unknown)."""
    stamp = utc_stamp(datetime.now(UTC))
    report = RetentionReport(dry_run=dry_run)
    report.content_deleted["request"] = _delete_content(
        log, entries.c.conversation == conversation, "request", stamp, dry_run
    )
    report.keys_shredded = _shred_keys(log, stamp, dry_run, conversation=conversation)
    _flush(log, report)
    return report
