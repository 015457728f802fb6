"""Signed tree heads ("checkpoints") in the C2SP signed-note checkpoint format.

A checkpoint is a short text anyone can keep and later hold the log to::

    kommunsvar.local/audit          <- origin: names the log
    1234                            <- tree size
    3q2+7w...=                      <- base64 root hash
    time 2026-11-26T16:35:09.648711Z

    — kommunsvar.local/audit AbCd...  <- base64(4-byte key id || Ed25519 signature over the text above)

The key id is the first four bytes of SHA-256(origin || "\\n" || 0x01 || public key), as in Go's
``golang.org/x/mod/sumdb/note`` for Ed25519, so standard note verifiers can check our checkpoints.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from audit.errors import ReceiptInvalid

_ED25519_ALG = b"\x01"
_DASH = "\u2014"


@dataclass(frozen=True)
class Checkpoint:
    """A parsed, signature-checked tree head."""

    origin: str
    tree_size: int
    root_hash: bytes
    timestamp: str
    note: str


def key_id(origin: str, public_key: Ed25519PublicKey) -> bytes:
    """The 4-byte key hash naming ``public_key`` in signature lines."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(origin.encode("utf-8") + b"\n" + _ED25519_ALG + raw).digest()[:4]


def _body(origin: str, tree_size: int, root_hash: bytes, timestamp: str) -> str:
    return f"{origin}\n{tree_size}\n{base64.b64encode(root_hash).decode()}\ntime {timestamp}\n"


def sign_checkpoint(
    key: Ed25519PrivateKey, origin: str, tree_size: int, root_hash: bytes, timestamp: str
) -> str:
    """Return the signed note text for a tree head."""
    body = _body(origin, tree_size, root_hash, timestamp)
    signature = key.sign(body.encode("utf-8"))
    blob = base64.b64encode(key_id(origin, key.public_key()) + signature).decode()
    return f"{body}\n{_DASH} {origin} {blob}\n"


def open_checkpoint(note: str, public_keys: list[Ed25519PublicKey], origin: str | None = None) -> Checkpoint:
    """Parse a signed checkpoint and check its signature against any of ``public_keys``.

    Raises:
        ReceiptInvalid: the note is malformed, names another log or no key's signature verifies.
    """
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        raise ReceiptInvalid("checkpoint has no signature block")
    body += "\n"
    lines = body.split("\n")
    if len(lines) < 5 or not lines[3].startswith("time "):
        raise ReceiptInvalid("checkpoint text is malformed")
    note_origin = lines[0]
    if origin is not None and note_origin != origin:
        raise ReceiptInvalid(f"checkpoint belongs to log {note_origin!r}, not {origin!r}")
    try:
        tree_size = int(lines[1])
        root_hash = base64.b64decode(lines[2], validate=True)
    except (ValueError, binascii.Error):
        raise ReceiptInvalid("checkpoint size or root hash is malformed") from None
    if tree_size < 0 or len(root_hash) != 32:
        raise ReceiptInvalid("checkpoint size or root hash is malformed")
    wanted = {key_id(note_origin, pk): pk for pk in public_keys}
    for line in signatures.strip("\n").split("\n"):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != _DASH or parts[1] != note_origin:
            continue
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            continue
        public_key = wanted.get(blob[:4])
        if public_key is None:
            continue
        try:
            public_key.verify(blob[4:], body.encode("utf-8"))
        except InvalidSignature:
            raise ReceiptInvalid("checkpoint signature does not verify") from None
        return Checkpoint(note_origin, tree_size, root_hash, lines[3].removeprefix("time "), note)
    raise ReceiptInvalid("checkpoint is not signed by a trusted key")
