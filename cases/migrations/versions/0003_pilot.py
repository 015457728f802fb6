"""Supervised pilot mode: topics under approval, and the answers held for staff to approve.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    """Create the pilot tables."""
    op.create_table(
        "pilot_topic",
        sa.Column("topic", sa.String(64), primary_key=True),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("changed_by", sa.String(128), nullable=False),
        sa.Column("changed_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "pilot_draft",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.String(16), nullable=False, unique=True),
        sa.Column("conversation", sa.String(128), nullable=False),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("draft_json", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("decided_at", sa.String(32), nullable=True),
        sa.Column("decided_by", sa.String(128), nullable=True),
        sa.Column("final_json", sa.Text, nullable=True),
        sa.Column("release_audit_id", sa.String(16), nullable=True),
    )
    op.create_index("ix_pilot_draft_status", "pilot_draft", ["status", "id"])


def downgrade() -> None:
    """Drop the pilot tables."""
    op.drop_index("ix_pilot_draft_status", table_name="pilot_draft")
    op.drop_table("pilot_draft")
    op.drop_table("pilot_topic")
