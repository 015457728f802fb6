"""Audit ids: short references a citizen can read aloud ("Svar-ID").

An id is ``KS-`` followed by 10 Crockford base32 characters (50 random bits). Crockford's alphabet has no
I, L, O or U, and decoding forgives the usual mistakes (``o`` → 0, ``i``/``l`` → 1, lower case, spaces and
dashes), so an id read over the phone still resolves.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "KS-"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 10
# An id exactly as :func:`new_audit_id` writes it (for the log filter: such a string holds no personal data).
CANONICAL = re.compile(re.escape(PREFIX) + "[" + re.escape(ALPHABET) + "]{" + str(BODY_LENGTH) + "}")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_audit_id() -> str:
    """Return a fresh random audit id such as ``KS-7K3M9Q2X4B``."""
    bits = secrets.randbits(5 * BODY_LENGTH)
    return PREFIX + "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(BODY_LENGTH))


def normalise_audit_id(text: str) -> str | None:
    """Return the canonical form of an audit id as a person might type it, or None if it cannot be one.

    Args:
        text: e.g. ``"ks-7k3m 9q2x-4b"`` or ``"7K3M9Q2X4B"``.
    """
    cleaned = "".join(ch for ch in text.upper() if ch not in " -_.\t")
    if cleaned.startswith("KS"):
        cleaned = cleaned[2:]
    cleaned = cleaned.translate(_CONFUSABLE)
    if len(cleaned) != BODY_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return PREFIX + cleaned
