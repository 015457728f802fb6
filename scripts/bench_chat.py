"""The governance layer's cost: p50/p95 of POST /api/chat vs Rasa's REST webhook directly.

Starts the real stack on free loopback ports, sends the same Swedish questions alternately through the
gateway (normalise, redact, safety check, Rasa with the turn's events, output guard, audit) and straight
to Rasa's webhook, and prints both latency distributions, their ratio and the memory (RSS) of each
process.

Run: ``make bench`` (or ``.venv/bin/python scripts/bench_chat.py --turns 120``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.runner import Stack, StackConfig, rss_mb, train_if_needed  # noqa: E402

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


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=120, help="turns per path (default 120)")
    args = parser.parse_args()
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
            gateway_ms: list[float] = []
            rasa_ms: list[float] = []
            rasa_url = f"http://{config.host}:{config.rasa_port}/webhooks/rest/webhook"
            with httpx.Client(timeout=60) as client:
                for warm in range(5):  # warm-up, not measured
                    client.post(f"{stack.gateway_url}/api/chat", json={"text": QUESTIONS[warm]})
                    client.post(rasa_url, json={"sender": f"warm{warm}", "message": QUESTIONS[warm]})
                conversation = None
                for turn in range(args.turns):
                    question = QUESTIONS[turn % len(QUESTIONS)]
                    if turn % 10 == 0:
                        conversation = None  # a new conversation every ten turns, as on a website
                    started = time.perf_counter()
                    body = client.post(
                        f"{stack.gateway_url}/api/chat",
                        json={"conversation_id": conversation, "text": question},
                    ).json()
                    gateway_ms.append((time.perf_counter() - started) * 1000)
                    conversation = body["conversation_id"]
                    started = time.perf_counter()
                    client.post(rasa_url, json={"sender": f"bench{turn // 10}", "message": question})
                    rasa_ms.append((time.perf_counter() - started) * 1000)
                    if (turn + 1) % 20 == 0:
                        print(f"  {turn + 1}/{args.turns} turns", flush=True)
            memory = {name: rss_mb(proc.pid) for name, proc in stack.processes.items()}
        finally:
            stack.stop()
    g50, g95 = percentile(gateway_ms, 0.5), percentile(gateway_ms, 0.95)
    r50, r95 = percentile(rasa_ms, 0.5), percentile(rasa_ms, 0.95)
    print(f"\nturns per path: {args.turns} (sequential, alternating)")
    g_mean, r_mean = statistics.mean(gateway_ms), statistics.mean(rasa_ms)
    print(f"POST /api/chat       p50 {g50:7.1f} ms   p95 {g95:7.1f} ms   mean {g_mean:7.1f} ms")
    print(f"Rasa REST webhook    p50 {r50:7.1f} ms   p95 {r95:7.1f} ms   mean {r_mean:7.1f} ms")
    print(f"ratio gateway/Rasa   p50 {g50 / r50:5.2f}       p95 {g95 / r95:5.2f}   (target <= 1.15)")
    print("RSS after the run: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
