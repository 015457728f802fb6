"""Every kind of tampering with the stored log is caught by verify, which names the first bad record."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from audit import content as content_crypto
from audit import merkle, tree
from audit.canonical import canonical_json, loads
from audit.checkpoint import sign_checkpoint
from audit.keys import load_or_create_signing_key
from audit.log import AuditLog, open_audit_log
from audit.settings import AuditSettings

MakeRecord = Callable[..., dict[str, Any]]
N = 20  # with checkpoint_every=8: signed checkpoints at sizes 8 and 16


@pytest.fixture
def ids(log: AuditLog, make_record: MakeRecord) -> list[str]:
    return [log.append(make_record(turn=t, conversation=f"conv-{t % 3}")).audit_id for t in range(N)]


def _leaf(conn: Connection, seq: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, record) of a stored leaf."""
    data = bytes(
        conn.execute(text("SELECT leaf_data FROM audit_entry WHERE seq = :s"), {"s": seq}).scalar_one()
    )
    head, _, body = data.partition(b"\n")
    return dict(loads(head)), dict(loads(body))


def _rewrite_leaf(
    log: AuditLog, conn: Connection, seq: int, header: dict[str, Any], record: dict[str, Any]
) -> None:
    """Store new leaf data with a correct leaf hash and seal: an insider holding the content key."""
    data = canonical_json(header) + b"\n" + canonical_json(record)
    content_key = log.content_key()
    assert content_key is not None
    seal = content_crypto.leaf_seal(content_key, merkle.leaf_hash(data))
    conn.execute(
        text("UPDATE audit_entry SET leaf_data = :d, leaf_hash = :h, leaf_seal = :m WHERE seq = :s"),
        {"d": data, "h": merkle.leaf_hash(data), "m": seal, "s": seq},
    )


def _edit_confidence(log: AuditLog, conn: Connection, seq: int, value: float) -> None:
    """Change a record's confidence consistently: record, leaf header, column."""
    header, record = _leaf(conn, seq)
    record["nlu"]["confidence"] = header["columns"]["confidence"] = value
    _rewrite_leaf(log, conn, seq, header, record)
    conn.execute(text("UPDATE audit_entry SET confidence = :v WHERE seq = :s"), {"v": value, "s": seq})


def _rebuild_nodes(conn: Connection) -> None:
    """Recompute every stored interior node from the (tampered) leaves, as an attacker would."""
    leaves = [bytes(h) for (h,) in conn.execute(text("SELECT leaf_hash FROM audit_entry ORDER BY seq"))]
    compact = merkle.CompactRange()
    conn.execute(text("DELETE FROM audit_tree_node"))
    for leaf in leaves:
        for (level, index), value in compact.append(leaf):
            conn.execute(
                text("INSERT INTO audit_tree_node (node, hash) VALUES (:n, :h)"),
                {"n": tree.node_id(level, index), "h": value},
            )


def _assert_bad(log: AuditLog, audit_id: str | None, reason_part: str, seq: int | None = None) -> None:
    report = log.verify()
    assert not report.ok
    if report.first_bad_seq is not None:
        assert report.checked <= report.first_bad_seq  # nothing at or after the failure counts as verified
    assert report.first_bad == audit_id, report
    assert reason_part in report.reason, report.reason
    if seq is not None:
        assert report.first_bad_seq == seq


def test_intact(log: AuditLog, ids: list[str]) -> None:
    assert log.verify().ok


def test_modified_leaf_data(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        data = conn.execute(text("SELECT leaf_data FROM audit_entry WHERE seq = 5")).scalar_one()
        conn.execute(
            text("UPDATE audit_entry SET leaf_data = :d WHERE seq = 5"),
            {"d": bytes(data).replace(b"0.87", b"0.97")},
        )
    _assert_bad(log, ids[5], "leaf hash does not match")


def test_modified_record_with_recomputed_leaf_hash(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        _edit_confidence(log, conn, 5, 0.99)
    _assert_bad(log, ids[5], "tree node (1, 2) differs")


def test_modified_record_with_rebuilt_tree_breaks_signed_checkpoint(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        _edit_confidence(log, conn, 10, 0.66)
        _rebuild_nodes(conn)
    # Records 8..15 lie between the checkpoints at 8 and 16: the first of them is named.
    _assert_bad(log, ids[8], "history rewritten", seq=8)


def test_modified_filter_column(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET confidence = 0.2 WHERE seq = 3"))
    _assert_bad(log, ids[3], "column confidence")


def test_modified_encrypted_content(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        blob = bytearray(conn.execute(text("SELECT content FROM audit_entry WHERE seq = 7")).scalar_one())
        blob[20] ^= 1
        conn.execute(text("UPDATE audit_entry SET content = :c WHERE seq = 7"), {"c": bytes(blob)})
    _assert_bad(log, ids[7], "stored content differs")


def test_content_reencrypted_by_key_holder(log: AuditLog, ids: list[str]) -> None:
    """Even someone holding the content key cannot change the text: the leaf commits to it."""
    content_key = log.content_key()
    assert content_key is not None
    with log.engine.begin() as conn:
        row = conn.execute(
            text(
                "SELECT k.wrapped, k.conversation FROM audit_entry e JOIN audit_conversation_key k "
                "ON e.key_id = k.key_id WHERE e.seq = 4"
            )
        ).one()
        key = content_crypto.unwrap_key(content_key, bytes(row.wrapped), row.conversation)
        assert key is not None
        plaintext = content_crypto.content_plaintext({"input_redacted": "något helt annat", "entities": []})
        blob = content_crypto.encrypt(key, plaintext, ids[4].encode())
        conn.execute(text("UPDATE audit_entry SET content = :c WHERE seq = 4"), {"c": blob})
    _assert_bad(log, ids[4], "stored content differs")


def test_content_swapped_between_records(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        blob = conn.execute(text("SELECT content FROM audit_entry WHERE seq = 3")).scalar_one()
        conn.execute(text("UPDATE audit_entry SET content = :c WHERE seq = 6"), {"c": blob})
    _assert_bad(log, ids[6], "stored content differs")


def test_content_deleted_without_retention(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET content = NULL WHERE seq = 2"))
    _assert_bad(log, ids[2], "content deleted without a retention entry")


def test_deleted_record_in_the_middle(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 9"))
    _assert_bad(log, ids[10], "records missing or inserted before it (expected seq 9)")


def test_deleted_record_renumbered(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 9"))
        for seq in range(10, N):
            conn.execute(text("UPDATE audit_entry SET seq = :n WHERE seq = :s"), {"n": seq - 1, "s": seq})
    _assert_bad(log, ids[10], "record moved")


def test_deleted_last_records(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq >= 18"))
    _assert_bad(log, None, "tree nodes exist beyond the last record", seq=18)


def test_truncated_below_checkpoint(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq >= 12"))
        conn.execute(text("DELETE FROM audit_tree_node WHERE node >= :n"), {"n": 12 << tree.LEVEL_BITS})
    _assert_bad(log, None, "log truncated", seq=12)


def test_inserted_record_at_the_end(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        header, record = _leaf(conn, 19)
        header.update(seq=20, audit_id="KS-AAAAAAAAAA")
        data = canonical_json(header) + b"\n" + canonical_json(record)
        conn.execute(
            text(
                "INSERT INTO audit_entry SELECT 20, 'KS-AAAAAAAAAA', created_at, schema_version, "
                "conversation, channel, language, topic, intent, confidence, fallback, handoff, "
                "retention_class, :h, :d, leaf_seal, key_id, NULL, 'x', 'retention', metadata_deleted_at "
                "FROM audit_entry WHERE seq = 19"
            ),
            {"h": merkle.leaf_hash(data), "d": data},
        )
    # Self-consistent and at the end, so only the service's seal (a key outside the DB) tells it apart.
    _assert_bad(log, "KS-AAAAAAAAAA", "not written by this service")


def _insert_in_the_middle(log: AuditLog) -> None:
    """Push records 12.. one place on and slip a copy of record 11 in at 12, with a valid leaf hash."""
    with log.engine.begin() as conn:
        for seq in range(N - 1, 11, -1):
            conn.execute(text("UPDATE audit_entry SET seq = :n WHERE seq = :s"), {"n": seq + 1, "s": seq})
        header, record = _leaf(conn, 11)
        header.update(seq=12, audit_id="KS-BBBBBBBBBB")
        data = canonical_json(header) + b"\n" + canonical_json(record)
        conn.execute(
            text(
                "INSERT INTO audit_entry SELECT 12, 'KS-BBBBBBBBBB', created_at, schema_version, "
                "conversation, channel, language, topic, intent, confidence, fallback, handoff, "
                "retention_class, :h, :d, leaf_seal, key_id, NULL, 'x', 'retention', metadata_deleted_at "
                "FROM audit_entry WHERE seq = 11"
            ),
            {"h": merkle.leaf_hash(data), "d": data},
        )


def test_inserted_record_in_the_middle(log: AuditLog, ids: list[str]) -> None:
    _insert_in_the_middle(log)
    _assert_bad(log, "KS-BBBBBBBBBB", "not written by this service", seq=12)


def test_inserted_record_in_the_middle_seen_without_key_files(
    log: AuditLog, ids: list[str], db_url: str, audit_settings: AuditSettings, tmp_path: Path
) -> None:
    """An inspector without the content key still catches it: the record pushed aside no longer fits."""
    _insert_in_the_middle(log)
    settings = audit_settings.model_copy(update={"content_key_path": tmp_path / "absent.key"})
    inspector = open_audit_log(db_url, settings=settings, read_only=True)
    try:
        _assert_bad(inspector, ids[12], "record moved", seq=13)
        assert not inspector.verify().seals_checked
    finally:
        inspector.close()


def test_reordered_records(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET seq = -1 WHERE seq = 4"))
        conn.execute(text("UPDATE audit_entry SET seq = 4 WHERE seq = 5"))
        conn.execute(text("UPDATE audit_entry SET seq = 5 WHERE seq = -1"))
    _assert_bad(log, ids[5], "record moved")


def test_reordered_records_with_rewritten_leaves_and_tree(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        (a, ra), (b, rb) = _leaf(conn, 4), _leaf(conn, 5)
        a["seq"], b["seq"] = 5, 4
        conn.execute(text("UPDATE audit_entry SET seq = -1 WHERE seq = 4"))
        conn.execute(text("UPDATE audit_entry SET seq = 4 WHERE seq = 5"))
        conn.execute(text("UPDATE audit_entry SET seq = 5 WHERE seq = -1"))
        _rewrite_leaf(log, conn, 4, b, rb)
        _rewrite_leaf(log, conn, 5, a, ra)
        _rebuild_nodes(conn)
    _assert_bad(log, ids[0], "history rewritten", seq=0)


def test_edited_tree_node(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_tree_node SET hash = :h WHERE node = :n"),
            {"h": bytes(32), "n": tree.node_id(2, 1)},
        )
    _assert_bad(log, ids[7], "tree node (2, 1) differs")


def test_extra_tree_node(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_tree_node (node, hash) VALUES (:n, :h)"),
            {"n": (3 << 6) | 7, "h": bytes(32)},
        )
    _assert_bad(log, None, "unexpected Merkle tree node")


def test_forged_checkpoint_signature(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        note = conn.execute(text("SELECT note FROM audit_checkpoint ORDER BY id LIMIT 1")).scalar_one()
        lines = note.split("\n")
        lines[1] = "9"
        conn.execute(text("UPDATE audit_checkpoint SET note = :n WHERE id = 1"), {"n": "\n".join(lines)})
    _assert_bad(log, None, "signature does not verify")


def test_checkpoint_signed_by_unknown_key(log: AuditLog, ids: list[str], tmp_path: Any) -> None:
    stranger = load_or_create_signing_key(tmp_path / "stranger.pem")
    note = sign_checkpoint(stranger, log.settings.log_origin, 8, log.root(8), "2026-01-01T00:00:00.000000Z")
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_checkpoint SET note = :n WHERE id = 1"), {"n": note})
    _assert_bad(log, None, "not signed by a trusted key")


def test_checkpoint_inconsistent_with_earlier_one(log: AuditLog, ids: list[str]) -> None:
    """A key holder who rewrites records 10.. and signs a new head at 20 still contradicts checkpoint 16."""
    with log.engine.begin() as conn:
        _edit_confidence(log, conn, 10, 0.65)
        _rebuild_nodes(conn)
        compact = merkle.CompactRange()
        for (h,) in conn.execute(text("SELECT leaf_hash FROM audit_entry ORDER BY seq")):
            compact.append(bytes(h))
        note = sign_checkpoint(
            log.signing_key(), log.settings.log_origin, 20, compact.root(), "2026-12-01T00:00:00.000000Z"
        )
        conn.execute(
            text(
                "INSERT INTO audit_checkpoint (tree_size, root_hash, created_at, note) "
                "VALUES (20, :r, 'x', :n)"
            ),
            {"r": compact.root(), "n": note},
        )
    _assert_bad(log, ids[8], "do not match signed checkpoint #2 (size 16)")


def test_checkpoint_sizes_going_backwards(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        note = sign_checkpoint(
            log.signing_key(), log.settings.log_origin, 4, log.root(4), "2026-12-01T00:00:00.000000Z"
        )
        conn.execute(
            text(
                "INSERT INTO audit_checkpoint (tree_size, root_hash, created_at, note) "
                "VALUES (4, :r, 'x', :n)"
            ),
            {"r": log.root(4), "n": note},
        )
    _assert_bad(log, None, "smaller than an earlier checkpoint")


def test_header_disagreeing_with_record_found_by_deep_verify(log: AuditLog, ids: list[str]) -> None:
    """A faulty writer whose header does not describe its record: only --deep parses every record."""
    with log.engine.begin() as conn:
        header, record = _leaf(conn, 6)
        record["nlu"]["confidence"] = 0.12
        _rewrite_leaf(log, conn, 6, header, record)
        _rebuild_nodes(conn)
        conn.execute(text("DELETE FROM audit_checkpoint"))
    assert log.verify().ok
    report = log.verify(deep=True)
    assert not report.ok and report.first_bad == ids[6] and "header does not match" in report.reason


def test_metadata_deleted_without_retention(log: AuditLog, ids: list[str]) -> None:
    with log.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET leaf_data = NULL WHERE seq = 1"))
    _assert_bad(log, ids[1], "record data deleted without a retention entry")


def test_wrong_content_key_is_not_reported_as_tampering(log: AuditLog, ids: list[str]) -> None:
    log._content_key = hashlib.sha256(b"another key file").digest()  # noqa: SLF001 - simulate a wrong key file
    report = log.verify()
    assert report.ok and not report.seals_checked and report.notes
