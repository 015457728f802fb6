"""The audit database's tables (SQLAlchemy Core): records, tree nodes, checkpoints, keys, annotations.

The schema itself is created and changed by the Alembic migrations in ``audit/migrations``; these
definitions are what the code reads and writes (and what the migrations are checked against).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# One row per automated answer. ``leaf_data`` is the exact byte string hashed into the Merkle tree
# (metadata + a commitment to the content); ``content`` is the encrypted conversation content. The
# filter columns (topic, intent, ...) are copies for the admin console, re-checked by verify.
entries = Table(
    "audit_entry",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("audit_id", String(16), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("schema_version", Integer, nullable=False),
    Column("conversation", String(128), nullable=True),
    Column("channel", String(32), nullable=True),
    Column("language", String(8), nullable=True),
    Column("topic", String(64), nullable=True),
    Column("intent", String(64), nullable=True),
    Column("confidence", Float, nullable=True),
    Column("fallback", Boolean, nullable=True),
    Column("handoff", Boolean, nullable=True),
    Column("retention_class", String(64), nullable=False),
    Column("leaf_hash", LargeBinary(32), nullable=False),
    Column("leaf_data", LargeBinary, nullable=True),
    Column("leaf_seal", LargeBinary(32), nullable=True),
    Column("key_id", BigInteger, ForeignKey("audit_conversation_key.key_id"), nullable=True),
    Column("content", LargeBinary, nullable=True),
    Column("content_deleted_at", String(32), nullable=True),
    Column("content_deleted_reason", String(16), nullable=True),
    Column("metadata_deleted_at", String(32), nullable=True),
    Index("ix_audit_entry_created_at", "created_at"),
    Index("ix_audit_entry_conversation", "conversation"),
    Index("ix_audit_entry_topic", "topic"),
    Index("ix_audit_entry_intent", "intent"),
    Index("ix_audit_entry_retention", "retention_class", "created_at"),
)

# Interior nodes of the Merkle tree (level >= 1; leaves are ``audit_entry.leaf_hash``), keyed so that
# ids grow in the order nodes are completed: node = (last leaf covered << 6) | level.
tree_nodes = Table(
    "audit_tree_node",
    metadata,
    Column("node", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", LargeBinary(32), nullable=False),
)

# Signed tree heads.
checkpoints = Table(
    "audit_checkpoint",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("note", Text, nullable=False),
    Index("ix_audit_checkpoint_tree_size", "tree_size"),
)

# Per-conversation content keys, wrapped by the content key named by ``kek_id``. ``wrapped`` NULL = shredded.
conversation_keys = Table(
    "audit_conversation_key",
    metadata,
    Column("key_id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("conversation", String(128), nullable=False),
    Column("kek_id", String(16), nullable=False),
    Column("wrapped", LargeBinary, nullable=True),
    Column("created_at", String(32), nullable=False),
    Column("shredded_at", String(32), nullable=True),
    Index("ix_audit_conversation_key_conversation", "conversation"),
)

# Answers a citizen has contested (the case itself lives with the case handling).
contests = Table(
    "audit_contest",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("audit_id", String(16), ForeignKey("audit_entry.audit_id"), nullable=False),
    Column("case_ref", String(64), nullable=True),
    Column("created_at", String(32), nullable=False),
    Index("ix_audit_contest_audit_id", "audit_id"),
)

# Who looked at or exported audit data (written by the admin console).
access_log = Table(
    "audit_access",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("target", String(512), nullable=True),
    Index("ix_audit_access_at", "at"),
)
