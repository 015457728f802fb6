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
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.knowledge import KnowledgeBase  # noqa: E402
from bot.runner import PROJECT_ROOT, free_port, model_path, rasa_bin, rasa_env, train_if_needed  # noqa: E402

FALLBACK = "(unsure)"


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


def main() -> int:
    """Run the evaluation and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--heldout", type=Path, default=PROJECT_ROOT / "data/eval/nlu_heldout.yml")
    parser.add_argument("--threshold", type=float, default=0.6, help="answer threshold (FallbackClassifier)")
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "var/eval")
    parser.add_argument("--skip-semantic", action="store_true")
    parser.add_argument("--skip-stories", action="store_true")
    args = parser.parse_args()
    train_if_needed()
    kb = KnowledgeBase.load(PROJECT_ROOT / "data")
    pairs, clarify = load_heldout(args.heldout)
    args.out.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_urlsafe(16)
    url = f"http://127.0.0.1:{port}"
    proc = start_rasa(port, token, args.out / "rasa.log")
    results = []
    try:
        print("starting Rasa …", flush=True)
        wait_ready(url, token, proc)
        with httpx.Client(timeout=30) as client:
            for i, (text, expected) in enumerate(pairs + [(t, "(clarify)") for t in clarify]):
                parse = client.post(f"{url}/model/parse", params={"token": token}, json={"text": text}).json()
                ranking = [r for r in parse.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
                top = ranking[0] if ranking else {"name": None, "confidence": 0.0}
                results.append((text, expected, top["name"], float(top["confidence"])))
                if (i + 1) % 100 == 0:
                    print(f"  parsed {i + 1}/{len(pairs) + len(clarify)}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    scored = [r for r in results if r[1] != "(clarify)"]
    confident = [r for r in scored if r[3] >= args.threshold]
    topic = kb.topic_of_intent

    def predicted_topic(r: tuple[str, str, str | None, float]) -> str:
        return topic(r[2]) if r[3] >= args.threshold else FALLBACK

    correct = sum(predicted_topic(r) == topic(r[1]) for r in scored)
    oos = [r for r in scored if topic(r[1]) == "out_of_scope"]
    oos_kept_out = sum(predicted_topic(r) in ("out_of_scope", FALLBACK) for r in oos)
    confident_wrong = sum(topic(r[2]) != topic(r[1]) for r in confident)
    unsure = len(scored) - len(confident)
    clarify_rows = [r for r in results if r[1] == "(clarify)"]
    clarify_ok = sum(
        r[3] < args.threshold or topic(r[2]) in ("smalltalk", "out_of_scope") for r in clarify_rows
    )

    labels = sorted({topic(r[1]) for r in scored}) + [FALLBACK]
    counts = Counter((topic(r[1]), predicted_topic(r)) for r in scored)
    png = args.out / "nlu_confusion.png"
    confusion_png(labels, counts, png)
    per_topic = {
        t: (
            sum(predicted_topic(r) == t for r in scored if topic(r[1]) == t),
            sum(topic(r[1]) == t for r in scored),
        )
        for t in labels[:-1]
    }
    summary = {
        "messages": len(scored),
        "top1_topic_accuracy": round(correct / len(scored), 4),
        "out_of_scope_recall": round(oos_kept_out / max(len(oos), 1), 4),
        "confident_wrong_share": round(confident_wrong / len(scored), 4),
        "unsure_share": round(unsure / len(scored), 4),
        "clarify_handled": f"{clarify_ok}/{len(clarify_rows)}",
        "threshold": args.threshold,
    }
    print(
        f"\nHeld-out split: {len(scored)} messages ({args.heldout.relative_to(PROJECT_ROOT)}), "
        f"answer threshold {args.threshold}"
    )
    print(
        f"  top-1 topic accuracy     {summary['top1_topic_accuracy']:.1%}   (target >= 93 %; unsure counts as wrong)"
    )
    print(
        f"  out-of-scope recall      {summary['out_of_scope_recall']:.1%}   (target >= 90 %; OOS or unsure)"
    )
    print(f"  confident wrong answers  {summary['confident_wrong_share']:.1%}   (target <= 3 %)")
    print(f"  unsure (fallback) share  {summary['unsure_share']:.1%}")
    print(f"  vague messages handled   {summary['clarify_handled']} (clarifying question or smalltalk)")
    print("  per topic (correct/total): " + ", ".join(f"{t} {c}/{n}" for t, (c, n) in per_topic.items()))
    print(f"  confusion matrix: {png}")
    wrong = [r for r in confident if topic(r[2]) != topic(r[1])]
    for text, expected, got, conf in wrong[:15]:
        print(f"    confident wrong: {text!r}: expected {expected}, got {got} ({conf:.2f})")
    (args.out / "nlu_eval.json").write_text(json.dumps(summary, indent=2))

    if not args.skip_semantic:
        print("\nSemantic search (e5-small) on the same held-out questions:", flush=True)
        subprocess.run(
            [sys.executable, "-m", "bot.semantic.evaluate", "--questions", str(args.heldout)],
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
        report = story_out / "story_report.json"
        if report.exists():
            data = json.loads(report.read_text())
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
