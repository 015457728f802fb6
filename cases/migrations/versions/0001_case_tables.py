"""Case tables: cases, their links to audit records, events, staff replies and the outbox.

The same tables ``metadata.create_all`` made before the case store had migrations; a database made
that way is stamped with this revision when it is first opened (``cases.migrate``).

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    """Create the case tables."""
    op.create_table(
        "case_record",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(16), nullable=False, unique=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("conversation", sa.String(128), nullable=True),
        sa.Column("audit_id", sa.String(16), nullable=True),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("article_id", sa.String(128), nullable=True),
        sa.Column("article_version", sa.Integer, nullable=True),
        sa.Column("article_owner", sa.String(256), nullable=True),
        sa.Column("message_redacted", sa.Text, nullable=True),
        sa.Column("pii_counts", sa.Text, nullable=False),
        sa.Column("contact_type", sa.String(8), nullable=True),
        sa.Column("contact_sealed", sa.LargeBinary, nullable=True),
        sa.Column("contact_expires_at", sa.String(32), nullable=True),
        sa.Column("contact_deleted_at", sa.String(32), nullable=True),
        sa.Column("idempotency_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("assignee", sa.String(128), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("ack_deadline", sa.String(10), nullable=False),
        sa.Column("reply_deadline", sa.String(10), nullable=False),
        sa.Column("acknowledged_at", sa.String(32), nullable=True),
        sa.Column("replied_at", sa.String(32), nullable=True),
        sa.Column("resolved_at", sa.String(32), nullable=True),
        sa.Column("content_deleted_at", sa.String(32), nullable=True),
        sa.UniqueConstraint("year", "number", name="uq_case_record_year_number"),
    )
    op.create_index("ix_case_record_status", "case_record", ["status", "reply_deadline"])
    op.create_index("ix_case_record_audit_id", "case_record", ["audit_id"])
    op.create_index("ix_case_record_outcome", "case_record", ["outcome", "resolved_at"])
    op.create_table(
        "case_audit_link",
        sa.Column("case_pk", _ID, sa.ForeignKey("case_record.id"), primary_key=True),
        sa.Column("audit_id", sa.String(16), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
    )
    op.create_table(
        "case_event",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("case_pk", _ID, sa.ForeignKey("case_record.id"), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_case_event_case", "case_event", ["case_pk", "id"])
    op.create_table(
        "case_reply",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("case_pk", _ID, sa.ForeignKey("case_record.id"), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("body_sealed", sa.LargeBinary, nullable=True),
    )
    op.create_table(
        "case_outbox",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("case_pk", _ID, sa.ForeignKey("case_record.id"), nullable=False),
        sa.Column("reply_id", _ID, sa.ForeignKey("case_reply.id"), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("recipient_sealed", sa.LargeBinary, nullable=True),
        sa.Column("subject", sa.String(256), nullable=False),
        sa.Column("body_sealed", sa.LargeBinary, nullable=True),
        sa.Column("sent_at", sa.String(32), nullable=True),
        sa.Column("error", sa.String(128), nullable=True),
    )
    op.create_index("ix_case_outbox_status", "case_outbox", ["status", "id"])


def downgrade() -> None:
    """Drop the case tables (destroys every case)."""
    for table in ("case_outbox", "case_reply", "case_event", "case_audit_link", "case_record"):
        op.drop_table(table)
