"""Span metrics: precision, recall and F1 from exact and overlapping span matches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass
class Counts:
    """True positives, false positives and false negatives, with P/R/F1 derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Share of predicted spans that are correct (1.0 when nothing was predicted)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of gold spans that were found (1.0 when there was nothing to find)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        """Add another set of counts to this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def exact_counts(gold: Iterable[Span], predicted: Iterable[Span]) -> Counts:
    """Count exact span matches (same start and end)."""
    g, p = set(gold), set(predicted)
    return Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def overlap_counts(gold: Iterable[Span], predicted: Iterable[Span]) -> Counts:
    """Count overlapping matches: a gold span is found when a prediction overlaps it.

    A prediction is wrong when it overlaps no gold span. This is the view that matters for leaks: a
    name that is partly covered is still mostly hidden.
    """
    g, p = list(gold), list(predicted)

    def overlaps(a: Span, b: Span) -> bool:
        return a[0] < b[1] and b[0] < a[1]

    found = sum(1 for s in g if any(overlaps(s, q) for q in p))
    wrong = sum(1 for q in p if not any(overlaps(s, q) for s in g))
    return Counts(tp=found, fp=wrong, fn=len(g) - found)
