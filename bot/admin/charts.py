"""Simple bar charts as server-rendered inline SVG (no JavaScript), with the numbers as a table too.

The Python side computes the geometry; ``templates/admin/_charts.html`` draws it. Every chart has a
title and description for screen readers and a table of the same figures behind a "show as table".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

_MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class Bar:
    """One bar: its figure, where it is drawn, and where clicking it leads."""

    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    css: str = "bar"
    href: str | None = None
    tick: str | None = None  # axis label drawn under (vertical) or beside (horizontal) the bar


@dataclass(frozen=True)
class Chart:
    """A bar chart ready to draw."""

    id: str
    title: str
    description: str
    kind: str  # vertical | horizontal
    width: int
    height: int
    bars: list[Bar]
    max_value: int
    plot: tuple[float, float, float, float]  # left, top, right, bottom of the plot area
    unit: str = "svar"
    legend: list[tuple[str, str]] = field(default_factory=list)  # (css class, text)

    @property
    def empty(self) -> bool:
        """No data to draw (a share of 0 % is data: percentage charts are empty only without bars)."""
        if self.unit == "%":
            return not self.bars
        return not any(bar.value for bar in self.bars)


def nice_max(value: int) -> int:
    """A round axis maximum at or above ``value`` (1, 2, 5, 10, 20, 50 …)."""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def short_date(day: date) -> str:
    """``3 mar`` style label."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def vertical(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, int, str | None, str, str | None]],
    *,
    description: str,
    width: int = 640,
    height: int = 240,
    tick_every: int = 1,
    legend: list[tuple[str, str]] | None = None,
    unit: str = "svar",
    max_value: int | None = None,
) -> Chart:
    """Vertical bars; ``items`` are (label, value, href, css class, tick text).

    ``max_value`` fixes the axis (100 for percentages); otherwise it is a round number above the top bar.
    """
    left, top, right, bottom = 44.0, 12.0, width - 8.0, height - 34.0
    top_value = max_value or nice_max(max((v for _, v, _, _, _ in items), default=0))
    slot = (right - left) / max(len(items), 1)
    gap = min(4.0, slot * 0.2)
    bars = []
    for i, (label, value, href, css, tick) in enumerate(items):
        h = (bottom - top) * value / top_value
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(left + i * slot + gap / 2, 2),
                y=round(bottom - h, 2),
                width=round(max(slot - gap, 1.0), 2),
                height=round(h, 2),
                css=css,
                href=href,
                tick=tick if i % tick_every == 0 else None,
            )
        )
    return Chart(
        chart_id,
        title,
        description,
        "vertical",
        width,
        height,
        bars,
        top_value,
        (left, top, right, bottom),
        unit=unit,
        legend=legend or [],
    )


def horizontal(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, int, str | None]],
    *,
    description: str,
    width: int = 640,
    row: int = 26,
) -> Chart:
    """Horizontal bars with labels on the left; ``items`` are (label, value, href)."""
    left, top, right = 210.0, 6.0, width - 56.0
    height = int(top * 2 + row * max(len(items), 1))
    top_value = max((v for _, v, _ in items), default=0) or 1
    bars = []
    for i, (label, value, href) in enumerate(items):
        w = (right - left) * value / top_value
        bars.append(
            Bar(
                label=label,
                value=value,
                x=left,
                y=top + i * row + 3,
                width=round(max(w, 0.0), 2),
                height=row - 6,
                href=href,
                tick=label,
            )
        )
    return Chart(
        chart_id,
        title,
        description,
        "horizontal",
        width,
        height,
        bars,
        top_value,
        (left, top, right, height - top),
    )


def daily_series(
    per_day: list[tuple[date, int]], first: date | None, last: date | None
) -> list[tuple[date, int]]:
    """Counts for every day from ``first`` to ``last`` (zeros filled in), at most 366 days."""
    counts = dict(per_day)
    if not counts and (first is None or last is None):
        return []
    start = first or min(counts)
    end = last or max(counts)
    if (end - start).days > 365:
        start = end - timedelta(days=365)
    return [
        (start + timedelta(days=i), counts.get(start + timedelta(days=i), 0))
        for i in range((end - start).days + 1)
    ]
