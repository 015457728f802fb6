"""The admin console's queries: filters, counts, pages, export, contests and the access log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from audit.errors import RecordNotFound
from audit.log import AuditLog
from audit.query import AuditQuery, access_entries

MakeRecord = Callable[..., dict[str, Any]]


@pytest.fixture
def ids(log: AuditLog, make_record: MakeRecord) -> list[str]:
    rows = [
        ("waste_collection", 0.95, False),
        ("parking", 0.8, False),
        ("nlu_fallback", 0.3, False),
        ("library", 0.5, True),
        ("waste_collection", 0.72, True),
    ]
    out = []
    for turn, (intent, confidence, handoff) in enumerate(rows):
        record = make_record(turn=turn, topic="out_of_scope" if intent == "nlu_fallback" else intent)
        record["nlu"].update(intent=intent, confidence=confidence)
        record["guardrails"]["handoff_offered"] = handoff
        out.append(log.append(record).audit_id)
    return out


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (AuditQuery(), [0, 1, 2, 3, 4]),
        (AuditQuery(topic="waste_collection"), [0, 4]),
        (AuditQuery(intent="parking"), [1]),
        (AuditQuery(confidence_band="high"), [0]),
        (AuditQuery(confidence_band="medium"), [1, 4]),
        (AuditQuery(confidence_band="low"), [2, 3]),
        (AuditQuery(fallback=True), [2, 3]),  # nlu_fallback, and 0.5 below the 0.6 threshold
        (AuditQuery(fallback=False, handoff=True), [4]),
        (AuditQuery(conversation="conv-7f3a", language="sv"), [0, 1, 2, 3, 4]),
        (AuditQuery(language="en"), []),
    ],
)
def test_filters(log: AuditLog, ids: list[str], query: AuditQuery, expected: list[int]) -> None:
    found = log.search(query, newest_first=False)
    assert [s.audit_id for s in found] == [ids[i] for i in expected]
    assert log.count(query) == len(expected)
    assert [r["audit_id"] for r in log.export(query)] == [ids[i] for i in expected]


def test_date_filters_are_swedish_days(log: AuditLog, ids: list[str]) -> None:
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date()
    assert log.count(AuditQuery(date_from=today, date_to=today)) == 5
    assert log.count(AuditQuery(date_to=today - timedelta(days=1))) == 0
    assert log.count(AuditQuery(date_from=today + timedelta(days=1))) == 0
    assert log.count(AuditQuery(date_from=datetime.now(ZoneInfo("UTC")) - timedelta(hours=1))) == 5
    assert log.count(AuditQuery(date_from=date(2000, 1, 1), date_to=date(2000, 1, 2))) == 0


def test_contested(log: AuditLog, ids: list[str]) -> None:
    log.mark_contested(ids[3], case_ref="CASE-1")
    log.mark_contested(ids[3].lower())
    assert [s.audit_id for s in log.search(AuditQuery(contested=True))] == [ids[3]]
    assert log.count(AuditQuery(contested=False)) == 4
    summary = log.search(AuditQuery(intent="library"))[0]
    assert summary.contested and not summary.content_deleted and summary.confidence == 0.5
    with pytest.raises(RecordNotFound):
        log.mark_contested("KS-0000000000")
    assert log.verify().ok  # contests live beside the log, not in it


def test_paging_newest_first(log: AuditLog, ids: list[str]) -> None:
    first = log.search(limit=2)
    second = log.search(limit=2, offset=2)
    assert [s.audit_id for s in first + second] == [ids[4], ids[3], ids[2], ids[1]]


def test_export_in_batches(log: AuditLog, ids: list[str]) -> None:
    assert [r["audit_id"] for r in log.export(batch=2)] == ids


def test_access_log(log: AuditLog, ids: list[str]) -> None:
    log.log_access("granskare1", "view_record", ids[0])
    log.log_access("granskare1", "export", "topic=parking")
    entries = access_entries(log)
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("granskare1", "export"),
        ("granskare1", "view_record"),
    ]
