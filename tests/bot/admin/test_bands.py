"""Confidence bands: the console's filter, export and chart agree with the audit package's query.

Both take their edges from ``audit.bands``; these tests put records on and beside each edge and check
that every way of asking for a band returns the same records.
"""

from __future__ import annotations

import pytest

from audit.bands import BANDS, HIGH_EDGE, LOW_EDGE, ConfidenceBand, band_of
from audit.query import AuditQuery
from bot.admin.filters import AuditFilter, parse_filter
from tests.bot.admin.conftest import AdminEnv, make_record

STEP = 1e-6
CONFIDENCES = (
    0.0,
    0.3,
    LOW_EDGE - STEP,
    LOW_EDGE,
    LOW_EDGE + STEP,
    HIGH_EDGE - STEP,
    HIGH_EDGE,
    HIGH_EDGE + STEP,
    1.0,
)


@pytest.fixture()
def by_confidence(admin_env: AdminEnv) -> dict[str, float]:
    """Audit id → confidence, one record on and beside each band edge."""
    log = admin_env.audit_log
    return {
        log.append(make_record(confidence=confidence, turn=turn)).audit_id: confidence
        for turn, confidence in enumerate(CONFIDENCES)
    }


def test_band_of_puts_each_edge_in_the_upper_band() -> None:
    assert band_of(LOW_EDGE - STEP) == "low" and band_of(LOW_EDGE) == "medium"
    assert band_of(HIGH_EDGE - STEP) == "medium" and band_of(HIGH_EDGE) == "high"
    assert [band_of(c) for c in (0.0, 1.0)] == ["low", "high"]


@pytest.mark.parametrize("band", list(BANDS))
def test_console_filter_and_audit_query_agree_on_band_edges(
    admin_env: AdminEnv, by_confidence: dict[str, float], band: ConfidenceBand
) -> None:
    expected = {audit_id for audit_id, confidence in by_confidence.items() if band_of(confidence) == band}
    log = admin_env.audit_log
    queries = admin_env.app.state.admin.queries
    flt = parse_filter({"band": band})

    from_audit = {s.audit_id for s in log.search(AuditQuery(confidence_band=band), limit=100)}
    from_audit_export = {r["audit_id"] for r in log.export(AuditQuery(confidence_band=band))}
    from_console = {row.audit_id for row in queries.page(flt, 1, 100)}
    from_console_export = {record["audit_id"] for record, _ in queries.export(flt)}

    assert expected  # every band has records here, edges included
    assert from_audit == from_audit_export == from_console == from_console_export == expected
    assert queries.count(flt) == log.count(AuditQuery(confidence_band=band)) == len(expected)


def test_console_shows_the_audit_bands(admin_env: AdminEnv, by_confidence: dict[str, float]) -> None:
    console = admin_env.app.state.admin
    assert console.filter_options()["bands"] == [(b.name, b.label) for b in BANDS.values()]
    assert [b.label for b in BANDS.values()] == ["Låg (under 0,6)", "Mellan (0,6–0,85)", "Hög (över 0,85)"]
    _stats, charts = console.overview(console.overview_filter(AuditFilter()))
    histogram = next(chart for chart in charts if chart.id == "chart-confidence")
    css = {"low": "bar bar--low", "medium": "bar bar--mid", "high": "bar bar--high"}
    for i, bar in enumerate(histogram.bars):
        low, high = i / len(histogram.bars), (i + 1) / len(histogram.bars)
        band = band_of(low)
        assert band == band_of(high - STEP), f"bin {bar.label} straddles a band edge"
        assert bar.css == css[band] and bar.href is not None and f"band={band}" in bar.href
