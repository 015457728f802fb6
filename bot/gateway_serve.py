"""One gateway worker of the cluster profile: uvicorn on a port it shares with the other workers.

``python -m bot.gateway_serve --host 127.0.0.1 --port 8000`` serves ``bot.main:create_app`` like
``uvicorn --factory`` does, but binds the public port with ``SO_REUSEPORT`` (and, through
``KOMMUNSVAR_REUSE_PORT``, the internal port too: ``bot.internal_server``), so that several worker
processes listen on the same ports and the kernel spreads the connections between them. Each worker is
its own process under the runner (``gateway-1``, ``gateway-2``): a worker that dies is logged and
started again with the runner's back-off while the other keeps answering. The workers share their
state through Redis and PostgreSQL (``bot.runner.cluster_env``); nothing of a conversation stays in a
worker between turns. Linux only lets processes of the same user share a port this way.
"""

from __future__ import annotations

import argparse
import socket

import uvicorn

DRAIN_SECONDS = 20


def reusable_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that other processes of this user may bind as well."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def main(argv: list[str] | None = None) -> int:
    """Serve the gateway app on a shared port until SIGTERM (in-flight turns finish first)."""
    parser = argparse.ArgumentParser(prog="python -m bot.gateway_serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--timeout-graceful-shutdown", type=int, default=DRAIN_SECONDS)
    args = parser.parse_args(argv)
    config = uvicorn.Config(
        "bot.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        access_log=False,
        timeout_graceful_shutdown=args.timeout_graceful_shutdown,
    )
    server = uvicorn.Server(config)
    server.run(sockets=[reusable_socket(args.host, args.port)])
    return 0 if server.started else 3


if __name__ == "__main__":
    raise SystemExit(main())
