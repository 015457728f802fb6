"""Command line: ``python -m audit verify|explain|export``.

Exit codes: 0 success, 1 integrity failure, 2 usage error, 3 store unavailable, 4 record not found.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from audit.errors import AuditConfigError, AuditError, AuditStoreUnavailable, RecordNotFound
from audit.log import AuditLog, open_audit_log

EXIT_OK, EXIT_INTEGRITY, EXIT_USAGE, EXIT_UNAVAILABLE, EXIT_NOT_FOUND = 0, 1, 2, 3, 4


def _say(message: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    stream.write(message + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m audit", description="Kommunsvar audit trail tools.")
    parser.add_argument("--database-url", help="SQLAlchemy URL (default: KOMMUNSVAR_AUDIT_DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser("verify", help="recompute the log and name the first bad record")
    verify.add_argument("--database-url", dest="sub_database_url", help=argparse.SUPPRESS)
    explain = sub.add_parser("explain", help="explain one answer in plain Swedish")
    explain.add_argument("audit_id")
    explain.add_argument("--database-url", dest="sub_database_url", help=argparse.SUPPRESS)
    export = sub.add_parser("export", help="write records as JSON lines to stdout")
    export.add_argument("--database-url", dest="sub_database_url", help=argparse.SUPPRESS)
    return parser


def _verify(log: AuditLog) -> int:
    report = log.verify()
    if report.ok:
        _say(f"OK: {report.checked} records verified, the audit log is intact.")
        return EXIT_OK
    _say(
        f"FAILED: first bad record {report.first_bad} (seq {report.first_bad_seq}): {report.reason}. "
        f"{report.checked} records before it verified.",
        error=True,
    )
    return EXIT_INTEGRITY


def _explain(log: AuditLog, audit_id: str) -> int:
    sys.stdout.write(log.explain(audit_id))
    return EXIT_OK


def _export(log: AuditLog) -> int:
    for record in log.iter_records():
        sys.stdout.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = _parser().parse_args(argv)
    url = getattr(args, "sub_database_url", None) or args.database_url
    try:
        log = open_audit_log(url)
        try:
            if args.command == "verify":
                return _verify(log)
            if args.command == "explain":
                return _explain(log, args.audit_id)
            return _export(log)
        finally:
            log.close()
    except RecordNotFound as exc:
        _say(f"error: {exc}", error=True)
        return EXIT_NOT_FOUND
    except AuditStoreUnavailable as exc:
        _say(f"error: audit store unavailable: {exc}", error=True)
        return EXIT_UNAVAILABLE
    except AuditConfigError as exc:
        _say(f"error: {exc}", error=True)
        return EXIT_USAGE
    except AuditError as exc:
        _say(f"error: {exc}", error=True)
        return EXIT_INTEGRITY
