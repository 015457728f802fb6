"""Export of audit records for an inspection: JSON lines (records exactly as stored) and CSV (one row each).

Both are generators so the response streams; nothing is held in memory. CSV cells that a spreadsheet
would run as a formula (starting with ``= + - @``, tab or carriage return) get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

CSV_COLUMNS = (
    "audit_id", "seq", "created_at", "channel", "language", "conversation", "turn", "topic",
    "intent", "confidence", "fallback_threshold", "fallback", "handoff_offered", "contested",
    "input_redacted", "answer_text", "article_id", "article_version", "article_owner",
    "article_last_reviewed", "policy_notices", "response", "policies", "pii_counts", "output_guard_hits",
    "ai_disclosure_shown", "model_fingerprint", "code_version", "legal_nature", "retention_class",
    "schema_version", "content_deleted",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK_BYTES = 64 * 1024  # records are sent in chunks of about this size, not one by one


def _chunked(pieces: Iterable[bytes]) -> Iterator[bytes]:
    """Join small pieces into chunks of about ``CHUNK_BYTES`` (far fewer writes to the socket)."""
    buffer: list[bytes] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, size = [], 0
    if buffer:
        yield b"".join(buffer)


def jsonl_lines(records: Iterable[tuple[Mapping[str, Any], bool]]) -> Iterator[bytes]:
    """One JSON object per line, keys sorted, UTF-8 (in chunks)."""
    return _chunked(
        (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        for record, _ in records
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def flatten(record: Mapping[str, Any], contested: bool) -> dict[str, Any]:
    """The CSV row of one record."""
    nlu = record.get("nlu") or {}
    guard = record.get("guardrails") or {}
    answers = record.get("answers") or []
    sources = [a.get("source") or {} for a in answers]
    first = next((s for s in sources if s and s.get("article_id")), {})
    notices = [f"{s['policy']}@{s.get('version')}" for s in sources if s and s.get("policy")]
    confidence = nlu.get("confidence")
    threshold = nlu.get("fallback_threshold")
    fallback = nlu.get("intent") == "nlu_fallback" or (
        confidence is not None and threshold is not None and confidence < threshold
    )
    return {
        "audit_id": record.get("audit_id"),
        "seq": record.get("seq"),
        "created_at": record.get("created_at"),
        "channel": record.get("channel"),
        "language": record.get("language"),
        "conversation": record.get("conversation"),
        "turn": record.get("turn"),
        "topic": record.get("topic"),
        "intent": nlu.get("intent"),
        "confidence": confidence,
        "fallback_threshold": threshold,
        "fallback": fallback if nlu else None,
        "handoff_offered": guard.get("handoff_offered"),
        "contested": contested,
        "input_redacted": record.get("input_redacted"),
        "answer_text": "\n".join(a.get("text") or "" for a in answers) or None,
        "article_id": first.get("article_id"),
        "article_version": first.get("version"),
        "article_owner": first.get("owner"),
        "article_last_reviewed": first.get("last_reviewed"),
        "policy_notices": " ".join(notices) or None,
        "response": next((a.get("response") for a in answers if a.get("response")), None),
        "policies": " ".join(str(a.get("policy")) for a in record.get("actions") or [] if a.get("policy")),
        "pii_counts": (record.get("pii") or {}).get("counts") or None,
        "output_guard_hits": len(guard.get("output_guard_hits") or []),
        "ai_disclosure_shown": guard.get("ai_disclosure_shown"),
        "model_fingerprint": (record.get("model") or {}).get("fingerprint"),
        "code_version": (record.get("model") or {}).get("code_version"),
        "legal_nature": record.get("legal_nature"),
        "retention_class": record.get("retention_class"),
        "schema_version": record.get("schema_version"),
        "content_deleted": bool(record.get("content_shredded")),
    }


def csv_lines(records: Iterable[tuple[Mapping[str, Any], bool]]) -> Iterator[bytes]:
    """CSV with a header row; UTF-8 with BOM so spreadsheet programs read å, ä and ö right (in chunks)."""
    return _chunked(_csv_rows(records))


def _csv_rows(records: Iterable[tuple[Mapping[str, Any], bool]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for record, contested in records:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({k: _cell(v) for k, v in flatten(record, contested).items()})
        yield buffer.getvalue().encode("utf-8")
