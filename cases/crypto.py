"""Encryption of the few case fields that may hold personal data (contact, replies, outbox).

AES-256-GCM with a 32-byte key kept in a file outside the database (``var/keys/case_contact.key`` by
default, created on first use with mode 0600). Each value is bound to its case and field through the
associated data, so a ciphertext copied into another row or column does not decrypt. Format:
``version (1 byte) | key id (8 bytes) | nonce (12 bytes) | ciphertext+tag``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from audit.errors import SigningKeyError
from audit.keys import DEVELOPMENT, KeyPolicy, load_or_create_content_key
from cases.errors import ContactKeyError

FORMAT_VERSION = 1
NONCE_SIZE = 12
KEY_ID_SIZE = 8


def key_id(key: bytes) -> bytes:
    """A short public fingerprint of a key (names the key in each ciphertext, reveals nothing)."""
    return hashlib.sha256(b"kommunsvar-case-key\0" + key).digest()[:KEY_ID_SIZE]


class FieldCipher:
    """Encrypts and decrypts case fields; older keys may be given for reading after a key change.

    Args:
        key: the current 32-byte key (new values are encrypted with it).
        old_keys: retired keys, tried for values they encrypted.
    """

    def __init__(self, key: bytes, old_keys: tuple[bytes, ...] = ()) -> None:
        """Check the key sizes and index the keys by fingerprint."""
        for candidate in (key, *old_keys):
            if len(candidate) != 32:
                raise ContactKeyError("case field keys must be 32 bytes")
        self._current = key
        self._keys = {key_id(k): AESGCM(k) for k in (*old_keys, key)}

    @classmethod
    def from_file(cls, path: Path, policy: KeyPolicy = DEVELOPMENT) -> FieldCipher:
        """The cipher for the key file at ``path`` (created with mode 0600 when missing)."""
        try:
            return cls(load_or_create_content_key(path, policy, setting="KOMMUNSVAR_CASES_KEY_PATH"))
        except SigningKeyError as exc:
            raise ContactKeyError(str(exc)) from None

    def encrypt(self, plaintext: str, context: str) -> bytes:
        """Encrypt ``plaintext`` for ``context`` (e.g. ``"KS-2026-000001/contact"``)."""
        nonce = os.urandom(NONCE_SIZE)
        sealed = self._keys[key_id(self._current)].encrypt(nonce, plaintext.encode("utf-8"), context.encode())
        return bytes([FORMAT_VERSION]) + key_id(self._current) + nonce + sealed

    def decrypt(self, blob: bytes, context: str) -> str:
        """Decrypt a value written by :meth:`encrypt` for the same ``context``.

        Raises:
            ContactKeyError: unknown format or key, or the value was altered or moved.
        """
        if len(blob) < 1 + KEY_ID_SIZE + NONCE_SIZE + 16 or blob[0] != FORMAT_VERSION:
            raise ContactKeyError("unknown encrypted field format")
        cipher = self._keys.get(blob[1 : 1 + KEY_ID_SIZE])
        if cipher is None:
            raise ContactKeyError("the key that encrypted this field is not configured")
        nonce = blob[1 + KEY_ID_SIZE : 1 + KEY_ID_SIZE + NONCE_SIZE]
        try:
            plain = cipher.decrypt(nonce, blob[1 + KEY_ID_SIZE + NONCE_SIZE :], context.encode())
        except InvalidTag:
            raise ContactKeyError("encrypted field does not verify (altered, moved or wrong key)") from None
        return plain.decode("utf-8")
