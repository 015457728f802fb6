"""One audit database and its keys: the handle every other part of the log works on.

``AuditStore`` holds the engine, the settings and the key files (checkpoint signing key, content key).
Reading (:mod:`audit.records`, :mod:`audit.proofs`, :mod:`audit.query`), annotating
(:mod:`audit.annotations`) and verifying (:mod:`audit.verifier`) take an ``AuditStore``; writing adds
the append lock on top (:class:`audit.writer.LogWriter`), and :class:`audit.log.AuditLog` is the façade
over all of them.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Engine

from audit import content as content_crypto
from audit.errors import SigningKeyError
from audit.keys import KeyPolicy, load_or_create_content_key, load_or_create_signing_key, load_public_key
from audit.settings import AuditSettings


class AuditStore:
    """An audit database (engine + settings) and the keys that sign and seal it."""

    def __init__(
        self,
        engine: Engine,
        settings: AuditSettings,
        *,
        read_only: bool = False,
        key_policy: KeyPolicy | None = None,
    ) -> None:
        """Wrap an engine; use :func:`audit.log.open_audit_log` instead of calling this directly."""
        self._engine = engine
        self.settings = settings
        self.read_only = read_only
        self.key_policy = key_policy or settings.key_policy()
        self._signing_key: Ed25519PrivateKey | None = None
        self._content_key: bytes | None = None
        self._kek_id: str | None = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and the admin console's read queries)."""
        return self._engine

    @property
    def kek_id(self) -> str | None:
        """Id of the loaded content key (None until :meth:`content_key` has loaded one)."""
        return self._kek_id

    def load_keys(self) -> None:
        """Load (creating when missing) the signing and content keys, so problems show at start-up."""
        self.signing_key()
        self.content_key()

    def signing_key(self) -> Ed25519PrivateKey:
        """The checkpoint signing key (created on first use unless read-only).

        Raises:
            SigningKeyError: read-only and there is no key file, or the file cannot be used.
        """
        if self._signing_key is None:
            path = self.settings.key_path
            if self.read_only and not path.exists():
                raise SigningKeyError(f"no signing key at {path}")
            self._signing_key = load_or_create_signing_key(path, self.key_policy)
        return self._signing_key

    def content_key(self) -> bytes | None:
        """The key wrapping conversation keys; None when read-only and it does not exist."""
        if self._content_key is None:
            path = self.settings.content_key_path
            if self.read_only and not path.exists():
                return None
            self._content_key = load_or_create_content_key(path, self.key_policy)
            self._kek_id = content_crypto.kek_id(self._content_key)
        return self._content_key

    def public_keys(self, extra: list[Ed25519PublicKey] | None = None) -> list[Ed25519PublicKey]:
        """Keys trusted for checkpoints: the signing key's, configured ones, and ``extra``."""
        keys = list(extra or [])
        key_path = self.settings.key_path
        pub_path = key_path.with_name(key_path.name.removesuffix(".pem") + ".pub")
        if self._signing_key is not None:
            keys.append(self._signing_key.public_key())
        elif key_path.exists():
            keys.append(load_public_key(key_path, self.key_policy))
        elif pub_path.exists():
            keys.append(load_public_key(pub_path))
        keys.extend(load_public_key(path) for path in self.settings.public_key_paths)
        return keys

    def close(self) -> None:
        """Release database connections."""
        self._engine.dispose()
