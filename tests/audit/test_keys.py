"""Key files: created once with mode 0600, shared by concurrent starters, refused when exposed."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from audit.errors import SigningKeyError
from audit.keys import load_or_create_content_key, load_or_create_signing_key, load_public_key


def _raw(key: object) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)  # type: ignore[attr-defined]


def test_signing_key_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit_ed25519.pem"
    first = load_or_create_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert _raw(load_or_create_signing_key(path)) == _raw(first)
    public = load_public_key(path.with_name("audit_ed25519.pub"))
    assert public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) == _raw(first)


def test_concurrent_creation_yields_one_key(tmp_path: Path) -> None:
    path = tmp_path / "race.pem"
    with ThreadPoolExecutor(8) as pool:
        keys = list(pool.map(lambda _: _raw(load_or_create_signing_key(path)), range(8)))
    assert len(set(keys)) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_exposed_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    load_or_create_signing_key(path)
    path.chmod(0o644)
    with pytest.raises(SigningKeyError, match="readable by others"):
        load_or_create_signing_key(path)


def test_garbage_key_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    path.write_bytes(b"not a key")
    path.chmod(0o600)
    with pytest.raises(SigningKeyError):
        load_or_create_signing_key(path)
    with pytest.raises(SigningKeyError):
        load_public_key(path)


def test_content_key(tmp_path: Path) -> None:
    path = tmp_path / "c.key"
    key = load_or_create_content_key(path)
    assert len(key) == 32 and load_or_create_content_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_bytes(b"short")
    with pytest.raises(SigningKeyError, match="32 bytes"):
        load_or_create_content_key(path)
