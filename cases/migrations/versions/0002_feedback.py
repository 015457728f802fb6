"""Citizen feedback: "Hjälpte svaret?" per answer and "Hur nöjd är du?" per conversation.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    """Create the two feedback tables (no free text, no personal data)."""
    op.create_table(
        "answer_feedback",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.String(16), nullable=False, unique=True),
        sa.Column("conversation", sa.String(128), nullable=True),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("source_kind", sa.String(16), nullable=True),
        sa.Column("source_id", sa.String(128), nullable=True),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("reason", sa.String(32), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_answer_feedback_created", "answer_feedback", ["created_at"])
    op.create_table(
        "conversation_rating",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("conversation", sa.String(128), nullable=False, unique=True),
        sa.Column("audit_id", sa.String(16), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    """Drop the feedback tables."""
    op.drop_table("conversation_rating")
    op.drop_index("ix_answer_feedback_created", table_name="answer_feedback")
    op.drop_table("answer_feedback")
