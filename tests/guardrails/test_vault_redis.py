"""The vault in Redis (several gateway workers): a real Redis on 127.0.0.1:6379, no fakes.

Each test uses its own key prefix and random values, and deletes its keys afterwards. Two
``RedisVault`` objects with their own Redis connections stand for two gateway workers.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import pytest
import redis

from guardrails.errors import PlaceholderNotFound, VaultError, VaultUnavailable
from guardrails.redis_vault import RedisVault
from tests.audit.required_services import redis_problem, require_service

REDIS_URL = "redis://127.0.0.1:6379/0"
CONTACT = "case_contact"


@pytest.fixture
def client() -> Iterator[redis.Redis]:
    """A connection to the test Redis (skipped locally when it is missing, failed in CI)."""
    require_service(redis_problem())
    connection = redis.Redis.from_url(REDIS_URL)
    yield connection
    connection.close()


@pytest.fixture
def prefix(client: redis.Redis) -> Iterator[str]:
    """A key prefix of this test alone; its keys are deleted afterwards."""
    name = f"test-vault-{secrets.token_hex(6)}"
    yield name
    for key in client.scan_iter(match=f"{name}:*"):
        client.delete(key)


@pytest.fixture
def master_key() -> bytes:
    """The shared content of the vault's key file (as ``load_or_create_token`` returns it)."""
    return secrets.token_hex(32).encode()


def worker(master_key: bytes, prefix: str, ttl_seconds: float = 1800.0, max_values: int = 500) -> RedisVault:
    """A vault as one gateway worker builds it: its own connection, the shared key file."""
    return RedisVault.from_url(
        REDIS_URL, master_key, ttl_seconds=ttl_seconds, max_values=max_values, prefix=prefix
    )


def unique_email() -> str:
    return f"anna.{secrets.token_hex(5)}@example.se"


def unique_phone() -> str:
    return (
        "070-"
        + " ".join(f"{secrets.randbelow(1000):03d}" for _ in range(2))
        + f"{secrets.randbelow(100):02d}"
    )


def every_byte(client: redis.Redis) -> bytes:
    """Every key and every value in the Redis database, concatenated."""
    parts: list[bytes] = []
    for key in client.scan_iter(count=1000):
        parts.append(key)
        kind = client.type(key)
        if kind == b"string":
            parts.append(client.get(key) or b"")
        elif kind == b"hash":
            for field, value in client.hgetall(key).items():
                parts.extend((field, value))
        elif kind == b"list":
            parts.extend(client.lrange(key, 0, -1))
        elif kind == b"set":
            parts.extend(client.smembers(key))
        elif kind == b"zset":
            parts.extend(member for member, _ in client.zrange(key, 0, -1, withscores=True))
    return b"\n".join(parts)


def test_round_trip_and_numbering_like_the_memory_vault(master_key: bytes, prefix: str) -> None:
    vault = worker(master_key, prefix)
    email, phone = unique_email(), "070-123 45 67"
    assert vault.placeholder_for("c1", "PHONE_NUMBER", phone) == "<PHONE_1>"
    assert vault.placeholder_for("c1", "EMAIL_ADDRESS", email) == "<EMAIL_1>"
    assert vault.placeholder_for("c1", "PHONE_NUMBER", "08-123 456 78") == "<PHONE_2>"
    # Spelling variants of one value share the placeholder.
    assert vault.placeholder_for("c1", "PHONE_NUMBER", "+46 70 123 45 67") == "<PHONE_1>"
    assert vault.placeholder_for("c1", "EMAIL_ADDRESS", email.upper()) == "<EMAIL_1>"
    assert vault.placeholder_for("c1", "SE_PERSONNUMMER", "19900101-1239") == "<PERSONNUMMER_1>"
    assert vault.placeholder_for("c1", "SE_PERSONNUMMER", "9001011239") == "<PERSONNUMMER_1>"
    assert vault.reveal("c1", "<EMAIL_1>", CONTACT) == email
    assert vault.reveal("c1", "<PHONE_1>", CONTACT) == phone
    assert vault.placeholders("c1") == {
        "<PHONE_1>": "PHONE_NUMBER",
        "<EMAIL_1>": "EMAIL_ADDRESS",
        "<PHONE_2>": "PHONE_NUMBER",
    }
    assert vault.holds("c1") == 3
    assert vault.holds("other") == 0
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("other", "<EMAIL_1>", CONTACT)


def test_only_types_a_purpose_can_use_are_stored_and_purposes_are_respected(
    master_key: bytes, prefix: str
) -> None:
    vault = worker(master_key, prefix)
    assert vault.kept_types == {"EMAIL_ADDRESS", "PHONE_NUMBER"}
    vault.placeholder_for("c1", "SE_PERSONNUMMER", "19900101-1239")
    vault.placeholder_for("c1", "PERSON", "Karin Öberg")
    vault.placeholder_for("c1", "EMAIL_ADDRESS", unique_email())
    assert vault.placeholders("c1") == {"<EMAIL_1>": "EMAIL_ADDRESS"}
    for placeholder in ("<PERSONNUMMER_1>", "<PERSON_1>", "<EMAIL_9>"):
        with pytest.raises(PlaceholderNotFound):
            vault.reveal("c1", placeholder, CONTACT)
    for purpose in ("", "  ", "marketing"):
        with pytest.raises(VaultError):
            vault.reveal("c1", "<EMAIL_1>", purpose)
    # A purpose that may not use the type is refused, and nothing is recorded.
    narrow = RedisVault(
        redis.Redis.from_url(REDIS_URL),
        encryption_key=secrets.token_bytes(32),
        hash_key=secrets.token_bytes(32),
        purposes={"callback": frozenset({"PHONE_NUMBER"}), "mail": frozenset({"EMAIL_ADDRESS"})},
        prefix=prefix + "-narrow",
    )
    narrow.placeholder_for("c1", "EMAIL_ADDRESS", unique_email())
    with pytest.raises(VaultError, match="may not use"):
        narrow.reveal("c1", "<EMAIL_1>", "callback")
    assert narrow.uses("c1") == []
    assert "@" in narrow.reveal("c1", "<EMAIL_1>", "mail")
    narrow.forget("c1")


def test_values_are_encrypted_at_rest_no_raw_value_in_any_key_or_value(
    client: redis.Redis, master_key: bytes, prefix: str
) -> None:
    vault = worker(master_key, prefix)
    email, phone = unique_email(), unique_phone()
    personnummer, name = "19900101-1239", f"Karin {secrets.token_hex(4)}"
    vault.placeholder_for("c1", "EMAIL_ADDRESS", email)
    vault.placeholder_for("c1", "PHONE_NUMBER", phone)
    vault.placeholder_for("c1", "SE_PERSONNUMMER", personnummer)
    vault.placeholder_for("c1", "PERSON", name)
    vault.reveal("c1", "<EMAIL_1>", CONTACT)
    stored = every_byte(client)
    assert prefix.encode() in stored  # the scan saw this test's keys
    digits = "".join(ch for ch in phone if ch.isdigit())
    for raw in (email, email.split("@")[0], phone, digits, personnummer, "9001011239", name):
        assert raw.encode() not in stored, raw
        assert raw.casefold().encode() not in stored, raw
    # What is stored decrypts with the shared key only.
    blob = client.hget(vault.keys("c1")[2], "<EMAIL_1>")
    assert blob is not None and email.encode() not in blob
    stranger = RedisVault(
        client, encryption_key=secrets.token_bytes(32), hash_key=secrets.token_bytes(32), prefix=prefix
    )
    with pytest.raises(VaultError):
        stranger.reveal("c1", "<EMAIL_1>", CONTACT)


def test_a_blob_copied_to_another_conversation_does_not_decrypt(
    client: redis.Redis, master_key: bytes, prefix: str
) -> None:
    vault = worker(master_key, prefix)
    vault.placeholder_for("c1", "EMAIL_ADDRESS", unique_email())
    blob = client.hget(vault.keys("c1")[2], "<EMAIL_1>")
    assert blob is not None
    client.hset(vault.keys("c2")[2], "<EMAIL_1>", blob)
    with pytest.raises(VaultError):
        vault.reveal("c2", "<EMAIL_1>", CONTACT)


def test_every_key_has_the_vault_ttl_and_activity_sets_it_again(
    client: redis.Redis, master_key: bytes, prefix: str
) -> None:
    vault = worker(master_key, prefix, ttl_seconds=120)
    vault.placeholder_for("c1", "EMAIL_ADDRESS", unique_email())
    vault.reveal("c1", "<EMAIL_1>", CONTACT)
    for key in vault.keys("c1"):
        ttl = client.pttl(key)
        assert 115_000 < ttl <= 120_000, (key, ttl)
    client.pexpire(vault.keys("c1")[2], 5_000)
    vault.placeholder_for("c1", "PHONE_NUMBER", unique_phone())  # activity: the idle TTL starts again
    assert client.pttl(vault.keys("c1")[2]) > 115_000


def test_values_expire_after_the_ttl(master_key: bytes, prefix: str) -> None:
    vault = worker(master_key, prefix, ttl_seconds=0.3)
    vault.placeholder_for("c1", "EMAIL_ADDRESS", unique_email())
    assert vault.holds("c1") == 1
    time.sleep(0.5)
    assert vault.holds("c1") == 0
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c1", "<EMAIL_1>", CONTACT)
    # The numbering went with it: a new value starts again at 1.
    assert vault.placeholder_for("c1", "EMAIL_ADDRESS", unique_email()) == "<EMAIL_1>"


def test_two_workers_share_placeholders_values_and_uses(master_key: bytes, prefix: str) -> None:
    first, second = worker(master_key, prefix), worker(master_key, prefix)
    email = unique_email()
    assert first.placeholder_for("c1", "EMAIL_ADDRESS", email) == "<EMAIL_1>"
    # The same value typed again in a turn the other worker answers keeps its placeholder ...
    assert second.placeholder_for("c1", "EMAIL_ADDRESS", email.upper()) == "<EMAIL_1>"
    assert second.placeholder_for("c1", "SE_PERSONNUMMER", "19900101-1239") == "<PERSONNUMMER_1>"
    assert first.placeholder_for("c1", "SE_PERSONNUMMER", "900101-1239") == "<PERSONNUMMER_1>"
    # ... new values continue the shared numbering ...
    assert first.placeholder_for("c1", "EMAIL_ADDRESS", unique_email()) == "<EMAIL_2>"
    # ... and the value typed on one worker is revealed on the other; the use is drained on the first.
    assert second.reveal("c1", "<EMAIL_1>", CONTACT) == email
    drained = first.drain_uses("c1")
    assert [(u.placeholder, u.entity_type, u.purpose) for u in drained] == [
        ("<EMAIL_1>", "EMAIL_ADDRESS", CONTACT)
    ]
    assert email not in repr(drained[0].to_dict())
    assert first.drain_uses("c1") == [] and second.uses("c1") == []  # exactly once


def test_workers_with_another_key_file_do_not_share_placeholders(master_key: bytes, prefix: str) -> None:
    first, other = worker(master_key, prefix), worker(secrets.token_hex(32).encode(), prefix)
    email = unique_email()
    assert first.placeholder_for("c1", "EMAIL_ADDRESS", email) == "<EMAIL_1>"
    assert other.placeholder_for("c1", "EMAIL_ADDRESS", email) == "<EMAIL_2>"


def test_forget_deletes_every_key_of_the_conversation(
    client: redis.Redis, master_key: bytes, prefix: str
) -> None:
    first, second = worker(master_key, prefix), worker(master_key, prefix)
    first.placeholder_for("c1", "EMAIL_ADDRESS", unique_email())
    first.placeholder_for("c1", "PHONE_NUMBER", unique_phone())
    first.placeholder_for("c1", "PERSON", "Karin Öberg")
    first.reveal("c1", "<PHONE_1>", CONTACT)
    first.placeholder_for("c2", "EMAIL_ADDRESS", unique_email())
    assert len(second) == 2
    assert second.forget("c1") == 2
    assert [key for key in first.keys("c1") if client.exists(key)] == []
    assert first.holds("c1") == 0 and first.uses("c1") == [] and len(first) == 1
    assert first.forget("c1") == 0
    assert first.holds("c2") == 1
    assert first.purge_expired() == 0


def test_values_beyond_the_per_conversation_limit_get_placeholders_but_are_not_stored(
    master_key: bytes, prefix: str
) -> None:
    vault = worker(master_key, prefix, max_values=2)
    emails = [unique_email() for _ in range(3)]
    assert [vault.placeholder_for("c1", "EMAIL_ADDRESS", e) for e in emails] == [
        "<EMAIL_1>",
        "<EMAIL_2>",
        "<EMAIL_3>",
    ]
    assert vault.holds("c1") == 2


def test_an_unreachable_redis_fails_closed() -> None:
    vault = RedisVault.from_url("redis://127.0.0.1:1/0", secrets.token_hex(32).encode())
    with pytest.raises(VaultUnavailable):
        vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se")
    with pytest.raises(VaultUnavailable):
        vault.reveal("c1", "<EMAIL_1>", CONTACT)
    with pytest.raises(VaultUnavailable):
        vault.forget("c1")


def test_keys_are_checked() -> None:
    require_service(redis_problem())
    with pytest.raises(VaultError):
        RedisVault.from_url(REDIS_URL, b"short")
    with pytest.raises(VaultError):
        RedisVault(redis.Redis.from_url(REDIS_URL), encryption_key=b"x" * 16, hash_key=b"y" * 32)
