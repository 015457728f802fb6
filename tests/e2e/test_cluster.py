"""The cluster profile with real processes: 2 Rasa and 2 action servers behind 2 gateway workers on one
port, sharing PostgreSQL (tracker store, audit trail) and Redis (Rasa's lock store, rate limits, and the
gateway workers' contact vault and turn locks). PostgreSQL and Redis are the test's own servers
(tests/e2e/own_servers.py), so that one test can crash them.

A contact typed in a turn one gateway worker answered is revealed for a case by the other worker, and the
use lands in the next audit record (each worker is made the only one running in turn).

Redis, then PostgreSQL, crashes under load and is started again: meanwhile ``/api/health`` names the store
and citizens get the plain 503 "try again" reply; afterwards every conversation is answered again without
any process being restarted, every 200 reply has its audit record and no record lacks its reply.

An action server, then a gateway worker, is killed under load and started again: nobody gets anything but
an answer with its audit record or the plain 503, and the other processes carry the service meanwhile.

Conversations are spread over both Rasa servers; when one is killed (SIGKILL, no restart: the fixture runs
the stack without the runner's supervisor) the other answers every later turn, including the turns of
conversations that were on the dead one. Afterwards every 200 reply has its audit record in PostgreSQL,
each conversation's records are in its turn order, and the audit log verifies.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis

from audit.keys import DEVELOPMENT, read_key_file
from audit.log import open_audit_log
from audit.settings import AuditSettings
from bot.runner import Stack, StackConfig, cpu_seconds
from tests.audit.required_services import require_service
from tests.e2e.audit_cli import run_audit
from tests.e2e.own_servers import OwnPostgres, OwnRedis, own_servers_problem

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ["När töms soptunnan?", "Hur söker jag bygglov?", "Hur får jag ett lånekort på biblioteket?"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    # The cluster's own PostgreSQL and Redis (tests/e2e/own_servers.py): the fault test below crashes
    # them, which it must never do to the machine's shared servers.
    require_service(own_servers_problem())
    var = tmp_path_factory.mktemp("cluster-var")
    postgres = OwnPostgres()
    own_redis = OwnRedis(tmp_path_factory.mktemp("cluster-redis"))
    try:
        postgres.init()
        postgres.start()
        own_redis.start()
        database_url = postgres.url
        config = StackConfig.on_free_ports(
            var,
            instances=2,
            extra_env={
                "KOMMUNSVAR_CLUSTER_DATABASE_URL": database_url,
                "KOMMUNSVAR_CLUSTER_REDIS_URL": own_redis.url,
                "KOMMUNSVAR_RATE_LIMIT_ENABLED": "false",  # one test address sends every turn
            },
        )
        stack = Stack(config)
        stack.start()
        stack.servers = (postgres, own_redis)  # type: ignore[attr-defined]  # for the store fault test
        try:
            stack.wait_healthy(timeout=500, progress=False)
            yield stack, database_url
        except (RuntimeError, TimeoutError) as exc:
            logs = "\n".join(
                f"--- {p.name}\n" + p.read_text(errors="replace")[-2000:]
                for p in sorted((var / "log").glob("*"))
            )
            pytest.fail(f"the cluster did not start: {exc}\n{logs}")
        finally:
            stack.stop()
    finally:
        own_redis.stop()
        postgres.stop()


def _sender(stack: Stack, conversation_id: str) -> str:
    """The conversation's pseudonym, as the gateway computes it (checked against the audit trail below)."""
    key = read_key_file(stack.config.var_dir / "keys" / "pseudonym.key", DEVELOPMENT).strip()
    return "c_" + hmac.new(key, conversation_id.encode(), hashlib.sha256).hexdigest()[:32]


def _home(stack: Stack, conversation_id: str) -> int:
    """Which Rasa server a conversation hashes to: 0 or 1 (the gateway's ``RasaClient._rasa_order``)."""
    return int(hashlib.sha256(_sender(stack, conversation_id).encode()).hexdigest()[:8], 16) % 2


def _conversations_on_both(stack: Stack, per_server: int) -> list[str]:
    """Open conversations until each Rasa server has ``per_server`` of them (the hash spreads them at
    random: 6 conversations all on one server would happen in 1 run out of 32)."""
    homes: dict[int, list[str]] = {0: [], 1: []}
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        for _ in range(40):
            if all(len(ids) >= per_server for ids in homes.values()):
                break
            body = client.post("/api/chat", json={"text": "Hej"}).json()
            home = homes[_home(stack, body["conversation_id"])]
            if len(home) < per_server:
                home.append(body["conversation_id"])
    assert all(len(ids) == per_server for ids in homes.values()), homes
    return homes[0] + homes[1]


def _turns(
    url: str, conversations: list[str], stop: threading.Event, results: list[dict[str, Any]]
) -> list[threading.Thread]:
    def run(worker: int) -> None:
        conversation: str | None = conversations[worker]
        turn = 0
        with httpx.Client(base_url=url, timeout=60) as client:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    response = client.post(
                        "/api/chat",
                        json={
                            "conversation_id": conversation,
                            "text": QUESTIONS[(worker + turn) % len(QUESTIONS)],
                        },
                    )
                    status, body = response.status_code, response.json()
                except (httpx.HTTPError, ValueError):
                    status, body = 0, {}
                if status == 200:
                    conversation = body["conversation_id"]
                results.append(
                    {"worker": worker, "turn": turn, "status": status, "body": body, "started": started}
                )
                turn += 1

    threads = [threading.Thread(target=run, args=(w,), daemon=True) for w in range(len(conversations))]
    for thread in threads:
        thread.start()
    return threads


def _audit_log(stack: Stack, database_url: str) -> Any:
    """The cluster's audit log in PostgreSQL, opened with the run's keys (the caller closes it)."""
    keys = stack.config.var_dir / "keys"
    settings = AuditSettings(
        key_path=keys / "audit_ed25519.pem",
        content_key_path=keys / "audit_content.key",
        var_dir=stack.config.var_dir,
    )
    return open_audit_log(database_url, settings=settings)


def _kill_worker(stack: Stack, name: str) -> None:
    """SIGKILL one gateway worker (the fixture has no supervisor: it stays down until restarted)."""
    proc = stack.processes[name]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _restart_worker(stack: Stack, name: str) -> None:
    """Start one gateway worker again and wait until it has bound the shared port."""
    console = stack.config.var_dir / "log" / f"{name}.console.log"
    before = console.read_text(errors="replace").count("Application startup complete")
    spec = stack.specs[name]
    stack._spawn(name, spec.cmd, spec.env)
    deadline = time.monotonic() + 180
    while console.read_text(errors="replace").count("Application startup complete") <= before:
        assert stack.processes[name].poll() is None, f"{name} stopped while starting"
        assert time.monotonic() < deadline, f"{name} did not start"
        time.sleep(0.5)


def test_a_contact_typed_on_one_gateway_worker_is_revealed_by_the_other(cluster):
    stack, database_url = cluster
    assert {"gateway-1", "gateway-2"} <= set(stack.processes)
    email = f"anna.{secrets.token_hex(4)}@example.se"
    internal = f"http://127.0.0.1:{stack.config.internal_port}/internal/cases"
    auth = {"Authorization": f"Bearer {stack.internal_token}"}
    try:
        _kill_worker(stack, "gateway-1")  # only gateway-2 answers: the contact is typed there
        with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
            first = client.post("/api/chat", json={"text": f"Min e-post är {email}. När töms soptunnan?"})
        assert first.status_code == 200, first.text
        conversation = first.json()["conversation_id"]
        sender = _sender(stack, conversation)

        _restart_worker(stack, "gateway-1")
        _kill_worker(stack, "gateway-2")  # only gateway-1 answers from now on
        case = httpx.post(
            internal,
            json={
                "conversation": sender,
                "kind": "callback",
                "message": "Ring eller mejla mig om sophämtningen",
                "contact_placeholder": "<EMAIL_1>",
                "purpose": "case_contact",
                "idempotency_key": f"chat:{sender}:e2e",
            },
            headers=auth,
            timeout=60,
        )
        assert case.status_code == 201, case.text  # gateway-1 revealed what gateway-2 vaulted
        with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
            second = client.post(
                "/api/chat", json={"conversation_id": conversation, "text": f"Svara till {email.upper()}"}
            )
        assert second.status_code == 200, second.text
    finally:
        for name in ("gateway-1", "gateway-2"):
            if stack.processes[name].poll() is not None:
                _restart_worker(stack, name)

    log = _audit_log(stack, database_url)
    try:
        typed = log.require(first.json()["audit_id"])
        later = log.require(second.json()["audit_id"])
    finally:
        log.close()
    assert "<EMAIL_1>" in typed["input_redacted"] and email not in str(typed)
    # The same address typed on the other worker keeps its placeholder, and the reveal gateway-1 made
    # is in the conversation's next audit record: purpose, type and placeholder, never the value.
    assert "<EMAIL_1>" in later["input_redacted"] and "<EMAIL_2>" not in later["input_redacted"]
    uses = later["guardrails"]["vault_uses"]
    assert [(u["placeholder"], u["type"], u["purpose"]) for u in uses] == [
        ("<EMAIL_1>", "EMAIL_ADDRESS", "case_contact")
    ]
    assert email not in str(later)
    # Redis holds the contact only encrypted: not in any key or value of the cluster's database.
    store = redis.Redis.from_url(stack.config.extra_env["KOMMUNSVAR_CLUSTER_REDIS_URL"])
    try:
        for key in store.scan_iter(count=1000):
            assert email.encode() not in key
            if store.type(key) == b"hash":
                assert all(email.encode() not in v for v in store.hgetall(key).values())
            elif store.type(key) == b"string":
                assert email.encode() not in (store.get(key) or b"")
            elif store.type(key) == b"list":
                assert all(email.encode() not in v for v in store.lrange(key, 0, -1))
    finally:
        store.close()


def _health(stack: Stack) -> tuple[int, dict[str, Any]]:
    try:
        response = httpx.get(f"{stack.gateway_url}/api/health", timeout=10)
        return response.status_code, response.json()
    except (httpx.HTTPError, ValueError):
        return 0, {}


def _wait_health(stack: Stack, wanted: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if wanted(*_health(stack)):
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting until {what}: {_health(stack)}")


def _assert_turn_order(log: Any, answered: dict[str, dict[str, Any]], workers: int) -> None:
    """Each conversation's audit records are in the order its turns were sent."""
    for worker in range(workers):
        mine = sorted((r for r in answered.values() if r["worker"] == worker), key=lambda r: r["turn"])
        seqs = [log.require(r["body"]["audit_id"])["seq"] for r in mine]
        assert seqs == sorted(seqs), f"worker {worker}: records out of turn order"


def _assert_verifies(stack: Stack, database_url: str) -> None:
    """``python -m audit verify`` passes on the cluster's audit log."""
    verify = run_audit(stack.config.var_dir, database_url, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


RECOVERY_GRACE_S = 10  # after /api/health is ok again: connections in the processes' pools are renewed


def test_postgresql_and_redis_crash_under_load_and_the_service_resumes_by_itself(cluster):
    """Redis, then PostgreSQL, is stopped as by a crash (SIGKILL; ``pg_ctl -m immediate``) while 4
    conversations send turns, and started again; no process is restarted by the test."""
    stack, database_url = cluster
    postgres, own_redis = stack.servers
    pids = {name: proc.pid for name, proc in stack.processes.items()}
    conversations = _conversations_on_both(stack, 2)
    log = _audit_log(stack, database_url)
    try:
        before = log.size()  # seq of the next record (0-based); the opening turns are already in the log
    finally:
        log.close()
    results: list[dict[str, Any]] = []
    stop = threading.Event()
    threads = _turns(stack.gateway_url, conversations, stop, results)
    windows: dict[str, tuple[float, float, float]] = {}
    try:
        time.sleep(6)
        for store, server in (("redis", own_redis), ("audit_database", postgres)):
            server.crash()
            down = time.monotonic()
            _wait_health(
                stack,
                lambda status, body, store=store: status == 503 and store in body.get("failing", []),
                30,
                f"/api/health names {store}",
            )
            time.sleep(4)
            restarted = time.monotonic()  # from here on a turn may be answered again
            server.start()
            _wait_health(stack, lambda status, body: status == 200 and body.get("status") == "ok", 60, "ok")
            windows[store] = (down, restarted, time.monotonic() + RECOVERY_GRACE_S)
            time.sleep(RECOVERY_GRACE_S + 10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)

    assert {name: proc.pid for name, proc in stack.processes.items()} == pids  # nothing was restarted
    assert all(proc.poll() is None for proc in stack.processes.values())
    assert {r["status"] for r in results} <= {200, 503}, sorted({r["status"] for r in results})
    for store, (down, restarted, settled) in windows.items():
        # While the store was down citizens got the plain "try again" reply, never an answer...
        during = [r for r in results if down + 1 < r["started"] < restarted - 1]
        assert during and all(r["status"] == 503 for r in during), (store, [r["status"] for r in during])
        assert all("Chatten kan inte svara just nu" in str(r["body"]) for r in during)
        # ...and once it was back, every conversation was answered again without anyone restarting a thing.
        later = [r for r in results if settled < r["started"] < settled + 8]
        assert later and all(r["status"] == 200 for r in later), (store, [r["status"] for r in later])
        assert {r["worker"] for r in later} == set(range(len(conversations))), store

    answered = {r["body"]["audit_id"]: r for r in results if r["status"] == 200}
    senders = {_sender(stack, c): worker for worker, c in enumerate(conversations)}
    log = _audit_log(stack, database_url)
    try:
        # Every 200 reply has its record; every record of these conversations belongs to a 200 reply.
        records = [r for r in log.iter_records() if r["seq"] >= before and r.get("conversation") in senders]
        assert {r["audit_id"] for r in records} == set(answered)
        _assert_turn_order(log, answered, len(conversations))
    finally:
        log.close()
    _assert_verifies(stack, database_url)


def test_a_killed_action_server_and_a_killed_gateway_worker_leave_no_unaudited_answer(cluster):
    """Under load from 4 conversations (2 on each Rasa server), action_server-1 is killed (SIGKILL) and,
    once it is started again, gateway-2. The fixture has no supervisor: the test restarts each.

    While action_server-1 is down, health names it, the conversations on rasa-2 are still answered (their
    safety checks go to action_server-2, their pair) and nobody gets anything but an answer or the plain
    503. While gateway-2 is down, gateway-1 answers every conversation. Every 200 reply has its audit
    record, in turn order, and the log verifies; the only records without a reply are of turns whose
    connection died with gateway-2.
    """
    stack, database_url = cluster
    conversations = _conversations_on_both(stack, 2)  # workers 0, 1 on rasa-1; 2, 3 on rasa-2
    log = _audit_log(stack, database_url)
    try:
        before = log.size()
    finally:
        log.close()
    results: list[dict[str, Any]] = []
    stop = threading.Event()
    threads = _turns(stack.gateway_url, conversations, stop, results)
    try:
        time.sleep(6)
        proc = stack.processes["action_server-1"]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        action_down = time.monotonic()
        _wait_health(
            stack,
            lambda status, body: body.get("failing") == ["action_server-1"],
            30,
            "/api/health names action_server-1",
        )
        time.sleep(8)
        action_back = time.monotonic()
        spec = stack.specs["action_server-1"]
        stack._spawn("action_server-1", spec.cmd, spec.env)
        _wait_health(stack, lambda status, body: status == 200 and body.get("status") == "ok", 300, "ok")
        action_settled = time.monotonic() + RECOVERY_GRACE_S
        time.sleep(RECOVERY_GRACE_S + 8)
        _kill_worker(stack, "gateway-2")
        gateway_down = time.monotonic()
        time.sleep(3)
        # New conversations, on new connections: only gateway-1 listens now.
        fresh = [httpx.post(f"{stack.gateway_url}/api/chat", json={"text": q}, timeout=60) for q in QUESTIONS]
        time.sleep(max(0.0, gateway_down + 12 - time.monotonic()))
        _restart_worker(stack, "gateway-2")
        time.sleep(4)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=90)

    statuses = {r["status"] for r in results}
    assert statuses <= {0, 200, 503}, sorted(statuses)  # 0: the connection died with gateway-2
    assert all(gateway_down - 1 < r["started"] < gateway_down + 3 for r in results if r["status"] == 0)
    # A conversation whose turn died with gateway-2 keeps that turn's lock until it expires: its next turns
    # may get the plain 503 meanwhile. Every other 503 falls while action_server-1 was down.
    cut = {r["worker"] for r in results if r["status"] == 0}
    for r in results:
        if r["status"] == 503:
            assert "Chatten kan inte svara just nu" in str(r["body"])
            assert action_down - 1 < r["started"] < action_settled or (
                r["worker"] in cut and r["started"] > gateway_down - 1
            ), r
    # rasa-2's conversations kept being answered while action_server-1 was down.
    while_down = [r for r in results if action_down + 2 < r["started"] < action_back and r["worker"] >= 2]
    assert while_down and all(r["status"] == 200 for r in while_down), [r["status"] for r in while_down]
    # With action_server-1 back, every conversation was answered; with gateway-2 gone, gateway-1 answered.
    back = [r for r in results if action_settled < r["started"] < gateway_down - 1]
    assert back and all(r["status"] == 200 for r in back), [r["status"] for r in back]
    assert {r["worker"] for r in back} == set(range(len(conversations)))
    assert [response.status_code for response in fresh] == [200] * len(QUESTIONS)
    gone = [r for r in results if gateway_down + 3 < r["started"] < gateway_down + 12]
    uncut = [r for r in gone if r["worker"] not in cut]  # conversations whose connection was on gateway-1
    assert all(r["status"] == 200 for r in uncut), [r["status"] for r in uncut]
    assert {r["worker"] for r in uncut} == set(range(len(conversations))) - cut

    answered = {r["body"]["audit_id"]: r for r in results if r["status"] == 200}
    senders = {_sender(stack, c) for c in conversations}
    log = _audit_log(stack, database_url)
    try:
        mine_after = (r for r in log.iter_records() if r["seq"] >= before)
        records = {r["audit_id"] for r in mine_after if r.get("conversation") in senders}
        assert set(answered) <= records
        assert all(log.require(response.json()["audit_id"]) for response in fresh)
        assert len(records - set(answered)) <= sum(r["status"] == 0 for r in results)
        _assert_turn_order(log, answered, len(conversations))
    finally:
        log.close()
    _assert_verifies(stack, database_url)


def test_both_rasa_servers_answer_and_one_keeps_answering_when_the_other_is_killed(cluster):
    stack, database_url = cluster
    health = httpx.get(f"{stack.gateway_url}/api/health", timeout=10).json()
    assert set(health["parts"]) == {
        "gateway",
        "rasa-1",
        "rasa-2",
        "action_server-1",
        "action_server-2",
        "audit_database",
        "redis",
    }
    rasa = {name: stack.processes[name].pid for name in ("rasa-1", "rasa-2")}
    conversations = _conversations_on_both(stack, 3)
    before = {name: cpu_seconds(pid) for name, pid in rasa.items()}

    results: list[dict[str, Any]] = []
    stop = threading.Event()
    threads = _turns(stack.gateway_url, conversations, stop, results)
    time.sleep(12)
    spread = {name: cpu_seconds(pid) - before[name] for name, pid in rasa.items()}
    os.kill(rasa["rasa-1"], signal.SIGKILL)
    killed_at = time.monotonic()
    # A turn that was in flight on rasa-1 left its conversation locked in Redis until the lock's
    # lifetime (15 s in the cluster profile) ends; after that rasa-2 continues it.
    time.sleep(40)
    stop.set()
    for thread in threads:
        thread.join(timeout=90)

    # Both servers worked before the kill (each at least a second of CPU for ~12 s of turns).
    assert min(spread.values()) > 1.0, spread
    health = httpx.get(f"{stack.gateway_url}/api/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert health.json()["failing"] == ["rasa-1"]
    # No outage: the turns in flight on rasa-1 fail (503, unaudited), and their conversations wait until
    # rasa-1's Redis locks expire (15 s); every turn started after that is answered, by rasa-2.
    later = [r for r in results if r["started"] > killed_at + 17]
    assert len(later) >= 12
    assert all(r["status"] == 200 for r in later), [r["status"] for r in later]
    assert {r["status"] for r in results} <= {200, 503}
    assert sum(r["status"] == 503 for r in results) <= 12  # at most the in-flight turns and their waits
    workers_after = {r["worker"] for r in later}
    assert len(workers_after) == 6  # all conversations, those of the dead server included

    answered = [r for r in results if r["status"] == 200]
    log = _audit_log(stack, database_url)
    try:
        for worker in range(6):
            mine = sorted((r for r in answered if r["worker"] == worker), key=lambda r: r["turn"])
            seqs = [log.require(r["body"]["audit_id"])["seq"] for r in mine]
            first = log.require(mine[0]["body"]["audit_id"])
            assert first["conversation"] == _sender(stack, conversations[worker])  # the placement was real
            assert seqs == sorted(seqs), f"worker {worker}: records out of turn order"
    finally:
        log.close()
    verify = run_audit(stack.config.var_dir, database_url, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
