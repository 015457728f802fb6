"""NLU evaluation on the held-out split (never trained on): topic accuracy, out-of-scope recall,
confident wrong answers, a confusion matrix image, semantic-search retrieval and Rasa story tests.

Run: ``make eval-nlu``. Starts Rasa (model only, no actions needed) on a free loopback port and asks
``/model/parse`` for every held-out message, exactly as the gateway's redacted text would reach it.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.language import detect_language  # noqa: E402
from bot.runner import PROJECT_ROOT, free_port, model_path, rasa_bin, rasa_env, train_if_needed  # noqa: E402
from content.knowledge import KnowledgeBase  # noqa: E402
from content.semantic.search import load_default_index  # noqa: E402

FALLBACK = "(unsure)"  # DIET alone below the threshold: suggestions with no topic


# --- The pre-engine topic-level rule, kept here as a baseline --------------------------------------------
# Until issue 12 the action server answered when DIET was confident and the e5 search agreed on the topic.
# The answer engine (content/answering, measured by scripts/eval_answers.py) replaced it; this script still
# reports it beside "DIET only" so the NLU figures stay comparable with earlier rounds.
from collections.abc import Sequence as _Sequence  # noqa: E402
from dataclasses import dataclass as _dataclass  # noqa: E402
from typing import Literal as _Literal  # noqa: E402
from typing import Protocol as _Protocol  # noqa: E402

NO_SEARCH_TOPICS = frozenset({"smalltalk"})


class TopicHit(_Protocol):
    """A semantic search hit (``content.semantic.search.Hit``)."""

    article_id: str
    topic: str
    score: float


@_dataclass(frozen=True)
class Decision:
    """What the bot does with a message, and the topic it routes to."""

    action: _Literal["answer", "suggest"]
    topic: str
    reason: str


NO_SEARCH_TOPICS = frozenset({"smalltalk"})


def decide(
    intent_topic: str,
    confidence: float,
    hits: _Sequence[TopicHit] | None,
    answer_threshold: float,
    *,
    fallback: bool = False,
) -> Decision:
    """Answer when DIET is confident and the semantic search agrees on the topic; otherwise suggest.

    Args:
        intent_topic: the topic of Rasa's top intent.
        confidence: Rasa's confidence in that intent.
        hits: semantic search hits, best first (None or empty when the search is unavailable).
        answer_threshold: the confidence below which the bot never answers.
        fallback: True when Rasa itself predicted ``nlu_fallback``.
    """
    semantic_topic = hits[0].topic if hits else None
    if fallback or confidence < answer_threshold:
        return Decision("suggest", semantic_topic or intent_topic, "low_confidence")
    if intent_topic in NO_SEARCH_TOPICS or semantic_topic is None:
        return Decision("answer", intent_topic, "confident")
    if semantic_topic == intent_topic:
        return Decision("answer", intent_topic, "confident_and_agreed")
    return Decision("suggest", semantic_topic, "semantic_disagrees")


def load_heldout(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """(text, expected intent) pairs and the vague messages that should get a clarifying question."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = [(str(t), intent) for intent, texts in (raw.get("intents") or {}).items() for t in texts]
    return pairs, [str(t) for t in raw.get("clarify") or []]


def start_rasa(port: int, token: str, log: Path) -> subprocess.Popen[bytes]:
    """Rasa with the trained model and its HTTP API on loopback."""
    cmd = [
        str(rasa_bin()),
        "run",
        "--enable-api",
        "--auth-token",
        token,
        "-i",
        "127.0.0.1",
        "-p",
        str(port),
        "-m",
        str(model_path()),
    ]
    return subprocess.Popen(
        cmd, cwd=PROJECT_ROOT, env=rasa_env(), stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


def wait_ready(url: str, token: str, proc: subprocess.Popen[bytes], timeout: float = 400) -> None:
    """Block until Rasa answers ``/status`` with a model."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit("Rasa stopped while starting")
        try:
            if httpx.get(f"{url}/status", params={"token": token}, timeout=3).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise SystemExit("Rasa did not start in time")


def confusion_png(labels: list[str], counts: Counter[tuple[str, str]], out: Path) -> None:
    """Save the topic confusion matrix (rows: expected, columns: predicted) as a PNG heat map."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matrix = [[counts[(e, p)] for p in labels] for e in labels]
    fig, ax = plt.subplots(figsize=(11, 9))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            if value:
                ax.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if value > max(map(max, matrix)) / 2 else "black",
                )
    ax.set_xlabel("predicted topic")
    ax.set_ylabel("expected topic")
    ax.set_title("Kommunsvar NLU, held-out split: topic confusion")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def report(
    name: str,
    results: list[tuple[str, str, str | None, float]],
    rule: Callable[[tuple[str, str, str | None, float]], Decision],
    topic: Callable[[str | None], str],
    threshold: float,
) -> dict[str, object]:
    """Print and return the figures of one decision rule.

    Topic accuracy counts the topic the bot routes to (the answer's topic, or the first suggestion's);
    a confident wrong answer is an answer (not a suggestion) from the wrong topic; out-of-scope recall is
    the share of out-of-scope messages that get no municipal-service answer.
    """
    scored = [r for r in results if r[1] != "(clarify)"]
    decisions = [(r, rule(r)) for r in scored]
    correct = sum(d.topic == topic(r[1]) for r, d in decisions)
    answered = [(r, d) for r, d in decisions if d.action == "answer"]
    answered_right = sum(d.topic == topic(r[1]) for r, d in answered)
    confident_wrong = [(r, d) for r, d in answered if d.topic != topic(r[1])]
    oos = [(r, d) for r, d in decisions if topic(r[1]) == "out_of_scope"]
    oos_ok = sum(d.action == "suggest" or d.topic == "out_of_scope" for r, d in oos)
    clarify = [r for r in results if r[1] == "(clarify)"]
    clarify_ok = sum(rule(r).action == "suggest" or rule(r).topic == "smalltalk" for r in clarify)
    figures = {
        "messages": len(scored),
        "top1_topic_accuracy": round(correct / len(scored), 4),
        "answered_share": round(len(answered) / len(scored), 4),
        "answered_and_right_share": round(answered_right / len(scored), 4),
        "out_of_scope_recall": round(oos_ok / max(len(oos), 1), 4),
        "confident_wrong_share": round(len(confident_wrong) / len(scored), 4),
        "clarify_handled": f"{clarify_ok}/{len(clarify)}",
        "threshold": threshold,
    }
    print(f"\n{name} — {len(scored)} held-out messages, answer threshold {threshold}")
    print(f"  top-1 topic accuracy     {figures['top1_topic_accuracy']:.1%}   (target >= 93 %)")
    print(f"  out-of-scope recall      {figures['out_of_scope_recall']:.1%}   (target >= 90 %)")
    print(f"  confident wrong answers  {figures['confident_wrong_share']:.1%}   (target <= 3 %)")
    answered, right = figures["answered_share"], figures["answered_and_right_share"]
    print(f"  answered directly        {answered:.1%} (right: {right:.1%}); the rest: suggestions + a person")
    print(f"  vague messages handled   {figures['clarify_handled']} (suggestions or a smalltalk reply)")
    per_topic: dict[str, list[int]] = {}
    for r, d in decisions:
        cell = per_topic.setdefault(topic(r[1]), [0, 0])
        cell[0] += d.topic == topic(r[1])
        cell[1] += 1
    print("  per topic: " + ", ".join(f"{t} {c}/{n}" for t, (c, n) in sorted(per_topic.items())))
    for r, d in confident_wrong[:8]:
        print(f"    confident wrong: {r[0]!r}: expected {r[1]}, answered {d.topic} ({r[3]:.2f})")
    return figures


def predict(messages: list[tuple[str, str]], out: Path) -> list[dict[str, Any]]:
    """Rasa's top intent (without ``nlu_fallback``) and the semantic hits for every message."""
    port, token = free_port(), secrets.token_urlsafe(16)
    url = f"http://127.0.0.1:{port}"
    proc = start_rasa(port, token, out / "rasa.log")
    results = []
    try:
        print("starting Rasa …", flush=True)
        wait_ready(url, token, proc)
        with httpx.Client(timeout=30) as client:
            for i, (text, expected) in enumerate(messages):
                parse = client.post(f"{url}/model/parse", params={"token": token}, json={"text": text}).json()
                ranking = [r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
                top = ranking[0] if ranking else {"name": None, "confidence": 0.0}
                results.append((text, expected, top["name"], float(top["confidence"])))
                if (i + 1) % 100 == 0:
                    print(f"  parsed {i + 1}/{len(messages)}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print("semantic search for every message …", flush=True)
    index = load_default_index()
    return [
        {
            "text": text,
            "expected": expected,
            "intent": intent,
            "confidence": conf,
            "semantic": [vars(h) for h in index.search(text, k=3, language=detect_language(text))],
        }
        for text, expected, intent, conf in results
    ]


def main() -> int:
    """Run the evaluation and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heldout", type=Path, default=PROJECT_ROOT / "data/eval/nlu_heldout.yml")
    parser.add_argument("--threshold", type=float, default=0.6, help="answer threshold (FallbackClassifier)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "var/eval")
    parser.add_argument("--skip-semantic", action="store_true", help="skip the semantic retrieval report")
    parser.add_argument("--skip-stories", action="store_true", help="skip the Rasa conversation tests")
    parser.add_argument("--reuse", action="store_true", help="score the saved predictions again (no Rasa)")
    args = parser.parse_args()
    train_if_needed()
    kb = KnowledgeBase.load(PROJECT_ROOT / "data")
    pairs, clarify = load_heldout(args.heldout)
    args.out.mkdir(parents=True, exist_ok=True)
    predictions = args.out / "nlu_predictions.json"
    if args.reuse and predictions.exists():
        rows = json.loads(predictions.read_text())
        print(f"reusing {predictions} (Rasa and the semantic search are not asked again)")
    else:
        rows = predict(pairs + [(t, "(clarify)") for t in clarify], args.out)
        predictions.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    results = [(r["text"], r["expected"], r["intent"], float(r["confidence"])) for r in rows]
    hits = {r["text"]: [SimpleNamespace(**h) for h in r["semantic"]] for r in rows}
    topic = kb.topic_of_intent

    def diet_only(r: tuple[str, str, str | None, float]) -> Decision:
        if r[3] < args.threshold:
            return Decision("suggest", FALLBACK, "low_confidence")
        return Decision("answer", topic(r[2]), "confident")

    def shipped(r: tuple[str, str, str | None, float]) -> Decision:
        return decide(topic(r[2]), r[3], hits[r[0]], args.threshold)

    summaries = {}
    for name, rule in (("Rasa DIET alone", diet_only), ("shipped: DIET checked by e5 search", shipped)):
        summaries[name] = report(name, results, rule, topic, args.threshold)
    scored = [r for r in results if r[1] != "(clarify)"]
    labels = sorted({topic(r[1]) for r in scored})
    counts = Counter((topic(r[1]), shipped(r).topic) for r in scored)
    png = args.out / "nlu_confusion.png"
    confusion_png(labels + sorted({p for _, p in counts} - set(labels)), counts, png)
    print(f"\nconfusion matrix (shipped rule, routed topic): {png}")
    (args.out / "nlu_eval.json").write_text(json.dumps(summaries, indent=2))

    if not args.skip_semantic:
        print("\nSemantic search (e5-small) on the same held-out questions:", flush=True)
        subprocess.run(
            [sys.executable, "-m", "content.semantic.build.evaluate", "--questions", str(args.heldout)],
            cwd=PROJECT_ROOT,
            check=False,
        )
    if not args.skip_stories:
        print("\nRasa conversation tests (tests/rasa/test_stories.yml):", flush=True)
        story_out = args.out / "rasa-core"
        done = subprocess.run(
            [
                str(rasa_bin()),
                "test",
                "core",
                "--stories",
                "tests/rasa/test_stories.yml",
                "-m",
                str(model_path()),
                "--out",
                str(story_out),
            ],
            cwd=PROJECT_ROOT,
            env=rasa_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        report_file = story_out / "story_report.json"
        if report_file.exists():
            data = json.loads(report_file.read_text())
            conv = data.get("conversation_accuracy", {})
            print(
                f"  stories correct: {conv.get('correct')}/{conv.get('total')} "
                f"(action accuracy {data.get('accuracy', data.get('weighted avg', {}).get('f1-score'))})"
            )
        else:
            print("  rasa test core wrote no report; its output ends with:\n" + done.stdout[-1500:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
