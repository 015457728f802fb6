"""The runner's supervision step on real (tiny) processes: restart with back-off, log, ordered stop."""

from __future__ import annotations

import json
import sys

from bot.runner import RESTART_MAX_SECONDS, STABLE_SECONDS, Stack, StackConfig, restart_delay


def _stack(tmp_path) -> Stack:
    stack = Stack(StackConfig(var_dir=tmp_path))
    (tmp_path / "log").mkdir()
    return stack


def test_back_off_doubles_to_its_cap():
    delays = [restart_delay(n) for n in range(8)]
    assert delays[:4] == [1.0, 2.0, 4.0, 8.0]
    assert max(delays) == RESTART_MAX_SECONDS
    assert delays == sorted(delays)


def test_a_dead_process_is_started_again_after_its_delay_and_logged(tmp_path):
    stack = _stack(tmp_path)
    stack._spawn("worker", [sys.executable, "-c", "raise SystemExit(3)"], {})
    first_pid = stack.processes["worker"].pid
    stack.processes["worker"].wait()
    now = stack.started_at["worker"] + 1
    events = stack.supervise(now)
    assert events == ["worker stopped unexpectedly (exit code 3); starting it again in 1 s"]
    assert stack.supervise(now + 0.5) == []  # not due yet
    assert stack.processes["worker"].pid == first_pid
    assert stack.supervise(now + 1.0) == ["worker started again (restart 1)"]
    assert stack.processes["worker"].pid != first_pid
    pids = json.loads((tmp_path / "run" / "processes.json").read_text())
    assert pids == {"worker": stack.processes["worker"].pid}
    # It dies again at once: the next wait is twice as long.
    stack.processes["worker"].wait()
    assert "starting it again in 2 s" in stack.supervise(stack.started_at["worker"] + 0.1)[0]
    log = (tmp_path / "log" / "runner.log").read_text()
    assert log.count("worker stopped unexpectedly") == 2 and "worker started again" in log
    stack.stop()


def test_the_back_off_starts_over_after_a_stable_minute(tmp_path):
    stack = _stack(tmp_path)
    stack._spawn("worker", [sys.executable, "-c", "pass"], {})
    stack.restarts["worker"] = 5  # it had been failing
    stack.processes["worker"].wait()
    events = stack.supervise(stack.started_at["worker"] + STABLE_SECONDS + 1)
    assert events[0].endswith("starting it again in 1 s")
    stack.stop()


def test_a_running_process_is_left_alone_and_stop_ends_everything(tmp_path):
    stack = _stack(tmp_path)
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    stack._spawn("gateway", sleeper, {})
    stack._spawn("rasa", sleeper, {})
    assert stack.supervise() == []
    stack.stop()
    assert all(proc.poll() is not None for proc in stack.processes.values())


def test_a_stack_on_free_ports_binds_nothing_another_holds(tmp_path):
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        taken = held.getsockname()[1]
        embedded = StackConfig.on_free_ports(tmp_path, extra_env={"A": "1"})
        cluster = StackConfig.on_free_ports(tmp_path, instances=3)
    ports = [embedded.gateway_port, embedded.internal_port, embedded.rasa_port, embedded.action_port]
    assert taken not in ports and len(set(ports)) == 4
    assert not embedded.cluster and embedded.extra_env == {"A": "1"} and embedded.var_dir == tmp_path
    assert cluster.cluster and len(cluster.instances) == 3
    assert len({p for pair in cluster.instances for p in pair}) == 6
