"""Turn locks and the vault across gateway workers, on the real Redis at 127.0.0.1:6379 (no fakes).

Two workers are stood for by two event loops in two threads, by two processes, and by two ChatService
objects with their own Redis connections sharing one Redis (the cluster profile's settings).
"""

from __future__ import annotations

import asyncio
import copy
import json
import multiprocessing
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from bot.errors import UpstreamUnavailable
from bot.rasa_client import RasaClient
from bot.services.chat import ChatService
from bot.services.model_info import ModelInfo
from bot.services.turn_locks import ConversationLocks, RedisTurnLocks
from bot.services.vault_contact import contact_from_vault
from bot.settings import PROJECT_ROOT, Settings
from content.knowledge import KnowledgeBase
from content.policy import AnswerPolicy
from content.safety import SafetyClassifier, SafetyRules
from guardrails.redis_vault import RedisVault
from tests.audit.required_services import redis_problem, require_service
from tests.bot.conftest import DATA_DIR, FakeRasa

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test alone (skipped locally without Redis, failed in CI); keys deleted after."""
    require_service(redis_problem())
    name = f"test-turn-{secrets.token_hex(6)}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{name}*"):
        client.delete(key)
    client.close()


def locks(prefix: str, *, timeout: float = 10.0, wait: float = 10.0) -> RedisTurnLocks:
    """A worker's locks: its own connection (call inside the worker's event loop)."""
    client = redis.asyncio.Redis.from_url(REDIS_URL)
    return RedisTurnLocks(client, timeout_seconds=timeout, wait_seconds=wait, prefix=prefix)


async def _turns(
    prefix: str, conversation: str, worker: str, count: int, log: list[tuple[str, float, float]]
) -> None:
    turn_locks = locks(prefix)
    try:
        for _ in range(count):
            async with turn_locks.hold(conversation):
                started = time.monotonic()
                await asyncio.sleep(0.05)
                log.append((worker, started, time.monotonic()))
    finally:
        await turn_locks.close()


def overlaps(intervals: list[tuple[str, float, float]]) -> list[tuple[Any, Any]]:
    ordered = sorted(intervals, key=lambda item: item[1])
    return [(a, b) for a, b in zip(ordered, ordered[1:], strict=False) if b[1] < a[2]]


def test_two_event_loops_in_two_threads_are_serialised(prefix: str) -> None:
    log: list[tuple[str, float, float]] = []
    threads = [
        threading.Thread(target=lambda w=w: asyncio.run(_turns(prefix, "c_one", w, 5, log)))
        for w in ("a", "b")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(log) == 10 and {w for w, _, _ in log} == {"a", "b"}
    assert overlaps(log) == []


def _process_turns(prefix: str, conversation: str, worker: str, count: int) -> None:
    """In a child process: hold the lock ``count`` times and push the intervals to a Redis list."""
    log: list[tuple[str, float, float]] = []
    asyncio.run(_turns(prefix, conversation, worker, count, log))
    client = redis.Redis.from_url(REDIS_URL)
    for worker_name, started, ended in log:
        # time.time() is shared between processes; monotonic clocks are per boot and also comparable.
        client.rpush(f"{prefix}:log", json.dumps([worker_name, started, ended]))
    client.close()


def test_two_processes_are_serialised(prefix: str) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_process_turns, args=(prefix, "c_one", worker, 5)) for worker in ("a", "b")
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    client = redis.Redis.from_url(REDIS_URL)
    log = [tuple(json.loads(item)) for item in client.lrange(f"{prefix}:log", 0, -1)]
    client.close()
    assert len(log) == 10 and {entry[0] for entry in log} == {"a", "b"}
    assert overlaps(log) == []  # type: ignore[arg-type]


def test_other_conversations_do_not_wait(prefix: str) -> None:
    async def scenario() -> float:
        first, second = locks(prefix), locks(prefix)
        try:
            async with first.hold("c_one"):
                started = time.monotonic()
                async with second.hold("c_two"):
                    return time.monotonic() - started
        finally:
            await first.close()
            await second.close()

    assert asyncio.run(scenario()) < 0.5


def test_the_wait_is_bounded_and_the_citizen_gets_try_again(prefix: str) -> None:
    async def scenario() -> None:
        holder, waiter = locks(prefix), locks(prefix, wait=0.3)
        try:
            async with holder.hold("c_one"):
                started = time.monotonic()
                with pytest.raises(UpstreamUnavailable) as raised:
                    async with waiter.hold("c_one"):
                        pass
                assert raised.value.part == "turn_lock"
                assert 0.25 < time.monotonic() - started < 2.0
            async with waiter.hold("c_one"):  # free again once the holder is done
                pass
        finally:
            await holder.close()
            await waiter.close()

    asyncio.run(scenario())


def test_a_lock_of_a_worker_killed_mid_turn_expires_after_its_timeout(prefix: str) -> None:
    async def scenario() -> float:
        dead, alive = locks(prefix, timeout=0.5), locks(prefix)
        try:
            # The dead worker took the lock and never released it.
            assert await dead._redis.lock(dead.key("c_one"), timeout=0.5).acquire(blocking=False)
            started = time.monotonic()
            async with alive.hold("c_one"):
                return time.monotonic() - started
        finally:
            await dead.close()
            await alive.close()

    assert 0.3 < asyncio.run(scenario()) < 3.0


def test_a_turn_outliving_its_lock_is_logged_not_raised(
    prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario() -> None:
        short = locks(prefix, timeout=0.1)
        try:
            async with short.hold("c_one"):
                await asyncio.sleep(0.3)
        finally:
            await short.close()

    asyncio.run(scenario())
    assert "turn_lock_expired" in caplog.text


def test_redis_down_gives_try_again() -> None:
    async def scenario() -> None:
        down = RedisTurnLocks.from_url("redis://127.0.0.1:1/0", wait_seconds=1)
        try:
            with pytest.raises(UpstreamUnavailable):
                async with down.hold("c_one"):
                    pass
        finally:
            await down.close()

    asyncio.run(scenario())


def test_turns_within_one_worker_keep_their_order(prefix: str) -> None:
    async def scenario() -> list[int]:
        turn_locks = locks(prefix)
        order: list[int] = []

        async def turn(number: int) -> None:
            async with turn_locks.hold("c_one"):
                order.append(number)
                await asyncio.sleep(0.01)

        try:
            tasks = []
            for number in range(8):
                tasks.append(asyncio.create_task(turn(number)))
                await asyncio.sleep(0)  # each arrives after the one before
            await asyncio.gather(*tasks)
        finally:
            await turn_locks.close()
        return order

    assert asyncio.run(scenario()) == list(range(8))


def test_memory_locks_are_the_default_and_keep_order() -> None:
    async def scenario() -> list[int]:
        memory = ConversationLocks()
        order: list[int] = []

        async def turn(number: int) -> None:
            async with memory.hold("c_one"):
                order.append(number)
                await asyncio.sleep(0.01)

        await asyncio.gather(*(turn(n) for n in range(5)))
        return order

    assert asyncio.run(scenario()) == list(range(5))


# --- two ChatService workers sharing Redis ---------------------------------------------------------


class SlowRasa(FakeRasa):
    """The fake Rasa, slow on the webhook, counting the turns of a conversation in flight at once."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        super().__init__(knowledge)
        self.in_flight: dict[str, int] = {}
        self.most_at_once = 0

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/webhooks/kommunsvar/webhook":
            return self.handler(request)
        sender = json.loads(request.content)["sender"]
        self.in_flight[sender] = self.in_flight.get(sender, 0) + 1
        self.most_at_once = max(self.most_at_once, self.in_flight[sender])
        try:
            await asyncio.sleep(0.05)
            return self.handler(request)
        finally:
            self.in_flight[sender] -= 1


def gateway_worker(
    redactor: Any, rasa: SlowRasa, knowledge: KnowledgeBase, audit_log: Any, prefix: str, master_key: bytes
) -> ChatService:
    """One gateway worker as ``bot.main`` builds it with the cluster profile's settings."""
    worker_redactor = copy.copy(redactor)  # the analyzer is shared; the vault is this worker's connection
    worker_redactor.vault = RedisVault.from_url(REDIS_URL, master_key, prefix=prefix + "-vault")
    client = RasaClient(
        httpx.AsyncClient(transport=httpx.MockTransport(rasa.async_handler)),
        "http://rasa.test",
        "http://actions.test",
        "test-token",
    )
    return ChatService(
        redactor=worker_redactor,
        audit_log=audit_log,
        rasa=client,
        knowledge=knowledge,
        policy=AnswerPolicy.load(DATA_DIR),
        safety=SafetyClassifier(SafetyRules.load(DATA_DIR)),
        model_info=ModelInfo(PROJECT_ROOT, "test"),
        pseudonym_key=b"k" * 32,  # the pseudonym key file both workers read
        max_chars=2000,
        turn_locks=locks(prefix),
    )


def test_two_workers_serve_one_conversation_in_turn_and_share_its_vault(
    prefix: str, tmp_path: Path, redactor: Any, knowledge: KnowledgeBase
) -> None:
    from audit.log import open_audit_log

    rasa = SlowRasa(knowledge)
    audit_log = open_audit_log(f"sqlite:///{tmp_path / 'audit.db'}")
    master_key = secrets.token_hex(32).encode()
    email = f"anna.{secrets.token_hex(4)}@example.se"

    async def scenario() -> tuple[str, list[Any]]:
        first = gateway_worker(redactor, rasa, knowledge, audit_log, prefix, master_key)
        second = gateway_worker(redactor, rasa, knowledge, audit_log, prefix, master_key)
        conversation = first.new_conversation_id()
        assert second.issued_here(conversation)
        sender = first.pseudonym(conversation)
        # A contact typed in a turn the first worker answers ...
        await first.handle(f"Min e-post är {email}, när töms soporna?", conversation, "sv")
        # ... is revealed for a case by the second (the action server reached the other worker) ...
        contact, use = contact_from_vault(second.redactor.vault, sender, "<EMAIL_1>", "case_contact")
        # ... and the same address typed again on the second worker keeps its placeholder.
        replies = await asyncio.gather(
            *(
                worker.handle(f"Skriv till {email.upper()} om sophämtning {n}", conversation, "sv")
                for n, worker in enumerate((second, first, second, first))
            )
        )
        assert len(replies) == 4
        for worker in (first, second):
            await worker._locks.close()  # type: ignore[attr-defined]
        return contact.value, [sender, use]

    try:
        contact_text, (sender, use) = asyncio.run(scenario())
        assert contact_text == email
        assert use == {"purpose": "case_contact", "type": "EMAIL_ADDRESS", "placeholder": "<EMAIL_1>"}
        assert rasa.most_at_once == 1  # never two turns of the conversation at once
        received = [body["message"] for body in rasa.received]
        assert all(email not in message and email.upper() not in message for message in received)
        assert sum("<EMAIL_1>" in message for message in received) == 5
        records = [r for r in audit_log.iter_records() if r.get("conversation") == sender]
        assert sorted(r["turn"] for r in records) == [1, 2, 3, 4, 5]
        # The use the second worker recorded reached exactly one audit record, whichever worker wrote it.
        uses = [u for r in records for u in r["guardrails"]["vault_uses"]]
        assert [(u["placeholder"], u["purpose"]) for u in uses] == [("<EMAIL_1>", "case_contact")]
    finally:
        close = getattr(audit_log, "close", None)
        if callable(close):
            close()


def test_cluster_settings_choose_redis_and_memory_stays_the_default(tmp_path: Path) -> None:
    from bot.main import build_turn_locks, build_vault

    plain = Settings(var_dir=tmp_path)
    assert build_vault(plain) is None and build_turn_locks(plain) is None
    require_service(redis_problem())
    cluster = Settings(var_dir=tmp_path, vault_url=REDIS_URL, turn_lock_url=REDIS_URL)
    vault = build_vault(cluster)
    assert isinstance(vault, RedisVault)
    key_file = tmp_path / "keys" / "vault.key"
    assert key_file.exists() and key_file.stat().st_mode & 0o077 == 0
    # A second worker reads the same key file: the same placeholders for the same value.
    again = build_vault(cluster)
    assert again is not None
    conversation = f"c_{secrets.token_hex(8)}"
    try:
        assert vault.placeholder_for(conversation, "PHONE_NUMBER", "070-111 22 33") == "<PHONE_1>"
        assert again.placeholder_for(conversation, "PHONE_NUMBER", "0701112233") == "<PHONE_1>"
        assert again.reveal(conversation, "<PHONE_1>", "case_contact") == "070-111 22 33"
    finally:
        vault.forget(conversation)

    async def locks_built_in_the_loop() -> None:
        turn_locks = build_turn_locks(cluster)
        assert isinstance(turn_locks, RedisTurnLocks)
        async with turn_locks.hold(conversation):
            pass
        await turn_locks.close()

    asyncio.run(locks_built_in_the_loop())
