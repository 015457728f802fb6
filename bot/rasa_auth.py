"""How the gateway proves itself to Rasa's HTTP API: a short-lived RS256 JWT in a header.

Rasa's own token (``--auth-token``) would sit on Rasa's command line, visible to every user of the host
in ``ps``, and travel in URL query strings, which proxies and access logs keep. Instead the runner makes
an RSA key pair per start: Rasa gets the *public* key (``--jwt-secret``, harmless in ``ps``) and the
gateway the private key through its environment. Each call carries ``Authorization: Bearer <JWT>`` with
Rasa's admin role, valid for a few minutes.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

LIFETIME_SECONDS = 300
RENEW_BEFORE_SECONDS = 60
SUBJECT = "kommunsvar-gateway"


def new_key_pair() -> tuple[str, str]:
    """(private PEM, public PEM) of a fresh RSA-2048 key pair."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private.decode(), public.decode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class RasaJwt:
    """Signs and renews the gateway's token for Rasa."""

    def __init__(self, private_pem: str, clock: Callable[[], float] = time.time) -> None:
        """Load the private key (PEM, as the runner passes it)."""
        key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the Rasa JWT key must be an RSA private key")
        self._key = key
        self._clock = clock
        self._token = ""
        self._expires = 0.0

    def header(self) -> dict[str, str]:
        """``{"Authorization": "Bearer …"}`` with a token valid for at least another minute."""
        now = self._clock()
        if now > self._expires - RENEW_BEFORE_SECONDS:
            self._expires = now + LIFETIME_SECONDS
            self._token = self._sign(
                {
                    "user": {"username": SUBJECT, "role": "admin"},
                    "username": SUBJECT,
                    "iat": int(now),
                    "exp": int(self._expires),
                }
            )
        return {"Authorization": f"Bearer {self._token}"}

    def _sign(self, payload: dict[str, object]) -> str:
        head = _b64(json.dumps({"alg": "RS256", "typ": "JWT"}, separators=(",", ":")).encode())
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        signature = self._key.sign(f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{head}.{body}.{_b64(signature)}"
