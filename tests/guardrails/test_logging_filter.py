"""RedactingFilter: nothing personal reaches a log handler."""

from __future__ import annotations

import io
import json
import logging

import pytest

from guardrails.logging_filter import FAILED_MESSAGE, MAX_ITEMS, TOO_DEEP, TOO_LARGE, RedactingFilter
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


def test_generated_ids_pass_without_a_redactor_run_and_nothing_else_does(redactor: Redactor) -> None:
    import re

    counting = _CountingRedactor(redactor)
    redacting = RedactingFilter(counting, generated_ids=re.compile(r"KS-[0-9A-Z]{10}"))
    record = _filtered(redacting, audit_id="KS-7K3M9Q2X4B")
    assert record.audit_id == "KS-7K3M9Q2X4B"
    assert counting.calls == 1  # the message ("chat_turn") only; the id needed no redactor run
    # More than the id alone, or not its form: redacted as any other text.
    for value in ("KS-7K3M9Q2X4B 811218-9876", "811218-9876", "ks-7k3m9q2x4b"):
        record = _filtered(redacting, audit_id=value)
        assert "811218-9876" not in str(record.audit_id)
    assert counting.calls == 4
    # Without the pattern, an id is redacted like everything else.
    plain = _CountingRedactor(redactor)
    _filtered(RedactingFilter(plain), audit_id="KS-7K3M9Q2X4C")
    assert plain.calls == 2


def _filtered(redacting: RedactingFilter, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "chat_turn", None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    assert redacting.filter(record) is True
    return record


def test_nested_extras_are_redacted_values_and_keys(redactor: Redactor) -> None:
    record = _filtered(
        RedactingFilter(redactor),
        context={
            "caller": {"phone": "070-123 45 67", "emails": ["anna@example.se", ("bo@example.se",)]},
            "karin.oberg@example.se": "key and value",
            "ids": {"19900101-1239", "kvitto"},
            7: None,
            "counts": [1, 2.5, True],
        },
        fields=("ring 0701234567", {"pnr": "811218-9876"}),
    )
    rendered = json.dumps(
        {"context": record.context, "fields": record.fields}, default=str, ensure_ascii=False
    )
    for value in (
        "070-123 45 67",
        "0701234567",
        "anna@example.se",
        "bo@example.se",
        "karin.oberg@example.se",
        "19900101-1239",
        "811218-9876",
    ):
        assert value not in rendered, value
    assert record.context["caller"]["phone"] == "<PHONE_1>"
    assert record.context["caller"]["emails"] == ["<EMAIL_1>", ("<EMAIL_1>",)]
    assert "<EMAIL_1>" in record.context and record.context["<EMAIL_1>"] == "key and value"
    assert record.context[7] is None and record.context["counts"] == [1, 2.5, True]
    assert isinstance(record.fields, tuple) and record.fields[1] == {"pnr": "<PERSONNUMMER_1>"}


def test_keys_that_redact_alike_are_both_kept(redactor: Redactor) -> None:
    record = _filtered(RedactingFilter(redactor), by_mail={"anna@example.se": 1, "bo@example.se": 2})
    assert sorted(record.by_mail.values()) == [1, 2]
    assert "anna" not in str(record.by_mail) and "bo@" not in str(record.by_mail)


def test_other_objects_are_redacted_as_the_text_they_would_be_written_as(redactor: Redactor) -> None:
    class Caller:
        def __str__(self) -> str:
            return "Caller with mail anna@example.se"

    record = _filtered(RedactingFilter(redactor), caller=Caller(), raw=b"pnr 19900101-1239")
    assert record.caller == "Caller with mail <EMAIL_1>"
    assert "19900101" not in record.raw


def test_nesting_and_size_are_bounded(redactor: Redactor) -> None:
    counting = _CountingRedactor(redactor)
    deep: object = "anna@example.se"
    for _ in range(50):
        deep = [deep]
    looped: list[object] = ["070-123 45 67"]
    looped.append(looped)  # a cycle is bounded by the depth limit
    huge = [f"post {n}: mejla anna{n}@example.se" for n in range(20_000)]
    record = _filtered(RedactingFilter(counting), deep=deep, looped=looped, huge=huge)
    text = json.dumps({"deep": record.deep, "looped": record.looped, "huge": record.huge})
    assert "@example.se" not in text and "070-123" not in text
    assert TOO_DEEP in text and TOO_LARGE in text
    assert counting.calls <= MAX_ITEMS + 1  # bounded work, whatever the caller passed
    assert len(record.huge) <= MAX_ITEMS + 1


def test_one_huge_string_is_withheld_not_redacted(redactor: Redactor) -> None:
    counting = _CountingRedactor(redactor)
    record = _filtered(RedactingFilter(counting), blob="anna@example.se " * 20_000)
    assert record.blob == TOO_LARGE and counting.calls == 1  # only the event name
