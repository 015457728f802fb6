"""Short-lived in-memory vault of raw values behind typed, numbered placeholders.

Rasa and every log only ever see placeholders such as ``<PERSONNUMMER_1>``. A raw value is kept here only
when a declared purpose can use it (:data:`PURPOSES`: today e-mail addresses and phone numbers, for the
contact of a case); every other type (personnummer, card, IBAN, names ...) is dropped at once. Only a
keyed hash of each value stays, so that the same value keeps its placeholder within the conversation;
the hash key is random per process and never leaves memory. Kept values live until the conversation
has been idle for the TTL, or until :meth:`Vault.forget` (a deletion request). An action that needs a
value calls :meth:`Vault.reveal` naming its purpose; each use is recorded (purpose, type, placeholder —
never the value) so that the caller can put it in the audit trail (ARCHITECTURE §5).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from guardrails.errors import PlaceholderNotFound, VaultError

# Every placeholder the vault hands out (``<PERSON_1>``); group 1 is its label.
PLACEHOLDER_PATTERN = re.compile(r"<([A-Z_]+)_\d+>")

# Presidio entity type -> placeholder label (the shared interface in the team brief).
PLACEHOLDER_LABELS: dict[str, str] = {
    "SE_PERSONNUMMER": "PERSONNUMMER",
    "PERSON": "PERSON",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "LOCATION": "ADDRESS",
    "IBAN_CODE": "IBAN",
    "CREDIT_CARD": "CARD",
    "SE_BANK_ACCOUNT": "BANK_ACCOUNT",
    "SE_BANKGIRO": "BANKGIRO",
    "SE_LICENSE_PLATE": "PLATE",
    "IP_ADDRESS": "IP",
}
LABEL_TYPES: dict[str, str] = {label: entity for entity, label in PLACEHOLDER_LABELS.items()}

# Declared purposes and the entity types each may reveal. A type no purpose names is never stored.
PURPOSES: dict[str, frozenset[str]] = {
    # The contact a citizen typed in a complaint or call-back form, stored encrypted in the case.
    "case_contact": frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"}),
}

# Types whose identity is the digits alone ("19900101-1234" and "199001011234" are one value).
_DIGIT_KEYED = {"SE_PERSONNUMMER", "PHONE_NUMBER", "CREDIT_CARD", "SE_BANK_ACCOUNT", "SE_BANKGIRO"}
# Types whose spaces carry no meaning ("ABC 123" and "ABC123" are one plate).
_SPACE_FREE = {"IBAN_CODE", "SE_LICENSE_PLATE", "IP_ADDRESS"}


def placeholder_label(entity_type: str) -> str:
    """Return the placeholder label of an entity type (unknown types keep their own name)."""
    return PLACEHOLDER_LABELS.get(entity_type, entity_type)


def value_key(entity_type: str, value: str) -> str:
    """Return the identity of a value, so that spelling variants share one placeholder."""
    if entity_type in _DIGIT_KEYED:
        digits = "".join(str(unicodedata.decimal(ch)) for ch in value if ch.isdecimal())
        if entity_type == "PHONE_NUMBER":
            digits = _national_phone_digits(digits)
        elif entity_type == "SE_PERSONNUMMER":
            digits = digits[-10:]
        return digits or value
    folded = " ".join(value.casefold().split())
    if entity_type in _SPACE_FREE:
        return folded.replace(" ", "")
    return folded


def _national_phone_digits(digits: str) -> str:
    if digits.startswith("0046"):
        return "0" + digits[4:]
    if digits.startswith("46") and len(digits) >= 10:
        return "0" + digits[2:]
    return digits


@dataclass(frozen=True)
class VaultUse:
    """One recorded use of a vaulted value (no value inside: safe for the audit trail)."""

    conversation_id: str
    placeholder: str
    entity_type: str
    purpose: str
    at: float

    def to_dict(self) -> dict[str, str | float]:
        """Return a JSON-ready dict for the audit record."""
        return {
            "placeholder": self.placeholder,
            "type": self.entity_type,
            "purpose": self.purpose,
            "at": self.at,
        }


class VaultStore(Protocol):
    """What the redactor, the gateway and purging use of a vault.

    :class:`Vault` keeps it in this process's memory (one gateway worker);
    ``guardrails.redis_vault.RedisVault`` in Redis, shared by several gateway workers.
    """

    @property
    def kept_types(self) -> frozenset[str]:
        """Entity types whose values are stored."""

    def placeholder_for(self, conversation_id: str, entity_type: str, value: str) -> str:
        """The placeholder of ``value`` in the conversation (stored when a purpose can use it)."""

    def reveal(self, conversation_id: str, placeholder: str, purpose: str) -> str:
        """The raw value behind ``placeholder`` for a declared ``purpose``; the use is recorded."""

    def uses(self, conversation_id: str) -> list[VaultUse]:
        """The recorded uses of the conversation's values."""

    def drain_uses(self, conversation_id: str) -> list[VaultUse]:
        """The recorded uses, forgotten as they are returned."""

    def placeholders(self, conversation_id: str) -> dict[str, str]:
        """Placeholder -> entity type of the live values."""

    def holds(self, conversation_id: str) -> int:
        """How many raw values of the conversation are stored."""

    def forget(self, conversation_id: str) -> int:
        """Drop everything of a conversation; how many values went."""

    def purge_expired(self) -> int:
        """Drop idle conversations; how many went."""


@dataclass
class _Conversation:
    by_key: dict[bytes, str] = field(default_factory=dict)  # keyed hash of (type, value) -> placeholder
    values: dict[str, tuple[str, str]] = field(default_factory=dict)  # placeholder -> (type, value)
    counters: dict[str, int] = field(default_factory=dict)
    uses: list[VaultUse] = field(default_factory=list)
    touched: float = 0.0


class Vault:
    """In-memory, thread-safe store of raw values per conversation with an idle TTL.

    Args:
        ttl_seconds: How long a conversation's values live after its last activity.
        max_conversations: The oldest conversations are dropped beyond this many.
        max_values: Values per conversation; beyond it new values get placeholders but are not stored.
        clock: Monotonic clock (injectable for tests).
        purposes: Purpose -> entity types it may reveal; only those types are stored.
    """

    def __init__(
        self,
        ttl_seconds: float = 1800.0,
        max_conversations: int = 100_000,
        max_values: int = 500,
        clock: Callable[[], float] = time.monotonic,
        purposes: Mapping[str, frozenset[str]] = PURPOSES,
    ) -> None:
        self._ttl = ttl_seconds
        self._max_conversations = max_conversations
        self._max_values = max_values
        self._clock = clock
        self._purposes = {name: frozenset(types) for name, types in purposes.items()}
        self._kept_types = frozenset().union(*self._purposes.values())
        self._hash_key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._conversations: OrderedDict[str, _Conversation] = OrderedDict()

    @property
    def kept_types(self) -> frozenset[str]:
        """Entity types whose values are stored (those a declared purpose can use)."""
        return self._kept_types

    def _identity(self, entity_type: str, value: str) -> bytes:
        material = f"{entity_type}\0{value_key(entity_type, value)}".encode("utf-8", "surrogatepass")
        return hmac.new(self._hash_key, material, hashlib.sha256).digest()

    def placeholder_for(self, conversation_id: str, entity_type: str, value: str) -> str:
        """Return the placeholder of ``value`` in the conversation.

        The value itself is stored only when a declared purpose can use its type; otherwise only a
        keyed hash is kept, so that the value keeps its placeholder.
        """
        key = self._identity(entity_type, value)
        label = placeholder_label(entity_type)
        with self._lock:
            now = self._clock()
            conv = self._conversation(conversation_id, now, create=True)
            assert conv is not None
            existing = conv.by_key.get(key)
            if existing is not None:
                return existing
            number = conv.counters.get(label, 0) + 1
            conv.counters[label] = number
            placeholder = f"<{label}_{number}>"
            if len(conv.by_key) < self._max_values:
                conv.by_key[key] = placeholder
                if entity_type in self._kept_types:
                    conv.values[placeholder] = (entity_type, value)
            return placeholder

    def reveal(self, conversation_id: str, placeholder: str, purpose: str) -> str:
        """Return the raw value behind a placeholder for a declared purpose and record the use.

        Raises:
            VaultError: If the purpose is empty or not declared, or may not use the value's type.
            PlaceholderNotFound: If the placeholder is unknown in the conversation, has expired, or its
                type is never stored.
        """
        if not purpose or not purpose.strip():
            raise VaultError("a purpose is required to reveal a value")
        purpose = purpose.strip()
        allowed = self._purposes.get(purpose)
        if allowed is None:
            raise VaultError(f"undeclared purpose {purpose!r}")
        with self._lock:
            now = self._clock()
            conv = self._conversation(conversation_id, now, create=False)
            if conv is None or placeholder not in conv.values:
                raise PlaceholderNotFound(f"{placeholder!s} is not in the vault for this conversation")
            entity_type, value = conv.values[placeholder]
            if entity_type not in allowed:
                raise VaultError(f"purpose {purpose!r} may not use a {entity_type}")
            conv.uses.append(VaultUse(conversation_id, placeholder, entity_type, purpose, time.time()))
            return value

    def uses(self, conversation_id: str) -> list[VaultUse]:
        """Return the recorded uses of the conversation's values (oldest first)."""
        with self._lock:
            conv = self._conversations.get(conversation_id)
            return list(conv.uses) if conv else []

    def drain_uses(self, conversation_id: str) -> list[VaultUse]:
        """Return and forget the recorded uses (for writing them to the audit trail exactly once)."""
        with self._lock:
            conv = self._conversations.get(conversation_id)
            if not conv:
                return []
            drained, conv.uses = conv.uses, []
            return drained

    def placeholders(self, conversation_id: str) -> dict[str, str]:
        """Return placeholder -> entity type of the live values (no values)."""
        with self._lock:
            conv = self._conversation(conversation_id, self._clock(), create=False, touch=False)
            return {ph: typ for ph, (typ, _) in conv.values.items()} if conv else {}

    def holds(self, conversation_id: str) -> int:
        """Return how many raw values of the conversation are stored (0 when none or expired)."""
        with self._lock:
            conv = self._conversation(conversation_id, self._clock(), create=False, touch=False)
            return len(conv.values) if conv else 0

    def forget(self, conversation_id: str) -> int:
        """Drop everything of a conversation now (a deletion request); return how many values went."""
        with self._lock:
            conv = self._conversations.pop(conversation_id, None)
            if conv is None:
                return 0
            dropped = len(conv.values)
            conv.values.clear()
            conv.by_key.clear()
            return dropped

    def purge_expired(self) -> int:
        """Drop conversations idle longer than the TTL; return how many were dropped."""
        with self._lock:
            return self._purge(self._clock())

    def __len__(self) -> int:
        """Return the number of live conversations."""
        with self._lock:
            self._purge(self._clock())
            return len(self._conversations)

    def _conversation(
        self, conversation_id: str, now: float, *, create: bool, touch: bool = True
    ) -> _Conversation | None:
        self._purge(now)
        conv = self._conversations.get(conversation_id)
        if conv is None and create:
            conv = _Conversation()
            self._conversations[conversation_id] = conv
            while len(self._conversations) > self._max_conversations:
                self._conversations.popitem(last=False)
        if conv is not None and touch:
            conv.touched = now
            self._conversations.move_to_end(conversation_id)
        return conv

    def _purge(self, now: float) -> int:
        dropped = 0
        # Conversations are kept in order of last activity: expired ones are at the front.
        while self._conversations:
            oldest_id, oldest = next(iter(self._conversations.items()))
            if now - oldest.touched < self._ttl:
                break
            del self._conversations[oldest_id]
            dropped += 1
        return dropped
