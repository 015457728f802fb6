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


class _CountingRedactor:
    """Wraps the real redactor and counts its calls."""

    def __init__(self, inner: Redactor) -> None:
        self.inner = inner
        self.calls = 0

    def redact(self, text: str, conversation_id: str | None = None):
        self.calls += 1
        return self.inner.redact(text, conversation_id)


def _two_handler_logger(name: str, redacting: RedactingFilter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    logger = logging.getLogger(name)
    logger.handlers.clear()
    logger.propagate = False
    logger.setLevel(logging.INFO)
    for target in (stream, io.StringIO()):
        handler = logging.StreamHandler(target)
        handler.addFilter(redacting)
        logger.addHandler(handler)
    return logger, stream


def test_a_record_is_redacted_once_even_with_two_handlers(redactor: Redactor) -> None:
    counting = _CountingRedactor(redactor)
    logger, stream = _two_handler_logger("kommunsvar.test.twice", RedactingFilter(counting))
    logger.info("ring mig på 070-123 45 67")
    assert counting.calls == 1
    assert "070-123 45 67" not in stream.getvalue()


def test_clean_strings_are_remembered_but_personal_data_never_is(redactor: Redactor) -> None:
    counting = _CountingRedactor(redactor)
    logger, stream = _two_handler_logger("kommunsvar.test.cache", RedactingFilter(counting))
    for _ in range(3):
        logger.info("chat_turn", extra={"topic": "waste_collection"})
    assert counting.calls == 2  # the event name and the topic, once each
    for _ in range(2):
        logger.info("mitt personnummer är 811218-9876")
    assert counting.calls == 4  # text with a finding is redacted every time, never cached
    assert "811218-9876" not in stream.getvalue()
