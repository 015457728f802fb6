"""Span metrics used by the NER evaluation."""

from __future__ import annotations

import pytest

from guardrails.ner.metrics import Counts, exact_counts, overlap_counts


def test_exact_counts_need_identical_spans() -> None:
    c = exact_counts([(0, 4), (10, 15)], [(0, 4), (10, 14), (20, 22)])
    assert (c.tp, c.fp, c.fn) == (1, 2, 1)
    assert c.precision == pytest.approx(1 / 3)
    assert c.recall == pytest.approx(1 / 2)
    assert c.f1 == pytest.approx(0.4)


def test_overlap_counts_accept_partial_cover() -> None:
    c = overlap_counts([(0, 4), (10, 15)], [(0, 4), (10, 14), (20, 22)])
    assert (c.tp, c.fp, c.fn) == (2, 1, 0)


def test_empty_predictions_and_gold_are_perfect_and_missing_is_zero() -> None:
    assert exact_counts([], []).f1 == 1.0
    assert exact_counts([(0, 1)], []).f1 == 0.0


def test_counts_add_up() -> None:
    total = Counts()
    total.add(Counts(1, 2, 3))
    total.add(Counts(1, 0, 0))
    assert (total.tp, total.fp, total.fn) == (2, 2, 3)
