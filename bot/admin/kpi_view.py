"""The oversight dashboard (``/admin/kpi``): a period's KPIs, their status and weekly trend charts.

Figures come from :mod:`bot.kpi`; thresholds from the settings (``KOMMUNSVAR_KPI_*``). Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.admin.charts import Chart, vertical
from bot.kpi import Inputs, Period, error_rate, gather, parse_period, time_saved, user_experience, weeks
from bot.settings import Settings
from content.calendar import OpeningHours
from content.municipality import load_municipality

TREND_WEEKS = 12
STATUS_LABELS = {
    "green": "Bra",
    "amber": "Bevaka",
    "red": "Åtgärda",
    "none": "För lite underlag",
    "info": "Följs upp",  # a figure without a target
}
MIN_SAMPLE = 5  # fewer observations than this: no status (a share of 2 votes says little)


@dataclass(frozen=True)
class Figure:
    """One KPI line on the dashboard."""

    name: str
    share: float | None
    count: int
    total: int
    ci95: tuple[float, float] | None
    status: str  # green | amber | red | none
    audit_url: str | None
    explanation: str

    @property
    def status_label(self) -> str:
        """The status in Swedish (the colour is never the only sign)."""
        return STATUS_LABELS[self.status]

    @property
    def share_text(self) -> str:
        """``33,3 %`` (Swedish decimal comma), or a dash without data."""
        return "–" if self.share is None else f"{100 * self.share:.1f} %".replace(".", ",")

    @property
    def ci_text(self) -> str:
        """``18–51 %``, or a dash without data."""
        return "–" if self.ci95 is None else f"{100 * self.ci95[0]:.0f}–{100 * self.ci95[1]:.0f} %"


def status(share: float | None, total: int, amber: float, red: float, *, higher_is_better: bool) -> str:
    """Green / amber / red against the thresholds, or none without enough data."""
    if share is None or total < MIN_SAMPLE:
        return "none"
    if higher_is_better:
        return "red" if share <= red else "amber" if share <= amber else "green"
    return "red" if share >= red else "amber" if share >= amber else "green"


def current_quarter(today: date) -> Period:
    """The quarter ``today`` lies in."""
    return parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")


def _figure(
    name: str, share: dict[str, Any], limits: tuple[float, float] | None, higher: bool, why: str
) -> Figure:
    """One line; ``limits`` (amber, red) None for a figure that informs but has no target."""
    interval = share["ci95"]
    return Figure(
        name=name,
        share=share["share"],
        count=share["count"],
        total=share["total"],
        ci95=(interval[0], interval[1]) if interval else None,
        status=status(share["share"], share["total"], *limits, higher_is_better=higher) if limits else "info",
        audit_url=share["audit_url"],
        explanation=why,
    )


def dashboard(
    audit_log: Any, store: Any, feedback: Any, settings: Settings, period: Period
) -> dict[str, Any]:
    """Everything the page shows: figures with status, the worst sources and two trend charts."""
    hours = OpeningHours.load(settings.data_dir)
    trend_start = min(period.start, period.end - timedelta(weeks=TREND_WEEKS) + timedelta(days=1))
    trend_start -= timedelta(days=trend_start.weekday())
    everything = gather(audit_log, store, feedback, Period("trend", trend_start, period.end))
    inputs = everything.within(period.start, period.end)
    ux = user_experience(inputs, period, hours)
    errors = error_rate(inputs, period)
    s = settings
    figures = [
        _figure(
            "Svar som hjälpte",
            ux["helpful"],
            (s.kpi_helpful_amber, s.kpi_helpful_red),
            True,
            "Andel ja av alla svar på ”Hjälpte svaret?”.",
        ),
        _figure(
            "Löstes i chatten",
            ux["containment"],
            (s.kpi_containment_amber, s.kpi_containment_red),
            True,
            "Samtal där ingen bad om en människa, ifrågasatte ett svar eller lämnade klagomål.",
        ),
        _figure(
            "Svar som inte hjälpte",
            errors["not_helpful"],
            (s.kpi_not_helpful_amber, s.kpi_not_helpful_red),
            False,
            "Andel av alla svar som fick nej.",
        ),
        _figure(
            "Ifrågasatta svar som var fel",
            errors["contests_upheld"],
            (s.kpi_contests_upheld_amber, s.kpi_contests_upheld_red),
            False,
            "Andel av alla svar som handläggare bedömde som fel efter ett ifrågasättande.",
        ),
        _figure(
            "Osäkra svar",
            errors["fallbacks"],
            (s.kpi_fallback_amber, s.kpi_fallback_red),
            False,
            "Andel av alla svar där boten var osäker och inte gissade.",
        ),
        _figure(
            "Ersatta av utgångskontrollen",
            errors["output_guard"],
            None,
            False,
            "Andel av alla svar där en text som inte var godkänd byttes mot ett säkert svar.",
        ),
        _figure(
            "Utanför öppettiderna",
            ux["after_hours"],
            None,
            True,
            "Andel av frågorna som kom när kontaktcenter var stängt.",
        ),
    ]
    saved = time_saved(inputs, period, load_municipality(settings.data_dir).time_saved)
    return {
        "period": period,
        "saved": saved,
        "ux": ux,
        "errors": errors,
        "figures": figures,
        "charts": _trends(everything, trend_start, period.end),
    }


def _trends(inputs: Inputs, start: date, end: date) -> list[Chart]:
    helpful_items: list[tuple[str, int, str | None, str, str | None]] = []
    fallback_items: list[tuple[str, int, str | None, str, str | None]] = []
    for week in weeks(start, end):
        week_inputs = inputs.within(week.start, week.end)
        errors = error_rate(week_inputs, week)
        week_ids = {t.audit_id for t in week_inputs.turns}
        votes = [v for v in inputs.votes if v["audit_id"] in week_ids]
        helpful = round(100 * sum(1 for v in votes if v["helpful"]) / len(votes)) if votes else 0
        fallback = round(100 * (errors["fallbacks"]["share"] or 0))
        label = f"vecka {week.start.isocalendar().week}"
        helpful_items.append((f"{label} ({len(votes)} röster)", helpful, week.audit_url(), "bar", label))
        fallback_items.append(
            (f"{label} ({errors['answers']} svar)", fallback, week.audit_url(fallback="ja"), "bar", label)
        )
    every = max(1, len(helpful_items) // 6)
    return [
        vertical(
            "chart-kpi-helpful",
            "Andel svar som hjälpte, per vecka (%)",
            helpful_items,
            tick_every=every,
            description="Andel ja på ”Hjälpte svaret?” vecka för vecka, i procent.",
            unit="%",
            max_value=100,
        ),
        vertical(
            "chart-kpi-fallback",
            "Andel osäkra svar, per vecka (%)",
            fallback_items,
            tick_every=every,
            description="Andel svar där boten var osäker, vecka för vecka, i procent.",
            unit="%",
            max_value=100,
        ),
    ]
