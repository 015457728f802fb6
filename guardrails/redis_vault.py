"""The vault in Redis, shared by several gateway workers (the cluster profile).

Same behaviour and interface as :class:`guardrails.vault.Vault`, with the state in Redis instead of one
process's memory, so that a contact typed in a turn one worker answered can be revealed by another:

* a value is stored only when a declared purpose can use its type, encrypted with AES-256-GCM (the
  conversation is the associated data, so a blob copied to another conversation does not decrypt);
  Redis never holds a raw value, not in a key, not in a value;
* the keyed hash that keeps a value's placeholder stable is made with a key shared by every worker
  (read from a key file by the gateway, never random per process), so two workers number alike;
* every key of a conversation has a Redis TTL equal to the vault TTL, set again on each activity
  (redaction or reveal): the idle TTL of the in-memory vault, kept by Redis's own clock;
* the recorded uses (purpose, type, placeholder; never the value) are a Redis list, so the worker that
  writes the turn's audit record drains the uses another worker's reveal recorded.

Keys (``{conversation}`` in braces: one hash slot per conversation in a Redis Cluster)::

    <prefix>:{<conversation>}:ids     hash   keyed hash of (type, value) -> placeholder
    <prefix>:{<conversation>}:n       hash   placeholder label -> last number given
    <prefix>:{<conversation>}:values  hash   placeholder -> nonce + AES-GCM ciphertext of (type, value)
    <prefix>:{<conversation>}:uses    list   JSON of each recorded use

The conversation is the gateway's pseudonym of the conversation id, never the id itself. Unlike the
in-memory vault there is no cap on the number of conversations (``vault_max_conversations``): the TTL
and Redis's own memory limit bound them. A Redis error is raised as ``VaultUnavailable`` (fail closed:
the gateway answers 503 rather than redacting without its vault).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import time
from collections.abc import Mapping
from typing import Any, cast

import redis
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from guardrails.errors import PlaceholderNotFound, VaultError, VaultUnavailable
from guardrails.vault import PURPOSES, VaultUse, placeholder_label, value_key

DEFAULT_PREFIX = "kommunsvar:vault"
_NONCE_BYTES = 12

# KEYS: ids, n, values, uses. ARGV: identity, label, blob ('' when not kept), max values, TTL in ms.
# Atomic, so two workers redacting in one conversation can never give one number twice.
_PLACEHOLDER_FOR = """
local existing = redis.call('HGET', KEYS[1], ARGV[1])
local placeholder = existing
if not existing then
  local number = redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
  placeholder = '<' .. ARGV[2] .. '_' .. number .. '>'
  if redis.call('HLEN', KEYS[1]) < tonumber(ARGV[4]) then
    redis.call('HSET', KEYS[1], ARGV[1], placeholder)
    if ARGV[3] ~= '' then
      redis.call('HSET', KEYS[3], placeholder, ARGV[3])
    end
  end
end
for _, key in ipairs(KEYS) do
  redis.call('PEXPIRE', key, ARGV[5])
end
return placeholder
"""

# KEYS: ids, n, values, uses. ARGV: placeholder, use (JSON; '' to only read), TTL in ms.
_REVEAL = """
local blob = redis.call('HGET', KEYS[3], ARGV[1])
if not blob then
  return false
end
if ARGV[2] ~= '' then
  redis.call('RPUSH', KEYS[4], ARGV[2])
  for _, key in ipairs(KEYS) do
    redis.call('PEXPIRE', key, ARGV[3])
  end
end
return blob
"""

# KEYS: uses. Returns the list and deletes it in one step (each use reaches one audit record).
_DRAIN = """
local uses = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return uses
"""

# KEYS: ids, n, values, uses. Returns how many values went.
_FORGET = """
local dropped = redis.call('HLEN', KEYS[3])
redis.call('DEL', unpack(KEYS))
return dropped
"""


class RedisVault:
    """Raw values per conversation in Redis, encrypted, with an idle TTL; shared by gateway workers.

    Args:
        client: A synchronous Redis client (``redis.Redis``); bytes responses (no ``decode_responses``).
        encryption_key: 32 bytes for AES-256-GCM.
        hash_key: Key of the keyed hash of values (at least 32 bytes); every worker must share it.
        ttl_seconds: How long a conversation's values live after its last activity.
        max_values: Values per conversation; beyond it new values get placeholders but are not stored.
        purposes: Purpose -> entity types it may reveal; only those types are stored.
        prefix: Prefix of every key (one per deployment sharing a Redis).
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        encryption_key: bytes,
        hash_key: bytes,
        ttl_seconds: float = 1800.0,
        max_values: int = 500,
        purposes: Mapping[str, frozenset[str]] = PURPOSES,
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        if len(encryption_key) != 32:
            raise VaultError("the vault's encryption key must be 32 bytes")
        if len(hash_key) < 32:
            raise VaultError("the vault's hash key must be at least 32 bytes")
        self._redis = client
        self._aead = AESGCM(encryption_key)
        self._hash_key = hash_key
        self._ttl_ms = max(1, math.ceil(ttl_seconds * 1000))
        self._max_values = max_values
        self._purposes = {name: frozenset(types) for name, types in purposes.items()}
        self._kept_types = frozenset().union(*self._purposes.values())
        self._prefix = prefix
        self._placeholder_for = client.register_script(_PLACEHOLDER_FOR)
        self._reveal = client.register_script(_REVEAL)
        self._drain = client.register_script(_DRAIN)
        self._forget = client.register_script(_FORGET)

    @classmethod
    def from_url(
        cls,
        url: str,
        master_key: bytes,
        *,
        ttl_seconds: float = 1800.0,
        max_values: int = 500,
        prefix: str = DEFAULT_PREFIX,
    ) -> RedisVault:
        """A vault on the Redis at ``url``, its two keys derived from one secret of the key file.

        ``master_key`` is the content of the vault's key file (shared by every worker); the encryption
        and hash keys are derived from it with HMAC-SHA256 under distinct labels.
        """
        if len(master_key) < 32:
            raise VaultError("the vault's key must be at least 32 bytes")
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        return cls(
            client,
            encryption_key=hmac.new(master_key, b"kommunsvar vault encryption", hashlib.sha256).digest(),
            hash_key=hmac.new(master_key, b"kommunsvar vault placeholder hash", hashlib.sha256).digest(),
            ttl_seconds=ttl_seconds,
            max_values=max_values,
            prefix=prefix,
        )

    @property
    def kept_types(self) -> frozenset[str]:
        """Entity types whose values are stored (those a declared purpose can use)."""
        return self._kept_types

    @property
    def ttl_seconds(self) -> float:
        """The idle TTL, as set on every key of a conversation."""
        return self._ttl_ms / 1000

    def keys(self, conversation_id: str) -> list[str]:
        """The Redis keys of a conversation: ids, counters, values, uses."""
        base = f"{self._prefix}:{{{conversation_id}}}"
        return [f"{base}:ids", f"{base}:n", f"{base}:values", f"{base}:uses"]

    def _identity(self, entity_type: str, value: str) -> str:
        material = f"{entity_type}\0{value_key(entity_type, value)}".encode("utf-8", "surrogatepass")
        return hmac.new(self._hash_key, material, hashlib.sha256).hexdigest()

    def _seal(self, conversation_id: str, entity_type: str, value: str) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        plain = json.dumps({"t": entity_type, "v": value}, ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )
        return nonce + self._aead.encrypt(nonce, plain, conversation_id.encode())

    def _open(self, conversation_id: str, blob: bytes) -> tuple[str, str]:
        try:
            plain = self._aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], conversation_id.encode())
        except InvalidTag:
            raise VaultError("a vaulted value does not decrypt with this vault's key") from None
        data = json.loads(plain.decode("utf-8", "surrogatepass"))
        return str(data["t"]), str(data["v"])

    def _call(self, script: Any, keys: list[str], args: list[Any]) -> Any:
        try:
            return script(keys=keys, args=args)
        except redis.RedisError as exc:
            raise VaultUnavailable(f"redis: {type(exc).__name__}") from None

    def placeholder_for(self, conversation_id: str, entity_type: str, value: str) -> str:
        """Return the placeholder of ``value`` in the conversation.

        The value itself is stored (encrypted) only when a declared purpose can use its type; otherwise
        only a keyed hash is kept, so that the value keeps its placeholder.
        """
        blob = self._seal(conversation_id, entity_type, value) if entity_type in self._kept_types else b""
        args = [
            self._identity(entity_type, value),
            placeholder_label(entity_type),
            blob,
            self._max_values,
            self._ttl_ms,
        ]
        result = self._call(self._placeholder_for, self.keys(conversation_id), args)
        return bytes(result).decode() if isinstance(result, bytes) else str(result)

    def reveal(self, conversation_id: str, placeholder: str, purpose: str) -> str:
        """Return the raw value behind a placeholder for a declared purpose and record the use.

        Raises:
            VaultError: If the purpose is empty or not declared, or may not use the value's type.
            PlaceholderNotFound: If the placeholder is unknown in the conversation, has expired, or its
                type is never stored.
            VaultUnavailable: If Redis cannot be reached.
        """
        if not purpose or not purpose.strip():
            raise VaultError("a purpose is required to reveal a value")
        purpose = purpose.strip()
        allowed = self._purposes.get(purpose)
        if allowed is None:
            raise VaultError(f"undeclared purpose {purpose!r}")
        keys = self.keys(conversation_id)
        blob = self._call(self._reveal, keys, [placeholder, "", self._ttl_ms])
        if not blob:
            raise PlaceholderNotFound(f"{placeholder!s} is not in the vault for this conversation")
        entity_type, value = self._open(conversation_id, bytes(blob))
        if entity_type not in allowed:
            raise VaultError(f"purpose {purpose!r} may not use a {entity_type}")
        use = VaultUse(conversation_id, placeholder, entity_type, purpose, time.time())
        if not self._call(self._reveal, keys, [placeholder, json.dumps(use.to_dict()), self._ttl_ms]):
            raise PlaceholderNotFound(f"{placeholder!s} is not in the vault for this conversation")
        return value

    def uses(self, conversation_id: str) -> list[VaultUse]:
        """Return the recorded uses of the conversation's values (oldest first)."""
        try:
            raw = cast(list[bytes], self._redis.lrange(self.keys(conversation_id)[3], 0, -1))
        except redis.RedisError as exc:
            raise VaultUnavailable(f"redis: {type(exc).__name__}") from None
        return [_use(conversation_id, item) for item in raw]

    def drain_uses(self, conversation_id: str) -> list[VaultUse]:
        """Return and forget the recorded uses (for writing them to the audit trail exactly once)."""
        raw = self._call(self._drain, [self.keys(conversation_id)[3]], [])
        return [_use(conversation_id, item) for item in raw or []]

    def placeholders(self, conversation_id: str) -> dict[str, str]:
        """Return placeholder -> entity type of the live values (no values)."""
        try:
            stored = cast(dict[bytes, bytes], self._redis.hgetall(self.keys(conversation_id)[2]))
        except redis.RedisError as exc:
            raise VaultUnavailable(f"redis: {type(exc).__name__}") from None
        return {ph.decode(): self._open(conversation_id, blob)[0] for ph, blob in stored.items()}

    def holds(self, conversation_id: str) -> int:
        """Return how many raw values of the conversation are stored (0 when none or expired)."""
        try:
            return int(cast(int, self._redis.hlen(self.keys(conversation_id)[2])))
        except redis.RedisError as exc:
            raise VaultUnavailable(f"redis: {type(exc).__name__}") from None

    def forget(self, conversation_id: str) -> int:
        """Drop everything of a conversation now (a deletion request); return how many values went."""
        return int(self._call(self._forget, self.keys(conversation_id), []))

    def purge_expired(self) -> int:
        """Redis expires idle conversations itself; nothing is left to drop (returns 0)."""
        return 0

    def __len__(self) -> int:
        """Return the number of live conversations (a scan of the keys: for tests and operators)."""
        try:
            return sum(1 for _ in self._redis.scan_iter(match=f"{self._prefix}:*:ids", count=1000))
        except redis.RedisError as exc:
            raise VaultUnavailable(f"redis: {type(exc).__name__}") from None


def _use(conversation_id: str, raw: bytes) -> VaultUse:
    data = json.loads(raw)
    return VaultUse(
        conversation_id, str(data["placeholder"]), str(data["type"]), str(data["purpose"]), float(data["at"])
    )
