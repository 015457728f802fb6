"""What the case store hands out: cases, their events, replies and outbox messages (plain data)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

KINDS = ("contest", "complaint", "callback", "accessibility")
STATUSES = ("new", "acknowledged", "replied", "resolved")
OUTCOMES = ("answer_correct", "answer_wrong", "other")
CONTACT_TYPES = ("email", "phone")


@dataclass(frozen=True)
class Contact:
    """How the citizen wants to be reached: ``type`` is ``email`` or ``phone`` (E.164)."""

    type: str
    value: str = field(repr=False)

    def to_json(self) -> str:
        """Serialised form (only ever stored encrypted)."""
        return json.dumps({"type": self.type, "value": self.value}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Contact:
        """Inverse of :meth:`to_json`."""
        raw = json.loads(text)
        return cls(type=str(raw["type"]), value=str(raw["value"]))


@dataclass(frozen=True)
class NewCase:
    """A case to create. ``message_redacted`` must already have been through the redactor."""

    kind: str
    channel: str
    language: str
    message_redacted: str
    ack_deadline: date
    reply_deadline: date
    conversation: str | None = None
    audit_id: str | None = None
    linked_audit_ids: tuple[str, ...] = ()
    topic: str | None = None
    article_id: str | None = None
    article_version: int | None = None
    article_owner: str | None = None
    pii_counts: dict[str, int] = field(default_factory=dict)
    contact: Contact | None = None
    contact_expires_at: str | None = None
    idempotency_key: str | None = field(default=None, repr=False)
    actor: str = "citizen"


@dataclass(frozen=True)
class Case:
    """One stored case (the contact stays encrypted; ask the store for it)."""

    case_id: str
    kind: str
    status: str
    channel: str
    language: str
    conversation: str | None
    audit_id: str | None
    topic: str | None
    article_id: str | None
    article_version: int | None
    article_owner: str | None
    message_redacted: str | None
    pii_counts: dict[str, int]
    contact_type: str | None
    has_contact: bool
    contact_expires_at: str | None
    contact_deleted_at: str | None
    assignee: str | None
    outcome: str | None
    created_at: str
    ack_deadline: date
    reply_deadline: date
    acknowledged_at: str | None
    replied_at: str | None
    resolved_at: str | None
    content_deleted_at: str | None
    linked_audit_ids: tuple[str, ...] = ()

    def ack_overdue(self, today: date) -> bool:
        """True when nobody has acknowledged the case and its acknowledgement day has passed."""
        return self.acknowledged_at is None and self.status != "resolved" and today > self.ack_deadline

    def reply_overdue(self, today: date) -> bool:
        """True when the case has neither a reply nor a resolution and its answer day has passed."""
        return self.status in ("new", "acknowledged") and today > self.reply_deadline

    @classmethod
    def from_row(cls, row: Any, links: tuple[str, ...] = ()) -> Case:
        """Build from a ``case_record`` row."""
        m = row._mapping
        return cls(
            case_id=m["case_id"],
            kind=m["kind"],
            status=m["status"],
            channel=m["channel"],
            language=m["language"],
            conversation=m["conversation"],
            audit_id=m["audit_id"],
            topic=m["topic"],
            article_id=m["article_id"],
            article_version=m["article_version"],
            article_owner=m["article_owner"],
            message_redacted=m["message_redacted"],
            pii_counts=json.loads(m["pii_counts"] or "{}"),
            contact_type=m["contact_type"],
            has_contact=m["contact_sealed"] is not None,
            contact_expires_at=m["contact_expires_at"],
            contact_deleted_at=m["contact_deleted_at"],
            assignee=m["assignee"],
            outcome=m["outcome"],
            created_at=m["created_at"],
            ack_deadline=date.fromisoformat(m["ack_deadline"]),
            reply_deadline=date.fromisoformat(m["reply_deadline"]),
            acknowledged_at=m["acknowledged_at"],
            replied_at=m["replied_at"],
            resolved_at=m["resolved_at"],
            content_deleted_at=m["content_deleted_at"],
            linked_audit_ids=links,
        )


@dataclass(frozen=True)
class CaseEvent:
    """One transition or use of the case: who, when, what (``detail`` holds no free text)."""

    at: str
    actor: str
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """A reply written by staff; ``body`` is None once deleted by retention."""

    id: int
    at: str
    actor: str
    body: str | None


@dataclass(frozen=True)
class OutboxItem:
    """A message to the citizen: sent by SMTP, or stored for staff to send (or to call)."""

    id: int
    case_id: str
    created_at: str
    channel: str
    status: str
    recipient: str | None
    subject: str
    body: str | None
    sent_at: str | None
    error: str | None


@dataclass(frozen=True)
class CaseFilter:
    """Filters of the staff queue; ``None`` means any."""

    status: str | None = None  # a status, or "open" for everything not resolved
    kind: str | None = None
    assignee: str | None = None  # a user name, or "" for unassigned
    overdue_on: date | None = None  # only cases overdue on this day
    topic: str | None = None


@dataclass(frozen=True)
class ReviewItem:
    """An article version that staff found wrong, for its owner to review."""

    article_id: str
    article_version: int | None
    owner: str | None
    wrong_count: int
    case_ids: tuple[str, ...]
    last_resolved_at: str


@dataclass
class PurgeReport:
    """What a retention run removed (counts only)."""

    contacts_deleted: int = 0
    contents_deleted: int = 0
