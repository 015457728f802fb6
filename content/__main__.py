"""Content commands: ``python -m content import-site PATH``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from content.errors import ContentError


def main(argv: list[str] | None = None) -> int:
    """Run a content command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m content")
    commands = parser.add_subparsers(dest="command", required=True)
    site = commands.add_parser(
        "import-site", help="import the municipality's published pages (a folder of HTML, or a sitemap URL)"
    )
    site.add_argument("source", help="folder of saved HTML pages, or https://…/sitemap.xml")
    site.add_argument("--base-url", help="URL of the folder's root (default: the profile's website)")
    site.add_argument(
        "--database-url", help="site store (default: KOMMUNSVAR_SITE_DATABASE_URL or var/site.db)"
    )
    site.add_argument("--partial", action="store_true", help="keep pages this import does not contain")
    site.add_argument("--no-scan", action="store_true", help="skip the personal-data check (tests only)")
    site.add_argument("--json", action="store_true", help="print the report as JSON")
    site.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    return _import_site(args)


def _import_site(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from content.municipality import load_municipality
    from content.site.importer import import_site
    from content.site.scan import load_public_terms, redactor_scanner
    from content.site.settings import get_site_settings
    from content.site.store import SiteStore

    settings = get_site_settings()

    def progress(items, total):  # type: ignore[no-untyped-def]
        return tqdm(items, total=total or None, unit="page", file=sys.stderr, disable=args.quiet)

    try:
        base_url = args.base_url or load_municipality().website or "https://www.example.se"
        folder = Path(args.source)
        terms = load_public_terms(folder) + load_public_terms(folder.parent) if folder.is_dir() else []
        scan = None if args.no_scan else redactor_scanner(terms)
        store = SiteStore.open(args.database_url or settings.resolved_url)
        try:
            report = import_site(
                args.source,
                store,
                base_url=base_url,
                scan=scan,
                partial=args.partial,
                timeout_seconds=settings.http_timeout_seconds,
                progress=progress,
            )
        finally:
            store.close()
    except ContentError as exc:
        print(f"import-site: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else report.summary())  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
