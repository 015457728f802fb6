"""Response times of a case: working days after the local day it arrived.

Working days exclude weekends, Swedish public holidays and midsommar-, jul- and nyårsafton
(:mod:`content.calendar`). The day of arrival does not count, so "2 working days" from a Monday
ends on Wednesday; both deadlines are inclusive dates in the municipality's time zone.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from content.calendar import add_working_days


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The calendar day of ``moment`` in the municipality's time zone."""
    return moment.astimezone(zone).date()


def case_deadlines(
    moment: datetime, zone: tzinfo, *, ack_working_days: int, reply_working_days: int
) -> tuple[date, date]:
    """(acknowledge by, answer by) for a case that arrived at ``moment``."""
    day = local_day(moment, zone)
    return add_working_days(day, ack_working_days), add_working_days(day, reply_working_days)
