"""The case tables (their own schema and migrations; the audit log's tables are not touched).

Text columns hold only redacted text or values chosen by staff; personal data lives in the
``*_sealed`` columns, encrypted by :mod:`cases.crypto`. The tables are created and upgraded by the
Alembic revisions in ``cases/migrations`` (:mod:`cases.migrate`); a change here needs a new revision.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()
_ID = BigInteger().with_variant(Integer, "sqlite")

cases = Table(
    "case_record",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("case_id", String(16), nullable=False, unique=True),
    Column("year", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(16), nullable=False),  # contest | complaint | callback | accessibility
    Column("status", String(16), nullable=False),  # new | acknowledged | replied | resolved
    Column("channel", String(16), nullable=False),  # web_contest | chat_form | web_a11y
    Column("language", String(8), nullable=False),
    Column("conversation", String(128), nullable=True),  # the audit trail's pseudonym
    Column("audit_id", String(16), nullable=True),  # the record contested (or the latest one)
    Column("topic", String(64), nullable=True),
    Column("article_id", String(128), nullable=True),
    Column("article_version", Integer, nullable=True),
    Column("article_owner", String(256), nullable=True),
    Column("message_redacted", Text, nullable=True),  # NULL once deleted by retention
    Column("pii_counts", Text, nullable=False, default="{}"),  # JSON {type: count}, never values
    Column("contact_type", String(8), nullable=True),  # email | phone
    Column("contact_sealed", LargeBinary, nullable=True),
    Column("contact_expires_at", String(32), nullable=True),
    Column("contact_deleted_at", String(32), nullable=True),
    Column("idempotency_hash", String(64), nullable=True, unique=True),
    Column("assignee", String(128), nullable=True),
    Column("outcome", String(16), nullable=True),  # answer_correct | answer_wrong | other
    Column("created_at", String(32), nullable=False),
    Column("ack_deadline", String(10), nullable=False),  # ISO date, Swedish time, inclusive
    Column("reply_deadline", String(10), nullable=False),
    Column("acknowledged_at", String(32), nullable=True),
    Column("replied_at", String(32), nullable=True),
    Column("resolved_at", String(32), nullable=True),
    Column("content_deleted_at", String(32), nullable=True),
    UniqueConstraint("year", "number", name="uq_case_record_year_number"),
    Index("ix_case_record_status", "status", "reply_deadline"),
    Index("ix_case_record_audit_id", "audit_id"),
    Index("ix_case_record_outcome", "outcome", "resolved_at"),
)

# Every audit record a case concerns (the contested answer; for chat forms the conversation's turns).
case_links = Table(
    "case_audit_link",
    metadata,
    Column("case_pk", _ID, ForeignKey("case_record.id"), primary_key=True),
    Column("audit_id", String(16), primary_key=True),
    Column("role", String(16), nullable=False),  # contested | conversation
)

# Who did what and when. ``detail`` is JSON with names chosen by the code (no free text, no values).
case_events = Table(
    "case_event",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("case_pk", _ID, ForeignKey("case_record.id"), nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False, default="{}"),
    Index("ix_case_event_case", "case_pk", "id"),
)

# Replies written by staff (encrypted: a reply may name the citizen).
case_replies = Table(
    "case_reply",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("case_pk", _ID, ForeignKey("case_record.id"), nullable=False),
    Column("at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("body_sealed", LargeBinary, nullable=True),
)

# Messages to send (or sent) to the citizen. Without SMTP they stay here as "stored" for staff to send.
case_outbox = Table(
    "case_outbox",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("case_pk", _ID, ForeignKey("case_record.id"), nullable=False),
    Column("reply_id", _ID, ForeignKey("case_reply.id"), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("channel", String(8), nullable=False),  # email | phone
    Column("status", String(8), nullable=False),  # stored | sent | failed
    Column("recipient_sealed", LargeBinary, nullable=True),
    Column("subject", String(256), nullable=False),
    Column("body_sealed", LargeBinary, nullable=True),
    Column("sent_at", String(32), nullable=True),
    Column("error", String(128), nullable=True),
    Index("ix_case_outbox_status", "status", "id"),
)

# "Hjälpte svaret?" per answer (one row per audit id; a second vote replaces the first). No free text:
# ``reason`` is one of cases.feedback.REASONS; topic and source are copied from the audit record.
answer_feedback = Table(
    "answer_feedback",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("audit_id", String(16), nullable=False, unique=True),
    Column("conversation", String(128), nullable=True),  # the audit trail's pseudonym
    Column("topic", String(64), nullable=True),
    Column("source_kind", String(16), nullable=True),  # article | policy | site
    Column("source_id", String(128), nullable=True),
    Column("helpful", Boolean, nullable=False),
    Column("reason", String(32), nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Index("ix_answer_feedback_created", "created_at"),
)

# "Hur nöjd är du?" 1–5, one row per conversation (the latest rating counts).
conversation_rating = Table(
    "conversation_rating",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("conversation", String(128), nullable=False, unique=True),
    Column("audit_id", String(16), nullable=False),  # the answer the rating was given under
    Column("rating", Integer, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
)

# Supervised pilot mode: the topics whose answers staff approve before the citizen sees them.
pilot_topics = Table(
    "pilot_topic",
    metadata,
    Column("topic", String(64), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("changed_by", String(128), nullable=False),
    Column("changed_at", String(32), nullable=False),
)

# An answer held for approval: the draft (approved article or notice texts, no citizen text), then
# what was released, by whom and when. ``final_json`` holds an approved draft only: a staff member's own
# words (which may name the citizen) are kept in the encrypted audit record alone.
pilot_drafts = Table(
    "pilot_draft",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("audit_id", String(16), nullable=False, unique=True),  # the turn that was held
    Column("conversation", String(128), nullable=False),
    Column("topic", String(64), nullable=True),
    Column("language", String(8), nullable=False),
    Column("draft_json", Text, nullable=False),
    Column("status", String(16), nullable=False),  # pending | approved | edited
    Column("created_at", String(32), nullable=False),
    Column("decided_at", String(32), nullable=True),
    Column("decided_by", String(128), nullable=True),
    Column("final_json", Text, nullable=True),
    Column("release_audit_id", String(16), nullable=True),
    Index("ix_pilot_draft_status", "status", "id"),
)
