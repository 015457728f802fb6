"""``python -m guardrails redact``: JSON lines in, redacted JSON lines out (ARCHITECTURE §4).

Input lines: ``{"text": str, "conversation_id"?: str}``. Output, one line per input line:
``{"text": <redacted>, "findings": [{"start", "end", "type", "score"}]}`` with offsets into the original
text, or ``{"error": {"code", "message"}, "line": n}``. It never stops on bad input: invalid UTF-8,
non-JSON, wrong shapes and over-long lines each get an error line. Lone surrogates (``"\\ud800"``) are
replaced by U+FFFD before redaction, which keeps every offset. Input text is never echoed in errors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from guardrails.errors import GuardrailError
from guardrails.redactor import Redactor
from guardrails.settings import GuardrailSettings

_SURROGATE = re.compile(r"[\ud800-\udfff]")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m guardrails", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("redact", help="redact JSON lines from stdin to stdout")
    args = parser.parse_args(argv)
    if args.command == "redact":
        settings = GuardrailSettings()
        try:
            redact_stream(Redactor.create(settings), sys.stdin.buffer, sys.stdout, settings.cli_max_chars)
        except BrokenPipeError:
            return 0
    return 0


def redact_stream(redactor: Redactor, source: BinaryIO, sink: TextIO, max_chars: int) -> None:
    """Redact every line of ``source`` and write one JSON line per input line to ``sink``."""
    for number, raw in enumerate(_lines(source, max_chars * 4 + 1), start=1):
        reply = handle_line(redactor, raw, number, max_chars)
        sink.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sink.flush()


def handle_line(redactor: Redactor, raw: bytes | None, number: int, max_chars: int) -> dict[str, object]:
    """Return the output object for one raw input line (``None`` means the line was too long)."""
    if raw is None:
        return _error("too_large", f"line longer than {max_chars} characters", number)
    if not raw.strip():
        return _error("empty_line", "line is empty", number)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _error("invalid_utf8", "line is not valid UTF-8", number)
    try:
        payload = json.loads(decoded)
    except (json.JSONDecodeError, RecursionError):
        return _error("invalid_json", "line is not a JSON value", number)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        return _error("invalid_shape", 'expected an object with a string "text"', number)
    text: str = payload["text"]
    conversation = payload.get("conversation_id")
    if conversation is not None and not isinstance(conversation, str):
        return _error("invalid_shape", '"conversation_id" must be a string', number)
    if len(text) > max_chars:
        return _error("too_large", f"text longer than {max_chars} characters", number)
    text = _SURROGATE.sub("\ufffd", text)
    try:
        result = redactor.redact(text, conversation_id=conversation)
    except GuardrailError:
        return _error("redaction_failed", "the text could not be analysed", number)
    return {"text": result.text, "findings": [f.to_dict() for f in result.findings]}


def _lines(source: BinaryIO, limit: int) -> Iterator[bytes | None]:
    """Yield each line without its newline, or None for a line longer than ``limit`` bytes."""
    while True:
        line = source.readline(limit)
        if not line:
            return
        if len(line) >= limit and not line.endswith(b"\n"):
            # Too long: skip the rest of this line without holding it in memory.
            while True:
                rest = source.readline(limit)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line.rstrip(b"\r\n")


def _error(code: str, message: str, number: int) -> dict[str, object]:
    return {"error": {"code": code, "message": message}, "line": number}
