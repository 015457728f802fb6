"""Settings of case handling, read from ``KOMMUNSVAR_CASES_*`` environment variables.

Every field can be set as ``KOMMUNSVAR_CASES_<FIELD>``. The names used before cases had their own
package keep working: ``KOMMUNSVAR_CASE_<FIELD>`` for the response times, limits and retention, and
``KOMMUNSVAR_SMTP_*`` for mail. Three values are shared with the rest of the system and read under
their system-wide names: ``KOMMUNSVAR_ENVIRONMENT``, ``KOMMUNSVAR_VAR_DIR`` (the data directory) and
``KOMMUNSVAR_DATA_DIR`` (the municipality's content, for the opening hours).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from audit.keys import KeyPolicy
from audit.settings import sqlite_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _named(field: str, *old: str, **kwargs: Any) -> Any:
    """A field read from ``KOMMUNSVAR_CASES_<FIELD>``, else from its ``old`` names (or given by name)."""
    return Field(validation_alias=AliasChoices(f"KOMMUNSVAR_CASES_{field.upper()}", *old), **kwargs)


class CasesSettings(BaseSettings):
    """Where cases are stored, their response times and retention, and how replies are mailed.

    Attributes:
        database_url: SQLAlchemy URL; defaults to ``<var_dir>/cases.db`` (``var/cases.db``).
        key_path: 32-byte key that encrypts contacts and replies (created when missing); defaults to
            ``<var_dir>/keys/case_contact.key``.
        ack_working_days: working days to acknowledge a case.
        reply_working_days: working days to answer it.
        message_max_chars: longest citizen message (longer is refused with 413).
        contact_retention_days: the contact is deleted this long after the case was created ...
        contact_days_after_resolution: ... or this long after it was resolved, whichever is first.
        content_days_after_resolution: the case text is deleted this long after resolution.
        smtp_host: SMTP server for replies; empty = replies stay in the local outbox.
        environment: ``KOMMUNSVAR_ENVIRONMENT``; production refuses key files inside the data directory.
        var_dir: ``KOMMUNSVAR_VAR_DIR``, the data directory.
        data_dir: ``KOMMUNSVAR_DATA_DIR``, the approved content (opening hours for the deadlines).
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_CASES_", extra="ignore", populate_by_name=True)

    database_url: str = ""
    key_path: Path | None = None
    ack_working_days: int = _named(
        "ack_working_days", "KOMMUNSVAR_CASE_ACK_WORKING_DAYS", default=2, ge=0, le=60
    )
    reply_working_days: int = _named(
        "reply_working_days", "KOMMUNSVAR_CASE_REPLY_WORKING_DAYS", default=10, ge=1, le=120
    )
    message_max_chars: int = _named(
        "message_max_chars", "KOMMUNSVAR_CASE_MESSAGE_MAX_CHARS", default=2000, ge=100, le=20000
    )
    contact_retention_days: int = _named(
        "contact_retention_days", "KOMMUNSVAR_CASE_CONTACT_RETENTION_DAYS", default=90, ge=1
    )
    contact_days_after_resolution: int = _named(
        "contact_days_after_resolution", "KOMMUNSVAR_CASE_CONTACT_DAYS_AFTER_RESOLUTION", default=30, ge=0
    )
    content_days_after_resolution: int = _named(
        "content_days_after_resolution", "KOMMUNSVAR_CASE_CONTENT_DAYS_AFTER_RESOLUTION", default=730, ge=1
    )
    smtp_host: str = _named("smtp_host", "KOMMUNSVAR_SMTP_HOST", default="")
    smtp_port: int = _named("smtp_port", "KOMMUNSVAR_SMTP_PORT", default=587)
    smtp_username: str = _named("smtp_username", "KOMMUNSVAR_SMTP_USERNAME", default="")
    smtp_password: str = _named("smtp_password", "KOMMUNSVAR_SMTP_PASSWORD", default="", repr=False)
    smtp_starttls: bool = _named("smtp_starttls", "KOMMUNSVAR_SMTP_STARTTLS", default=True)
    smtp_from: str = _named("smtp_from", "KOMMUNSVAR_SMTP_FROM", default="kontaktcenter@exempelstad.se")
    smtp_timeout_seconds: float = _named(
        "smtp_timeout_seconds", "KOMMUNSVAR_SMTP_TIMEOUT_SECONDS", default=10.0
    )
    environment: Literal["development", "production"] = Field(
        default="development", validation_alias="KOMMUNSVAR_ENVIRONMENT"
    )
    var_dir: Path = Field(default=PROJECT_ROOT / "var", validation_alias="KOMMUNSVAR_VAR_DIR")
    data_dir: Path = Field(default=PROJECT_ROOT / "data", validation_alias="KOMMUNSVAR_DATA_DIR")

    @model_validator(mode="after")
    def _reply_after_acknowledgement(self) -> CasesSettings:
        if self.reply_working_days < self.ack_working_days:
            raise ValueError(
                "KOMMUNSVAR_CASES_REPLY_WORKING_DAYS (KOMMUNSVAR_CASE_REPLY_WORKING_DAYS) must not be "
                "shorter than the acknowledgement"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The case database URL, defaulting to a SQLite file under ``var_dir``."""
        return self.database_url or f"sqlite:///{self.var_dir / 'cases.db'}"

    @property
    def resolved_key_path(self) -> Path:
        """The key file for encrypted case fields."""
        return self.key_path or self.var_dir / "keys" / "case_contact.key"

    def key_policy(self) -> KeyPolicy:
        """The rules for the key file: not in ``var_dir`` or beside a SQLite database in production."""
        folders = (self.var_dir, Path("var"), sqlite_folder(self.resolved_database_url))
        return KeyPolicy.build(production=self.environment == "production", data_dirs=folders)
