"""Key files: created once with mode 0600, shared by concurrent starters, checked on every read.

In production an exposed key file or one inside the data directory is refused; development warns.
"""

from __future__ import annotations

import logging
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from audit.errors import SigningKeyError
from audit.keys import (
    KeyPolicy,
    load_or_create_content_key,
    load_or_create_signing_key,
    load_or_create_token,
    load_public_key,
)
from audit.log import open_audit_log
from audit.settings import AuditSettings


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


PRODUCTION = KeyPolicy(production=True)


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o660])
def test_exposed_key_file_is_refused_in_production(tmp_path: Path, mode: int) -> None:
    signing, content = tmp_path / "k.pem", tmp_path / "c.key"
    load_or_create_signing_key(signing)
    load_or_create_content_key(content)
    for path in (signing, content):
        path.chmod(mode)
    with pytest.raises(SigningKeyError, match="readable by others.*chmod 600"):
        load_or_create_signing_key(signing, PRODUCTION)
    with pytest.raises(SigningKeyError, match="readable by others"):
        load_or_create_content_key(content, PRODUCTION)
    with pytest.raises(SigningKeyError, match="readable by others"):
        load_public_key(signing, PRODUCTION)  # a private key file read for its public half


def test_exposed_key_file_is_warned_about_in_development(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "c.key"
    key = load_or_create_content_key(path)
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="kommunsvar.keys"):
        assert load_or_create_content_key(path) == key
    [warning] = [r for r in caplog.records if r.getMessage() == "key_file_exposed"]
    assert warning.path == str(path) and warning.mode == "644"  # type: ignore[attr-defined]
    path.chmod(0o600)
    caplog.clear()
    load_or_create_content_key(path, PRODUCTION)
    assert not caplog.records


def test_production_refuses_keys_inside_the_data_directory(tmp_path: Path) -> None:
    var = tmp_path / "var"
    policy = KeyPolicy.build(production=True, data_dirs=[var, None])
    for path in (var / "keys" / "audit_content.key", var / "audit_content.key"):
        with pytest.raises(SigningKeyError, match="inside the data directory.*KOMMUNSVAR_AUDIT_CONTENT_KEY"):
            load_or_create_content_key(path, policy)
        assert not path.exists()  # refused before anything was created
    with pytest.raises(SigningKeyError, match="KOMMUNSVAR_AUDIT_KEY_PATH"):
        load_or_create_signing_key(var / "keys" / "audit_ed25519.pem", policy)
    # A symlink into the data directory is where the key really lives: refused as well.
    (var / "keys").mkdir(parents=True)
    (tmp_path / "link").symlink_to(var / "keys")
    with pytest.raises(SigningKeyError, match="inside the data directory"):
        load_or_create_content_key(tmp_path / "link" / "c.key", policy)
    # Outside it: fine. In development the default under var/ is fine too.
    assert len(load_or_create_content_key(tmp_path / "secrets" / "c.key", policy)) == 32
    assert (
        len(
            load_or_create_content_key(
                var / "keys" / "c.key", KeyPolicy.build(production=False, data_dirs=[var])
            )
        )
        == 32
    )


def test_settings_name_the_data_directory_and_the_sqlite_folder(tmp_path: Path) -> None:
    settings = AuditSettings(environment="production", var_dir=tmp_path / "data")
    policy = settings.key_policy(f"sqlite:///{tmp_path / 'db' / 'audit.db'}", "postgresql://h/db")
    assert policy.production
    assert {tmp_path / "data", tmp_path / "db"} <= set(policy.data_dirs)
    with pytest.raises(SigningKeyError, match="inside the data directory"):
        policy.check_location(tmp_path / "db" / "keys" / "k.pem")
    policy.check_location(tmp_path / "keys" / "k.pem")


def test_open_audit_log_refuses_default_key_paths_in_production(tmp_path: Path) -> None:
    settings = AuditSettings(
        environment="production",
        var_dir=tmp_path / "var",
        key_path=tmp_path / "var" / "keys" / "audit_ed25519.pem",
        content_key_path=tmp_path / "var" / "keys" / "audit_content.key",
    )
    with pytest.raises(SigningKeyError, match="inside the data directory"):
        open_audit_log(f"sqlite:///{tmp_path / 'var' / 'audit.db'}", settings=settings)
    outside = settings.model_copy(
        update={"key_path": tmp_path / "etc" / "k.pem", "content_key_path": tmp_path / "etc" / "c.key"}
    )
    open_audit_log(f"sqlite:///{tmp_path / 'var' / 'audit.db'}", settings=outside).close()


def test_development_tokens_are_created_private_and_checked(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "keys" / "pseudonym.key"
    token = load_or_create_token(path)
    assert len(token) == 64 and load_or_create_token(path) == token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="kommunsvar.keys"):
        load_or_create_token(path)
    assert [r.getMessage() for r in caplog.records] == ["key_file_exposed"]
    with pytest.raises(SigningKeyError):
        load_or_create_token(path, PRODUCTION)


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
