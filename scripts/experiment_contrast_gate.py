"""Experiment, not shipped (ADR 0012): does the best score *against the question's own background* tell
a right best article from a wrong one better than the best score itself?

e5 cosines are crowded: some questions score high against every article, others low against all. If
that were what blurs "answerable" and "unanswerable", the best score minus the mean (or the median, or
the mean of the next twenty) of the question's scores over all articles, or its z-score, would
separate a right best article from a wrong one (or from a question no article answers) better than
the raw best score. This script prints, per signal, the area under the ROC curve for "the best
article is acceptable" on the single-part questions of a set (two-part questions are left out: the
engine scores their parts separately).

Usage::

    .venv/bin/python scripts/experiment_contrast_gate.py                 # the dev set (the choice)
    .venv/bin/python scripts/experiment_contrast_gate.py --set blind     # measured once, after choosing

The scores are the engine's own (semantic with the answer passages, plus the weighted lexical score),
as ``scripts/eval_answers.py`` builds the engine.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_answers  # noqa: E402
import numpy as np  # noqa: E402

Signal = Callable[[np.ndarray, np.ndarray], float]

# Each signal reads the question's scores over all articles (``scores``) and their order, best first.
SIGNALS: dict[str, Signal] = {
    "best score (shipped)": lambda s, o: float(s[o[0]]),
    "best - mean of all": lambda s, o: float(s[o[0]] - s.mean()),
    "best - median of all": lambda s, o: float(s[o[0]] - np.median(s)),
    "best - mean of ranks 2-21": lambda s, o: float(s[o[0]] - s[o[1:21]].mean()),
    "z-score of the best": lambda s, o: float((s[o[0]] - s.mean()) / max(float(s.std()), 1e-9)),
}


def auc(positive: list[float], negative: list[float]) -> float:
    """The probability that a random positive scores above a random negative (ties count half)."""
    pos = np.asarray(positive)[:, None]
    neg = np.asarray(negative)[None, :]
    return float((pos > neg).mean() + 0.5 * (pos == neg).mean())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", default="dev", help="dev (default) or blind")
    args = parser.parse_args()
    engine = eval_answers.build_engine()
    path = eval_answers.ROOT / "data" / "eval" / f"answers_{args.set}.yml"
    questions = eval_answers.load_set(path, set(engine.knowledge.articles))
    right: dict[str, list[float]] = {name: [] for name in SIGNALS}
    wrong: dict[str, list[float]] = {name: [] for name in SIGNALS}
    unanswerable = 0
    for question in questions:
        if len(question["accept_parts"]) != 1:
            continue
        semantic = engine.semantic_scores(question["text"])
        if semantic is None:
            raise SystemExit("the e5 model is needed: make setup")
        scores = semantic + engine.settings.lexical_weight * engine.lexical.score_vector(question["text"])
        order = np.argsort(-scores, kind="stable")
        accept = question["accept_parts"][0]
        bucket = right if engine.article_ids[order[0]] in accept else wrong
        unanswerable += not accept
        for name, signal in SIGNALS.items():
            bucket[name].append(signal(scores, order))
    first = next(iter(SIGNALS))
    print(
        f"{path.name}: {len(right[first])} single questions whose best article is acceptable, "
        f"{len(wrong[first])} whose best is not ({unanswerable} of them have no article)"
    )
    for name in SIGNALS:
        print(f"  {name:28s} AUC {auc(right[name], wrong[name]):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
