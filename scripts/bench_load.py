"""Closed-loop load: N conversations at once, each sending its next turn as soon as the last is answered.

Starts the real stack (embedded profile: SQLite, one process of each) on free loopback ports, then for
each concurrency level runs, for a bounded time, the same Swedish questions

* through ``POST /api/chat`` (a reply counts only with status 200, messages and an ``audit_id``), and
* straight to Rasa's REST webhook (status 200 and a list), the baseline the gateway is compared with,

and prints turns/s, p50/p95/p99 latency and errors for each, the throughput ratio and the memory of
each process. Run: ``make bench-load`` (``ARGS="--concurrency 20 --seconds 30"`` to change it).

The questions (``--questions``):

* *new* (the default): the distinct questions of the read answer sets, taken in turn by all workers, so
  a question comes back only after some 350 others: no turn finds its query vector in the action
  server's cache, and every turn embeds its question, as a citizen's new question does.
* *repeated*: the same 12 questions over and over, as in the notes before 2026-12-06 (after the first
  round, no turn embeds).

Both paths of a level take the same questions in the same order.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_chat import percentile, read_set_questions, stage_breakdown  # noqa: E402

from bot.runner import (  # noqa: E402
    Stack,
    StackConfig,
    cpu_seconds,
    prepare_cluster_services,
    rss_mb,
    train_if_needed,
)
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
    "Jag vill lämna ett klagomål",
    "När har kontaktcenter öppet?",
    "tack för hjälpen",
]
TURNS_PER_CONVERSATION = 10  # then the worker starts a new conversation, as visitors come and go


class QuestionDeck:
    """The questions of one run, taken in turn by all its workers (a question comes back only after
    every other one has been asked)."""

    def __init__(self, questions: list[str], start: int = 0) -> None:
        self.questions = questions
        self.taken = start

    def take(self) -> str:
        question = self.questions[self.taken % len(self.questions)]
        self.taken += 1
        return question


@dataclass
class LoadResult:
    """What one closed-loop run measured."""

    path: str
    concurrency: int
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        """The q-quantile of the answered turns' latency in ms (0 when none)."""
        return percentile(self.latencies_ms, q) if self.latencies_ms else 0.0

    def row(self) -> str:
        return (
            f"| {self.path} | {self.concurrency} | {self.turns_per_second:.1f} | {self.quantile(0.5):.0f} ms "
            f"| {self.quantile(0.95):.0f} ms | {self.quantile(0.99):.0f} ms | {self.errors} |"
        )


Turn = Callable[[httpx.AsyncClient, int, int], Awaitable[str | None]]


def gateway_turn(base_url: str, deck: QuestionDeck) -> Turn:
    """One citizen turn through the gateway; returns an error kind or None when properly answered."""
    conversations: dict[int, str | None] = {}

    async def turn(client: httpx.AsyncClient, worker: int, n: int) -> str | None:
        if n % TURNS_PER_CONVERSATION == 0:
            conversations[worker] = None
        response = await client.post(
            f"{base_url}/api/chat",
            json={
                "conversation_id": conversations.get(worker),
                "text": deck.take(),
            },
        )
        if response.status_code != 200:
            return f"http {response.status_code}"
        body = response.json()
        if not body.get("messages") or not body.get("audit_id"):
            return "reply without messages or audit id"
        conversations[worker] = body["conversation_id"]
        return None

    return turn


def webhook_turn(rasa_urls: list[str], tag: str, deck: QuestionDeck) -> Turn:
    """The same question straight to Rasa's REST webhook (no redaction, guard or audit); with several
    Rasa servers each conversation keeps to one, spread evenly."""

    async def turn(client: httpx.AsyncClient, worker: int, n: int) -> str | None:
        sender = f"{tag}-{worker}-{n // TURNS_PER_CONVERSATION}"
        rasa_url = rasa_urls[worker % len(rasa_urls)]
        response = await client.post(
            f"{rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": deck.take()},
        )
        if response.status_code != 200 or not isinstance(response.json(), list):
            return f"http {response.status_code}"
        return None

    return turn


async def closed_loop(
    path: str, turn: Turn, concurrency: int, seconds: float, progress: bool = True
) -> LoadResult:
    """Run ``concurrency`` workers for ``seconds``; each starts its next turn when the last has ended."""
    result = LoadResult(path, concurrency)
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def worker(client: httpx.AsyncClient, number: int) -> None:
        n = 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                error = await turn(client, number, n)
            except (httpx.HTTPError, ValueError) as exc:
                error = type(exc).__name__
            if error is None:
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
            else:
                result.errors += 1
                result.error_kinds[error] = result.error_kinds.get(error, 0) + 1
            n += 1

    async def report() -> None:
        while time.monotonic() < deadline:
            await asyncio.sleep(min(10.0, max(0.1, deadline - time.monotonic())))
            left = max(0.0, deadline - time.monotonic())
            print(
                f"  {path}, {concurrency} at once: {len(result.latencies_ms)} turns, {left:.0f} s left",
                flush=True,
            )

    started = time.monotonic()
    async with httpx.AsyncClient(timeout=120, limits=limits) as client:
        tasks = [worker(client, number) for number in range(concurrency)]
        if progress:
            tasks.append(report())
        await asyncio.gather(*tasks)
    result.seconds = time.monotonic() - started
    return result


def cpu_per_turn(stack: Stack, run: Callable[[], LoadResult]) -> tuple[LoadResult, dict[str, float]]:
    """Run ``run`` and return its result with each process's CPU milliseconds per answered turn."""
    before = {name: cpu_seconds(proc.pid) for name, proc in stack.processes.items()}
    result = run()
    turns = max(1, len(result.latencies_ms))
    after = {name: cpu_seconds(proc.pid) for name, proc in stack.processes.items()}
    return result, {name: (after[name] - before[name]) * 1000 / turns for name in before}


def run_of(path: str, turn: Turn, concurrency: int, seconds: float) -> Callable[[], LoadResult]:
    """One closed-loop run, ready to be timed by ``cpu_per_turn``."""
    return lambda: asyncio.run(closed_loop(path, turn, concurrency, seconds))


def print_table(results: list[LoadResult]) -> None:
    """The Markdown table of every run, then the gateway/webhook throughput ratio per level."""
    print("\n| path | conversations at once | turns/s | p50 | p95 | p99 | errors |")
    print("|---|---|---|---|---|---|---|")
    for result in results:
        print(result.row())
    for result in results:
        if result.error_kinds:
            print(f"errors of {result.path} at {result.concurrency}: {result.error_kinds}")
    by_level: dict[int, dict[str, LoadResult]] = {}
    for result in results:
        by_level.setdefault(result.concurrency, {})[result.path] = result
    for level, pair in sorted(by_level.items()):
        if len(pair) == 2:
            gateway, webhook = pair["POST /api/chat"], pair["Rasa webhook alone"]
            ratio = gateway.turns_per_second / webhook.turns_per_second if webhook.turns_per_second else 0
            print(f"{level} at once: /api/chat throughput = {ratio:.2f} x Rasa's webhook (target >= 0.85)")


def main() -> int:
    """Start the stack, run every level on both paths, print the table and memory."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[20, 50])
    parser.add_argument(
        "--profile",
        choices=["embedded", "cluster"],
        default="embedded",
        help="cluster: 2 Rasa and 2 action servers on PostgreSQL and Redis (KOMMUNSVAR_CLUSTER_* say where)",
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="per path and level (default 60)")
    parser.add_argument(
        "--sequential-seconds", type=float, default=30.0, help="one conversation at a time (default 30)"
    )
    parser.add_argument(
        "--questions",
        choices=["new", "repeated"],
        default="new",
        help="new: the read answer sets' questions, every turn embeds (default); repeated: 12 cached ones",
    )
    args = parser.parse_args()
    questions = read_set_questions() if args.questions == "new" else QUESTIONS
    print(f"questions: {args.questions} ({len(questions)} distinct)", flush=True)
    train_if_needed()
    with tempfile.TemporaryDirectory(prefix="kommunsvar-load-") as tmp:
        config = StackConfig.on_free_ports(
            Path(tmp),
            extra_env={"KOMMUNSVAR_RATE_LIMIT_ENABLED": "false"},  # a load test, not a citizen
            instances=2 if args.profile == "cluster" else 1,
        )
        if config.cluster:
            prepare_cluster_services()
        stack = Stack(config)
        print(f"starting the stack ({args.profile} profile) …", flush=True)
        stack.start()
        results: list[LoadResult] = []
        try:
            stack.wait_healthy(timeout=400, progress=False)
            rasa_url = [f"http://{config.host}:{port}" for port, _ in config.instances]
            warm_up = gateway_turn(stack.gateway_url, QuestionDeck(QUESTIONS))  # caches none of the new ones
            asyncio.run(closed_loop("warm-up", warm_up, 2, 5, progress=False))
            cpu: list[tuple[str, int, dict[str, float]]] = []
            gateway_log = config.var_dir / "log" / "gateway.log"
            offset = gateway_log.stat().st_size if gateway_log.exists() else 0
            stages: dict[str, float] = {}
            start = 0
            for level in [1, *args.concurrency]:
                seconds = args.sequential_seconds if level == 1 else args.seconds
                # Both paths take the same questions from the same place; the next level goes on after them.
                decks = [QuestionDeck(questions, start), QuestionDeck(questions, start)]
                for path, turn in (
                    ("POST /api/chat", gateway_turn(stack.gateway_url, decks[0])),
                    ("Rasa webhook alone", webhook_turn(rasa_url, f"l{level}", decks[1])),
                ):
                    result, per_turn = cpu_per_turn(stack, run_of(path, turn, level, seconds))
                    results.append(result)
                    cpu.append((path, level, per_turn))
                    if level == 1 and path == "POST /api/chat" and gateway_log.exists():
                        stages = stage_breakdown(gateway_log, offset)
                # Each action server keeps its own cache and sees its share of the turns.
                per_action_server = (decks[0].taken - start) / len(config.instances)
                if args.questions == "new" and per_action_server <= QUERY_CACHE_SIZE:
                    print(f"  note: at {level}, fewer turns than the query cache holds: the webhook's hit it")
                start = max(deck.taken for deck in decks)
            memory = {name: rss_mb(proc.pid) for name, proc in stack.processes.items()}
        finally:
            stack.stop()
    print_table(results)
    sequential = [r for r in results if r.concurrency == 1]
    if len(sequential) == 2 and sequential[1].quantile(0.5):
        ratio = sequential[0].quantile(0.5) / sequential[1].quantile(0.5)
        print(f"one at a time: p50 /api/chat / p50 Rasa's webhook = {ratio:.2f} (target <= 1.15)")
    if stages:
        print("\nWhere a sequential /api/chat turn's time goes (gateway log, median ms per stage):")
        print("  " + ", ".join(f"{stage} {ms:.1f}" for stage, ms in stages.items()))
    print("\nCPU per answered turn (user + system, each process and its children):")
    for path, level, per_turn in cpu:
        parts = ", ".join(f"{name} {ms:.0f} ms" for name, ms in per_turn.items())
        print(f"  {path}, {level} at once: {parts}; total {sum(per_turn.values()):.0f} ms")
    total = sum(memory.values())
    print(
        "RSS after the run: "
        + ", ".join(f"{name} {mb:.0f} MB" for name, mb in memory.items())
        + f"; stack {total:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
