"""The internal API's own loopback listener, served from the gateway process beside the public one.

The public port may sit behind a reverse proxy on the same host, where every request comes from
loopback; the internal routes (cases from the action server, privacy purges from the CLI) are therefore
not on it at all. They listen on ``127.0.0.1:KOMMUNSVAR_INTERNAL_PORT`` and still require the token.
With several gateway workers (the cluster profile, ``KOMMUNSVAR_REUSE_PORT``) every worker binds the
port with ``SO_REUSEPORT``; any of them can answer, as the vault and the case store are shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI

logger = logging.getLogger("kommunsvar.gateway")
LOOPBACK = "127.0.0.1"


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server inside another one's event loop: the outer server owns the signals."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class InternalServer:
    """Starts and stops the internal app on ``127.0.0.1:port`` (port 0: no listener, for tests)."""

    def __init__(self, app: FastAPI, port: int, *, reuse_port: bool = False) -> None:
        """Prepare the server; nothing listens until :meth:`start` (``reuse_port``: shared by workers)."""
        self.port = port
        self._reuse_port = reuse_port
        config = uvicorn.Config(
            app, host=LOOPBACK, port=port, lifespan="off", access_log=False, log_config=None
        )
        self._server = _EmbeddedServer(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 10.0) -> None:
        """Listen, and wait until the socket is bound.

        Raises:
            RuntimeError: the port could not be bound in time (taken, or not allowed).
        """
        if not self.port:
            return
        sockets = None
        if self._reuse_port:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            try:
                sock.bind((LOOPBACK, self.port))
            except OSError:
                sock.close()
                raise RuntimeError(f"the internal API could not listen on {LOOPBACK}:{self.port}") from None
            sockets = [sock]
        self._task = asyncio.create_task(self._server.serve(sockets=sockets))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._server.started:
            if self._task.done() or loop.time() > deadline:
                raise RuntimeError(f"the internal API could not listen on {LOOPBACK}:{self.port}")
            await asyncio.sleep(0.02)
        logger.info("internal_api_listening", extra={"port": self.port})

    async def stop(self) -> None:
        """Stop listening (in-flight internal requests finish first)."""
        if self._task is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
