"""Input normaliser of the gateway and the offset-keeping detection view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardrails.detection_text import collapse_digit_separators, prepare
from guardrails.normalise import normalise_input


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hej\x00 då\x07", "Hej då"),
        ("rad ett\r\nrad två\ttab", "rad ett\nrad två\ttab"),
        ("a\u030a", "å"),  # NFC
        ("\ud800x", "\ufffdx"),
        ("\x85\x9fok", "ok"),
        ("vanlig text", "vanlig text"),
    ],
)
def test_normalise_input(raw: str, expected: str) -> None:
    assert normalise_input(raw) == expected


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("１２３", "123"),
        ("٠٧٠", "070"),
        ("a\u200bb\u202ec\u2066d", "abcd"),
        ("1\u20132", "1-2"),
        ("e\u0301", "é"),
        ("ﬁl", "fil"),
        ("Åsa", "Åsa"),
    ],
)
def test_detection_view(raw: str, normalised: str) -> None:
    assert prepare(raw).text == normalised


@given(st.text(max_size=60))
def test_every_normalised_span_maps_inside_the_original(raw: str) -> None:
    view = prepare(raw)
    n = len(view.text)
    for start in range(n):
        for end in range(start + 1, min(n, start + 4) + 1):
            a, b = view.to_original(start, end)
            assert 0 <= a < b <= len(raw)
    collapsed = collapse_digit_separators(view)
    if collapsed is not None:
        assert len(collapsed.text) < n
        assert all(0 <= s < e <= len(raw) for s, e in zip(collapsed.starts, collapsed.ends, strict=True))


def test_collapse_joins_only_disguising_separators() -> None:
    assert collapse_digit_separators(prepare("070 123 45 67")) is None
    collapsed = collapse_digit_separators(prepare("pnr 1 9 9 0.01.01"))
    assert collapsed is not None and collapsed.text == "pnr 19900101"
    assert collapsed.to_original(4, 12) == (4, 17)
