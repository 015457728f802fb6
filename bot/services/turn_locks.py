"""One turn of a conversation at a time: in this process (one worker) or across workers (Redis).

A turn reads Rasa's tracker after sending the message and writes the audit record with the turn number
it read; two turns of one conversation at once would interleave both. :class:`ConversationLocks` (the
default, ``make run``) serialises them in one gateway process with an ``asyncio.Lock`` per conversation.
With several gateway workers (the cluster profile, ``KOMMUNSVAR_TURN_LOCK_URL=redis://...``)
:class:`RedisTurnLocks` adds a Redis lock (``redis.asyncio.lock.Lock``) per conversation: a worker first
takes its own in-process lock (first come, first served among the turns it received), then the Redis
lock, waiting at most ``wait_seconds``. The Redis lock expires after ``timeout_seconds`` (longer than a
turn may take), so a worker killed mid-turn blocks its conversation no longer than that.

Between workers, turns run in the order they obtain the Redis lock, not strictly in the order they
arrived; the chat page sends a message only after the previous reply, so one citizen's turns arrive one
after another anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from typing import Protocol

import redis.asyncio
from redis.exceptions import LockError, RedisError

from bot.errors import UpstreamUnavailable

logger = logging.getLogger("kommunsvar.chat")

DEFAULT_PREFIX = "kommunsvar:turn"


class TurnLocks(Protocol):
    """What the chat service needs: hold a conversation's lock for the duration of one turn."""

    def hold(self, key: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Hold the lock of ``key`` (a conversation pseudonym) while the block runs."""


class ConversationLocks:
    """One ``asyncio.Lock`` per conversation, so that a conversation's turns are handled one at a time."""

    def __init__(self, size: int = 10_000) -> None:
        self._locks: OrderedDict[str, asyncio.Lock] = OrderedDict()
        self._size = size

    def get(self, key: str) -> asyncio.Lock:
        """The lock of ``key``; the least recently used unlocked locks are forgotten."""
        lock = self._locks.pop(key, None) or asyncio.Lock()
        self._locks[key] = lock
        while len(self._locks) > self._size:
            oldest, old_lock = next(iter(self._locks.items()))
            if old_lock.locked():
                break
            del self._locks[oldest]
        return lock

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the in-process lock of ``key`` (FIFO: asyncio's lock wakes waiters in order)."""
        async with self.get(key):
            yield


class RedisTurnLocks:
    """A Redis lock per conversation, shared by every gateway worker, behind the in-process lock.

    Args:
        client: An asyncio Redis client of this worker's event loop.
        timeout_seconds: The Redis lock expires after this long (longer than any turn may take).
        wait_seconds: How long a turn waits for the lock before the citizen gets "try again" (503).
        prefix: Prefix of the lock keys (one per deployment sharing a Redis).
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        timeout_seconds: float = 60.0,
        wait_seconds: float = 30.0,
        prefix: str = DEFAULT_PREFIX,
        poll_seconds: float = 0.02,
    ) -> None:
        self._redis = client
        self._timeout = timeout_seconds
        self._wait = wait_seconds
        self._prefix = prefix
        self._poll = poll_seconds
        self._local = ConversationLocks()

    @classmethod
    def from_url(
        cls, url: str, *, timeout_seconds: float = 60.0, wait_seconds: float = 30.0
    ) -> RedisTurnLocks:
        """Locks on the Redis at ``url`` (call inside the event loop that will use them)."""
        client = redis.asyncio.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        return cls(client, timeout_seconds=timeout_seconds, wait_seconds=wait_seconds)

    def key(self, conversation: str) -> str:
        """The Redis key of a conversation's lock."""
        return f"{self._prefix}:{conversation}"

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the conversation's lock in this worker and in Redis while the block runs.

        Raises:
            UpstreamUnavailable: Redis cannot be reached, or the lock was not free within the wait.
        """
        async with self._local.get(key):
            lock = self._redis.lock(
                self.key(key),
                timeout=self._timeout,
                sleep=self._poll,
                blocking=True,
                blocking_timeout=self._wait,
            )
            try:
                acquired = await lock.acquire()
            except RedisError as exc:
                raise UpstreamUnavailable("turn_lock", type(exc).__name__) from exc
            if not acquired:
                raise UpstreamUnavailable("turn_lock", f"busy for more than {self._wait:.0f} s")
            try:
                yield
            finally:
                try:
                    await lock.release()
                except LockError:
                    # The turn outlived the lock's timeout; another worker may already hold it again.
                    logger.warning("turn_lock_expired", extra={"timeout_s": self._timeout})
                except RedisError as exc:
                    logger.warning("turn_lock_not_released", extra={"error": type(exc).__name__})

    async def close(self) -> None:
        """Close this worker's Redis connections."""
        await self._redis.aclose()
