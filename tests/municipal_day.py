"""The day as the product counts it: the municipality's (Europe/Stockholm), not the machine's (UTC in CI).

Between 22:00 and 24:00 UTC (midnight to 02:00 in Sweden) the two differ by a day, and a test that asked
the stores for ``date.today()`` found no record of the turns it had just sent.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

MUNICIPAL_ZONE = ZoneInfo("Europe/Stockholm")


def municipal_today() -> date:
    """Today in the municipality's time zone."""
    return datetime.now(MUNICIPAL_ZONE).date()
