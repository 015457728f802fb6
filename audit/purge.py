"""One entry point for retention and deletion across every store that holds a conversation.

A conversation lives in three places, all keyed by the gateway's pseudonym of it:

- the audit trail: its content (redacted turns, answers), encrypted per conversation (:mod:`audit.retention`);
- Rasa's tracker store: every redacted turn and slot, ``case_message`` included (:mod:`audit.tracker`);
- the gateway's vault: raw e-mail addresses and phone numbers, in memory (``guardrails.vault``).

:func:`forget` (a citizen's deletion request) and :func:`purge_expired` (the retention run) act on all
three, so none of them keeps what the others have deleted. The vault exists only inside the running
gateway: the gateway calls these functions with its vault (``POST /internal/privacy/...``); the CLI
calls them without one, or asks the gateway to run them (``python -m audit forget --gateway URL``).

Usage::

    stores = ConversationStores(audit_log=log, tracker=TrackerStore(url), vault=redactor.vault)
    forget(stores, "KS-7K3M9Q2X4B").lines()
    purge_expired(stores).lines()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from audit.errors import RecordNotFound
from audit.log import AuditLog
from audit.retention import RetentionReport, apply_retention, forget_pseudonym, resolve_conversation
from audit.tracker import TrackerPurge, TrackerStore


class ConversationVault(Protocol):
    """What purging needs of the vault (``guardrails.vault.Vault``)."""

    def forget(self, conversation_id: str) -> int:
        """Drop every value of a conversation now; return how many were dropped."""
        ...

    def holds(self, conversation_id: str) -> int:
        """How many values of the conversation are held."""
        ...

    def purge_expired(self) -> int:
        """Drop conversations idle longer than the TTL; return how many were dropped."""
        ...


@dataclass
class ConversationStores:
    """Every store that holds conversation data; ``tracker`` and ``vault`` may be absent."""

    audit_log: AuditLog
    tracker: TrackerStore | None = None
    vault: ConversationVault | None = None


@dataclass
class PurgeReport:
    """What one retention run or deletion request removed from each store (counts only)."""

    dry_run: bool
    audit: RetentionReport
    tracker: TrackerPurge | None = None  # None: no tracker store configured here
    vault: int | None = None  # values (forget) or conversations (retention); None: vault not reachable
    conversation: str | None = None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human-readable summary (counts and the pseudonym, never content)."""
        verb = "would delete" if self.dry_run else "deleted"
        out = []
        if self.conversation:
            out.append(f"conversation {self.conversation}")
        out += [f"audit {line}" for line in self.audit.lines()]
        if self.tracker is None:
            out.append("tracker store: not configured here")
        elif not self.tracker.present:
            out.append("tracker store: none found (nothing to delete)")
        else:
            out.append(
                f"tracker store {verb}: {self.tracker.events_deleted} events "
                f"of {self.tracker.conversations} conversations"
            )
            if not self.tracker.wal_truncated:
                out.append("warning: the tracker store's WAL could not be truncated (busy); run again")
        if self.vault is None:
            out.append(
                "vault: not reachable from this process (it lives in the running gateway; its values "
                "expire with the vault TTL, or run with --gateway to drop them now)"
            )
        else:
            out.append(f"vault {verb}: {self.vault}")
        out += self.notes
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the gateway's internal API)."""
        tracker = None
        if self.tracker is not None:
            tracker = {
                "present": self.tracker.present,
                "events_deleted": self.tracker.events_deleted,
                "conversations": self.tracker.conversations,
                "wal_truncated": self.tracker.wal_truncated,
            }
        return {
            "dry_run": self.dry_run,
            "conversation": self.conversation,
            "audit": {
                "content_deleted": dict(self.audit.content_deleted),
                "metadata_deleted": dict(self.audit.metadata_deleted),
                "keys_shredded": self.audit.keys_shredded,
                "wal_truncated": self.audit.wal_truncated,
            },
            "tracker": tracker,
            "vault": self.vault,
            "lines": self.lines(),
        }


def forget(stores: ConversationStores, reference: str, *, dry_run: bool = False) -> PurgeReport:
    """A citizen's deletion request: the conversation's audit content, tracker events and vault values.

    ``reference`` is an audit id (Svar-ID) from the conversation or its pseudonym. A pseudonym that only
    the tracker store knows (a turn that never reached the audit trail) is accepted too.

    Raises:
        RecordNotFound: no store knows the reference.
    """
    conversation = resolve_conversation(stores.audit_log, reference)
    if conversation is None and _known_elsewhere(stores, reference):
        conversation = reference
    if conversation is None:
        raise RecordNotFound("no conversation found for that reference")
    report = PurgeReport(
        dry_run=dry_run,
        audit=forget_pseudonym(stores.audit_log, conversation, dry_run=dry_run),
        conversation=conversation,
    )
    if stores.tracker is not None:
        report.tracker = stores.tracker.forget(conversation, dry_run=dry_run)
    if stores.vault is not None:
        report.vault = stores.vault.holds(conversation) if dry_run else stores.vault.forget(conversation)
    return report


def purge_expired(
    stores: ConversationStores, *, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """The retention run: expired audit content and metadata, old tracker events, idle vault entries."""
    moment = now or datetime.now(UTC)
    report = PurgeReport(
        dry_run=dry_run, audit=apply_retention(stores.audit_log, now=moment, dry_run=dry_run)
    )
    if stores.tracker is not None:
        days = stores.audit_log.settings.tracker_retention_days
        report.tracker = stores.tracker.purge_expired(moment - timedelta(days=days), dry_run=dry_run)
    if stores.vault is not None:
        report.vault = 0 if dry_run else stores.vault.purge_expired()
    return report


def _known_elsewhere(stores: ConversationStores, reference: str) -> bool:
    if stores.vault is not None and stores.vault.holds(reference):
        return True
    if stores.tracker is not None:
        return stores.tracker.forget(reference, dry_run=True).events_deleted > 0
    return False
