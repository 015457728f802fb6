"""Starts and stops the three processes together: Rasa, the action server and the gateway.

``python -m bot.runner run`` trains the Rasa model when it is missing or stale, starts everything on
loopback, waits until ``GET /api/health`` answers 200 and prints where to chat. Then it supervises: a
process that dies is started again after a back-off (1 s, doubling to 30 s; reset after a minute of
uptime), each event logged on the console and in ``var/log/runner.log``, while ``/api/health`` names the
missing part and citizens get the plain "try again or call us" reply. Ctrl-C (or SIGTERM) stops the
gateway first, letting its in-flight turns finish, then Rasa and the action server.
``python -m bot.runner train`` only (re)trains when needed. ``--profile cluster`` starts 2 Rasa servers,
2 action servers and 2 gateway workers (``gateway-1``, ``gateway-2`` on one port) sharing PostgreSQL and
Redis (:func:`cluster_env`).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import httpx

from bot.rasa_auth import new_key_pair
from bot.settings import PROJECT_ROOT

MODEL_NAME = "kommunsvar"
_EPOCH_PERCENT = re.compile(r"Epochs:\s+(\d+)%")
TRAINING_INPUTS = (
    "config.yml",
    "bot/rasa_nlu.py",  # a component config.yml names
    "bot/domain.yml",
    "data/nlu",
    "data/rules",
    "data/stories",
)


# Supervision: the first restart after RESTART_BASE_SECONDS, doubling up to RESTART_MAX_SECONDS; the
# back-off starts again once a process has stayed up for STABLE_SECONDS.
RESTART_BASE_SECONDS = 1.0
RESTART_MAX_SECONDS = 30.0
STABLE_SECONDS = 60.0
# Thread pools of the math libraries: one thread each unless the environment says otherwise.
SINGLE_THREAD_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "TF_INTRA_OP_PARALLELISM_THREADS",
    "TF_INTER_OP_PARALLELISM_THREADS",
)
# malloc arenas per process (glibc; ignored elsewhere): two instead of eight per core.
MALLOC_ARENAS = 2
# The gateway's in-flight turns may take this long to finish on shutdown (uvicorn's graceful timeout).
DRAIN_SECONDS = 20
# Gateway worker processes of the cluster profile (the embedded profile runs one).
GATEWAY_WORKERS = 2


def say(message: str) -> None:
    """Progress for the person who started the command."""
    sys.stdout.write(f"[kommunsvar] {message}\n")
    sys.stdout.flush()


def restart_delay(restarts_so_far: int) -> float:
    """Seconds to wait before the next restart of a process that has died ``restarts_so_far`` times."""
    return float(min(RESTART_MAX_SECONDS, RESTART_BASE_SECONDS * 2 ** max(0, restarts_so_far)))


def _training_files(root: Path) -> Iterator[Path]:
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*.yml") if p.is_file())


def training_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """SHA-256 over every file the Rasa model is trained from (paths and contents)."""
    digest = hashlib.sha256()
    for path in _training_files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def model_path(root: Path = PROJECT_ROOT) -> Path:
    """Where the trained Rasa model lives."""
    return root / "models" / f"{MODEL_NAME}.tar.gz"


def model_is_current(root: Path = PROJECT_ROOT) -> bool:
    """True when a model exists and was trained from the current training files."""
    stamp = root / "models" / f"{MODEL_NAME}.fingerprint"
    return (
        model_path(root).exists()
        and stamp.exists()
        and stamp.read_text().strip() == training_fingerprint(root)
    )


def rasa_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for Rasa: no telemetry, quiet TensorFlow, INFO logs (DEBUG would print parse data)."""
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "LOG_LEVEL": "INFO",
            "LOG_LEVEL_LIBRARIES": "ERROR",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(PROJECT_ROOT),  # config.yml names a component of ours (bot/rasa_nlu.py)
        }
    )
    env.update(extra or {})
    return env


def rasa_bin(root: Path = PROJECT_ROOT) -> Path:
    """The ``rasa`` executable of the Python 3.10 venv."""
    return root / ".venv-rasa" / "bin" / "rasa"


def rasa_python(root: Path = PROJECT_ROOT) -> Path:
    """The Python 3.10 interpreter of the Rasa venv."""
    return root / ".venv-rasa" / "bin" / "python"


def train_if_needed(root: Path = PROJECT_ROOT, force: bool = False) -> bool:
    """Train the Rasa model when it is missing or stale; returns True when it trained.

    The ``service_question`` examples are regenerated from the articles first (content.catalogue_nlu),
    so a new or edited article of a topic without an intent retrains the model.
    """
    from content.catalogue_nlu import main as write_catalogue_nlu

    write_catalogue_nlu(["--data-dir", str(root / "data")])
    if not force and model_is_current(root):
        say(f"Rasa model is up to date ({model_path(root).relative_to(root)}).")
        return False
    fingerprint = training_fingerprint(root)
    say("Training the Rasa model (about 3–6 minutes on 2 cores) …")
    started = time.monotonic()
    cmd = [
        str(rasa_bin(root)),
        "train",
        "--config",
        "config.yml",
        "--domain",
        "bot/domain.yml",
        "--data",
        "data/nlu",
        "data/rules",
        "data/stories",
        "--out",
        "models",
        "--fixed-model-name",
        MODEL_NAME,
        "--force",
    ]
    proc = subprocess.Popen(
        cmd, cwd=root, env=rasa_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    assert proc.stdout is not None
    shown_percent = -1
    component = "model"
    for line in proc.stdout:
        line = line.rstrip()
        epochs = _EPOCH_PERCENT.search(line)
        if epochs:
            percent = int(epochs.group(1))
            if percent % 25 == 0 and percent != shown_percent:
                shown_percent = percent
                say(f"  training {component}: {percent} %")
            continue
        if "Starting to train component" in line:
            component = line.rsplit("'", 2)[-2] if "'" in line else "component"
            shown_percent = -1
        elif any(key in line for key in ("Your Rasa model", "Error", "Traceback")):
            say(f"  train: {line[-160:]}")
    if proc.wait() != 0:
        raise SystemExit("Rasa training failed; see the lines above.")
    (root / "models" / f"{MODEL_NAME}.fingerprint").write_text(fingerprint + "\n")
    say(f"Rasa model trained in {time.monotonic() - started:.0f} s.")
    return True


@dataclass
class StackConfig:
    """Ports and folders for one run of the three processes.

    Key files default to ``var_dir/keys`` (development). Key paths already set in the environment
    (``KOMMUNSVAR_AUDIT_KEY_PATH``, ``KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH``, ``KOMMUNSVAR_CASES_KEY_PATH``)
    win over that default: in production they must point outside ``var/`` (see ``bot/settings.py``).
    """

    host: str = "127.0.0.1"
    gateway_port: int = 8000
    internal_port: int = 8001  # the gateway's internal API (loopback only)
    rasa_port: int = 5005
    action_port: int = 5055
    var_dir: Path = PROJECT_ROOT / "var"
    root: Path = PROJECT_ROOT
    extra_env: dict[str, str] = field(default_factory=dict)
    # The cluster profile: (Rasa port, action server port) of each instance after the first. Empty: the
    # embedded profile (one of each, SQLite). Not empty: PostgreSQL and Redis shared (cluster_env).
    more_instances: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def on_free_ports(
        cls, var_dir: Path, *, extra_env: dict[str, str] | None = None, instances: int = 1
    ) -> StackConfig:
        """A stack on loopback ports nobody holds (tests, benchmarks, evaluations beside a running stack).

        ``instances`` > 1 is the cluster profile with that many Rasa and action servers.
        """
        gateway, internal, rasa, action, *more = free_ports(2 + 2 * instances)
        return cls(
            gateway_port=gateway,
            internal_port=internal,
            rasa_port=rasa,
            action_port=action,
            var_dir=var_dir,
            extra_env=dict(extra_env or {}),
            more_instances=list(zip(more[::2], more[1::2], strict=True)),
        )

    @property
    def instances(self) -> list[tuple[int, int]]:
        """(Rasa port, action server port) of every Rasa server and its action server."""
        return [(self.rasa_port, self.action_port), *self.more_instances]

    @property
    def cluster(self) -> bool:
        """Whether several Rasa and action servers run (shared PostgreSQL and Redis)."""
        return bool(self.more_instances)


@dataclass
class _Spec:
    """How to (re)start one process."""

    cmd: list[str]
    env: dict[str, str] = field(repr=False)


@dataclass
class Stack:
    """The running processes and their log files."""

    config: StackConfig
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: dict[str, IO[bytes]] = field(default_factory=dict)
    # The /internal API token of this run (generated per start, never written to disk).
    internal_token: str = field(default="", repr=False)
    specs: dict[str, _Spec] = field(default_factory=dict, repr=False)
    started_at: dict[str, float] = field(default_factory=dict)
    restarts: dict[str, int] = field(default_factory=dict)  # consecutive restarts (reset when stable)
    restart_due: dict[str, float] = field(default_factory=dict)  # name -> monotonic time of the restart

    @property
    def gateway_url(self) -> str:
        """Base URL of the gateway."""
        return f"http://{self.config.host}:{self.config.gateway_port}"

    def start(self) -> None:
        """Start Rasa, the action server and the gateway (each logs to ``var/log/<name>.console.log``)."""
        # Databases, logs and keys the three processes create are readable by their owner only.
        os.umask(0o077)
        cfg = self.config
        log_dir = cfg.var_dir / "log"
        log_dir.mkdir(parents=True, exist_ok=True)
        # Rasa's HTTP API: a JWT signed by the gateway; Rasa gets only the public key (harmless in ps).
        jwt_private, jwt_public = new_key_pair()
        # Generated per start unless given (then `python -m audit forget --gateway` can use it too).
        self.internal_token = os.environ.get("KOMMUNSVAR_INTERNAL_TOKEN") or secrets.token_urlsafe(32)
        python = sys.executable
        # Development default: keys with the run's other data; key paths set in the environment win.
        keys = cfg.var_dir / "keys"
        key_defaults = {
            "KOMMUNSVAR_AUDIT_KEY_PATH": str(keys / "audit_ed25519.pem"),
            "KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH": str(keys / "audit_content.key"),
            "KOMMUNSVAR_CASES_KEY_PATH": str(keys / "case_contact.key"),
            # Used only with the Redis vault (cluster profile): every gateway worker reads the same file.
            "KOMMUNSVAR_VAULT_KEY_PATH": str(keys / "vault.key"),
        }
        key_paths = {name: os.environ.get(name) or default for name, default in key_defaults.items()}
        common = {
            "KOMMUNSVAR_VAR_DIR": str(cfg.var_dir),
            **key_paths,
            # Rasa's tracker store: Rasa reads it through bot/endpoints.yml, the gateway purges it.
            "KOMMUNSVAR_RASA_TRACKER_URL": tracker_url(cfg),
            # Several, comma-separated, in the cluster profile: the gateway balances (bot/rasa_client.py).
            "KOMMUNSVAR_RASA_URL": ",".join(f"http://{cfg.host}:{rasa}" for rasa, _ in cfg.instances),
            "KOMMUNSVAR_ACTION_URL": ",".join(f"http://{cfg.host}:{action}" for _, action in cfg.instances),
            # The action server creates cases through the gateway's loopback-only /internal API.
            "KOMMUNSVAR_INTERNAL_TOKEN": self.internal_token,
            # The action server creates cases through the gateway's internal listener, not the public port.
            "KOMMUNSVAR_GATEWAY_URL": f"http://127.0.0.1:{cfg.internal_port}",
            "KOMMUNSVAR_INTERNAL_PORT": str(cfg.internal_port),
            "KOMMUNSVAR_CODE_VERSION": code_version(cfg.root),
            "PYTHONUNBUFFERED": "1",
            # One thread per process for numpy's BLAS, torch and TensorFlow: the processes already run
            # side by side, and a pool per process spin-waited for the cores (docs/performance.md).
            **{name: os.environ.get(name, "1") for name in SINGLE_THREAD_ENV},
            # glibc gives each thread that allocates its own malloc arena; Rasa's TensorFlow and Sanic
            # threads kept about 100 MB of them (bench-load RSS, docs/performance.md "The sixth cut").
            "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", str(MALLOC_ARENAS)),
            **(cluster_env({**os.environ, **cfg.extra_env}) if cfg.cluster else {}),
            **cfg.extra_env,
        }
        endpoints = "bot/endpoints-cluster.yml" if cfg.cluster else "bot/endpoints.yml"
        for number, (rasa_port, action_port) in enumerate(cfg.instances, 1):
            suffix = f"-{number}" if cfg.cluster else ""
            self._spawn(
                f"rasa{suffix}",
                [
                    # `rasa run` through bot/rasa_serve.py: the same command line with one CPU fix.
                    str(rasa_python(cfg.root)),
                    "-m",
                    "bot.rasa_serve",
                    "run",
                    "--enable-api",
                    "--jwt-secret",
                    jwt_public,
                    "--jwt-method",
                    "RS256",
                    # sanic-jwt insists on a private key for RS256 although Rasa only verifies tokens: a
                    # placeholder, never used (the gateway's signing key stays in the gateway's environment).
                    "--jwt-private-key",
                    "unused-rasa-only-verifies",
                    "-i",
                    cfg.host,
                    "-p",
                    str(rasa_port),
                    "-m",
                    str(model_path(cfg.root)),
                    "--endpoints",
                    endpoints,
                    "--credentials",
                    "bot/credentials.yml",
                    "--logging-config-file",
                    "bot/rasa-logging.yml",
                ],
                rasa_env(
                    {
                        **common,
                        "KOMMUNSVAR_ACTION_WEBHOOK": f"http://{cfg.host}:{action_port}/webhook",
                        "KOMMUNSVAR_RASA_LOG_FILE": str(log_dir / f"rasa{suffix}.log"),
                        "PYTHONPATH": str(cfg.root),
                    }
                ),
            )
            self._spawn(
                f"action_server{suffix}",
                [python, "-m", "actions.server"],
                {**os.environ, **common, "SANIC_HOST": cfg.host, "KOMMUNSVAR_ACTION_PORT": str(action_port)},
            )
        gateway_env = {
            **os.environ,
            **common,
            "KOMMUNSVAR_PORT": str(cfg.gateway_port),
            "KOMMUNSVAR_RASA_JWT_KEY": jwt_private,  # the gateway's alone: not in the others' environment
        }
        if not cfg.cluster:
            self._spawn(
                "gateway",
                [
                    python,
                    "-m",
                    "uvicorn",
                    "bot.main:create_app",
                    "--factory",
                    "--host",
                    cfg.host,
                    "--port",
                    str(cfg.gateway_port),
                    "--no-access-log",
                    "--timeout-graceful-shutdown",
                    str(DRAIN_SECONDS),
                ],
                gateway_env,
            )
            return
        # The cluster profile: GATEWAY_WORKERS processes on the same ports (SO_REUSEPORT), each supervised
        # here like the Rasa servers, sharing the vault and the turn locks in Redis (cluster_env).
        for number in range(1, GATEWAY_WORKERS + 1):
            self._spawn(
                f"gateway-{number}",
                [
                    python,
                    "-m",
                    "bot.gateway_serve",
                    "--host",
                    cfg.host,
                    "--port",
                    str(cfg.gateway_port),
                    "--timeout-graceful-shutdown",
                    str(DRAIN_SECONDS),
                ],
                gateway_env,
            )

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str]) -> None:
        self.specs[name] = _Spec(cmd, env)
        if name not in self.logs:
            self.logs[name] = (self.config.var_dir / "log" / f"{name}.console.log").open("ab")
        self.processes[name] = subprocess.Popen(
            cmd,
            cwd=self.config.root,
            env=env,
            stdout=self.logs[name],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started_at[name] = time.monotonic()
        self._write_pids()

    def _write_pids(self) -> None:
        """``var/run/processes.json``: the current process id of each part (for operators and fault tests)."""
        run_dir = self.config.var_dir / "run"
        run_dir.mkdir(parents=True, exist_ok=True)
        target = run_dir / "processes.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps({name: proc.pid for name, proc in self.processes.items()}))
        temporary.replace(target)

    def dead(self) -> list[str]:
        """Names of processes that have exited."""
        return [name for name, proc in self.processes.items() if proc.poll() is not None]

    def supervise(self, now: float | None = None) -> list[str]:
        """One supervision step: schedule a restart for each newly dead process, start those that are due.

        Returns what happened, one plain line per event (also written to ``var/log/runner.log``).
        """
        now = time.monotonic() if now is None else now
        events: list[str] = []
        for name, proc in self.processes.items():
            if name in self.restart_due:
                if now >= self.restart_due[name]:
                    del self.restart_due[name]
                    spec = self.specs[name]
                    self._spawn(name, spec.cmd, spec.env)
                    events.append(f"{name} started again (restart {self.restarts[name]})")
                continue
            code = proc.poll()
            if code is None:
                continue
            if now - self.started_at.get(name, now) >= STABLE_SECONDS:
                self.restarts[name] = 0
            delay = restart_delay(self.restarts.get(name, 0))
            self.restarts[name] = self.restarts.get(name, 0) + 1
            self.restart_due[name] = now + delay
            events.append(
                f"{name} stopped unexpectedly (exit code {code}); starting it again in {delay:.0f} s"
            )
        for event in events:
            self._log_event(event)
        return events

    def _log_event(self, event: str) -> None:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        with (self.config.var_dir / "log" / "runner.log").open("a") as log:
            log.write(f"{stamp} {event}\n")

    def wait_healthy(self, timeout: float = 300.0, progress: bool = True) -> None:
        """Block until ``/api/health`` is 200; raise if a process dies or time runs out."""
        started = time.monotonic()
        last_report = 0.0
        while True:
            dead = self.dead()
            if dead:
                raise RuntimeError(
                    f"{', '.join(dead)} stopped while starting; see {self.config.var_dir / 'log'}"
                )
            try:
                response = httpx.get(f"{self.gateway_url}/api/health", timeout=3.0)
                body = response.json()
                if response.status_code == 200 and body.get("status") == "ok":
                    return
                waiting = ", ".join(body.get("failing", []))
            except (httpx.HTTPError, ValueError):
                waiting = "gateway"
            elapsed = time.monotonic() - started
            if elapsed > timeout:
                raise TimeoutError(f"not healthy after {timeout:.0f} s (waiting for {waiting})")
            if progress and elapsed - last_report >= 10:
                say(f"  starting … {elapsed:.0f} s (waiting for {waiting})")
                last_report = elapsed
            time.sleep(1.0)

    def stop(self) -> None:
        """Stop all processes, the gateway first, then the rest; SIGTERM, then SIGKILL when late.

        The gateway drains its in-flight turns, which still need Rasa and the action server.
        """
        self.restart_due.clear()
        first = [name for name in self.processes if name == "gateway" or name.startswith("gateway-")]
        rest = [name for name in self.processes if name not in first]
        for group, grace in ((first, DRAIN_SECONDS + 5), (rest, 15)):
            for name in group:
                if self.processes[name].poll() is None:
                    _signal_group(self.processes[name], signal.SIGTERM)
            deadline = time.monotonic() + grace
            for name in group:
                proc = self.processes[name]
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    _signal_group(proc, signal.SIGKILL)
                    proc.wait()
        for log in self.logs.values():
            log.close()


CLUSTER_DATABASE = "postgresql://postgres@127.0.0.1:5432/kommunsvar"
CLUSTER_REDIS = "redis://127.0.0.1:6379/0"


def cluster_env(source: Mapping[str, str] | None = None) -> dict[str, str]:
    """Where the cluster profile keeps shared state; each value can be set in the environment instead.

    ``KOMMUNSVAR_CLUSTER_DATABASE_URL`` (PostgreSQL: Rasa's tracker store and the audit trail) and
    ``KOMMUNSVAR_CLUSTER_REDIS_URL`` (Rasa's lock store, the rate-limit counters, and for the gateway
    workers the contact vault and the per-conversation turn locks).
    """
    source = os.environ if source is None else source
    database = source.get("KOMMUNSVAR_CLUSTER_DATABASE_URL", CLUSTER_DATABASE)
    redis = urlsplit(source.get("KOMMUNSVAR_CLUSTER_REDIS_URL", CLUSTER_REDIS))
    plain = database.replace("postgresql+psycopg://", "postgresql://", 1)
    env = {
        "KOMMUNSVAR_RASA_TRACKER_URL": plain,
        "KOMMUNSVAR_AUDIT_DATABASE_URL": plain.replace("postgresql://", "postgresql+psycopg://", 1),
        "KOMMUNSVAR_RATE_LIMIT_STORAGE_URL": redis.geturl(),
        # The gateway workers share the contact vault (encrypted) and the turn locks in Redis, and
        # listen on the same ports (bot/gateway_serve.py, bot/internal_server.py).
        "KOMMUNSVAR_VAULT_URL": redis.geturl(),
        "KOMMUNSVAR_TURN_LOCK_URL": redis.geturl(),
        "KOMMUNSVAR_REUSE_PORT": "true",
        "KOMMUNSVAR_REDIS_HOST": redis.hostname or "127.0.0.1",
        "KOMMUNSVAR_REDIS_PORT": str(redis.port or 6379),
        "KOMMUNSVAR_REDIS_DB": (redis.path or "/0").lstrip("/") or "0",
        # Rasa's lock of a conversation outlives a killed Rasa server by this many seconds (default 60);
        # turns take seconds, and the gateway already answers one turn of a conversation at a time.
        "TICKET_LOCK_LIFETIME": "15",
    }
    return {name: source.get(name, value) for name, value in env.items()}


def prepare_cluster_services() -> None:
    """Check that the cluster's PostgreSQL and Redis answer; create the PostgreSQL database if missing."""
    import psycopg
    import redis

    env = cluster_env()
    target = urlsplit(env["KOMMUNSVAR_RASA_TRACKER_URL"])
    name = target.path.lstrip("/")
    maintenance = target._replace(scheme="postgresql", path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')  # name from our own configuration, quoted
                say(f"Created the PostgreSQL database {name}.")
    except psycopg.Error as exc:
        raise SystemExit(f"PostgreSQL is not reachable for the cluster profile: {exc}") from exc
    try:
        redis.Redis.from_url(env["KOMMUNSVAR_RATE_LIMIT_STORAGE_URL"], socket_timeout=5).ping()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis is not reachable for the cluster profile: {exc}") from exc


def tracker_url(cfg: StackConfig) -> str:
    """Rasa's tracker store: ``KOMMUNSVAR_RASA_TRACKER_URL`` when set, else a SQLite file in ``var_dir``."""
    configured = cfg.extra_env.get("KOMMUNSVAR_RASA_TRACKER_URL") or os.environ.get(
        "KOMMUNSVAR_RASA_TRACKER_URL"
    )
    return configured or f"sqlite:///{cfg.var_dir / 'rasa-tracker.db'}"


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """``count`` different TCP ports on loopback that nothing listens on right now.

    All are held until every one is chosen, so the same port cannot be handed out twice.
    """
    with contextlib.ExitStack() as held:
        socks = [held.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (Linux ``/proc``)."""
    total_kb = 0
    for current in _process_tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
    return round(total_kb / 1024, 1)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children so far (Linux ``/proc``)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for current in _process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)
    return total


def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants that are alive now."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            pending.extend(
                int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()
            )
        except OSError:
            continue
    return found


def code_version(root: Path = PROJECT_ROOT) -> str:
    """The git commit the code runs from (or ``unknown`` outside a checkout)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def run(config: StackConfig) -> int:
    """Train if needed, start everything, wait for health, then supervise until Ctrl-C or SIGTERM.

    Supervising means starting again, after a back-off, whatever dies.
    """
    train_if_needed(config.root)
    if config.cluster:
        prepare_cluster_services()
    stack = Stack(config)
    stopping = False

    def _stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    say("Starting Rasa, the action server and the gateway (Rasa takes about a minute) …")
    stack.start()
    try:
        stack.wait_healthy()
        say(f"Ready. Open {stack.gateway_url}/ to chat. Logs: {config.var_dir / 'log'}. Stop with Ctrl-C.")
        while not stopping:
            for event in stack.supervise():
                say(event)
            time.sleep(0.5)
        say("Stopping (the gateway finishes the turns it is answering) …")
        return 0
    except (RuntimeError, TimeoutError) as exc:
        say(f"Could not start: {exc}")
        return 1
    finally:
        stack.stop()
        say("All processes stopped.")


def main(argv: list[str] | None = None) -> int:
    """Command line: ``run`` or ``train``."""
    parser = argparse.ArgumentParser(prog="python -m bot.runner")
    parser.add_argument("command", choices=["run", "train"])
    parser.add_argument("--force", action="store_true", help="train even when the model is current")
    defaults = StackConfig()
    parser.add_argument("--port", type=int, default=defaults.gateway_port, help="the gateway's public port")
    parser.add_argument("--internal-port", type=int, default=defaults.internal_port)
    parser.add_argument("--rasa-port", type=int, default=defaults.rasa_port)
    parser.add_argument("--action-port", type=int, default=defaults.action_port)
    parser.add_argument("--var-dir", type=Path, default=defaults.var_dir, help="databases, logs and keys")
    parser.add_argument(
        "--profile",
        choices=["embedded", "cluster"],
        default=os.environ.get("KOMMUNSVAR_PROFILE", "embedded"),
        help="cluster: 2 Rasa and 2 action servers sharing PostgreSQL and Redis (KOMMUNSVAR_PROFILE)",
    )
    args = parser.parse_args(argv)
    if args.command == "train":
        train_if_needed(PROJECT_ROOT, force=args.force)
        return 0
    return run(
        StackConfig(
            gateway_port=args.port,
            internal_port=args.internal_port,
            rasa_port=args.rasa_port,
            action_port=args.action_port,
            var_dir=args.var_dir.resolve(),
            more_instances=[(args.rasa_port + 1, args.action_port + 1)] if args.profile == "cluster" else [],
        )
    )


if __name__ == "__main__":
    raise SystemExit(main())
