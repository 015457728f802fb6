"""Settings of login and sessions, read from ``KOMMUNSVAR_AUTH_*`` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class AuthSettings(BaseSettings):
    """How logins and sessions behave.

    Attributes:
        database_url: where users and sessions live; empty = the audit trail's database.
        secret: key for the login form's CSRF token; required in production (>= 32 characters).
        session_hours: a session ends this long after login, whatever happens.
        idle_minutes: a session ends after this long without a request.
        max_failed_logins: failed logins in a row that lock an account ...
        lockout_minutes: ... for this long.
        cookie_secure: ``auto`` marks cookies Secure except for plain HTTP on loopback in development.
        min_password_length: the shortest password accepted for new users.
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_AUTH_", extra="ignore", populate_by_name=True)

    environment: Literal["development", "production"] = Field(
        default="development", validation_alias="KOMMUNSVAR_ENVIRONMENT"
    )

    database_url: str = ""
    # Signs the login form's CSRF token. Empty in development = a random key kept under var/keys/.
    secret: str = Field(default="", repr=False)
    session_hours: float = Field(default=8.0, gt=0)
    idle_minutes: float = Field(default=30.0, gt=0)
    max_failed_logins: int = Field(default=5, ge=1)
    lockout_minutes: float = Field(default=15.0, gt=0)
    cookie_secure: Literal["auto", "always", "never"] = "auto"
    min_password_length: int = Field(default=12, ge=8)

    @model_validator(mode="after")
    def _secure_cookies_in_production(self) -> AuthSettings:
        if self.environment == "production" and self.cookie_secure == "never":
            raise ValueError("KOMMUNSVAR_AUTH_COOKIE_SECURE=never is refused in production (session theft)")
        return self


def get_auth_settings() -> AuthSettings:
    """Read the settings from the environment now."""
    return AuthSettings()
