"""Swedish working days and the contact centre's opening hours (from ``content.municipality``).

Non-working days are Saturdays, Sundays, the public holidays (allmänna helgdagar) and the three days
that Swedish law counts as holidays when a time limit is computed — midsommarafton, julafton and
nyårsafton (lag (1930:173) om beräkning av lagstadgad tid). The dates come from the ``holidays``
package (categories ``public`` and ``de_facto``), so no table needs updating each year.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

from content.municipality import Municipality, load_municipality


@functools.lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    days = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"))
    return frozenset(days)


def is_holiday(day: date) -> bool:
    """True on a Swedish public holiday or midsommar-, jul- or nyårsafton."""
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    """True on a weekday that is not a holiday."""
    return day.weekday() < 5 and not is_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (the start day itself never counts).

    A case that arrives on Friday with two working days to acknowledge it must be acknowledged by
    Tuesday; one that arrives on Saturday, by Tuesday as well.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@dataclass(frozen=True)
class OpeningState:
    """Whether the contact centre is open at a moment, and when it next opens if not."""

    open_now: bool
    next_opening: datetime | None  # local time; None when open now
    opens_later_today: bool


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (local time), closing early on the day before a holiday."""

    hours: dict[int, tuple[time, time] | None]
    day_before_holiday_close: time | None
    zone: ZoneInfo

    @classmethod
    def from_municipality(cls, municipality: Municipality) -> OpeningHours:
        """The contact centre's hours of a municipality profile (``contact_centre.opening_hours``)."""
        return cls(
            hours=dict(municipality.opening_hours),
            day_before_holiday_close=municipality.day_before_holiday_close,
            zone=municipality.zone,
        )

    @classmethod
    def load(cls, data_dir: Path) -> OpeningHours:
        """Read the municipality profile under ``data_dir`` (``content.municipality``)."""
        return cls.from_municipality(load_municipality(data_dir))

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """Opening and closing time on ``day`` (None when closed all day)."""
        if is_holiday(day):
            return None
        spec = self.hours.get(day.weekday())
        if spec is None:
            return None
        opens, closes = spec
        if self.day_before_holiday_close and is_holiday(day + timedelta(days=1)):
            closes = min(closes, self.day_before_holiday_close)
        return opens, closes

    def state(self, moment: datetime) -> OpeningState:
        """Open or closed at ``moment`` (aware; naive means local time), and the next opening."""
        local = moment.astimezone(self.zone) if moment.tzinfo else moment.replace(tzinfo=self.zone)
        today = self.hours_on(local.date())
        if today and today[0] <= local.time() < today[1]:
            return OpeningState(True, None, False)
        if today and local.time() < today[0]:
            return OpeningState(False, datetime.combine(local.date(), today[0], self.zone), True)
        day = local.date()
        for _ in range(30):
            day += timedelta(days=1)
            spec = self.hours_on(day)
            if spec:
                return OpeningState(False, datetime.combine(day, spec[0], self.zone), False)
        return OpeningState(False, None, False)
