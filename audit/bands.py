"""Confidence bands: how sure the bot was, in three levels, as the admin console shows them.

One definition for the audit queries (``AuditQuery.confidence_band``) and the console (its filter,
legend and histogram colours). A band holds confidences from ``low`` (inclusive) to ``high``
(exclusive). The edges are a display convention: "low" was drawn under the answer threshold of
``data/policy.yml`` (0.6 today), but records keep the threshold that decided each answer
(``nlu.fallback_threshold``), and a changed policy does not move these edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ConfidenceBand = Literal["low", "medium", "high"]

LOW_EDGE = 0.6  # below: low
HIGH_EDGE = 0.85  # from here: high


def _sv(value: float) -> str:
    return f"{value:g}".replace(".", ",")


@dataclass(frozen=True)
class Band:
    """One band: ``low <= confidence < high``, and its Swedish label."""

    name: ConfidenceBand
    low: float
    high: float
    label: str

    def contains(self, confidence: float) -> bool:
        """Whether ``confidence`` falls in this band."""
        return self.low <= confidence < self.high


# In the order the console lists them. The outer edges lie beyond 0..1 so every confidence has a band.
BANDS: dict[ConfidenceBand, Band] = {
    "low": Band("low", -1.0, LOW_EDGE, f"Låg (under {_sv(LOW_EDGE)})"),
    "medium": Band("medium", LOW_EDGE, HIGH_EDGE, f"Mellan ({_sv(LOW_EDGE)}–{_sv(HIGH_EDGE)})"),
    "high": Band("high", HIGH_EDGE, 2.0, f"Hög (över {_sv(HIGH_EDGE)})"),
}


def band_of(confidence: float) -> ConfidenceBand:
    """The band ``confidence`` falls in."""
    return next(band.name for band in BANDS.values() if band.contains(confidence))
