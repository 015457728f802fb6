"""Append, read back and verify the audit log; tampering is detected and named."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from audit.errors import AuditStoreUnavailable, InvalidRecord
from audit.log import AuditLog, open_audit_log
from audit.settings import AuditSettings

MakeRecord = Callable[..., dict[str, Any]]


def test_append_assigns_id_seq_and_roundtrips(make_record: MakeRecord, log: AuditLog) -> None:
    first = log.append(make_record(turn=0))
    second = log.append(make_record(turn=1))
    assert (first.seq, second.seq) == (0, 1)
    assert first.audit_id.startswith("KS-") and len(first.audit_id) == 13
    stored = log.get(first.audit_id)
    assert stored is not None
    assert stored["audit_id"] == first.audit_id and stored["seq"] == 0
    assert stored["created_at"] == first.created_at
    assert stored["nlu"]["intent"] == "waste_collection"
    assert log.get(first.audit_id.lower().replace("KS-", "ks ")) == stored


def test_get_unknown_returns_none(log: AuditLog) -> None:
    assert log.get("KS-0000000000") is None
    assert log.get("not an id") is None


def test_extra_keys_are_kept_and_reserved_keys_ignored(make_record: MakeRecord, log: AuditLog) -> None:
    entry = log.append(make_record(experiment="a/b", audit_id="KS-FAKEFAKE00", seq=99))
    stored = log.get(entry.audit_id)
    assert stored is not None and stored["experiment"] == "a/b" and stored["seq"] == entry.seq


def test_pii_values_are_dropped_from_findings(make_record: MakeRecord, log: AuditLog) -> None:
    record = make_record()
    record["pii"]["findings"][0]["text"] = "Anna Svensson"
    entry = log.append(record)
    stored = log.get(entry.audit_id)
    assert stored is not None and "text" not in stored["pii"]["findings"][0]


@pytest.mark.parametrize(
    "bad",
    [
        {"turn": -1},
        {"language": "de"},
        {"conversation": ""},
        {"schema_version": 2},
        {"nlu": {"intent": "x", "confidence": float("nan")}},
    ],
)
def test_invalid_records_are_refused(make_record: MakeRecord, log: AuditLog, bad: dict) -> None:
    with pytest.raises(InvalidRecord):
        log.append(make_record(**bad))
    assert log.count() == 0


def test_verify_ok_on_intact_log(make_record: MakeRecord, log: AuditLog) -> None:
    for turn in range(5):
        log.append(make_record(turn=turn))
    report = log.verify()
    assert report.ok and report.checked == 5 and report.first_bad is None


def test_verify_names_modified_record(make_record: MakeRecord, log: AuditLog) -> None:
    ids = [log.append(make_record(turn=t)).audit_id for t in range(4)]
    with log.engine.begin() as conn:
        payload = conn.execute(text("SELECT payload FROM audit_entry WHERE seq = 2")).scalar_one()
        tampered = bytes(payload).replace(b"waste_collection", b"parking_permits0", 1)
        conn.execute(text("UPDATE audit_entry SET payload = :p WHERE seq = 2"), {"p": tampered})
    report = log.verify()
    assert not report.ok and report.first_bad == ids[2]


def test_verify_names_edited_index_column(make_record: MakeRecord, log: AuditLog) -> None:
    ids = [log.append(make_record(turn=t)).audit_id for t in range(3)]
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET topic = 'parking' WHERE seq = 1"))
    report = log.verify()
    assert not report.ok and report.first_bad == ids[1] and "topic" in report.reason


def test_concurrent_threads_produce_gapless_log(make_record: MakeRecord, log: AuditLog) -> None:
    errors: list[Exception] = []

    def worker() -> None:
        try:
            for turn in range(25):
                log.append(make_record(turn=turn))
        except Exception as exc:  # pragma: no cover - surfaced by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert log.count() == 100
    assert log.verify().ok


def test_unreachable_store_raises_unavailable(audit_settings: AuditSettings) -> None:
    with pytest.raises(AuditStoreUnavailable):
        open_audit_log("sqlite:////proc/no-such-dir/audit.db", settings=audit_settings)
