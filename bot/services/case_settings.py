"""Settings of case handling (prefix ``KOMMUNSVAR_``), shared by the gateway and the action server."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.settings import PROJECT_ROOT

_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development"}


class CaseSettings(BaseSettings):
    """Where cases are stored, their response times and retention, mail, and the internal API token.

    Attributes:
        cases_database_url: SQLAlchemy URL; defaults to ``var/cases.db``.
        cases_key_path: 32-byte key that encrypts contacts and replies (created when missing).
        case_ack_working_days: working days to acknowledge a case.
        case_reply_working_days: working days to answer it.
        case_message_max_chars: longest citizen message (longer is refused with 413).
        case_contact_retention_days: the contact is deleted this long after the case was created ...
        case_contact_days_after_resolution: ... or this long after it was resolved, whichever is first.
        case_content_days_after_resolution: the case text is deleted this long after resolution.
        internal_token: shared secret of the action server and the gateway's ``/internal`` API.
        gateway_url: where the action server reaches the gateway (default ``http://host:port``).
        smtp_host: SMTP server for replies; empty = replies stay in the local outbox.
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    var_dir: Path = PROJECT_ROOT / "var"
    data_dir: Path = PROJECT_ROOT / "data"
    cases_database_url: str = ""
    cases_key_path: Path | None = None
    case_ack_working_days: int = Field(default=2, ge=0, le=60)
    case_reply_working_days: int = Field(default=10, ge=1, le=120)
    case_message_max_chars: int = Field(default=2000, ge=100, le=20000)
    case_contact_retention_days: int = Field(default=90, ge=1)
    case_contact_days_after_resolution: int = Field(default=30, ge=0)
    case_content_days_after_resolution: int = Field(default=730, ge=1)
    internal_token: str = Field(default="", repr=False)
    gateway_url: str = ""
    internal_timeout_seconds: float = 5.0
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = Field(default="", repr=False)
    smtp_starttls: bool = True
    smtp_from: str = "kontaktcenter@exempelstad.se"
    smtp_timeout_seconds: float = 10.0

    @model_validator(mode="after")
    def _checks(self) -> CaseSettings:
        if self.case_reply_working_days < self.case_ack_working_days:
            raise ValueError(
                "KOMMUNSVAR_CASE_REPLY_WORKING_DAYS must not be shorter than the acknowledgement"
            )
        if self.environment == "production":
            token = self.internal_token
            if token.strip().lower() in _PLACEHOLDER_SECRETS or len(token) < 16:
                raise ValueError("KOMMUNSVAR_INTERNAL_TOKEN must be set to a real secret in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The case database URL, defaulting to a SQLite file under ``var_dir``."""
        return self.cases_database_url or f"sqlite:///{self.var_dir / 'cases.db'}"

    @property
    def resolved_key_path(self) -> Path:
        """The key file for encrypted case fields."""
        return self.cases_key_path or self.var_dir / "keys" / "case_contact.key"

    @property
    def resolved_gateway_url(self) -> str:
        """Base URL of the gateway for the action server."""
        return (self.gateway_url or f"http://{self.host}:{self.port}").rstrip("/")
