"""``python -m audit`` verify / explain / export through its real entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from audit.cli import main
from audit.log import open_audit_log
from audit.settings import AuditSettings

MakeRecord = Callable[..., dict[str, Any]]
REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audit", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def _filled(db_url: str, settings: AuditSettings, make_record: MakeRecord, n: int = 3) -> list[str]:
    log = open_audit_log(db_url, settings=settings)
    try:
        return [log.append(make_record(turn=t)).audit_id for t in range(n)]
    finally:
        log.close()


def test_verify_exit_zero_when_intact(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    _filled(db_url, audit_settings, make_record)
    result = _run("verify", "--database-url", db_url)
    assert result.returncode == 0, result.stderr
    assert "3 records verified" in result.stdout


def test_verify_names_first_bad_record(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    ids = _filled(db_url, audit_settings, make_record)
    log = open_audit_log(db_url, settings=audit_settings)
    with log.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 1"))
    log.close()
    result = _run("--database-url", db_url, "verify")
    assert result.returncode == 1
    assert ids[2] in result.stderr


def test_explain_prints_swedish(db_url: str, audit_settings: AuditSettings, make_record: MakeRecord) -> None:
    ids = _filled(db_url, audit_settings, make_record, n=1)
    result = _run("explain", ids[0], "--database-url", db_url)
    assert result.returncode == 0, result.stderr
    assert "Stämmer inte svaret?" in result.stdout and ids[0] in result.stdout


def test_explain_unknown_id_exits_4(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    _filled(db_url, audit_settings, make_record, n=1)
    assert main(["--database-url", db_url, "explain", "KS-0000000000"]) == 4


def test_export_writes_json_lines(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    ids = _filled(db_url, audit_settings, make_record)
    result = _run("export", env={"KOMMUNSVAR_AUDIT_DATABASE_URL": db_url})
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["audit_id"] for row in rows] == ids


def test_unreachable_store_exits_3(tmp_path: Path) -> None:
    result = _run("verify", "--database-url", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert result.returncode == 3
    assert "unavailable" in result.stderr
