"""Settings of the audit trail, read from ``KOMMUNSVAR_AUDIT_*`` environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class AuditSettings(BaseSettings):
    """Where the audit log lives and how it behaves.

    Attributes:
        database_url: SQLAlchemy URL; SQLite by default, ``postgresql+psycopg://...`` for scale.
        busy_timeout_s: how long a writer waits for another writer's lock before giving up.
        connect_timeout_s: timeout for reaching a database server.
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_AUDIT_", extra="ignore")

    database_url: str = "sqlite:///var/audit.db"
    busy_timeout_s: float = 30.0
    connect_timeout_s: float = 5.0
    key_path: Path = Path("var/keys/audit_ed25519.pem")


@lru_cache(maxsize=1)
def get_settings() -> AuditSettings:
    """Return the process-wide settings, read once from the environment."""
    return AuditSettings()
