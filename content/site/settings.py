"""Settings of the website tier, read from the environment (prefix ``KOMMUNSVAR_SITE_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from content.paths import PROJECT_ROOT


class SiteSettings(BaseSettings):
    """Where imported pages are kept and where the demo site lives."""

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_SITE_", extra="ignore", populate_by_name=True)

    # SQLite under the data directory by default; a postgresql+psycopg:// URL serves several instances.
    database_url: str = ""
    var_dir: Path = Field(default=PROJECT_ROOT / "var", validation_alias="KOMMUNSVAR_VAR_DIR")
    # The folder ``make run`` imports when the store is empty (the fictional Exempelstad site).
    demo_dir: Path = PROJECT_ROOT / "data" / "site"
    # Answer from passages at all (a municipality without an imported site sets nothing).
    enabled: bool = True
    # How often the action server looks for a newer import (seconds).
    refresh_seconds: float = Field(default=20.0, ge=0)
    http_timeout_seconds: float = Field(default=10.0, gt=0)

    @property
    def resolved_url(self) -> str:
        """The store's URL: ``database_url``, else ``<var_dir>/site.db``."""
        return self.database_url or f"sqlite:///{self.var_dir / 'site.db'}"


def get_site_settings() -> SiteSettings:
    """Read the settings from the environment now (tests change the environment)."""
    return SiteSettings()
