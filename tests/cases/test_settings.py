"""``CasesSettings``: one class, prefix ``KOMMUNSVAR_CASES_``, and every older variable name still works."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from cases.settings import PROJECT_ROOT, CasesSettings

OLD_AND_NEW = [
    ("ack_working_days", "KOMMUNSVAR_CASE_ACK_WORKING_DAYS", "KOMMUNSVAR_CASES_ACK_WORKING_DAYS", "1", 1),
    (
        "reply_working_days",
        "KOMMUNSVAR_CASE_REPLY_WORKING_DAYS",
        "KOMMUNSVAR_CASES_REPLY_WORKING_DAYS",
        "7",
        7,
    ),
    (
        "message_max_chars",
        "KOMMUNSVAR_CASE_MESSAGE_MAX_CHARS",
        "KOMMUNSVAR_CASES_MESSAGE_MAX_CHARS",
        "500",
        500,
    ),
    (
        "contact_retention_days",
        "KOMMUNSVAR_CASE_CONTACT_RETENTION_DAYS",
        "KOMMUNSVAR_CASES_CONTACT_RETENTION_DAYS",
        "60",
        60,
    ),
    (
        "contact_days_after_resolution",
        "KOMMUNSVAR_CASE_CONTACT_DAYS_AFTER_RESOLUTION",
        "KOMMUNSVAR_CASES_CONTACT_DAYS_AFTER_RESOLUTION",
        "10",
        10,
    ),
    (
        "content_days_after_resolution",
        "KOMMUNSVAR_CASE_CONTENT_DAYS_AFTER_RESOLUTION",
        "KOMMUNSVAR_CASES_CONTENT_DAYS_AFTER_RESOLUTION",
        "365",
        365,
    ),
    ("smtp_host", "KOMMUNSVAR_SMTP_HOST", "KOMMUNSVAR_CASES_SMTP_HOST", "smtp.example.se", "smtp.example.se"),
    ("smtp_port", "KOMMUNSVAR_SMTP_PORT", "KOMMUNSVAR_CASES_SMTP_PORT", "2525", 2525),
    ("smtp_starttls", "KOMMUNSVAR_SMTP_STARTTLS", "KOMMUNSVAR_CASES_SMTP_STARTTLS", "false", False),
    ("smtp_from", "KOMMUNSVAR_SMTP_FROM", "KOMMUNSVAR_CASES_SMTP_FROM", "a@b.se", "a@b.se"),
]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    ours = ("KOMMUNSVAR_CASE", "KOMMUNSVAR_SMTP", "KOMMUNSVAR_VAR_DIR", "KOMMUNSVAR_DATA_DIR")
    for name in list(os.environ):
        if name.startswith(ours):
            monkeypatch.delenv(name)
    monkeypatch.delenv("KOMMUNSVAR_ENVIRONMENT", raising=False)


def test_defaults_keep_var_cases_db() -> None:
    settings = CasesSettings()
    assert settings.resolved_database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'cases.db'}"
    assert settings.resolved_key_path == PROJECT_ROOT / "var" / "keys" / "case_contact.key"
    assert (settings.ack_working_days, settings.reply_working_days) == (2, 10)
    assert settings.content_days_after_resolution == 730 and settings.smtp_host == ""


def test_database_and_key_use_the_prefix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KOMMUNSVAR_CASES_DATABASE_URL", "postgresql+psycopg://cases@db/kommun")
    monkeypatch.setenv("KOMMUNSVAR_CASES_KEY_PATH", str(tmp_path / "case.key"))
    monkeypatch.setenv("KOMMUNSVAR_VAR_DIR", str(tmp_path / "data"))
    settings = CasesSettings()
    assert settings.resolved_database_url == "postgresql+psycopg://cases@db/kommun"
    assert settings.resolved_key_path == tmp_path / "case.key"
    assert settings.var_dir == tmp_path / "data"


@pytest.mark.parametrize(("field", "old", "new", "raw", "value"), OLD_AND_NEW)
def test_old_and_new_names(
    monkeypatch: pytest.MonkeyPatch, field: str, old: str, new: str, raw: str, value: object
) -> None:
    monkeypatch.setenv(old, raw)
    assert getattr(CasesSettings(), field) == value
    monkeypatch.delenv(old)
    monkeypatch.setenv(new, raw)
    assert getattr(CasesSettings(), field) == value


def test_var_dir_under_the_system_wide_name_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VAR_DIR", str(tmp_path))  # a bare name from some other program is not ours
    monkeypatch.setenv("ENVIRONMENT", "production")
    settings = CasesSettings()
    assert settings.var_dir == PROJECT_ROOT / "var" and settings.environment == "development"
    assert CasesSettings(var_dir=tmp_path).resolved_database_url == f"sqlite:///{tmp_path / 'cases.db'}"


def test_reply_may_not_come_before_the_acknowledgement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMMUNSVAR_CASE_ACK_WORKING_DAYS", "5")
    monkeypatch.setenv("KOMMUNSVAR_CASE_REPLY_WORKING_DAYS", "3")
    with pytest.raises(ValidationError, match="REPLY_WORKING_DAYS"):
        CasesSettings()


def test_production_key_policy_names_the_data_folders(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db' / 'cases.db'}"
    policy = CasesSettings(environment="production", var_dir=tmp_path / "var", database_url=url).key_policy()
    assert policy.production
    assert {(tmp_path / "var").resolve(), (tmp_path / "db").resolve()} <= set(policy.data_dirs)
    assert CasesSettings(var_dir=tmp_path).key_policy().production is False
