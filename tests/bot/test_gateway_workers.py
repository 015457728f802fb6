"""The cluster profile's gateway workers: their settings, their processes, and ports they share."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.gateway_serve import reusable_socket
from bot.internal_server import InternalServer
from bot.runner import (
    CLUSTER_REDIS,
    GATEWAY_WORKERS,
    MALLOC_ARENAS,
    Stack,
    StackConfig,
    cluster_env,
    free_port,
)


def test_cluster_env_puts_the_vault_and_the_turn_locks_in_redis() -> None:
    env = cluster_env({})
    assert env["KOMMUNSVAR_VAULT_URL"] == CLUSTER_REDIS
    assert env["KOMMUNSVAR_TURN_LOCK_URL"] == CLUSTER_REDIS
    assert env["KOMMUNSVAR_REUSE_PORT"] == "true"
    moved = cluster_env({"KOMMUNSVAR_CLUSTER_REDIS_URL": "redis://10.0.0.5:6380/2"})
    assert moved["KOMMUNSVAR_VAULT_URL"] == moved["KOMMUNSVAR_TURN_LOCK_URL"] == "redis://10.0.0.5:6380/2"


def _started(
    tmp_path: Path, cluster: bool, monkeypatch: pytest.MonkeyPatch
) -> dict[str, tuple[list[str], dict[str, str]]]:
    """What ``Stack.start`` would spawn: name -> (command, environment); nothing is started."""
    for name in ("KOMMUNSVAR_VAULT_URL", "KOMMUNSVAR_TURN_LOCK_URL", "KOMMUNSVAR_REUSE_PORT"):
        monkeypatch.delenv(name, raising=False)
    config = StackConfig(var_dir=tmp_path, more_instances=[(6005, 6055)] if cluster else [])
    stack = Stack(config)
    spawned: dict[str, tuple[list[str], dict[str, str]]] = {}

    def record(name: str, cmd: list[str], env: dict[str, str]) -> None:
        spawned[name] = (cmd, env)

    monkeypatch.setattr(stack, "_spawn", record)
    stack.start()
    return spawned


def test_the_cluster_profile_starts_two_gateway_workers_on_one_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned = _started(tmp_path, True, monkeypatch)
    workers = [name for name in spawned if name.startswith("gateway")]
    assert GATEWAY_WORKERS == 2 and workers == ["gateway-1", "gateway-2"]
    for name in workers:
        cmd, env = spawned[name]
        assert cmd[1:3] == ["-m", "bot.gateway_serve"] and cmd[cmd.index("--port") + 1] == "8000"
        assert env["KOMMUNSVAR_VAULT_URL"].startswith("redis://")
        assert env["KOMMUNSVAR_TURN_LOCK_URL"].startswith("redis://")
        assert env["KOMMUNSVAR_REUSE_PORT"] == "true"
        assert env["KOMMUNSVAR_VAULT_KEY_PATH"] == str(tmp_path / "keys" / "vault.key")
        assert env["KOMMUNSVAR_RASA_JWT_KEY"]
    assert spawned["gateway-1"][1] == spawned["gateway-2"][1]  # one key file, one pseudonym key, one Redis
    assert all(
        "KOMMUNSVAR_RASA_JWT_KEY" not in env for name, (_, env) in spawned.items() if "gateway" not in name
    )


def test_the_embedded_profile_keeps_one_gateway_with_its_state_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spawned = _started(tmp_path, False, monkeypatch)
    assert [name for name in spawned if name.startswith("gateway")] == ["gateway"]
    cmd, env = spawned["gateway"]
    assert cmd[1:4] == ["-m", "uvicorn", "bot.main:create_app"]
    for name in ("KOMMUNSVAR_VAULT_URL", "KOMMUNSVAR_TURN_LOCK_URL", "KOMMUNSVAR_REUSE_PORT"):
        assert name not in env


def test_every_process_gets_one_math_thread_and_few_malloc_arenas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    spawned = _started(tmp_path, False, monkeypatch)
    assert {"rasa", "action_server", "gateway"} <= set(spawned)
    for _, env in spawned.values():
        assert env["MALLOC_ARENA_MAX"] == str(MALLOC_ARENAS) and env["OMP_NUM_THREADS"] == "1"
    monkeypatch.setenv("MALLOC_ARENA_MAX", "8")  # an operator's own setting wins
    assert all(env["MALLOC_ARENA_MAX"] == "8" for _, env in _started(tmp_path, False, monkeypatch).values())


def test_stop_ends_both_gateway_workers_before_the_rest(tmp_path: Path) -> None:
    stack = Stack(StackConfig(var_dir=tmp_path))
    (tmp_path / "log").mkdir()
    stopped = tmp_path / "stopped.txt"
    for name in ("rasa-1", "gateway-1", "action_server-1", "gateway-2"):
        code = (
            "import signal, sys, time\n"
            "def stop(*_):\n"
            f"    open({str(stopped)!r}, 'a').write({name!r} + ' %f\\n' % time.time())\n"
            "    sys.exit(0)\n"
            "signal.signal(signal.SIGTERM, stop)\n"
            "time.sleep(60)\n"
        )
        stack._spawn(name, [sys.executable, "-c", code], {})
    time.sleep(1.0)  # the handlers are installed
    stack.stop()
    order = sorted((float(t), n) for n, t in (line.split() for line in stopped.read_text().splitlines()))
    names = [name for _, name in order]
    assert set(names[:2]) == {"gateway-1", "gateway-2"}, names
    assert set(names[2:]) == {"rasa-1", "action_server-1"}, names


def _app(worker: str) -> FastAPI:
    app = FastAPI()

    @app.get("/internal/who")
    def who() -> dict[str, str]:
        return {"worker": worker}

    return app


def test_two_workers_share_the_internal_port_and_one_goes_on_alone() -> None:
    port = free_port()

    async def scenario() -> tuple[set[str], set[str]]:
        first = InternalServer(_app("one"), port, reuse_port=True)
        second = InternalServer(_app("two"), port, reuse_port=True)
        await first.start()
        await second.start()  # a second worker on the same port: no "address in use"
        seen: set[str] = set()
        for _ in range(60):
            async with httpx.AsyncClient() as client:  # a new connection each time
                seen.add((await client.get(f"http://127.0.0.1:{port}/internal/who")).json()["worker"])
        await first.stop()  # one worker dies: the other answers everything
        after: set[str] = set()
        for _ in range(20):
            async with httpx.AsyncClient() as client:
                after.add((await client.get(f"http://127.0.0.1:{port}/internal/who")).json()["worker"])
        await second.stop()
        return seen, after

    seen, after = asyncio.run(scenario())
    assert seen == {"one", "two"}
    assert after == {"two"}


def test_the_public_port_socket_is_shared_by_workers() -> None:
    port = free_port()
    sockets: list[Any] = [reusable_socket("127.0.0.1", port), reusable_socket("127.0.0.1", port)]
    try:
        assert {sock.getsockname()[1] for sock in sockets} == {port}
    finally:
        for sock in sockets:
            sock.close()
