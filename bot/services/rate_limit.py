"""Abuse limits per client address and per conversation, with the ``limits`` library.

Every citizen turn runs the redactor, Rasa and an audit append, and every contest makes a case with
deadlines in the staff queue, so an unlimited client costs the municipality money and staff time. The
limits (``KOMMUNSVAR_RATE_LIMIT_*`` settings) use a moving window, kept in memory for one gateway
worker or in Redis (``KOMMUNSVAR_RATE_LIMIT_STORAGE_URL=redis://…``) when several workers share them.
A limit that is used up raises :class:`bot.errors.RateLimited` with the seconds until the window frees
a slot; the error table answers 429 with a plain Swedish message and ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import math
import time

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from bot.errors import RateLimited
from bot.settings import Settings


class RateLimits:
    """The gateway's limits; ``enabled=False`` makes every check pass (load tests, evaluations)."""

    def __init__(self, settings: Settings) -> None:
        """Parse the configured limits and open their storage (no I/O for ``memory://``)."""
        self.enabled = settings.rate_limit_enabled
        self._limiter = MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage_url))
        self.chat_per_address = parse(settings.rate_limit_chat_per_address)
        self.chat_per_conversation = parse(settings.rate_limit_chat_per_conversation)
        self.new_conversations = parse(settings.rate_limit_new_conversations_per_address)
        self.cases_per_address = parse(settings.rate_limit_cases_per_address)
        self.logins_per_address = parse(settings.rate_limit_logins_per_address)
        self.feedback_per_address = parse(settings.rate_limit_feedback_per_address)
        self.deletions_per_address = parse(settings.rate_limit_deletions_per_address)

    def chat_turn(self, address: str, conversation_id: str | None) -> None:
        """One chat turn: per address, per conversation, and per address for a new conversation."""
        self._hit("chat_address", self.chat_per_address, address)
        if conversation_id is None:
            self._hit("new_conversation", self.new_conversations, address)
        else:
            self._hit("chat_conversation", self.chat_per_conversation, conversation_id)

    def case(self, address: str) -> None:
        """One contest, feedback or case request from ``address``."""
        self._hit("cases", self.cases_per_address, address)

    def feedback(self, address: str) -> None:
        """One "Hjälpte svaret?" vote or conversation rating from ``address``."""
        self._hit("feedback", self.feedback_per_address, address)

    def deletion(self, address: str) -> None:
        """A citizen deletes a conversation ("Radera mitt samtal"): each one rewrites several stores."""
        self._hit("deletion", self.deletions_per_address, address)

    def login(self, address: str) -> None:
        """One login attempt from ``address`` (accounts are also locked per account, bot.auth)."""
        self._hit("login", self.logins_per_address, address)

    def _hit(self, scope: str, item: RateLimitItem, identifier: str) -> None:
        if not self.enabled:
            return
        key = _key(identifier)
        if self._limiter.hit(item, scope, key):
            return
        reset = self._limiter.get_window_stats(item, scope, key).reset_time
        raise RateLimited(scope, math.ceil(reset - time.time()))


def _key(value: str) -> str:
    """An address or conversation id as the limiter stores it: hashed (an IP address is personal data).

    Redis may be shared or persisted; the raw values never reach it.
    """
    return hashlib.sha256(value.encode()).hexdigest()[:32]
