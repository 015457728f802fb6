"""Fault test: the shipped runner (``python -m bot.runner run``) under load, each process killed in turn.

A process killed with SIGKILL is started again by the runner; meanwhile ``/api/health`` says
``degraded`` and names it, citizens get the plain "try again or call us" reply (503, never an unaudited
answer), and service resumes by itself. Afterwards every 200 reply has its audit record, each
conversation's records are in the order its turns were sent, the audit log verifies, and SIGTERM stops
the runner cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from audit.log import open_audit_log
from audit.settings import AuditSettings
from bot.runner import free_port
from tests.e2e.audit_cli import run_audit

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    "När töms soptunnan?",
    "Hur söker jag bygglov?",
    "Hur ansöker jag om plats på förskola?",
    "Hur får jag ett lånekort på biblioteket?",
    "Vilka öppettider har kontaktcenter?",
]
UNAVAILABLE = "Chatten kan inte svara just nu"


@dataclass
class Supervised:
    """The runner process, its gateway URL and its ``var`` folder."""

    process: subprocess.Popen[bytes]
    url: str
    var: Path

    def pids(self) -> dict[str, int]:
        return {k: int(v) for k, v in json.loads((self.var / "run" / "processes.json").read_text()).items()}

    def health(self) -> tuple[int, dict[str, Any]]:
        try:
            response = httpx.get(f"{self.url}/api/health", timeout=5)
        except httpx.HTTPError:
            return 0, {}
        return response.status_code, response.json()


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting until {what}")


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Supervised]:
    var = tmp_path_factory.mktemp("supervised-var")
    port = free_port()
    env = {
        **os.environ,
        # One test address sends every turn: the chat limits are raised, as in the shared e2e stack.
        "KOMMUNSVAR_RATE_LIMIT_CHAT_PER_ADDRESS": "1000000 per minute",
        "KOMMUNSVAR_RATE_LIMIT_CHAT_PER_CONVERSATION": "1000000 per minute",
        "KOMMUNSVAR_RATE_LIMIT_NEW_CONVERSATIONS_PER_ADDRESS": "1000000 per minute",
    }
    cmd = [sys.executable, "-m", "bot.runner", "run", "--port", str(port), "--var-dir", str(var)]
    for option in ("--internal-port", "--rasa-port", "--action-port"):
        cmd += [option, str(free_port())]
    console = (var / "runner.console.log").open("wb")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=console, stderr=subprocess.STDOUT)
    running = Supervised(process, f"http://127.0.0.1:{port}", var)
    try:
        _wait(lambda: running.health()[0] == 200 or process.poll() is not None, 400, "the stack is healthy")
        assert process.poll() is None, (var / "runner.console.log").read_text()[-3000:]
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                process.kill()
        console.close()


@dataclass
class Load:
    """Closed-loop turns from a few conversations until stopped; every reply kept."""

    url: str
    workers: int = 3
    results: list[dict[str, Any]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def _run(self, worker: int) -> None:
        conversation: str | None = None
        turn = 0
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not self.stop.is_set():
                text = QUESTIONS[(worker + turn) % len(QUESTIONS)]
                try:
                    response = client.post("/api/chat", json={"conversation_id": conversation, "text": text})
                    status, body = response.status_code, response.json()
                except (httpx.HTTPError, ValueError):
                    status, body = 0, {}  # the gateway itself was down: no reply at all
                if status == 200:
                    conversation = body["conversation_id"]
                self.results.append({"worker": worker, "turn": turn, "status": status, "body": body})
                turn += 1
                if status != 200:
                    time.sleep(0.3)

    def __enter__(self) -> Load:
        for worker in range(self.workers):
            thread = threading.Thread(target=self._run, args=(worker,), daemon=True)
            thread.start()
            self.threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=90)


def test_each_killed_process_is_restarted_and_no_answer_goes_unaudited(supervised: Supervised) -> None:
    seen_degraded: dict[str, bool] = {}
    with Load(supervised.url) as load:
        time.sleep(3)
        for name in ("action_server", "gateway", "rasa"):
            before = supervised.pids()[name]
            answered_before = sum(1 for r in load.results if r["status"] == 200)
            os.kill(before, signal.SIGKILL)

            def down(name: str = name) -> bool:
                status, body = supervised.health()
                if name == "gateway":
                    return status == 0
                return status == 503 and body.get("status") == "degraded" and name in body.get("failing", [])

            _wait(down, 30, f"health reports {name} down")
            seen_degraded[name] = True
            _wait(lambda: supervised.health()[0] == 200, 300, f"{name} is back and health is ok")
            assert supervised.pids()[name] != before
            # Service resumed by itself: new turns are answered again.
            _wait(
                lambda n=answered_before: sum(1 for r in load.results if r["status"] == 200) > n + 3,
                60,
                f"turns are answered again after {name} came back",
            )
    assert supervised.process.poll() is None, "the runner itself stopped"
    assert seen_degraded == {"action_server": True, "gateway": True, "rasa": True}

    statuses = {r["status"] for r in load.results}
    assert statuses <= {0, 200, 503}, statuses
    refused = [r for r in load.results if r["status"] == 503]
    assert refused, "no turn met the outage: the load did not run through it"
    for r in refused:
        assert r["body"]["error"]["code"] == "service_unavailable"
        assert UNAVAILABLE in r["body"]["error"]["message"]
        assert "audit_id" not in r["body"]

    answered = [r for r in load.results if r["status"] == 200]
    assert len(answered) >= 20
    settings = AuditSettings(
        key_path=supervised.var / "keys" / "audit_ed25519.pem",
        content_key_path=supervised.var / "keys" / "audit_content.key",
        var_dir=supervised.var,
    )
    log = open_audit_log(f"sqlite:///{supervised.var / 'audit.db'}", settings=settings)
    try:
        for worker in {r["worker"] for r in answered}:
            mine = sorted((r for r in answered if r["worker"] == worker), key=lambda r: r["turn"])
            stored = [log.require(r["body"]["audit_id"]) for r in mine]  # raises when a record is missing
            assert len({record.get("conversation") for record in stored}) == 1
            seqs = [record["seq"] for record in stored]
            turns = [record.get("turn", 0) for record in stored]
            assert seqs == sorted(seqs), f"worker {worker}: records out of turn order"
            assert turns == sorted(turns) and len(set(turns)) == len(turns), f"worker {worker}: {turns}"
    finally:
        log.close()
    verify = run_audit(supervised.var, f"sqlite:///{supervised.var / 'audit.db'}", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    runner_log = (supervised.var / "log" / "runner.log").read_text()
    for name in ("action_server", "gateway", "rasa"):
        assert f"{name} stopped unexpectedly" in runner_log
        assert f"{name} started again" in runner_log


def test_sigterm_stops_the_runner_and_every_process(supervised: Supervised) -> None:
    pids = supervised.pids()
    supervised.process.send_signal(signal.SIGTERM)
    assert supervised.process.wait(timeout=90) == 0
    for name, pid in pids.items():
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), name
