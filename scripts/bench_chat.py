"""The governance layer's cost: p50/p95 of POST /api/chat vs Rasa's REST webhook directly.

Starts the real stack on free loopback ports, sends Swedish questions alternately through the gateway
(normalise, redact, safety check, Rasa with the turn's events, output guard, audit) and straight to
Rasa's webhook, and prints both latency distributions, their ratio and the memory (RSS) of each process.

Two modes, one after the other:

* *repeated*: the same 15 questions over and over, as in earlier notes. The action server keeps the last
  query vectors, so after the first round no turn on either path embeds its question.
* *new*: questions from the read answer sets, none sent twice on one path and none close enough to its
  other use to find a cached vector. Every turn embeds its question, as a citizen's new question does;
  this is the figure issue 15's ratio is about.

Run: ``make bench`` (or ``.venv/bin/python scripts/bench_chat.py --turns 120``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eval_answers import READ_SETS  # noqa: E402  (the read answer sets: dev and blind 1, never blind 2)

from bot.runner import Stack, StackConfig, rss_mb, train_if_needed  # noqa: E402
from content.semantic.search import QUERY_CACHE_SIZE  # noqa: E402

QUESTIONS = [
    "När hämtas soporna?",
    "Behöver jag bygglov för en altan?",
    "Hur söker jag förskoleplats?",
    "Hur byter jag skola för mitt barn?",
    "Hur får jag boendeparkering?",
    "Hur ansöker jag om hemtjänst till min mamma?",
    "Vad är ekonomiskt bistånd?",
    "Hur får jag ett lånekort?",
    "Gatlampan utanför huset är trasig",
    "Det läcker vatten på gatan",
    "Jag vill lämna ett klagomål",
    "Hur överklagar jag ett beslut?",
    "När har kontaktcenter öppet?",
    "hej",
    "tack för hjälpen",
]


def percentile(values: list[float], q: float) -> float:
    """The q-quantile (0–1) of ``values`` by linear interpolation."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def stage_breakdown(log_file: Path, offset: int) -> dict[str, float]:
    """Median wall time (ms) per stage of the gateway's ``chat_turn`` log lines written after ``offset``."""
    stages: dict[str, list[float]] = {}
    with log_file.open("rb") as handle:
        handle.seek(offset)
        for raw in handle:
            try:
                line = json.loads(raw)
            except ValueError:
                continue
            if line.get("message") != "chat_turn" and line.get("event") != "chat_turn":
                continue
            for stage, ms in (line.get("latency_ms") or {}).items():
                if isinstance(ms, int | float):
                    stages.setdefault(stage, []).append(float(ms))
    return {stage: statistics.median(values) for stage, values in stages.items()}


def read_set_questions(seed: int = 7) -> list[str]:
    """The distinct questions of the read answer sets (dev and blind 1), in a fixed shuffled order."""
    texts: list[str] = []
    for path in READ_SETS:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts.extend(str(item["text"]) for item in raw.get("questions") or [])
    unique = sorted(set(texts))
    random.Random(seed).shuffle(unique)
    return unique


def new_question_pairs(pairs: int, seed: int = 7) -> list[tuple[str, str]]:
    """``pairs`` (gateway, webhook) questions from the read answer sets, none asked twice on one path.

    The first half of the pairs gives the gateway one question and the webhook another; the second half
    swaps them, so both paths answer the same questions in all. Between a question's two uses more turns
    pass than the action server keeps query vectors (``QUERY_CACHE_SIZE``), so neither path finds the
    other's vector: every turn pays the embedding, as a citizen's new question does.
    """
    unique = read_set_questions(seed)
    half = pairs // 2
    if 2 * half > len(unique) or 2 * half <= QUERY_CACHE_SIZE:
        raise SystemExit(f"--turns must be between {QUERY_CACHE_SIZE + 2} and {len(unique)}")
    first = [(unique[2 * i], unique[2 * i + 1]) for i in range(half)]
    return first + [(webhook, gateway) for gateway, webhook in first]


def measure(
    client: httpx.Client, gateway_url: str, rasa_url: str, pairs: list[tuple[str, str]], tag: str
) -> tuple[list[float], list[float]]:
    """Send each pair alternately through the gateway and to Rasa's webhook; the latencies in ms."""
    gateway_ms: list[float] = []
    rasa_ms: list[float] = []
    conversation = None
    for turn, (to_gateway, to_rasa) in enumerate(pairs):
        if turn % 10 == 0:
            conversation = None  # a new conversation every ten turns, as on a website
        started = time.perf_counter()
        response = client.post(
            f"{gateway_url}/api/chat", json={"conversation_id": conversation, "text": to_gateway}
        )
        gateway_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"/api/chat answered {response.status_code} to a benchmark question")
        conversation = response.json()["conversation_id"]
        started = time.perf_counter()
        client.post(rasa_url, json={"sender": f"{tag}{turn // 10}", "message": to_rasa})
        rasa_ms.append((time.perf_counter() - started) * 1000)
        if (turn + 1) % 40 == 0:
            print(f"  {tag}: {turn + 1}/{len(pairs)} turns", flush=True)
    return gateway_ms, rasa_ms


def report(title: str, gateway_ms: list[float], rasa_ms: list[float]) -> None:
    """Print both distributions and their ratio."""
    g50, g95 = percentile(gateway_ms, 0.5), percentile(gateway_ms, 0.95)
    r50, r95 = percentile(rasa_ms, 0.5), percentile(rasa_ms, 0.95)
    g_mean, r_mean = statistics.mean(gateway_ms), statistics.mean(rasa_ms)
    print(f"\n{title}: {len(gateway_ms)} turns per path (sequential, alternating)")
    print(f"POST /api/chat       p50 {g50:7.1f} ms   p95 {g95:7.1f} ms   mean {g_mean:7.1f} ms")
    print(f"Rasa REST webhook    p50 {r50:7.1f} ms   p95 {r95:7.1f} ms   mean {r_mean:7.1f} ms")
    print(f"ratio gateway/Rasa   p50 {g50 / r50:5.2f}       p95 {g95 / r95:5.2f}   (target <= 1.15)")


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=120, help="turns per path and mode (default 120)")
    args = parser.parse_args()
    repeated = [(QUESTIONS[t % len(QUESTIONS)], QUESTIONS[t % len(QUESTIONS)]) for t in range(args.turns)]
    new = new_question_pairs(args.turns)
    train_if_needed()
    with tempfile.TemporaryDirectory(prefix="kommunsvar-bench-") as tmp:
        config = StackConfig.on_free_ports(
            Path(tmp),
            extra_env={"KOMMUNSVAR_RATE_LIMIT_ENABLED": "false"},  # a load test, not a citizen
        )
        stack = Stack(config)
        print("starting the stack …", flush=True)
        stack.start()
        try:
            stack.wait_healthy(timeout=400, progress=False)
            rasa_url = f"http://{config.host}:{config.rasa_port}/webhooks/rest/webhook"
            with httpx.Client(timeout=60) as client:
                for warm in range(5):  # warm-up, not measured
                    client.post(f"{stack.gateway_url}/api/chat", json={"text": QUESTIONS[warm]})
                    client.post(rasa_url, json={"sender": f"warm{warm}", "message": QUESTIONS[warm]})
                gateway_log = config.var_dir / "log" / "gateway.log"
                results: dict[str, tuple[list[float], list[float]]] = {}
                stages: dict[str, dict[str, float]] = {}
                for mode, pairs in (("repeated", repeated), ("new", new)):
                    offset = gateway_log.stat().st_size if gateway_log.exists() else 0
                    results[mode] = measure(client, stack.gateway_url, rasa_url, pairs, mode)
                    stages[mode] = stage_breakdown(gateway_log, offset) if gateway_log.exists() else {}
            memory = {name: rss_mb(proc.pid) for name, proc in stack.processes.items()}
        finally:
            stack.stop()
    titles = {
        "repeated": f"the same {len(QUESTIONS)} questions over and over (query vectors cached)",
        "new": "new questions from the read answer sets (every turn embeds its question)",
    }
    for mode, title in titles.items():
        report(title, *results[mode])
        if stages[mode]:
            print("gateway stages, median ms: " + ", ".join(f"{k} {v:.1f}" for k, v in stages[mode].items()))
    print("RSS after the run: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items()))
    print(f"stack RSS: {sum(memory.values()):.0f} MB (target <= 2000)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
