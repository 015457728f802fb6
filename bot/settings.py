"""Gateway and runner settings, read from the environment (prefix ``KOMMUNSVAR_``).

Key files: in development the keys are created under ``var/keys/`` beside the data. In production
(``KOMMUNSVAR_ENVIRONMENT=production``) no key file may lie inside the data directory (``var_dir``) or
beside a SQLite database: set ``KOMMUNSVAR_AUDIT_KEY_PATH``, ``KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH`` and
``KOMMUNSVAR_CASES_KEY_PATH`` to files on a secrets mount (mode 0600), and the pseudonym and auth secrets
through the environment; the stores refuse to start otherwise (``audit.keys.KeyPolicy``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from audit.keys import KeyPolicy
from audit.settings import sqlite_folder

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# An origin a widget may be embedded on: scheme, host and optional port, nothing else.
EMBED_ORIGIN = re.compile(r"^https?://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")

_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development"}


class Settings(BaseSettings):
    """Settings of the gateway (the citizen API) and of the process runner."""

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    # The internal API (action server → cases, `python -m audit … --gateway` → privacy) listens on its own
    # loopback port, never on the public one, so a reverse proxy in front of `port` cannot reach it.
    internal_port: int = 8001  # 0: no internal listener (tests that run the app without the other processes)
    rasa_port: int = 5005
    action_port: int = 5055
    rasa_url: str = "http://127.0.0.1:5005"
    action_url: str = "http://127.0.0.1:5055"
    # Token of Rasa's HTTP API. The runner generates one per start; never written to disk.
    rasa_token: str = Field(default="", repr=False)
    # The private key (PEM) the gateway signs Rasa JWTs with (bot/rasa_auth.py); the runner makes one per
    # start and gives Rasa the public key. Set: the JWT is used and the token is not.
    rasa_jwt_key: str = Field(default="", repr=False)
    # Key for conversation pseudonyms (HMAC). The runner keeps a dev key under var/keys/.
    pseudonym_key: str = Field(default="", repr=False)
    # Token of the loopback-only /internal API (action server, ``python -m audit ... --gateway``). The
    # runner generates one per start; without it the internal API refuses every call.
    internal_token: str = Field(default="", repr=False)
    rasa_timeout_seconds: float = 20.0
    health_timeout_seconds: float = 3.0
    var_dir: Path = PROJECT_ROOT / "var"
    data_dir: Path = PROJECT_ROOT / "data"
    models_dir: Path = PROJECT_ROOT / "models"
    audit_database_url: str = ""
    # Rasa's SQL tracker store (Rasa reads the same variable through bot/endpoints.yml); purged together
    # with the audit content (audit.purge). Default: ``<var_dir>/rasa-tracker.db``.
    rasa_tracker_url: str = Field(default="", repr=False)
    max_message_chars: int = 2000
    # Abuse limits (bot/services/rate_limit.py, the `limits` library). On by default; switch off only for
    # load tests and evaluations. Storage: "memory://" for one gateway worker, "redis://host:6379" for more.
    rate_limit_enabled: bool = True
    rate_limit_storage_url: str = Field(default="memory://", repr=False)
    rate_limit_chat_per_address: str = "60 per minute"
    rate_limit_chat_per_conversation: str = "20 per minute"
    rate_limit_new_conversations_per_address: str = "30 per 10 minutes"
    rate_limit_cases_per_address: str = "10 per hour"
    rate_limit_logins_per_address: str = "20 per 15 minutes"
    rate_limit_feedback_per_address: str = "120 per hour"  # a vote on every answer of long conversations
    rate_limit_deletions_per_address: str = "20 per hour"  # "Radera mitt samtal"
    # Several gateway workers (the cluster profile sets these): the contact vault and the per-conversation
    # turn locks in Redis, e.g. "redis://127.0.0.1:6379/0", instead of this process's memory. Empty: in
    # memory, for one worker (``make run``). The vault's values are encrypted with a key derived from
    # ``vault_key_path`` (default ``<var_dir>/keys/vault.key``), which every worker must share.
    vault_url: str = Field(default="", repr=False)
    vault_key_path: Path | None = None
    turn_lock_url: str = Field(default="", repr=False)
    # A turn's Redis lock expires after this long (a turn takes at most two Rasa calls of
    # rasa_timeout_seconds plus the safety check); a turn waits this long for the previous one.
    turn_lock_timeout_seconds: float = Field(default=60.0, gt=0)
    turn_lock_wait_seconds: float = Field(default=30.0, gt=0)
    # Several gateway workers on the same ports (bot/gateway_serve.py): the internal port is bound with
    # SO_REUSEPORT as well. Set by the runner for the cluster profile only.
    reuse_port: bool = False
    # KPI thresholds of the oversight dashboard (/admin/kpi, docs/kpi.md): a share at or past "amber"
    # is shown as "Bevaka", at or past "red" as "Åtgärda". Helpful and containment: lower is worse.
    kpi_helpful_amber: float = 0.75
    kpi_helpful_red: float = 0.60
    kpi_containment_amber: float = 0.70
    kpi_containment_red: float = 0.50
    kpi_not_helpful_amber: float = 0.15
    kpi_not_helpful_red: float = 0.25
    kpi_fallback_amber: float = 0.15
    kpi_fallback_red: float = 0.25
    kpi_contests_upheld_amber: float = 0.01
    kpi_contests_upheld_red: float = 0.03
    # Content owners who get the weekly report by e-mail (python -m bot.kpi report --mail), comma-separated.
    kpi_report_recipients: str = ""
    # Who may embed the citizen chat page in a frame (CSP frame-ancestors), e.g. "https://www.kommun.se".
    frame_ancestors: str = "'self'"
    # The municipality's own sites that embed the chat widget (widget.js / the /widget frame), separated
    # by commas, e.g. "https://www.exempelstad.se,https://exempelstad.se". They are added to the frames'
    # CSP frame-ancestors and may call the citizen API cross-origin (CORS, no credentials).
    embed_origins: str = ""
    code_version: str = "unknown"
    log_json: bool = True

    @property
    def embed_origin_list(self) -> list[str]:
        """``embed_origins`` as a list of origins (checked when the settings are read)."""
        return [o.strip().rstrip("/") for o in self.embed_origins.split(",") if o.strip()]

    @model_validator(mode="after")
    def _check_embed_origins(self) -> Settings:
        for origin in self.embed_origin_list:
            if not EMBED_ORIGIN.match(origin):
                raise ValueError(
                    f"KOMMUNSVAR_EMBED_ORIGINS: {origin!r} is not an origin like https://www.kommun.se"
                )
        return self

    @model_validator(mode="after")
    def _refuse_placeholder_secrets(self) -> Settings:
        if self.environment == "production":
            for name in ("rasa_token", "pseudonym_key", "internal_token"):
                if name == "rasa_token" and self.rasa_jwt_key:
                    continue  # Rasa is reached with a JWT
                value = getattr(self, name)
                if value.strip().lower() in _PLACEHOLDER_SECRETS or len(value) < 16:
                    raise ValueError(f"KOMMUNSVAR_{name.upper()} must be set to a real secret in production")
        return self

    @property
    def resolved_audit_url(self) -> str:
        """The audit database URL, defaulting to a SQLite file under ``var_dir``."""
        return self.audit_database_url or f"sqlite:///{self.var_dir / 'audit.db'}"

    @property
    def resolved_tracker_url(self) -> str:
        """Rasa's tracker store URL, defaulting to a SQLite file under ``var_dir``."""
        return self.rasa_tracker_url or f"sqlite:///{self.var_dir / 'rasa-tracker.db'}"

    @property
    def key_policy(self) -> KeyPolicy:
        """Rules for key files: none in ``var_dir`` or beside the audit database in production."""
        return KeyPolicy.build(
            production=self.environment == "production",
            data_dirs=(self.var_dir, Path("var"), sqlite_folder(self.resolved_audit_url)),
        )

    @property
    def resolved_vault_key_path(self) -> Path:
        """The vault's key file (Redis vault only), defaulting to ``var_dir/keys/vault.key``."""
        return self.vault_key_path or self.var_dir / "keys" / "vault.key"

    @property
    def log_dir(self) -> Path:
        """Where the processes write their (redacted) logs."""
        return self.var_dir / "log"


def get_settings() -> Settings:
    """Read the settings from the environment now (tests change the environment)."""
    return Settings()
