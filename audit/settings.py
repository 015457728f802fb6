"""Settings of the audit trail, read from ``KOMMUNSVAR_AUDIT_*`` environment variables.

Retention classes come from the municipality's document management plan (dokumenthanteringsplan);
set them as JSON, e.g.
``KOMMUNSVAR_AUDIT_RETENTION_CLASSES='{"conversation": {"content_days": 90, "metadata_days": 730}}'``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class RetentionClass(BaseModel):
    """How long the two parts of a record are kept; ``None`` keeps them for good."""

    content_days: int | None = Field(default=90, ge=0)
    metadata_days: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _metadata_outlives_content(self) -> RetentionClass:
        if self.metadata_days is not None and (
            self.content_days is None or self.metadata_days < self.content_days
        ):
            raise ValueError("metadata must be kept at least as long as content")
        return self


def _default_classes() -> dict[str, RetentionClass]:
    return {
        # An ordinary answer: the conversation text for 90 days, what happened for two years.
        "conversation": RetentionClass(content_days=90, metadata_days=730),
        # Greetings and small talk: little value, short life.
        "smalltalk": RetentionClass(content_days=30, metadata_days=365),
        # An answer that led to a complaint, appeal or case: kept as long as the case file.
        "case": RetentionClass(content_days=730, metadata_days=3650),
    }


class AuditSettings(BaseSettings):
    """Where the audit log lives, where its keys are, and how long data is kept.

    Attributes:
        database_url: SQLAlchemy URL; SQLite by default, ``postgresql+psycopg://...`` for scale.
        key_path: Ed25519 private key that signs checkpoints (created on first use, mode 0600).
        public_key_paths: extra trusted public keys (e.g. retired signing keys) for verification.
        content_key_path: 32-byte key that wraps the per-conversation content keys.
        log_origin: the log's name in checkpoints; make it unique per municipality.
        checkpoint_every: sign a new checkpoint after this many appends ...
        checkpoint_interval_s: ... or when the latest is older than this and new records exist.
        sqlite_synchronous: FULL (each append on disk before it returns) or NORMAL (faster; the last
            appends may be lost on power loss, never on a process crash).
        busy_timeout_s: how long a writer waits for another writer's lock before giving up.
        connect_timeout_s: timeout for reaching a database server.
        retention_classes: retention per class name; records name their class.
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_AUDIT_", extra="ignore")

    database_url: str = "sqlite:///var/audit.db"
    key_path: Path = Path("var/keys/audit_ed25519.pem")
    public_key_paths: list[Path] = Field(default_factory=list)
    content_key_path: Path = Path("var/keys/audit_content.key")
    log_origin: str = "kommunsvar.local/audit"
    checkpoint_every: int = Field(default=1000, ge=1)
    checkpoint_interval_s: float = Field(default=60.0, gt=0)
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    busy_timeout_s: float = 30.0
    connect_timeout_s: float = 5.0
    retention_classes: dict[str, RetentionClass] = Field(default_factory=_default_classes)


@lru_cache(maxsize=1)
def get_settings() -> AuditSettings:
    """Return the process-wide settings, read once from the environment."""
    return AuditSettings()
