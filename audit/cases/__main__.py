"""``python -m audit.cases purge``: delete expired contacts and old case text now (counts only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from audit.cases.errors import CaseError
from audit.cases.retention import purge
from audit.cases.store import CaseStore


def main(argv: list[str] | None = None) -> int:
    """Run retention on the case store; exit 0 on success, 2 when the store cannot be used."""
    parser = argparse.ArgumentParser(prog="python -m audit.cases")
    parser.add_argument("command", choices=["purge"])
    parser.add_argument("--database-url", default="sqlite:///var/cases.db")
    parser.add_argument("--key-path", type=Path, default=Path("var/keys/case_contact.key"))
    parser.add_argument("--content-days", type=int, default=730, help="days after resolution to keep text")
    args = parser.parse_args(argv)
    try:
        store = CaseStore.open(args.database_url, key_path=args.key_path)
    except CaseError as exc:
        sys.stderr.write(f"case store unavailable: {exc}\n")
        return 2
    try:
        report = purge(store, content_days_after_resolution=args.content_days)
    finally:
        store.close()
    sys.stdout.write(
        f"contacts deleted: {report.contacts_deleted}\ncase texts deleted: {report.contents_deleted}\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
