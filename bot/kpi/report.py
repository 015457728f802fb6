"""The weekly KPI report (Swedish), as HTML and PDF: ``python -m bot.kpi report --week 2026-W48``.

The week's error rate, user experience and time saved (the definitions of :mod:`bot.kpi`), the worst
sources for content owners, and the trend of the last 12 weeks as charts. The HTML is one file with its
styles and SVG charts inline; the PDF is drawn with matplotlib (A4, text page and chart page), so no
browser or network is needed to produce it. ``--mail`` sends the text version to the addresses in
``KOMMUNSVAR_KPI_REPORT_RECIPIENTS`` with the case mailer (SMTP settings; without SMTP it says so).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from bot.kpi import Period, error_rate, gather, render_text, time_saved, user_experience, weeks
from bot.settings import Settings
from content.calendar import OpeningHours
from content.municipality import load_municipality

TREND_WEEKS = 12


@dataclass(frozen=True)
class WeekPoint:
    """One week of the trend: its label, answers, helpful and fallback shares (None without data)."""

    label: str
    answers: int
    votes: int
    helpful: float | None
    fallback: float | None


def weekly_data(
    audit_log: Any, store: Any, feedback: Any, settings: Settings, week: Period
) -> dict[str, Any]:
    """Everything the report shows, computed once for the HTML, the PDF and the e-mail."""
    start = week.start - timedelta(weeks=TREND_WEEKS - 1)
    everything = gather(audit_log, store, feedback, Period("trend", start, week.end))
    hours = OpeningHours.load(settings.data_dir)
    municipality = load_municipality(settings.data_dir)
    points: list[WeekPoint] = []
    this_week = everything.within(week.start, week.end)
    for period in weeks(start, week.start):
        inputs = everything.within(period.start, period.end)
        ux = user_experience(inputs, period, hours)
        errors = error_rate(inputs, period)
        points.append(
            WeekPoint(
                label=f"v{period.start.isocalendar().week}",
                answers=ux["answers"],
                votes=ux["helpful"]["total"],
                helpful=ux["helpful"]["share"],
                fallback=errors["fallbacks"]["share"],
            )
        )
    ux = user_experience(this_week, week, hours)
    errors = error_rate(this_week, week)
    saved = time_saved(this_week, week, municipality.time_saved)
    return {
        "municipality": municipality.name.get("sv") or municipality.display_name,
        "week": week,
        "ux": ux,
        "errors": errors,
        "saved": saved,
        "trend": points,
        "text": render_text(ux, errors, saved),
    }


def render_html(data: dict[str, Any]) -> str:
    """The report as one self-contained HTML file (Swedish, inline styles and SVG)."""
    from bot.auth.pages import templates

    template = templates().env.get_template("reports/weekly.html")
    return template.render(**data, bars=_svg_bars(data["trend"]))


def _svg_bars(points: list[WeekPoint]) -> list[dict[str, Any]]:
    """Geometry of two bar charts (helpful %, fallback %) on a 0–100 axis, 480 × 160 each."""
    charts = []
    for key, title in (("helpful", "Andel svar som hjälpte (%)"), ("fallback", "Andel osäkra svar (%)")):
        slot = 440 / max(len(points), 1)
        bars = []
        for i, point in enumerate(points):
            value = getattr(point, key)
            height = 0.0 if value is None else 120 * value
            bars.append(
                {
                    "x": round(40 + i * slot + 2, 1),
                    "y": round(140 - height, 1),
                    "width": round(slot - 4, 1),
                    "height": round(height, 1),
                    "label": point.label,
                    "text": "–" if value is None else f"{100 * value:.0f} %",
                }
            )
        charts.append({"id": key, "title": title, "bars": bars})
    return charts


def render_pdf(data: dict[str, Any], path: Path) -> None:
    """The report as an A4 PDF: the figures on page 1, the 12-week trend charts on page 2."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    a4 = (8.27, 11.69)
    week: Period = data["week"]
    with PdfPages(
        path, metadata={"Title": f"Kommunsvar veckorapport {week.label}", "Creator": "Kommunsvar"}
    ) as pdf:
        page = plt.figure(figsize=a4)
        page.text(0.08, 0.95, f"Kommunsvar – veckorapport {week.label}", fontsize=18, weight="bold")
        page.text(0.08, 0.925, f"{data['municipality']}, {week.start} – {week.end}", fontsize=11)
        y = 0.88
        for line in data["text"].splitlines():
            heading = not line.startswith(" ")
            size, weight = (11, "bold") if heading else (9.5, "normal")
            page.text(0.08, y, line.strip(), fontsize=size, weight=weight, wrap=True)
            y -= 0.03 if heading else 0.024
        page.text(0.08, 0.05, "Definitioner: docs/kpi.md. Siffrorna bygger på svarsloggen, medborgarnas "
                  "återkoppling och ärendena.", fontsize=8, color="#444444")  # fmt: skip
        pdf.savefig(page)
        plt.close(page)
        charts = plt.figure(figsize=a4)
        labels = [p.label for p in data["trend"]]
        for row, (key, title, colour) in enumerate(
            (("helpful", "Andel svar som hjälpte, per vecka (%)", "#005a9c"),
             ("fallback", "Andel osäkra svar, per vecka (%)", "#8a1c14"))
        ):  # fmt: skip
            axes = charts.add_axes((0.1, 0.56 - row * 0.45, 0.82, 0.32))
            values = [0 if getattr(p, key) is None else 100 * getattr(p, key) for p in data["trend"]]
            axes.bar(labels, values, color=colour)
            axes.set_ylim(0, 100)
            axes.set_title(title, fontsize=12, loc="left")
            axes.set_ylabel("%")
            axes.tick_params(axis="x", labelsize=8)
        pdf.savefig(charts)
        plt.close(charts)


def write_report(data: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write ``kommunsvar-<week>.html`` and ``.pdf`` under ``out_dir`` (created, owner-only)."""
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem = f"kommunsvar-{data['week'].label}"
    html, pdf = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
    html.write_text(render_html(data), encoding="utf-8")
    render_pdf(data, pdf)
    return html, pdf


def report_main(argv: list[str]) -> int:
    """``python -m bot.kpi report --week 2026-W48 [--out DIR] [--mail]``."""
    import argparse
    import sys

    from bot.kpi import open_stores, parse_period
    from bot.settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m bot.kpi report", description="The weekly KPI report")
    parser.add_argument("--week", required=True, help="an ISO week, e.g. 2026-W48")
    parser.add_argument("--out", type=Path, help="folder for the HTML and PDF (default: <var>/reports)")
    parser.add_argument("--mail", action="store_true", help="e-mail the text version to the report list")
    args = parser.parse_args(argv)
    try:
        week = parse_period(args.week)
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    if (week.end - week.start).days != 6 or week.start.weekday() != 0:
        sys.stderr.write("error: --week takes an ISO week, e.g. 2026-W48\n")
        return 2
    settings = get_settings()
    with open_stores(settings) as (audit_log, store, feedback):
        data = weekly_data(audit_log, store, feedback, settings, week)
    html, pdf = write_report(data, args.out or settings.var_dir / "reports")
    sys.stdout.write(f"{html}\n{pdf}\n")
    if args.mail:
        return _mail(data, settings)
    return 0


def _mail(data: dict[str, Any], settings: Settings) -> int:
    import sys

    from cases.mailer import OutboxOnly, mailer_from_settings
    from cases.settings import CasesSettings

    recipients = [a.strip() for a in settings.kpi_report_recipients.split(",") if a.strip()]
    if not recipients:
        sys.stderr.write("not mailed: KOMMUNSVAR_KPI_REPORT_RECIPIENTS names no one\n")
        return 1
    mailer = mailer_from_settings(CasesSettings(var_dir=settings.var_dir, data_dir=settings.data_dir))
    if isinstance(mailer, OutboxOnly) or not getattr(mailer, "configured", True):
        sys.stderr.write("not mailed: no SMTP server is configured (KOMMUNSVAR_SMTP_HOST)\n")
        return 1
    subject = f"Kommunsvar veckorapport {data['week'].label}"
    for address in recipients:
        mailer.send(address, subject, data["text"])
    sys.stdout.write(f"mailed to {len(recipients)} recipient(s)\n")
    return 0
