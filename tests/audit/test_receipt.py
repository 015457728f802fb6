"""Receipts and proofs served from the store: checkable with the public key alone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from audit import merkle
from audit.checkpoint import open_checkpoint, sign_checkpoint
from audit.errors import ReceiptInvalid, RecordNotFound
from audit.keys import load_or_create_signing_key, load_public_key
from audit.log import AuditLog
from audit.receipt import Receipt, verify_receipt

MakeRecord = Callable[..., dict[str, Any]]


@pytest.fixture
def filled(log: AuditLog, make_record: MakeRecord) -> list[str]:
    return [log.append(make_record(turn=t)).audit_id for t in range(20)]


def test_store_proofs_match_reference_for_every_size(log: AuditLog, filled: list[str]) -> None:
    with log.engine.connect() as conn:
        leaves = [bytes(h) for (h,) in conn.exec_driver_sql("SELECT leaf_hash FROM audit_entry ORDER BY seq")]
    for size in range(1, 21):
        root = merkle.mth(leaves[:size])
        assert log.root(size) == root
        for index in range(size):
            proof = log.inclusion_proof(index, size)
            assert merkle.verify_inclusion(leaves[index], index, size, proof, root)
        for old in range(1, size + 1):
            proof = log.consistency_proof(old, size)
            assert merkle.verify_consistency(old, size, proof, merkle.mth(leaves[:old]), root)


def test_receipt_verifies_with_published_key(log: AuditLog, filled: list[str], audit_settings: Any) -> None:
    receipt = log.receipt(filled[5])
    public_key = load_public_key(audit_settings.key_path.with_name("audit_ed25519.pub"))
    checkpoint = verify_receipt(receipt.to_dict(), public_key, origin=log.settings.log_origin)
    assert checkpoint.tree_size == 16  # the newest checkpoint covering seq 5
    assert receipt.leaf_data is not None and filled[5].encode() in receipt.leaf_data
    assert Receipt.from_dict(receipt.to_dict()) == receipt


def test_receipt_for_unsigned_tail_signs_a_new_checkpoint(log: AuditLog, filled: list[str]) -> None:
    receipt = log.receipt(filled[19])
    assert receipt.tree_size == 20
    verify_receipt(receipt, log.public_keys())


def test_receipt_holds_no_conversation_text(log: AuditLog, filled: list[str]) -> None:
    data = log.receipt(filled[0]).to_dict()
    assert "PERSON_1" not in str(data) and "soporna" not in str(data)


def test_receipt_unknown_record(log: AuditLog, filled: list[str]) -> None:
    with pytest.raises(RecordNotFound):
        log.receipt("KS-0000000000")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: d.update(seq=d["seq"] + 1),
        lambda d: d.update(leaf_hash=d["inclusion_proof"][0]),
        lambda d: d["inclusion_proof"].reverse(),
        lambda d: d["inclusion_proof"].pop(),
        lambda d: d.update(leaf_data=d["leaf_data"].replace("waste_collection", "parking")),
        lambda d: d.update(checkpoint=d["checkpoint"].replace("\n16\n", "\n17\n")),
        lambda d: d.update(tree_size=17),
        lambda d: d.update(format="something else"),
        lambda d: d.pop("inclusion_proof"),
    ],
)
def test_tampered_receipt_fails(
    log: AuditLog, filled: list[str], tamper: Callable[[dict[str, Any]], None]
) -> None:
    data = log.receipt(filled[5]).to_dict()
    tamper(data)
    with pytest.raises(ReceiptInvalid):
        verify_receipt(data, log.public_keys())


def test_receipt_signed_by_another_key_fails(log: AuditLog, filled: list[str], tmp_path: Path) -> None:
    stranger = load_or_create_signing_key(tmp_path / "stranger.pem")
    with pytest.raises(ReceiptInvalid, match="trusted key"):
        verify_receipt(log.receipt(filled[2]), stranger.public_key())


def test_receipt_from_another_log_fails(log: AuditLog, filled: list[str]) -> None:
    with pytest.raises(ReceiptInvalid, match="belongs to log"):
        verify_receipt(log.receipt(filled[2]), log.public_keys(), origin="other.example/audit")


def test_checkpoints_are_consistent_over_time(
    log: AuditLog, filled: list[str], make_record: MakeRecord
) -> None:
    old = log.checkpoint()
    for turn in range(7):
        log.append(make_record(turn=100 + turn))
    new = log.checkpoint()
    proof = log.consistency_proof(old.tree_size, new.tree_size)
    assert merkle.verify_consistency(old.tree_size, new.tree_size, proof, old.root_hash, new.root_hash)


def test_checkpoint_note_format(log: AuditLog, filled: list[str]) -> None:
    note = log.checkpoint().note
    body, signatures = note.split("\n\n")
    lines = body.split("\n")
    assert lines[0] == log.settings.log_origin and lines[1] == "20" and lines[3].startswith("time ")
    assert signatures.startswith("\u2014 " + log.settings.log_origin + " ")


def test_open_checkpoint_rejects_malformed_notes(log: AuditLog) -> None:
    key = log.signing_key()
    good = sign_checkpoint(key, "o", 3, bytes(32), "t")
    assert open_checkpoint(good, [key.public_key()]).tree_size == 3
    for bad in ("", "o\n3\n", good.replace("\n3\n", "\nthree\n"), good.replace("\u2014", "-")):
        with pytest.raises(ReceiptInvalid):
            open_checkpoint(bad, [key.public_key()])
