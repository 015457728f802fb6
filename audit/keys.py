"""Key files kept outside the database: the Ed25519 checkpoint key and the content key-encryption key.

Files are created on first use with mode 0600 (folder 0700), atomically, so several processes starting
at once end up with the same key. A private key file readable by group or others is refused.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from audit.errors import SigningKeyError

CONTENT_KEY_SIZE = 32


def _create_exclusive(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600 unless the file exists (then leave it alone)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # atomic and fails if another process created the key first
        except FileExistsError:
            pass
    finally:
        tmp.unlink(missing_ok=True)


def _read_private(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SigningKeyError(f"key file {path} is readable by others; run: chmod 600 {path}")
        return path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"cannot read key file {path}: {exc.strerror}") from None


def load_or_create_signing_key(path: Path) -> Ed25519PrivateKey:
    """Return the Ed25519 checkpoint key at ``path``, creating it (and ``<path>.pub``) when missing."""
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            _create_exclusive(path, pem)
        except OSError as exc:
            raise SigningKeyError(f"cannot create key file {path}: {exc.strerror}") from None
    try:
        loaded = serialization.load_pem_private_key(_read_private(path), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise SigningKeyError(f"key file {path} does not hold an unencrypted Ed25519 PEM key") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise SigningKeyError(f"key file {path} does not hold an Ed25519 key")
    key = loaded
    public_path = path.with_name(path.name.removesuffix(".pem") + ".pub")
    if not public_path.exists():
        try:
            public_path.write_bytes(public_key_pem(key.public_key()))
        except OSError as exc:
            raise SigningKeyError(f"cannot write public key {public_path}: {exc.strerror}") from None
    return key


def public_key_pem(key: Ed25519PublicKey) -> bytes:
    """PEM (SubjectPublicKeyInfo) form of a public key, to publish next to checkpoints."""
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Load an Ed25519 public key from a PEM file, or derive it from a private key PEM file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"cannot read key file {path}: {exc.strerror}") from None
    try:
        if b"PRIVATE KEY" in data:
            private = serialization.load_pem_private_key(_read_private(path), password=None)
            if isinstance(private, Ed25519PrivateKey):
                return private.public_key()
        else:
            public = serialization.load_pem_public_key(data)
            if isinstance(public, Ed25519PublicKey):
                return public
    except (ValueError, TypeError, UnsupportedAlgorithm):
        pass
    raise SigningKeyError(f"key file {path} does not hold an Ed25519 key")


def load_or_create_content_key(path: Path) -> bytes:
    """Return the 32-byte key that wraps per-conversation content keys, creating it when missing."""
    if not path.exists():
        try:
            _create_exclusive(path, secrets.token_bytes(CONTENT_KEY_SIZE))
        except OSError as exc:
            raise SigningKeyError(f"cannot create key file {path}: {exc.strerror}") from None
    data = _read_private(path)
    if len(data) != CONTENT_KEY_SIZE:
        raise SigningKeyError(f"content key file {path} must hold exactly {CONTENT_KEY_SIZE} bytes")
    return data
