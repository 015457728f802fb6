"""Merkle log: entries with leaf data and encrypted content, tree nodes, checkpoints, keys, contests.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
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
    """Create the audit tables."""
    op.create_table(
        "audit_conversation_key",
        sa.Column("key_id", _ID, primary_key=True, autoincrement=True),
        sa.Column("conversation", sa.String(128), nullable=False),
        sa.Column("kek_id", sa.String(16), nullable=False),
        sa.Column("wrapped", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("shredded_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_audit_conversation_key_conversation", "audit_conversation_key", ["conversation"])
    op.create_table(
        "audit_entry",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("audit_id", sa.String(16), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("schema_version", sa.Integer, nullable=False),
        sa.Column("conversation", sa.String(128), nullable=True),
        sa.Column("channel", sa.String(32), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("intent", sa.String(64), nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("fallback", sa.Boolean, nullable=True),
        sa.Column("handoff", sa.Boolean, nullable=True),
        sa.Column("retention_class", sa.String(64), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("leaf_data", sa.LargeBinary, nullable=True),
        sa.Column("leaf_seal", sa.LargeBinary(32), nullable=True),
        sa.Column("key_id", sa.BigInteger, sa.ForeignKey("audit_conversation_key.key_id"), nullable=True),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("content_deleted_at", sa.String(32), nullable=True),
        sa.Column("content_deleted_reason", sa.String(16), nullable=True),
        sa.Column("metadata_deleted_at", sa.String(32), nullable=True),
    )
    op.create_index("ix_audit_entry_created_at", "audit_entry", ["created_at"])
    op.create_index("ix_audit_entry_conversation", "audit_entry", ["conversation"])
    op.create_index("ix_audit_entry_topic", "audit_entry", ["topic"])
    op.create_index("ix_audit_entry_intent", "audit_entry", ["intent"])
    op.create_index("ix_audit_entry_retention", "audit_entry", ["retention_class", "created_at"])
    op.create_table(
        "audit_tree_node",
        sa.Column("node", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
    )
    op.create_table(
        "audit_checkpoint",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("tree_size", sa.BigInteger, nullable=False),
        sa.Column("root_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_audit_checkpoint_tree_size", "audit_checkpoint", ["tree_size"])
    op.create_table(
        "audit_contest",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("audit_id", sa.String(16), sa.ForeignKey("audit_entry.audit_id"), nullable=False),
        sa.Column("case_ref", sa.String(64), nullable=True),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_audit_contest_audit_id", "audit_contest", ["audit_id"])
    op.create_table(
        "audit_access",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(512), nullable=True),
    )
    op.create_index("ix_audit_access_at", "audit_access", ["at"])


def downgrade() -> None:
    """Drop the audit tables (destroys the log)."""
    for table in ("audit_access", "audit_contest", "audit_checkpoint", "audit_tree_node", "audit_entry"):
        op.drop_table(table)
    op.drop_table("audit_conversation_key")
