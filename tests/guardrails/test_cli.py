"""``python -m guardrails redact``: JSON lines in and out, never stops on bad input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from guardrails.cli import redact_stream
from guardrails.redactor import Redactor

ROOT = Path(__file__).resolve().parents[2]


def run_stream(redactor: Redactor, data: bytes, max_chars: int = 20_000) -> list[dict]:
    sink = io.StringIO()
    redact_stream(redactor, io.BytesIO(data), sink, max_chars)
    return [json.loads(line) for line in sink.getvalue().splitlines()]


def test_one_output_line_per_input_line_whatever_the_input(redactor: Redactor) -> None:
    lines = [
        json.dumps({"text": "Ring 070-123 45 67"}).encode(),
        b"not json",
        b"\xff\xfe\xfd invalid utf-8",
        b'{"text": "\\ud800 lone surrogate, anna@example.se"}',
        b"[1, 2, 3]",
        b'{"text": 5}',
        b"",
        b'{"text": "Hej", "conversation_id": 7}',
        b"[" * 50_000,
        json.dumps({"text": "x" * 30_000}).encode(),
        json.dumps({"text": "Hej"}).encode(),
    ]
    replies = run_stream(redactor, b"\n".join(lines) + b"\n")
    assert len(replies) == len(lines)
    assert replies[0] == {
        "text": "Ring <PHONE_1>",
        "findings": [{"start": 5, "end": 18, "type": "PHONE_NUMBER", "score": 1.0}],
    }
    codes = [r.get("error", {}).get("code") for r in replies]
    assert codes == [
        None,
        "invalid_json",
        "invalid_utf8",
        None,
        "invalid_shape",
        "invalid_shape",
        "empty_line",
        "invalid_shape",
        "invalid_json",
        "too_large",
        None,
    ]
    assert replies[3]["text"] == "\ufffd lone surrogate, <EMAIL_1>"
    assert replies[3]["findings"][0]["start"] == 18  # offsets unchanged by the surrogate repair
    assert replies[-1] == {"text": "Hej", "findings": []}
    # Errors never echo the input.
    assert all("not json" not in json.dumps(r) for r in replies)


def test_line_too_long_for_the_reader_is_skipped_without_losing_the_next(redactor: Redactor) -> None:
    data = b'{"text": "' + b"a" * 500 + b'"}\n{"text": "ok"}\n'
    replies = run_stream(redactor, data, max_chars=100)
    assert [r.get("error", {}).get("code") for r in replies] == ["too_large", None]


def test_ten_thousand_characters_are_redacted_as_a_whole(redactor: Redactor) -> None:
    text = "Hej. " * 1_996 + "pnr 19900101-1239"
    (reply,) = run_stream(redactor, json.dumps({"text": text}).encode())
    assert reply["text"].endswith("pnr <PERSONNUMMER_1>")
    assert reply["findings"][0]["start"] == len(text) - 13


def test_conversation_id_keeps_placeholders_across_lines(redactor: Redactor) -> None:
    data = (
        json.dumps({"text": "a@example.se", "conversation_id": "cli-1"})
        + "\n"
        + json.dumps({"text": "b@example.se a@example.se", "conversation_id": "cli-1"})
    ).encode()
    assert [r["text"] for r in run_stream(redactor, data)] == ["<EMAIL_1>", "<EMAIL_2> <EMAIL_1>"]


def test_module_entry_point_runs_offline() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "guardrails", "redact"],
        input=b'{"text": "mejla anna@example.se"}\n\xff\n',
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    out = [json.loads(line) for line in completed.stdout.decode().splitlines()]
    assert out[0]["text"] == "mejla <EMAIL_1>"
    assert out[1]["error"]["code"] == "invalid_utf8"


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from(
    [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\\ud800", b"\\u202e", b"\\n", b'"', b"{", b"}", b"[", b"]"]
    + [b'{"text": "', b'"}', b"noll sju ", b"%40", b"070-123 45 67", b"\\u200b", b"\xe2\x80\xae", b"\r"]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.lists(_PIECES, max_size=12).map(b"".join), min_size=1, max_size=5))
def test_any_bytes_give_one_json_line_per_input_line(redactor: Redactor, lines: list[bytes]) -> None:
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n"
    replies = run_stream(redactor, data)
    assert len(replies) == len(lines)
    assert all(("text" in r and "findings" in r) or "error" in r for r in replies)


def test_huge_hostile_text_is_redacted(redactor: Redactor) -> None:
    piece = "noll sju noll ett två tre fyra fem sex sju \u202e9321-10100991\u202c anna%40example.se "
    text = (piece * 2000)[:60_000]
    (reply,) = run_stream(redactor, json.dumps({"text": text}).encode(), max_chars=200_000)
    assert "error" not in reply
    assert "anna%40example.se" not in reply["text"] and "9321-10100991" not in reply["text"]
