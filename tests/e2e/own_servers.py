"""A PostgreSQL and a Redis server of the test's own, on free loopback ports, that a test may crash.

The fault test restarts the cluster's PostgreSQL and Redis under load. It must not touch the machine's
shared servers (other tests and other projects use them), so it starts its own from the same binaries:
``initdb``/``pg_ctl`` (PostgreSQL refuses to run as root: as root they run as the ``postgres`` user through
``runuser``) and ``redis-server`` without persistence, as the machine's own Redis runs. When a binary is
missing the fixture skips locally and fails in CI (:func:`tests.audit.required_services.require_service`).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

from bot.runner import free_port


def _postgres_bin(name: str) -> str | None:
    """``initdb`` or ``pg_ctl`` from PATH, else from Debian's versioned folder."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


def own_servers_problem() -> str | None:
    """Why the test cannot start its own servers here, or None."""
    missing = [name for name in ("initdb", "pg_ctl") if _postgres_bin(name) is None]
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    if missing:
        return "not installed: " + ", ".join(missing)
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


class OwnRedis:
    """``redis-server`` on a free port, nothing kept on disk; :meth:`crash` is SIGKILL."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        while True:
            try:
                client.ping()
                break
            except redis.RedisError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"redis-server did not start: {(self.folder / 'redis.log').read_text()}"
                    ) from exc
                time.sleep(0.1)
        client.close()

    def crash(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


class OwnPostgres:
    """A PostgreSQL cluster in a temporary folder on a free port; :meth:`crash` is ``pg_ctl -m immediate``
    (the server stops without a checkpoint, as after a crash, and recovers from its WAL when started)."""

    def __init__(self) -> None:
        self.port = free_port()
        # Not under pytest's tmp_path: that is private to root, and the server may run as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="kommunsvar-pg-"))
        self.data = self.folder / "data"
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, name: str, *args: str) -> None:
        binary = _postgres_bin(name)
        assert binary is not None
        command = [binary, *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{name} {' '.join(args)} failed: {done.stdout}{done.stderr}")

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c max_connections=200"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "start",
        )

    def crash(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        except RuntimeError:
            pass  # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)

    def log_tail(self) -> str:
        path = self.folder / "postgres.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""
