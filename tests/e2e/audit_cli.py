"""``python -m audit …`` against a running stack's audit log, with that stack's keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_audit(var_dir: Path, database_url: str, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one audit command (``verify``, ``explain ID`` …); keys from ``var_dir/keys``."""
    keys = var_dir / "keys"
    return subprocess.run(
        [sys.executable, "-m", "audit", command, "--database-url", database_url, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={
            **os.environ,
            "KOMMUNSVAR_AUDIT_KEY_PATH": str(keys / "audit_ed25519.pem"),
            "KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH": str(keys / "audit_content.key"),
        },
    )
