"""Settings of the action server (prefix ``KOMMUNSVAR_``): how it reaches the gateway's internal API.

The same variables as the gateway's: ``KOMMUNSVAR_INTERNAL_TOKEN`` (generated per start by the runner),
``KOMMUNSVAR_GATEWAY_URL`` (default ``http://KOMMUNSVAR_HOST:KOMMUNSVAR_PORT``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDER_SECRETS = {"", "changeme", "change-me", "secret", "dev", "development"}


class ActionSettings(BaseSettings):
    """Where the gateway is, the token of its ``/internal`` API, and how long to wait for it.

    Attributes:
        internal_token: shared secret of the action server and the gateway's ``/internal`` API.
        gateway_url: where the action server reaches the gateway (default ``http://host:port``).
        internal_timeout_seconds: timeout of each call to the internal API.
        action_port: the port the action server listens on (loopback).
        var_dir: the run's data folder; the log goes to ``var_dir/log``.
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_", extra="ignore")

    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    internal_token: str = Field(default="", repr=False)
    gateway_url: str = ""
    internal_timeout_seconds: float = 5.0
    action_port: int = 5055
    var_dir: Path = Path(__file__).resolve().parent.parent / "var"

    @model_validator(mode="after")
    def _refuse_placeholder_token(self) -> ActionSettings:
        if self.environment == "production":
            token = self.internal_token
            if token.strip().lower() in _PLACEHOLDER_SECRETS or len(token) < 16:
                raise ValueError("KOMMUNSVAR_INTERNAL_TOKEN must be set to a real secret in production")
        return self

    @property
    def log_dir(self) -> Path:
        """Where the action server writes its (redacted) log."""
        return self.var_dir / "log"

    @property
    def resolved_gateway_url(self) -> str:
        """Base URL of the gateway."""
        return (self.gateway_url or f"http://{self.host}:{self.port}").rstrip("/")
