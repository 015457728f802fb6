"""Experiment (ADR 0012): does a linear adapter on the e5 vectors, trained on the content, answer better?

Usage::

    .venv/bin/python scripts/experiment_query_adapter.py            # about 6 minutes on 2 cores

Nothing here ships. The script reproduces the measurement recorded in ADR 0012 (2026-12-05):

1. **Training from the content only.** Every example question of an answerable article (Swedish and
   English; its vector is already in the index, embedded as a query) is a training query; a sixth of them
   is held out to watch. The adapter is ``x -> normalise(x + D x)`` with ``D`` a 384 x 384 matrix
   (starting at zero), applied to the query, the passages and the answers alike. The article scores are
   the engine's own (best and second-best passage cosine, plus ``answer_weight`` times the answer
   cosine), the question's own passage left out; loss: softmax cross-entropy over the articles at
   temperature ``--tau``, plus ``--reg`` times the squared size of ``D``.
2. **Decision rules**: the engine's answer and margin thresholds are chosen again for the adapted scores
   on the dev set (confident-wrong at most 2 % or 3 %), checked out of sample with bootstrap resamples
   of the dev set (chosen on the resample, measured on the questions it left out), and measured once on
   the blind set. The engine without the adapter goes through the same grid.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import eval_answers  # noqa: E402
import numpy as np  # noqa: E402

from content.answering.answer_vectors import answer_scores  # noqa: E402
from content.semantic.search import SECOND_WEIGHT, article_scores  # noqa: E402


def train(engine: Any, args: argparse.Namespace) -> np.ndarray:
    """The adapter's matrix ``W`` (row vectors: ``x @ W``), trained on the articles' own questions."""
    import torch

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    index = engine.semantic
    position = {a: i for i, a in enumerate(engine.article_ids)}
    to_engine = np.array([position.get(a, -1) for a in index.article_ids])
    rows = np.array(
        [r for r in np.flatnonzero(~engine._excluded_passages) if to_engine[index._owner[r]] >= 0]
    )
    owners = to_engine[index._owner[rows]]
    queries = [i for i, r in enumerate(rows) if index.passages[r].kind == "question"]
    rng.shuffle(queries)
    held, taught = queries[: len(queries) // 6], queries[len(queries) // 6 :]
    n_articles = len(engine.article_ids)
    print(
        f"{len(rows)} passages of {n_articles} articles; {len(taught)} training queries, {len(held)} held out"
    )

    by_article: list[list[int]] = [[] for _ in range(n_articles)]
    for i, owner in enumerate(owners):
        by_article[owner].append(i)
    width = max(map(len, by_article))
    padded = torch.tensor([lst + [-1] * (width - len(lst)) for lst in by_article])
    present, padded = padded >= 0, padded.clamp(min=0)
    passages = torch.tensor(index.passage_vectors()[rows], dtype=torch.float32)
    answers = torch.tensor(engine._answer_matrix, dtype=torch.float32)
    labels = torch.tensor(owners)
    delta = torch.nn.Parameter(torch.zeros(passages.shape[1], passages.shape[1]))

    def adapt(x: Any) -> Any:
        return torch.nn.functional.normalize(x + x @ delta.T, dim=-1)

    def scores(batch: list[int]) -> Any:
        q = adapt(passages[batch])
        similarity = q @ adapt(passages).T
        similarity[torch.arange(len(batch)), torch.tensor(batch)] = -2.0  # leave the question itself out
        grouped = similarity[:, padded].masked_fill(~present, -2.0)
        top = grouped.topk(2, dim=-1).values
        second = torch.where(top[..., 1] > -1.5, top[..., 1], top[..., 0])
        semantic = (top[..., 0] + SECOND_WEIGHT * second) / (1 + SECOND_WEIGHT)
        adapted = adapt(answers)
        answer = torch.maximum(q @ adapted[:n_articles].T, q @ adapted[n_articles:].T)
        return semantic + engine.settings.answer_weight * answer

    def watch(batch: list[int]) -> str:
        with torch.no_grad():
            z = scores(batch)
            y = labels[batch]
            right = z[torch.arange(len(batch)), y]
            z[torch.arange(len(batch)), y] = -9.0
            wrong = z.max(-1).values
            top1 = (right > wrong).float().mean().item()
            return f"held-out top-1 {top1:.1%}, right {right.mean():.3f}, best wrong {wrong.mean():.3f}"

    print("before:", watch(held))
    optimiser = torch.optim.Adam([delta], lr=args.lr)
    for epoch in range(args.epochs):
        rng.shuffle(taught)
        for start in range(0, len(taught), 64):
            batch = taught[start : start + 64]
            loss = torch.nn.functional.cross_entropy(scores(batch) / args.tau, labels[batch])
            loss = loss + args.reg * (delta**2).sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
        print(f"epoch {epoch + 1}:", watch(held))
    return (torch.eye(delta.shape[0]) + delta).detach().numpy().T


class AdaptedEngine(eval_answers.CachedEngine):
    """The engine with every e5 vector passed through the adapter."""

    weights: np.ndarray
    passages: np.ndarray
    answers: np.ndarray

    def adapt(self, x: np.ndarray) -> np.ndarray:
        y = x @ self.weights
        adapted: np.ndarray = y / np.linalg.norm(y, axis=-1, keepdims=True)
        return adapted

    def with_settings(self, settings: Any) -> AdaptedEngine:
        clone = object.__new__(AdaptedEngine)
        clone.__dict__.update(self.__dict__)
        clone.settings = settings
        return clone

    def semantic_scores(self, text: str, query_vector: np.ndarray | None = None) -> np.ndarray | None:
        index = self.semantic
        vector = self.adapt(index.embed_query(text)[None, :])[0]  # type: ignore[union-attr]
        rows = np.flatnonzero(~self._excluded_passages)  # type: ignore[operator]
        raw = article_scores(self.passages[rows] @ vector, index._owner[rows], len(index.article_ids))  # type: ignore[union-attr]
        where = self._semantic_position
        scores = np.where(where >= 0, raw[np.maximum(where, 0)], -1.0)  # type: ignore[operator]
        scores = np.where(np.isfinite(scores), scores, 0.0)
        return (scores + self.settings.answer_weight * answer_scores(self.answers, vector)).astype(np.float32)


def measure(engine: Any, name: str) -> None:
    """Thresholds chosen on dev (in sample and by bootstrap), then the blind set."""
    known = set(engine.knowledge.articles)
    dev = eval_answers.load_set(eval_answers.DEV, known)
    blind = eval_answers.load_set(eval_answers.BLIND, known)
    grid = [
        (round(float(answer), 3), margin, gap)
        for answer in np.arange(0.3, 1.9, 0.01)
        for margin in (0.0, 0.01, 0.02, 0.03, 0.05)
        for gap in (0.03, 0.06)
    ]
    value = {"right": 1, "safe": 0, "wrong": -1}

    def verdicts(questions: list[dict[str, Any]]) -> np.ndarray:
        out = np.zeros((len(grid), len(questions)), dtype=np.int8)
        for g, (answer, margin, gap) in enumerate(grid):
            settings = replace(
                engine.settings,
                answer_min_score=answer,
                answer_min_margin=margin,
                clarify_min_score=round(answer - gap, 3),
                topic_min_score=round(answer - gap, 3),
            )
            decided = engine.with_settings(settings)
            for i, q in enumerate(questions):
                out[g, i] = value[eval_answers.judge(decided.select(q["text"]), q["accept_parts"])]
        return out

    on_dev, on_blind = verdicts(dev), verdicts(blind)

    def choose(columns: np.ndarray, cap: float) -> int | None:
        wrong = (on_dev[:, columns] == -1).mean(1)
        allowed = np.flatnonzero(wrong <= cap)
        if not len(allowed):
            return None
        return int(allowed[np.argmax((on_dev[allowed][:, columns] == 1).mean(1))])

    for cap in (0.02, 0.03):
        g = choose(np.arange(len(dev)), cap)
        assert g is not None
        resample = np.random.RandomState(1)
        outside: list[tuple[float, float]] = []
        for _ in range(200):
            drawn = resample.randint(0, len(dev), len(dev))
            left = np.setdiff1d(np.arange(len(dev)), drawn)
            chosen = choose(drawn, cap)
            if chosen is not None:
                outside.append(((on_dev[chosen, left] == 1).mean(), (on_dev[chosen, left] == -1).mean()))
        oos = np.mean(outside, axis=0)
        print(
            f"{name:8} cap {cap:.0%}: dev {(on_dev[g] == 1).mean():.1%} / {(on_dev[g] == -1).mean():.1%}"
            f", out of sample {oos[0]:.1%} / {oos[1]:.1%}"
            f", blind {(on_blind[g] == 1).mean():.1%} / {(on_blind[g] == -1).mean():.1%}"
            f"  (strict / confident-wrong; thresholds {grid[g]})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--tau", type=float, default=0.05)
    parser.add_argument("--reg", type=float, default=0.1)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    engine = eval_answers.build_engine()
    weights = train(engine, args)
    adapted = object.__new__(AdaptedEngine)
    adapted.__dict__.update(engine.__dict__)
    adapted._signals = {}
    adapted.weights = weights
    adapted.passages = adapted.adapt(engine.semantic.passage_vectors())
    adapted.answers = adapted.adapt(engine._answer_matrix)
    measure(engine, "base")
    measure(adapted, "adapter")
    print(f"done in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
