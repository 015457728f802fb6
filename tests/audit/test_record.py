"""The record schema: an answer's source is a knowledge article or a policy notice, never neither."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from audit.errors import InvalidRecord
from audit.record import validate_record

MakeRecord = Callable[..., dict[str, Any]]


def test_a_policy_notice_is_a_valid_source(make_record: MakeRecord) -> None:
    notice = {"policy": "urgent_notice", "version": 2, "content_hash": "ab", "language": "sv"}
    stored = validate_record(make_record(answers=[{"text": "Ring 112.", "source": notice, "response": None}]))
    assert stored["answers"][0]["source"]["policy"] == "urgent_notice"
    assert "article_id" not in stored["answers"][0]["source"]


def test_an_article_source_keeps_its_fields_and_gains_no_empty_policy(make_record: MakeRecord) -> None:
    stored = validate_record(make_record())
    source = stored["answers"][0]["source"]
    assert source["article_id"] and "policy" not in source


@pytest.mark.parametrize(
    "source",
    [{"version": 1}, {"article_id": "a", "policy": "urgent_notice", "version": 1}],
)
def test_a_source_names_exactly_one_of_article_and_policy(make_record: MakeRecord, source) -> None:
    with pytest.raises(InvalidRecord, match="answers.0.source"):
        validate_record(make_record(answers=[{"text": "x", "source": source, "response": None}]))
