"""``python -m bot.kpi``: a period's KPIs (``--period P [--json]``) or the weekly report (``report``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable

from bot.kpi import error_rate, gather, open_stores, parse_period, render_text, time_saved, user_experience
from content.calendar import OpeningHours
from content.municipality import load_municipality


def main(argv: Iterable[str] | None = None) -> int:
    """``--period P [--json]``: print a period's KPIs; ``report --week W``: write the weekly report."""
    from bot.settings import get_settings

    args_list = list(argv) if argv is not None else sys.argv[1:]
    if args_list[:1] == ["report"]:
        from bot.kpi.report import report_main

        return report_main(args_list[1:])
    parser = argparse.ArgumentParser(
        prog="python -m bot.kpi",
        description="Kommunsvar's KPIs for a period (python -m bot.kpi report --week W: the weekly report)",
    )
    parser.add_argument(
        "--period", required=True, help="2026-Q4, 2026-W48, 2026-11 or 2026-10-01..2026-12-31"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(args_list)
    try:
        period = parse_period(args.period)
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    settings = get_settings()
    with open_stores(settings) as (audit_log, store, feedback):
        inputs = gather(audit_log, store, feedback, period)
        ux = user_experience(inputs, period, OpeningHours.load(settings.data_dir))
        errors = error_rate(inputs, period)
        saved = time_saved(inputs, period, load_municipality(settings.data_dir).time_saved)
    if args.json:
        figures = {"user_experience": ux, "error_rate": errors, "time_saved": saved}
        sys.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(ux, errors, saved) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
