"""Command line: ``python -m audit <command>``.

Commands: verify, explain, export, checkpoint, receipt, verify-receipt, retention, forget.
Exit codes: 0 success, 1 integrity failure, 2 usage or configuration error, 3 store unavailable,
4 record not found.

``retention`` and ``forget`` purge every store that holds a conversation (:mod:`audit.purge`): the
audit content and Rasa's tracker store directly, and — with ``--gateway URL`` — the running gateway
does all of it including its in-memory vault (``KOMMUNSVAR_INTERNAL_TOKEN`` must be set).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from audit.checkpoint import open_checkpoint
from audit.db import vacuum
from audit.errors import (
    AuditConfigError,
    AuditError,
    AuditIntegrityError,
    AuditStoreUnavailable,
    RecordNotFound,
    SigningKeyError,
)
from audit.keys import load_public_key
from audit.log import AuditLog, open_audit_log
from audit.purge import ConversationStores, PurgeReport, forget, purge_expired
from audit.query import AuditQuery
from audit.receipt import verify_receipt
from audit.settings import get_settings
from audit.tracker import TrackerStore

EXIT_OK, EXIT_INTEGRITY, EXIT_USAGE, EXIT_UNAVAILABLE, EXIT_NOT_FOUND = 0, 1, 2, 3, 4
READ_ONLY = {"verify", "explain", "export"}


def _say(message: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    stream.write(message + "\n")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="SQLAlchemy URL (default: KOMMUNSVAR_AUDIT_DATABASE_URL)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m audit", description="Kommunsvar audit trail tools.", parents=[common]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    verify = sub.add_parser(
        "verify", parents=[common], help="recompute the log and name the first bad record"
    )
    verify.add_argument(
        "--checkpoint", type=Path, action="append", default=[], help="a checkpoint kept outside the log"
    )
    verify.add_argument(
        "--public-key", type=Path, action="append", default=[], help="trusted public key (PEM)"
    )
    explain = sub.add_parser("explain", parents=[common], help="explain one answer in plain Swedish")
    explain.add_argument("audit_id")
    export = sub.add_parser("export", parents=[common], help="write records as JSON lines to stdout")
    export.add_argument("--from", dest="date_from", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
    export.add_argument("--to", dest="date_to", type=date.fromisoformat, help="last day (YYYY-MM-DD)")
    export.add_argument("--topic")
    checkpoint = sub.add_parser("checkpoint", parents=[common], help="sign and print the current tree head")
    checkpoint.add_argument("--output", type=Path, help="also write the checkpoint to this file")
    receipt = sub.add_parser("receipt", parents=[common], help="print the receipt of one answer as JSON")
    receipt.add_argument("audit_id")
    check = sub.add_parser("verify-receipt", help="check a receipt file without the database")
    check.add_argument("receipt", type=Path)
    check.add_argument("--public-key", type=Path, required=True, help="the municipality's public key (PEM)")
    purging = argparse.ArgumentParser(add_help=False)
    purging.add_argument("--dry-run", action="store_true", help="only report what would be deleted")
    purging.add_argument(
        "--tracker-url",
        default=argparse.SUPPRESS,
        help="Rasa's tracker store (default: KOMMUNSVAR_RASA_TRACKER_URL or var/rasa-tracker.db)",
    )
    purging.add_argument(
        "--gateway",
        metavar="URL",
        help="let the running gateway purge (it also holds the vault); needs KOMMUNSVAR_INTERNAL_TOKEN",
    )
    purging.add_argument(
        "--vacuum",
        action="store_true",
        help="then rewrite the databases (SQLite VACUUM, PostgreSQL VACUUM FULL): locks them meanwhile",
    )
    sub.add_parser(
        "retention",
        parents=[common, purging],
        help="delete expired content and metadata (audit, tracker store, vault)",
    )
    forget_cmd = sub.add_parser(
        "forget",
        parents=[common, purging],
        help="delete a conversation's content on request (audit, tracker store, vault)",
    )
    forget_cmd.add_argument("reference", help="a Svar-ID from the conversation, or its pseudonym")
    return parser


def _verify(log: AuditLog, args: argparse.Namespace) -> int:
    keys = log.public_keys([load_public_key(path) for path in args.public_key])
    external = []
    for path in args.checkpoint:
        try:
            external.append(open_checkpoint(path.read_text(encoding="utf-8"), keys, log.settings.log_origin))
        except OSError as exc:
            raise AuditConfigError(f"cannot read checkpoint {path}: {exc.strerror}") from None
    report = log.verify(external_checkpoints=external)
    if report.ok:
        content = "" if report.seals_checked else " (seals not checked: no content key here)"
        _say(
            f"OK: {report.checked} records and {report.checkpoints_checked + len(external)} checkpoints "
            f"verified, the audit log is intact{content}."
        )
        return EXIT_OK
    name = report.first_bad or "(no record)"
    _say(
        f"FAILED: first bad record {name} (seq {report.first_bad_seq}): {report.reason}. "
        f"{report.checked} records before it verified.",
        error=True,
    )
    return EXIT_INTEGRITY


def _export(log: AuditLog, args: argparse.Namespace) -> int:
    query = AuditQuery(date_from=args.date_from, date_to=args.date_to, topic=args.topic)
    for record in log.export(query):
        sys.stdout.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return EXIT_OK


def _checkpoint(log: AuditLog, args: argparse.Namespace) -> int:
    checkpoint = log.checkpoint()
    sys.stdout.write(checkpoint.note)
    if args.output:
        args.output.write_text(checkpoint.note, encoding="utf-8")
    return EXIT_OK


def _verify_receipt(args: argparse.Namespace) -> int:
    try:
        data = json.loads(args.receipt.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AuditConfigError(f"cannot read receipt {args.receipt}: {exc}") from None
    checkpoint = verify_receipt(data, load_public_key(args.public_key), origin=get_settings().log_origin)
    _say(f"OK: record {data.get('audit_id')} is in the log at tree size {checkpoint.tree_size}.")
    return EXIT_OK


def _purge(log: AuditLog, args: argparse.Namespace) -> int:
    tracker_url = getattr(args, "tracker_url", None) or log.settings.resolved_tracker_url
    stores = ConversationStores(audit_log=log, tracker=TrackerStore(tracker_url))
    try:
        report: PurgeReport
        if args.command == "retention":
            report = purge_expired(stores, dry_run=args.dry_run)
        else:
            report = forget(stores, args.reference, dry_run=args.dry_run)
        for line in report.lines():
            _say(line)
        if args.vacuum and not args.dry_run:
            vacuum(log.engine, ("audit_entry", "audit_conversation_key"))
            assert stores.tracker is not None
            stores.tracker.vacuum()
            _say("databases rewritten (vacuum)")
    finally:
        if stores.tracker is not None:
            stores.tracker.close()
    return EXIT_OK


def _via_gateway(args: argparse.Namespace) -> int:
    """Ask the running gateway to purge: it reaches the audit trail, the tracker store and its vault."""
    import httpx

    token = get_settings().internal_token
    if not token:
        raise AuditConfigError("--gateway needs KOMMUNSVAR_INTERNAL_TOKEN (the gateway's internal API token)")
    body: dict[str, object] = {"dry_run": args.dry_run}
    if args.command == "forget":
        body["reference"] = args.reference
    url = f"{args.gateway.rstrip('/')}/internal/privacy/{args.command}"
    try:
        response = httpx.post(url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=300)
    except httpx.HTTPError as exc:
        raise AuditStoreUnavailable(
            f"gateway not reachable at {args.gateway}: {type(exc).__name__}"
        ) from None
    if response.status_code == 404:
        raise RecordNotFound("no conversation found for that reference")
    if response.status_code != 200:
        raise AuditStoreUnavailable(f"gateway answered {response.status_code}")
    for line in response.json().get("lines", []):
        _say(str(line))
    if args.vacuum:
        _say("note: --vacuum is not run through the gateway; run it separately in a maintenance window")
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    if args.command == "verify-receipt":
        return _verify_receipt(args)
    if args.command in ("retention", "forget") and args.gateway:
        return _via_gateway(args)
    log = open_audit_log(getattr(args, "database_url", None), read_only=args.command in READ_ONLY)
    try:
        if args.command == "verify":
            return _verify(log, args)
        if args.command == "explain":
            sys.stdout.write(log.explain(args.audit_id))
            return EXIT_OK
        if args.command == "export":
            return _export(log, args)
        if args.command == "checkpoint":
            return _checkpoint(log, args)
        if args.command == "receipt":
            sys.stdout.write(json.dumps(log.receipt(args.audit_id).to_dict(), indent=2) + "\n")
            return EXIT_OK
        return _purge(log, args)
    finally:
        log.close()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except RecordNotFound as exc:
        _say(f"error: {exc}", error=True)
        return EXIT_NOT_FOUND
    except AuditStoreUnavailable as exc:
        _say(f"error: audit store unavailable: {exc}", error=True)
        return EXIT_UNAVAILABLE
    except AuditIntegrityError as exc:
        _say(f"FAILED: {exc}", error=True)
        return EXIT_INTEGRITY
    except (AuditConfigError, SigningKeyError) as exc:
        _say(f"error: {exc}", error=True)
        return EXIT_USAGE
    except AuditError as exc:
        _say(f"error: {exc}", error=True)
        return EXIT_INTEGRITY
