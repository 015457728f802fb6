"""Argon2id password hashing and the rules a new password must meet."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from bot.auth.errors import WeakPassword

# Passwords people pick first; a long list is not needed because length does most of the work.
_COMMON = {
    "password", "lösenord", "losenord", "qwerty", "123456", "admin", "kommun", "sommar", "vinter",
    "welcome", "välkommen", "letmein", "changeme", "abc123", "iloveyou", "monkey", "dragon",
}  # fmt: skip

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (the library's default)
_dummy_hash: str | None = None


def use_hasher(hasher: PasswordHasher) -> None:
    """Replace the hasher (tests use cheap parameters; old hashes still verify, then get rehashed)."""
    global _hasher, _dummy_hash
    _hasher, _dummy_hash = hasher, None


def _dummy() -> str:
    """A hash to check against when the user does not exist, so both paths take the same time."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("not-a-real-password-but-same-cost")
    return _dummy_hash


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; takes the same time when there is no stored hash."""
    try:
        return _hasher.verify(stored_hash or _dummy(), password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def check_password_strength(password: str, username: str, min_length: int = 12) -> None:
    """Refuse weak passwords.

    Raises:
        WeakPassword: with a Swedish message saying what to change.
    """
    folded = password.casefold()
    if len(password) < min_length:
        raise WeakPassword(f"Lösenordet måste ha minst {min_length} tecken.")
    if len(set(password)) < 6:
        raise WeakPassword("Lösenordet har för få olika tecken.")
    if len(username) >= 3 and username.casefold() in folded:
        raise WeakPassword("Lösenordet får inte innehålla användarnamnet.")
    stripped = folded.strip("0123456789!?.-_ ")
    if stripped in _COMMON or any(
        folded.startswith(word) and len(folded) < len(word) + 6 for word in _COMMON
    ):
        raise WeakPassword("Lösenordet är för vanligt. Välj en lång fras som är svår att gissa.")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    if classes < 2 and len(password) < 20:
        raise WeakPassword(
            "Blanda gärna bokstäver, siffror och tecken, eller välj ett lösenord med minst 20 tecken."
        )
