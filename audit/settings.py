"""Settings of the audit trail, read from ``KOMMUNSVAR_AUDIT_*`` environment variables.

Retention classes come from the municipality's document management plan (dokumenthanteringsplan);
set them as JSON, e.g.
``KOMMUNSVAR_AUDIT_RETENTION_CLASSES='{"conversation": {"content_days": 90, "metadata_days": 730}}'``.

Three values are shared with the rest of the system and read under their system-wide names:
``KOMMUNSVAR_ENVIRONMENT``, ``KOMMUNSVAR_VAR_DIR`` (the data directory) and ``KOMMUNSVAR_RASA_TRACKER_URL``
(Rasa's tracker store, purged together with the audit content).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from audit.keys import KeyPolicy

PROJECT_ROOT = Path(__file__).resolve().parent.parent


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
        environment: ``KOMMUNSVAR_ENVIRONMENT``; production refuses key files inside the data directory
            and key files readable by group or others.
        var_dir: ``KOMMUNSVAR_VAR_DIR``, the data directory (no key files there in production).
        tracker_url: ``KOMMUNSVAR_RASA_TRACKER_URL``, SQLAlchemy URL of Rasa's SQL tracker store;
            defaults to ``<var_dir>/rasa-tracker.db``.
        tracker_retention_days: a conversation's turns stay in the tracker store this long after its
            last event (Rasa only needs the current session; the audit trail is the record).
        internal_token: ``KOMMUNSVAR_INTERNAL_TOKEN``, for ``retention|forget --gateway``.
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_AUDIT_", extra="ignore", populate_by_name=True)

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
    environment: Literal["development", "production"] = Field(
        default="development", validation_alias=AliasChoices("KOMMUNSVAR_ENVIRONMENT", "environment")
    )
    var_dir: Path = Field(
        default=PROJECT_ROOT / "var", validation_alias=AliasChoices("KOMMUNSVAR_VAR_DIR", "var_dir")
    )
    tracker_url: str = Field(
        default="", repr=False, validation_alias=AliasChoices("KOMMUNSVAR_RASA_TRACKER_URL", "tracker_url")
    )
    tracker_retention_days: float = Field(default=1.0, gt=0)
    internal_token: str = Field(
        default="", repr=False, validation_alias=AliasChoices("KOMMUNSVAR_INTERNAL_TOKEN", "internal_token")
    )

    @property
    def resolved_tracker_url(self) -> str:
        """Rasa's tracker store URL, defaulting to the SQLite file the runner gives Rasa."""
        return self.tracker_url or f"sqlite:///{self.var_dir / 'rasa-tracker.db'}"

    def key_policy(self, *database_urls: str) -> KeyPolicy:
        """The rules for key files: no keys in ``var_dir`` or beside a SQLite database in production."""
        folders = [self.var_dir, Path("var"), *(sqlite_folder(url) for url in database_urls)]
        return KeyPolicy.build(production=self.environment == "production", data_dirs=folders)


def sqlite_file(database_url: str) -> Path | None:
    """The SQLite database file named by ``database_url`` (None for other databases and in-memory ones)."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        return None
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def sqlite_folder(database_url: str) -> Path | None:
    """The folder of the SQLite database file named by ``database_url``, if it names one."""
    path = sqlite_file(database_url)
    return None if path is None else path.parent


@lru_cache(maxsize=1)
def get_settings() -> AuditSettings:
    """Return the process-wide settings, read once from the environment."""
    return AuditSettings()
