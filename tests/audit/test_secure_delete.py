"""Crypto-shredding reaches the disk: a shredded key or deleted ciphertext leaves no bytes in the file.

SQLite keeps deleted cells in free space and older page images in the WAL; ``secure_delete`` zeroes the
former and a TRUNCATE checkpoint after each purge empties the latter. The files are read while the
writing connections are still open (closing the last one would remove the WAL and hide a leftover).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from audit.log import AuditLog
from audit.tables import conversation_keys, entries

MakeRecord = Callable[..., dict[str, Any]]


def _files(log_or_path: AuditLog | Path) -> bytes:
    path = log_or_path if isinstance(log_or_path, Path) else Path(str(log_or_path.engine.url.database))
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def _secrets(log: AuditLog, conversation: str) -> list[bytes]:
    """The wrapped key and every ciphertext of one conversation, as stored."""
    with log.engine.connect() as conn:
        wrapped = conn.execute(
            select(conversation_keys.c.wrapped).where(conversation_keys.c.conversation == conversation)
        ).scalars()
        found = [bytes(w) for w in wrapped]
        content = conn.execute(select(entries.c.content).where(entries.c.conversation == conversation))
        found += [bytes(c) for c in content.scalars()]
    assert found and all(len(s) >= 32 for s in found)
    return found


def _wal_size(log: AuditLog) -> int:
    wal = Path(f"{log.engine.url.database}-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_every_connection_zeroes_what_it_deletes(log: AuditLog) -> None:
    with log.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_forget_leaves_no_key_or_ciphertext_in_the_file_or_wal(
    log: AuditLog, make_record: MakeRecord
) -> None:
    for turn in range(4):
        log.append(make_record(conversation="conv-forget", turn=turn))
        log.append(make_record(conversation="conv-keep", turn=turn))
    gone, kept = _secrets(log, "conv-forget"), _secrets(log, "conv-keep")
    data = _files(log)
    assert all(s in data for s in gone + kept)  # the check can see them (in the db or the WAL)

    report = log.forget_conversation("conv-forget")
    assert report.keys_shredded == 1 and report.wal_truncated
    data = _files(log)
    assert not [s for s in gone if s in data]
    assert all(s in data for s in kept)
    assert _wal_size(log) == 0
    assert log.verify().ok


def test_retention_leaves_no_key_in_the_file(log: AuditLog, make_record: MakeRecord) -> None:
    log.append(make_record(conversation="conv-small", retention_class="smalltalk"))
    log.append(make_record(conversation="conv-long"))
    gone = _secrets(log, "conv-small")
    report = log.apply_retention(now=datetime.now(UTC) + timedelta(days=31))
    assert report.keys_shredded == 1 and report.wal_truncated
    data = _files(log)
    assert not [s for s in gone if s in data]
    assert all(s in data for s in _secrets(log, "conv-long"))
