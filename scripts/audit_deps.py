"""Known vulnerabilities in the locked dependencies of both venvs (``pip-audit``, part of ``make lint``).

Audits ``requirements/py311.lock`` and ``requirements/rasa-py310.lock`` as files (hash-checked, no
resolution), against PyPI's vulnerability data. Findings listed in ``requirements/audit-exceptions.txt``
(each with its reason) are accepted; any other finding fails. When the vulnerability data cannot be
reached (an offline build machine) the audit says so loudly and passes, unless
``KOMMUNSVAR_AUDIT_DEPS_REQUIRED=1`` makes that a failure too (set it where the network is there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCKS = [ROOT / "requirements" / "py311.lock", ROOT / "requirements" / "rasa-py310.lock"]
EXCEPTIONS = ROOT / "requirements" / "audit-exceptions.txt"
UNREACHABLE_HINTS = (
    "connection",
    "resolve",
    "404",
    "timed out",
    "max retries",
    "serviceerror",
    "unreachable",
)


def accepted_ids(path: Path = EXCEPTIONS) -> list[str]:
    """Advisory ids accepted in the exceptions file (a line without a reason is refused)."""
    ids = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        advisory, _, reason = line.partition("#")
        if not reason.strip():
            raise SystemExit(f"{path.name}:{number}: {advisory.strip()} has no reason after '#'")
        ids.append(advisory.strip())
    return ids


def audit(lock: Path, ignored: list[str]) -> tuple[str, list[str]]:
    """Audit one lock file: ("ok" | "findings" | "unreachable", lines to print)."""
    cmd = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lock),
        "--require-hashes",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
        "--vulnerability-service",
        "pypi",
    ]
    for advisory in ignored:
        cmd += ["--ignore-vuln", advisory]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        error = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        if any(hint in result.stderr.lower() for hint in UNREACHABLE_HINTS):
            return "unreachable", error
        return "findings", [f"pip-audit failed: {error[0]}"]
    return classify(report)


def classify(report: dict[str, Any]) -> tuple[str, list[str]]:
    """Read pip-audit's JSON report: ("ok" | "findings" | "unreachable", lines to print)."""
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    # pip-audit reports "No known vulnerabilities" even when it could look none up (PyPI answered 404
    # for each): a package it could not look up is not audited, and saying otherwise would be a lie.
    if dependencies and len(skipped) == len(dependencies):
        return "unreachable", [f"all {len(skipped)} lookups failed: {skipped[0]['skip_reason']}"]
    lines = [f"not audited: {d['name']} ({d['skip_reason']})" for d in skipped]
    for dependency in dependencies:
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release"
            lines.append(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
    found = [line for line in lines if not line.startswith("not audited")]
    return ("findings" if found else "ok"), lines


def main() -> int:
    """Audit both lock files; print the outcome of each; exit 1 on an unexplained finding."""
    ignored = accepted_ids()
    required = os.environ.get("KOMMUNSVAR_AUDIT_DEPS_REQUIRED") == "1"
    failed = False
    for lock in LOCKS:
        outcome, lines = audit(lock, ignored)
        name = lock.relative_to(ROOT)
        if outcome == "ok":
            print(
                f"[pip-audit] {name}: no known vulnerabilities ({len(ignored)} accepted in {EXCEPTIONS.name})"
            )
            for line in lines:
                print(f"  {line}")
            failed |= required and bool(lines)
        elif outcome == "unreachable":
            print(
                f"[pip-audit] {name}: NOT AUDITED: the vulnerability data could not be reached ({lines[0]})"
            )
            failed |= required
        else:
            print(f"[pip-audit] {name}: findings not explained in {EXCEPTIONS.name}:")
            print("\n".join(f"  {line}" for line in lines))
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
