"""Tables of users and sessions (own tables, by default in the audit trail's database)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, MetaData, String, Table

Role = Literal["admin", "auditor", "staff"]
ROLES: tuple[Role, ...] = ("admin", "auditor", "staff")
ROLE_LABELS: dict[str, str] = {"admin": "administratör", "auditor": "granskare", "staff": "handläggare"}

metadata = MetaData()

users = Table(
    "auth_user",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", Float, nullable=True),
    Column("last_login_at", Float, nullable=True),
)

# Server-side sessions: the cookie holds a random token, the table only its SHA-256, so a copy of the
# database does not let anyone log in. Logout deletes the row.
sessions = Table(
    "auth_session",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("auth_user.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    Column("last_seen_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Index("ix_auth_session_user", "user_id"),
)


@dataclass(frozen=True)
class User:
    """A logged-in person of the municipality (never a citizen)."""

    id: int
    username: str
    role: Role

    @property
    def role_label(self) -> str:
        """The role in Swedish."""
        return ROLE_LABELS[self.role]

    @property
    def can_audit(self) -> bool:
        """May read the audit trail (auditor or admin)."""
        return self.role in ("auditor", "admin")

    @property
    def can_handle_cases(self) -> bool:
        """May work in the staff queue (staff or admin)."""
        return self.role in ("staff", "admin")


@dataclass(frozen=True)
class AuthSession:
    """A valid session: who, and the token every form must echo back."""

    user: User
    csrf_token: str
    expires_at: float
