"""Experiment (ADR 0012): does a cross-encoder trained here tell right answers from wrong ones better?

Usage::

    .venv/bin/python scripts/experiment_cross_encoder.py

Nothing here ships. The script reproduces the measurement recorded in ADR 0012 (2026-12-05):

1. **Training pairs from the content only.** Every answerable article's example questions (Swedish and
   English) are paired with the article (its Swedish title and answer: label 1) and with three
   others (label 0): the two the shipped engine ranks best for the question, and one at random.
2. **The cross-encoder.** The multilingual e5-small weights the stack already has (``models/e5-small``),
   read as one text "query: … passage: …", mean-pooled (as e5 was trained; a head on the [CLS] token
   did not learn), with a linear head; binary cross-entropy, AdamW, half an epoch at 96 tokens.
3. **Decision rules** over the engine's three best candidates, chosen on the dev set with
   confident-wrong at most 2 %, checked out of sample with bootstrap resamples of the dev set (chosen on
   the resample, measured on the questions it left out), and measured once on the blind set:
   ``base`` (the shipped score and margin), ``gate`` (the engine's best, answered only when the
   cross-encoder agrees) and ``rerank`` (the engine's score plus the cross-encoder's).

Answers are judged by ``eval_answers.judge``, but the rules decide on the whole message: a two-part
question is not split as the engine splits it, so compare the rules with each other here, not with
``make eval-answers``.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "2")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import eval_answers  # noqa: E402
import numpy as np  # noqa: E402

from content.answering.engine import Selection  # noqa: E402

E5 = ROOT / "models" / "e5-small"
Row = dict[str, Any]
Rule = Callable[[Row], str | None]


def prepare(seed: int) -> dict[str, Any]:
    """Training pairs from the articles' own questions, and the dev and blind sets' candidates."""
    engine = eval_answers.build_engine()
    rng = random.Random(seed)
    texts = {a.id: f"{a.title['sv']}. {a.text('sv')}" for a in engine.articles}
    ids = sorted(texts)
    pairs = []
    for article in engine.articles:
        for questions in article.example_questions.values():
            for question in questions:
                hard = [c.article_id for c in engine.rank(question) if c.article_id != article.id][:2]
                other = rng.choice([i for i in ids if i != article.id and i not in hard])
                pairs.append((question, article.id, 1.0))
                pairs.extend((question, negative, 0.0) for negative in (*hard, other))
    known = set(engine.knowledge.articles)
    sets = {}
    for name, path in (("dev", eval_answers.DEV), ("blind", eval_answers.BLIND)):
        sets[name] = [
            {
                "text": q["text"],
                "accept_parts": q["accept_parts"],
                "cands": [[c.article_id, c.score] for c in engine.rank(q["text"])[:3]],
            }
            for q in eval_answers.load_set(path, known)
        ]
    return {"pairs": pairs, "texts": texts, "sets": sets}


def _model() -> Any:
    import torch
    from transformers import AutoModel

    class CrossEncoder(torch.nn.Module):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(E5))
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, **batch: Any) -> Any:
            hidden = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            return self.head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)

    return CrossEncoder()


def train(data: dict[str, Any], epochs: float, max_tokens: int, seed: int) -> Any:
    """The cross-encoder trained on ``data['pairs']`` (progress printed every 25 steps)."""
    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(E5))
    model = _model()
    for name, parameter in model.named_parameters():
        if "word_embeddings" in name:  # 250,000 rows: frozen, the rest learns
            parameter.requires_grad = False
    pairs = list(data["pairs"])
    random.Random(seed).shuffle(pairs)
    batch_size = 16
    steps = int(len(pairs) / batch_size * epochs)
    optimiser = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=1e-4, weight_decay=0.01
    )
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / steps)
    )
    model.train()
    started, running = time.time(), None
    for step in range(steps):
        batch = pairs[(step * batch_size) % len(pairs) :][:batch_size]
        encoded = _encode(
            tokenizer, [q for q, _, _ in batch], [data["texts"][a] for _, a, _ in batch], max_tokens
        )
        target = torch.tensor([label for _, _, label in batch])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(**encoded), target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        if step % 25 == 0 or step == steps - 1:
            print(f"  step {step + 1}/{steps}  loss {running:.3f}  {time.time() - started:.0f} s", flush=True)
    return model.eval(), tokenizer


def _encode(tokenizer: Any, questions: list[str], passages: list[str], max_tokens: int) -> Any:
    return tokenizer(
        [f"query: {q}" for q in questions],
        [f"passage: {p}" for p in passages],
        truncation="only_second",
        max_length=max_tokens,
        padding=True,
        return_tensors="pt",
    )


def score(model: Any, tokenizer: Any, data: dict[str, Any], max_tokens: int) -> float:
    """Add the cross-encoder's logit of every candidate; return milliseconds per question."""
    import torch

    started, count = time.perf_counter(), 0
    with torch.no_grad():
        for rows in data["sets"].values():
            for row in rows:
                passages = [data["texts"][a] for a, _ in row["cands"]]
                encoded = _encode(tokenizer, [row["text"]] * len(passages), passages, max_tokens)
                row["ce"] = model(**encoded).tolist()
                count += 1
    return (time.perf_counter() - started) * 1000 / max(count, 1)


def rules() -> dict[str, tuple[list[tuple[float, ...]], Callable[[tuple[float, ...]], Rule]]]:
    """Each rule's parameter grid and how a parameter point decides a row."""

    def base(p: tuple[float, ...]) -> Rule:
        low, margin = p
        return lambda r: (
            r["cands"][0][0]
            if r["cands"][0][1] >= low and r["cands"][0][1] - r["cands"][1][1] >= margin
            else None
        )

    def gate(p: tuple[float, ...]) -> Rule:
        low, least, agree = p  # agree: the cross-encoder must also rank the engine's best first

        def decide(r: Row) -> str | None:
            ce = r["ce"]
            ok = r["cands"][0][1] >= low and ce[0] >= least and (not agree or ce[0] >= max(ce))
            return str(r["cands"][0][0]) if ok else None

        return decide

    def rerank(p: tuple[float, ...]) -> Rule:
        low, least, weight = p

        def decide(r: Row) -> str | None:
            combined = [c[1] + weight * ce for c, ce in zip(r["cands"], r["ce"], strict=True)]
            best = int(np.argmax(combined))
            ok = r["cands"][best][1] >= low and r["ce"][best] >= least
            return str(r["cands"][best][0]) if ok else None

        return decide

    lows = [round(float(x), 2) for x in np.arange(1.30, 1.70, 0.02)]
    logits = [round(float(x), 2) for x in np.arange(-4, 6, 0.5)]
    return {
        "base": ([(lo, m) for lo in lows for m in (0.0, 0.01, 0.02, 0.03, 0.05)], base),
        "gate": ([(lo, t, a) for lo in lows for t in logits for a in (0, 1)], gate),
        "rerank": ([(lo, t, w) for lo in lows for t in logits for w in (0.01, 0.03, 0.1)], rerank),
    }


@functools.cache
def _selection(answer: str | None) -> Selection:
    """What a rule decided, as the engine says it (judged by ``eval_answers.judge``)."""
    return Selection("answer", (answer,)) if answer is not None else Selection("abstain")


def measure(rows: list[Row], rule: Rule) -> tuple[float, float]:
    verdicts = [eval_answers.judge(_selection(rule(r)), r["accept_parts"]) for r in rows]
    return verdicts.count("right") / len(verdicts), verdicts.count("wrong") / len(verdicts)


def choose(rows: list[Row], grid: list[tuple[float, ...]], make: Callable[..., Rule], cap: float) -> Any:
    best = None
    for point in grid:
        right, wrong = measure(rows, make(point))
        if wrong <= cap and (best is None or right > best[0]):
            best = (right, wrong, point)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=float, default=0.5)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--resamples", type=int, default=60)
    parser.add_argument("--cap", type=float, default=0.02, help="confident-wrong allowed on dev")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("1/3 training pairs from the articles' questions …", flush=True)
    data = prepare(args.seed)
    print(f"    {len(data['pairs'])} pairs", flush=True)
    print("2/3 training the cross-encoder …", flush=True)
    model, tokenizer = train(data, args.epochs, args.max_tokens, args.seed)
    per_question = score(model, tokenizer, data, args.max_tokens)
    print(f"    scoring three candidates: {per_question:.0f} ms per question", flush=True)
    print(
        f"3/3 rules chosen on dev (confident-wrong <= {args.cap:.0%}), {args.resamples} resamples", flush=True
    )
    dev, blind = data["sets"]["dev"], data["sets"]["blind"]
    rng = random.Random(args.seed)
    for name, (grid, make) in rules().items():
        right, wrong, point = choose(dev, grid, make, args.cap)
        outside = []
        for _ in range(args.resamples):
            picked = [rng.randrange(len(dev)) for _ in dev]
            left_out = [dev[i] for i in sorted(set(range(len(dev))) - set(picked))]
            chosen = choose([dev[i] for i in picked], grid, make, args.cap)
            if chosen is not None and left_out:
                outside.append(measure(left_out, make(chosen[2])))
        oos = np.mean(outside, axis=0) if outside else (float("nan"), float("nan"))
        blind_right, blind_wrong = measure(blind, make(point))
        print(
            f"  {name:<7} dev {right:6.1%} / {wrong:4.1%}  out of sample {oos[0]:6.1%} / {oos[1]:4.1%}  "
            f"blind {blind_right:6.1%} / {blind_wrong:4.1%}  (strict / confident-wrong; {point})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
