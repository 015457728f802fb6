"""``python -m audit`` commands through the real entry point (subprocess) and ``main``."""

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


def _env(settings: AuditSettings) -> dict[str, str]:
    return {
        "KOMMUNSVAR_AUDIT_KEY_PATH": str(settings.key_path),
        "KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH": str(settings.content_key_path),
        "KOMMUNSVAR_AUDIT_CHECKPOINT_EVERY": str(settings.checkpoint_every),
        # Never the developer's own var/: a tracker store of this test's own (absent unless made).
        "KOMMUNSVAR_VAR_DIR": str(settings.key_path.parent.parent / "var"),
        "KOMMUNSVAR_RASA_TRACKER_URL": f"sqlite:///{settings.key_path.parent.parent / 'rasa-tracker.db'}",
    }


def _run(
    settings: AuditSettings, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "audit", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **_env(settings), **(env or {})},
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
    _filled(db_url, audit_settings, make_record, n=10)
    result = _run(audit_settings, "verify", "--database-url", db_url)
    assert result.returncode == 0, result.stderr
    assert "OK: 10 records and 1 checkpoints verified" in result.stdout


def test_verify_names_first_bad_record(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    ids = _filled(db_url, audit_settings, make_record)
    log = open_audit_log(db_url, settings=audit_settings)
    with log.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 1"))
    log.close()
    result = _run(audit_settings, "--database-url", db_url, "verify")
    assert result.returncode == 1
    assert ids[2] in result.stderr and "missing" in result.stderr


def test_verify_against_kept_checkpoint_detects_rewrite(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord, tmp_path: Path
) -> None:
    _filled(db_url, audit_settings, make_record, n=5)
    kept = tmp_path / "checkpoint.txt"
    result = _run(audit_settings, "checkpoint", "--database-url", db_url, "--output", str(kept))
    assert result.returncode == 0 and result.stdout == kept.read_text()
    assert _run(audit_settings, "verify", "--database-url", db_url, "--checkpoint", str(kept)).returncode == 0
    # Rewrite history wholesale (new log in the same file, same key): only the kept checkpoint notices.
    Path(db_url.removeprefix("sqlite:///")).unlink()
    _filled(db_url, audit_settings, make_record, n=6)
    assert _run(audit_settings, "verify", "--database-url", db_url).returncode == 0
    result = _run(audit_settings, "verify", "--database-url", db_url, "--checkpoint", str(kept))
    assert result.returncode == 1 and "external checkpoint" in result.stderr


def test_explain_prints_swedish(db_url: str, audit_settings: AuditSettings, make_record: MakeRecord) -> None:
    ids = _filled(db_url, audit_settings, make_record, n=1)
    result = _run(audit_settings, "explain", ids[0], "--database-url", db_url)
    assert result.returncode == 0, result.stderr
    assert "Stämmer inte svaret?" in result.stdout and ids[0] in result.stdout
    assert "när hämtas soporna" in result.stdout


def test_explain_unknown_id_exits_4(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    _filled(db_url, audit_settings, make_record, n=1)
    assert _run(audit_settings, "--database-url", db_url, "explain", "KS-0000000000").returncode == 4


def test_export_writes_json_lines(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    ids = _filled(db_url, audit_settings, make_record)
    result = _run(audit_settings, "export", env={"KOMMUNSVAR_AUDIT_DATABASE_URL": db_url})
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["audit_id"] for row in rows] == ids
    assert rows[0]["input_redacted"].startswith("Jag heter <PERSON_1>")


def test_receipt_and_verify_receipt(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord, tmp_path: Path
) -> None:
    ids = _filled(db_url, audit_settings, make_record, n=5)
    result = _run(audit_settings, "receipt", ids[3], "--database-url", db_url)
    assert result.returncode == 0, result.stderr
    receipt_file = tmp_path / "receipt.json"
    receipt_file.write_text(result.stdout)
    public_key = audit_settings.key_path.with_name("audit_ed25519.pub")
    check = _run(audit_settings, "verify-receipt", str(receipt_file), "--public-key", str(public_key))
    assert check.returncode == 0, check.stderr
    assert ids[3] in check.stdout
    data = json.loads(result.stdout)
    data["seq"] = 2
    receipt_file.write_text(json.dumps(data))
    bad = _run(audit_settings, "verify-receipt", str(receipt_file), "--public-key", str(public_key))
    assert bad.returncode == 1


def test_retention_dry_run_and_forget(
    db_url: str, audit_settings: AuditSettings, make_record: MakeRecord
) -> None:
    ids = _filled(db_url, audit_settings, make_record, n=2)
    dry = _run(audit_settings, "retention", "--dry-run", "--database-url", db_url)
    assert dry.returncode == 0 and "content would delete: 0 records" in dry.stdout
    forget = _run(audit_settings, "forget", ids[1], "--database-url", db_url)
    assert forget.returncode == 0, forget.stderr
    assert "content deleted: 2 records" in forget.stdout and "conversation keys shredded: 1" in forget.stdout
    assert _run(audit_settings, "verify", "--database-url", db_url).returncode == 0


def test_unreachable_store_exits_3(audit_settings: AuditSettings) -> None:
    result = _run(
        audit_settings, "verify", "--database-url", "postgresql+psycopg://postgres@127.0.0.1:1/none"
    )
    assert result.returncode == 3
    assert "unavailable" in result.stderr


def test_main_reports_bad_url_as_usage_error() -> None:
    assert main(["--database-url", "nonsense://", "verify"]) == 2
