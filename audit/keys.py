"""Key files kept outside the database: the Ed25519 checkpoint key and the content key-encryption key.

Files are created on first use with mode 0600 (folder 0700), atomically, so several processes starting
at once end up with the same key. Every read goes through a :class:`KeyPolicy`: a key file readable by
group or others is refused in production and warned about in development, and in production a key
file inside the data directory (``var/``, or the folder of a SQLite database) is refused — a key kept
beside the data it protects is copied, backed up and leaked together with it, which defeats
crypto-shredding.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from audit.errors import SigningKeyError

CONTENT_KEY_SIZE = 32
_EXPOSED_BITS = stat.S_IRWXG | stat.S_IRWXO

logger = logging.getLogger("kommunsvar.keys")


@dataclass(frozen=True)
class KeyPolicy:
    """Where key files may live and how strictly their modes are checked.

    Attributes:
        production: refuse exposed or misplaced key files (development only warns about modes).
        data_dirs: folders that hold data (``var/``, SQLite databases); production keys must be outside.
    """

    production: bool = False
    data_dirs: tuple[Path, ...] = ()

    @classmethod
    def build(cls, *, production: bool, data_dirs: Iterable[Path | None]) -> KeyPolicy:
        """A policy over the given folders (``None`` entries are skipped, paths resolved)."""
        resolved = tuple(dict.fromkeys(_resolve(d) for d in data_dirs if d is not None))
        return cls(production=production, data_dirs=resolved)

    def check_location(self, path: Path, setting: str | None = None) -> None:
        """In production, refuse a key file inside a data directory.

        Raises:
            SigningKeyError: the key file lies inside one of ``data_dirs`` in production.
        """
        if not self.production:
            return
        where = _resolve(path)
        for folder in self.data_dirs:
            if where == folder or folder in where.parents:
                hint = f"set {setting} to " if setting else "move it to "
                raise SigningKeyError(
                    f"key file {path} is inside the data directory {folder}; in production keys must "
                    f"live outside it (a secrets mount or e.g. /etc/kommunsvar/keys, mode 0600, not in "
                    f"the data backups): {hint}a path outside {folder}"
                )

    def check_mode(self, path: Path, mode: int) -> None:
        """Refuse (production) or warn about (development) a key file readable by group or others.

        Raises:
            SigningKeyError: the file is exposed and this is production.
        """
        if not mode & _EXPOSED_BITS:
            return
        message = (
            f"key file {path} is readable by others (mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}"
        )
        if self.production:
            raise SigningKeyError(message)
        logger.warning("key_file_exposed", extra={"path": str(path), "mode": f"{stat.S_IMODE(mode):o}"})


DEVELOPMENT = KeyPolicy()


def _resolve(path: Path) -> Path:
    return Path(os.path.abspath(os.path.expanduser(path))).resolve()


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


def read_key_file(path: Path, policy: KeyPolicy = DEVELOPMENT) -> bytes:
    """Read a secret key file after checking its location and mode against ``policy``.

    Raises:
        SigningKeyError: the file cannot be read, or the policy refuses it.
    """
    try:
        with path.open("rb") as handle:
            policy.check_mode(path, os.fstat(handle.fileno()).st_mode)
            return handle.read()
    except OSError as exc:
        raise SigningKeyError(f"cannot read key file {path}: {exc.strerror}") from None


def load_or_create_token(path: Path, policy: KeyPolicy = DEVELOPMENT, setting: str | None = None) -> bytes:
    """Return the hex secret in ``path`` (a development key such as the pseudonym key), creating it."""
    policy.check_location(path, setting)
    if not path.exists():
        try:
            _create_exclusive(path, secrets.token_hex(32).encode())
        except OSError as exc:
            raise SigningKeyError(f"cannot create key file {path}: {exc.strerror}") from None
    return read_key_file(path, policy).strip()


def load_or_create_signing_key(
    path: Path, policy: KeyPolicy = DEVELOPMENT, setting: str | None = "KOMMUNSVAR_AUDIT_KEY_PATH"
) -> Ed25519PrivateKey:
    """Return the Ed25519 checkpoint key at ``path``, creating it (and ``<path>.pub``) when missing."""
    policy.check_location(path, setting)
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
        loaded = serialization.load_pem_private_key(read_key_file(path, policy), password=None)
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


def load_public_key(path: Path, policy: KeyPolicy = DEVELOPMENT) -> Ed25519PublicKey:
    """Load an Ed25519 public key from a PEM file, or derive it from a private key PEM file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SigningKeyError(f"cannot read key file {path}: {exc.strerror}") from None
    try:
        if b"PRIVATE KEY" in data:
            private = serialization.load_pem_private_key(read_key_file(path, policy), password=None)
            if isinstance(private, Ed25519PrivateKey):
                return private.public_key()
        else:
            public = serialization.load_pem_public_key(data)
            if isinstance(public, Ed25519PublicKey):
                return public
    except (ValueError, TypeError, UnsupportedAlgorithm):
        pass
    raise SigningKeyError(f"key file {path} does not hold an Ed25519 key")


def load_or_create_content_key(
    path: Path, policy: KeyPolicy = DEVELOPMENT, setting: str | None = "KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH"
) -> bytes:
    """Return a 32-byte key (content key-encryption key, case field key), creating it when missing."""
    policy.check_location(path, setting)
    if not path.exists():
        try:
            _create_exclusive(path, secrets.token_bytes(CONTENT_KEY_SIZE))
        except OSError as exc:
            raise SigningKeyError(f"cannot create key file {path}: {exc.strerror}") from None
    data = read_key_file(path, policy)
    if len(data) != CONTENT_KEY_SIZE:
        raise SigningKeyError(f"content key file {path} must hold exactly {CONTENT_KEY_SIZE} bytes")
    return data
