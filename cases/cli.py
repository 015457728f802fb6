"""``python -m cases purge``: delete expired contacts and old case text now (counts only).

The database, the key file and the retention come from :class:`~cases.settings.CasesSettings`
(``KOMMUNSVAR_CASES_DATABASE_URL``, ``KOMMUNSVAR_CASES_KEY_PATH``,
``KOMMUNSVAR_CASES_CONTENT_DAYS_AFTER_RESOLUTION``), the same values the gateway uses; options override.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pydantic import ValidationError

from cases.errors import CaseError
from cases.retention import purge
from cases.settings import CasesSettings
from cases.store import CaseStore


def main(argv: list[str] | None = None) -> int:
    """Run retention on the case store; exit 0 on success, 2 when the store or settings cannot be used."""
    parser = argparse.ArgumentParser(prog="python -m cases")
    parser.add_argument("command", choices=["purge"])
    parser.add_argument("--database-url", help="default: KOMMUNSVAR_CASES_DATABASE_URL or var/cases.db")
    parser.add_argument("--key-path", type=Path, help="default: KOMMUNSVAR_CASES_KEY_PATH")
    parser.add_argument("--content-days", type=int, help="days after resolution to keep text")
    args = parser.parse_args(argv)
    overrides = {
        name: value
        for name, value in (
            ("database_url", args.database_url),
            ("key_path", args.key_path),
            ("content_days_after_resolution", args.content_days),
        )
        if value is not None
    }
    try:
        settings = CasesSettings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        sys.stderr.write(f"invalid case settings: {problems}\n")  # names and reasons, never values
        return 2
    try:
        store = CaseStore.from_settings(settings)
    except CaseError as exc:
        sys.stderr.write(f"case store unavailable: {exc}\n")
        return 2
    try:
        report = purge(store, content_days_after_resolution=settings.content_days_after_resolution)
    finally:
        store.close()
    sys.stdout.write(
        f"contacts deleted: {report.contacts_deleted}\ncase texts deleted: {report.contents_deleted}\n"
    )
    return 0
