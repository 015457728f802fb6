"""``python -m cases purge``: retention run from a shell, with the settings the gateway uses."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cases import cli
from cases.models import NewCase
from cases.store import CaseStore

REPO = Path(__file__).resolve().parents[2]
SETTINGS_ENV = (
    "KOMMUNSVAR_CASES_DATABASE_URL",
    "KOMMUNSVAR_CASES_KEY_PATH",
    "KOMMUNSVAR_CASES_CONTENT_DAYS_AFTER_RESOLUTION",
    "KOMMUNSVAR_CASE_CONTENT_DAYS_AFTER_RESOLUTION",
    "KOMMUNSVAR_VAR_DIR",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)


def _resolved_case(url: str, key_path: Path, days_ago: int) -> None:
    """One case with a message, resolved ``days_ago`` days ago."""
    then = datetime.now(UTC) - timedelta(days=days_ago)
    store = CaseStore.open(url, key_path=key_path, clock=lambda: then)
    try:
        case, _ = store.create(
            NewCase(
                kind="complaint",
                channel="chat_form",
                language="sv",
                message_redacted="Soptunnan blev inte tömd.",
                ack_deadline=then.date(),
                reply_deadline=then.date(),
            )
        )
        store.resolve(case.case_id, "sven", "other")
    finally:
        store.close()


def test_purge_with_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    assert cli.main(["purge", "--database-url", url, "--key-path", str(tmp_path / "k.key")]) == 0
    assert "contacts deleted: 0" in capsys.readouterr().out


@pytest.mark.parametrize(
    "days_variable",
    ["KOMMUNSVAR_CASES_CONTENT_DAYS_AFTER_RESOLUTION", "KOMMUNSVAR_CASE_CONTENT_DAYS_AFTER_RESOLUTION"],
)
def test_purge_reads_database_key_and_retention_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], days_variable: str
) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'cases.db'}"
    key_path = tmp_path / "secrets" / "case.key"
    _resolved_case(url, key_path, days_ago=10)
    monkeypatch.setenv("KOMMUNSVAR_CASES_DATABASE_URL", url)
    monkeypatch.setenv("KOMMUNSVAR_CASES_KEY_PATH", str(key_path))
    monkeypatch.setenv("KOMMUNSVAR_VAR_DIR", str(tmp_path / "var"))  # the default would be var/cases.db here

    monkeypatch.setenv(days_variable, "30")
    assert cli.main(["purge"]) == 0
    assert "case texts deleted: 0" in capsys.readouterr().out  # resolved 10 days ago: kept for 30

    monkeypatch.setenv(days_variable, "5")
    assert cli.main(["purge"]) == 0
    assert "case texts deleted: 1" in capsys.readouterr().out
    assert not (tmp_path / "var").exists()  # nothing was opened or created at the default place


def test_python_dash_m_cases_uses_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    key_path = tmp_path / "keys" / "case.key"
    _resolved_case(url, key_path, days_ago=800)
    env = {
        **os.environ,
        "KOMMUNSVAR_CASES_DATABASE_URL": url,
        "KOMMUNSVAR_CASES_KEY_PATH": str(key_path),
        "KOMMUNSVAR_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "cases", "purge"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "case texts deleted: 1" in result.stdout  # 730 days by default


def test_bad_settings_exit_2_without_values(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KOMMUNSVAR_CASES_CONTENT_DAYS_AFTER_RESOLUTION", "never-9876")
    assert cli.main(["purge"]) == 2
    err = capsys.readouterr().err
    assert "KOMMUNSVAR_CASES_CONTENT_DAYS_AFTER_RESOLUTION" in err and "never-9876" not in err


def test_unreachable_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["purge", "--database-url", "mysql://nobody@127.0.0.1/none"]) == 2
    assert "case store unavailable" in capsys.readouterr().err
