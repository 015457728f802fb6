"""RedactingFilter: nothing personal reaches a log handler."""

from __future__ import annotations

import io
import logging

import pytest

from guardrails.logging_filter import FAILED_MESSAGE, RedactingFilter
from guardrails.redactor import Redactor


@pytest.fixture()
def captured(redactor: Redactor):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(redactor))
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s %(caller)s"))
    logger = logging.getLogger("test.guardrails.filter")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_message_args_extras_and_exceptions_are_redacted(captured) -> None:
    logger, stream = captured
    try:
        raise ValueError("no such user anna@example.se")
    except ValueError:
        logger.exception(
            "turn from %s with pnr %s", "070-123 45 67", "19900101-1239", extra={"caller": "ring 0701234567"}
        )
    output = stream.getvalue()
    for value in ("070-123 45 67", "19900101-1239", "0701234567", "anna@example.se"):
        assert value not in output
    assert "turn from <PHONE_1> with pnr <PERSONNUMMER_1>" in output
    assert "ValueError: no such user <EMAIL_1>" in output


def test_a_failing_redactor_withholds_the_message() -> None:
    class Broken:
        def redact(self, text: str, conversation_id: str | None = None):
            raise RuntimeError("boom")

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "pnr %s", ("19900101-1239",), None)
    assert RedactingFilter(Broken()).filter(record) is True
    assert record.getMessage() == FAILED_MESSAGE


def test_bad_format_arguments_do_not_break_logging(redactor: Redactor) -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%d items for %s", ("many",), None)
    assert RedactingFilter(redactor).filter(record) is True
    assert record.getMessage() == "%d items for %s"
