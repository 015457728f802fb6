"""Retention and deletion requests remove data while the log stays verifiable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from audit.errors import RecordNotFound
from audit.log import AuditLog
from audit.receipt import verify_receipt

MakeRecord = Callable[..., dict[str, Any]]
NOW = datetime.now(UTC)


def _fill(log: AuditLog, make_record: MakeRecord) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {"a": [], "b": [], "small": []}
    for turn in range(3):
        ids["a"].append(log.append(make_record(turn=turn, conversation="conv-a")).audit_id)
        ids["b"].append(log.append(make_record(turn=turn, conversation="conv-b")).audit_id)
    ids["small"].append(log.append(make_record(conversation="conv-s", retention_class="smalltalk")).audit_id)
    return ids


def test_nothing_expires_today(log: AuditLog, make_record: MakeRecord) -> None:
    _fill(log, make_record)
    report = log.apply_retention(now=NOW)
    assert sum(report.content_deleted.values()) == 0 and report.keys_shredded == 0


def test_content_expires_and_keys_are_shredded(log: AuditLog, make_record: MakeRecord) -> None:
    ids = _fill(log, make_record)
    receipt_before = log.receipt(ids["a"][0]).to_dict()
    report = log.apply_retention(now=NOW + timedelta(days=31))  # smalltalk content: 30 days
    assert report.content_deleted["smalltalk"] == 1 and report.content_deleted["conversation"] == 0
    assert report.keys_shredded == 1
    small = log.get(ids["small"][0])
    assert small is not None and small["content_shredded"] and small["input_redacted"] is None
    assert small["nlu"]["intent"] == "waste_collection"  # metadata is kept longer
    assert log.get(ids["a"][0])["input_redacted"] is not None  # type: ignore[index]

    report = log.apply_retention(now=NOW + timedelta(days=91))  # conversation content: 90 days
    assert report.content_deleted["conversation"] == 6 and report.keys_shredded == 2
    with log.engine.connect() as conn:
        live = conn.execute(
            text("SELECT count(*) FROM audit_conversation_key WHERE wrapped IS NOT NULL")
        ).scalar()
    assert live == 0
    verified = log.verify()
    assert verified.ok, verified
    verify_receipt(receipt_before, log.public_keys())  # old receipts stay valid
    verify_receipt(log.receipt(ids["a"][0]), log.public_keys())


def test_metadata_expires_leaving_only_leaf_hashes(log: AuditLog, make_record: MakeRecord) -> None:
    ids = _fill(log, make_record)
    root = log.root(7)
    report = log.apply_retention(now=NOW + timedelta(days=366))
    assert report.metadata_deleted["smalltalk"] == 1 and report.metadata_deleted["conversation"] == 0
    gone = log.get(ids["small"][0])
    assert gone is not None and gone["metadata_deleted"] and "nlu" not in gone
    log.apply_retention(now=NOW + timedelta(days=731))
    with log.engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM audit_entry WHERE leaf_data IS NOT NULL")).scalar()
        topics = conn.execute(text("SELECT count(*) FROM audit_entry WHERE topic IS NOT NULL")).scalar()
    assert left == 0 and topics == 0
    assert log.root(7) == root
    assert log.verify().ok
    verify_receipt(log.receipt(ids["b"][2]), log.public_keys())


def test_dry_run_changes_nothing(log: AuditLog, make_record: MakeRecord) -> None:
    ids = _fill(log, make_record)
    report = log.apply_retention(now=NOW + timedelta(days=800), dry_run=True)
    assert report.content_deleted["conversation"] == 6 and report.metadata_deleted["smalltalk"] == 1
    assert report.keys_shredded == 0  # keys would only be shredded after content is gone
    assert any("would delete" in line for line in report.lines())
    assert log.get(ids["a"][0])["input_redacted"] is not None  # type: ignore[index]


def test_citizen_deletion_request_by_audit_id(log: AuditLog, make_record: MakeRecord) -> None:
    ids = _fill(log, make_record)
    report = log.forget_conversation(ids["a"][1].lower())
    assert report.content_deleted["request"] == 3 and report.keys_shredded == 1
    for audit_id in ids["a"]:
        assert log.get(audit_id)["content_shredded"]  # type: ignore[index]
    assert log.get(ids["b"][0])["input_redacted"] is not None  # type: ignore[index]
    with log.engine.connect() as conn:
        reasons = conn.execute(
            text("SELECT DISTINCT content_deleted_reason FROM audit_entry WHERE conversation='conv-a'")
        )
        assert [r for (r,) in reasons] == ["request"]
    assert log.verify().ok


def test_conversation_continues_after_deletion_with_a_new_key(log: AuditLog, make_record: MakeRecord) -> None:
    _fill(log, make_record)
    log.forget_conversation("conv-a")
    later = log.append(make_record(turn=9, conversation="conv-a"))
    assert log.get(later.audit_id)["input_redacted"] is not None  # type: ignore[index]
    assert log.verify().ok


def test_deletion_request_for_unknown_reference(log: AuditLog, make_record: MakeRecord) -> None:
    _fill(log, make_record)
    with pytest.raises(RecordNotFound):
        log.forget_conversation("KS-0000000000")


def test_unknown_retention_class_is_reported(log: AuditLog, make_record: MakeRecord) -> None:
    _fill(log, make_record)
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET retention_class = 'old' WHERE seq = 0"))
    report = log.apply_retention(now=NOW)
    assert report.unknown_classes["old"] == 1
    assert any("unknown retention class" in line for line in report.lines())


def test_retention_settings_validation() -> None:
    from pydantic import ValidationError

    from audit.settings import RetentionClass

    with pytest.raises(ValidationError):
        RetentionClass(content_days=90, metadata_days=30)
    assert RetentionClass(content_days=None, metadata_days=None).content_days is None
