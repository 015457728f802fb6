"""Conversation content: split from the record, encrypted per conversation, committed to in the leaf.

The content is encrypted with AES-256-GCM under a per-conversation key, which is stored wrapped by the
content key (a file outside the database). The leaf commits to the SHA-256 of the *ciphertext*: anyone,
even without keys, can check that the stored content is the content that was logged, and since the
ciphertext comes from a random key and nonce, the commitment reveals nothing about the text and cannot
be used to confirm a guess. Deleting the ciphertext and the conversation key (crypto-shredding) makes the
content unrecoverable while the leaf, and so the whole log, stays verifiable.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from audit.canonical import canonical_json, loads
from audit.record import AuditRecordV1

NONCE_SIZE = 12
KNOWN_FIELDS = frozenset(AuditRecordV1.model_fields)


def split_content(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a validated record into (metadata, content); consumes ``record``'s nested dicts.

    Content is what the citizen wrote or was told: the redacted input, the entities, the answer texts,
    and any keys the schema does not know (kept as content to be on the safe side).
    """
    meta = {k: v for k, v in record.items() if k in KNOWN_FIELDS}
    content: dict[str, Any] = {
        "input_redacted": meta.pop("input_redacted", None),
        "entities": meta.get("nlu", {}).pop("entities", []),
        "answer_texts": [answer.pop("text", None) for answer in meta.get("answers", [])],
        "extra": {k: v for k, v in record.items() if k not in KNOWN_FIELDS},
    }
    return meta, content


def merge_content(meta: dict[str, Any], content: dict[str, Any] | None) -> dict[str, Any]:
    """Rebuild the full record (in place of ``meta``); without content, content fields are emptied."""
    record = meta
    answers = record.get("answers", [])
    if content is None:
        record["input_redacted"] = None
        record.setdefault("nlu", {})["entities"] = []
        for answer in answers:
            answer["text"] = None
        record["content_shredded"] = True
        return record
    record["input_redacted"] = content.get("input_redacted")
    record.setdefault("nlu", {})["entities"] = content.get("entities", [])
    for answer, text in zip(answers, content.get("answer_texts", []), strict=False):
        answer["text"] = text
    record.update(content.get("extra", {}))
    return record


def content_plaintext(content: dict[str, Any]) -> bytes:
    """The bytes that get encrypted."""
    return canonical_json({"content": content})


def open_plaintext(plaintext: bytes) -> dict[str, Any]:
    """Return the content from a decrypted plaintext."""
    return dict(loads(plaintext)["content"])


def commitment(blob: bytes) -> str:
    """What the leaf records about the content: SHA-256 of the encrypted blob, in hex."""
    return hashlib.sha256(blob).hexdigest()


def new_conversation_key() -> bytes:
    """A fresh random AES-256 key for one conversation."""
    return AESGCM.generate_key(bit_length=256)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-GCM encrypt; returns nonce || ciphertext || tag."""
    nonce = secrets.token_bytes(NONCE_SIZE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes | AESGCM, blob: bytes, aad: bytes) -> bytes | None:
    """AES-GCM decrypt; None when the blob was altered or the key is wrong."""
    cipher = key if isinstance(key, AESGCM) else AESGCM(key)
    try:
        return cipher.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], aad)
    except (InvalidTag, ValueError):
        return None


def kek_id(content_key: bytes) -> str:
    """Short public name of a content key, so a wrong key file is told apart from altered data."""
    return hashlib.sha256(b"kommunsvar-audit-kek" + content_key).hexdigest()[:16]


@lru_cache(maxsize=4)
def seal_key(content_key: bytes) -> bytes:
    """The HMAC key for leaf seals, derived from the content key."""
    return hmac.digest(content_key, b"kommunsvar-audit-leaf-seal", "sha256")


def leaf_seal(content_key: bytes, leaf: bytes) -> bytes:
    """HMAC over a leaf hash with a key only the service holds.

    A record added straight into the database by someone without the key files is told apart from one
    the service wrote.
    """
    return hmac.digest(seal_key(content_key), leaf, "sha256")


def wrap_key(content_key: bytes, conversation_key: bytes, conversation: str) -> bytes:
    """Encrypt a conversation key under the content key (bound to the conversation pseudonym)."""
    return encrypt(content_key, conversation_key, conversation.encode("utf-8"))


def unwrap_key(content_key: bytes, wrapped: bytes, conversation: str) -> bytes | None:
    """Decrypt a wrapped conversation key; None when it does not open."""
    return decrypt(content_key, wrapped, conversation.encode("utf-8"))
