"""Builds the user store for the gateway from its settings (called in the app's lifespan)."""

from __future__ import annotations

from audit.keys import load_or_create_token
from bot.auth.errors import AuthError
from bot.auth.settings import AuthSettings, get_auth_settings
from bot.auth.store import AuthStore, open_auth_store
from bot.settings import Settings

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def auth_secret(settings: Settings, auth_settings: AuthSettings) -> bytes:
    """The configured secret; in development a random key kept under ``var/keys/``.

    Raises:
        AuthError: production without a real secret.
    """
    if auth_settings.secret:
        if settings.environment == "production" and len(auth_settings.secret) < 32:
            raise AuthError("KOMMUNSVAR_AUTH_SECRET must have at least 32 characters in production")
        return auth_settings.secret.encode()
    if settings.environment == "production":
        raise AuthError("KOMMUNSVAR_AUTH_SECRET must be set in production")
    return load_or_create_token(settings.var_dir / "keys" / "auth_secret.key", settings.key_policy)


def build_auth_store(settings: Settings, auth_settings: AuthSettings | None = None) -> AuthStore:
    """Open the user store (the audit database unless ``KOMMUNSVAR_AUTH_DATABASE_URL`` is set)."""
    auth_settings = auth_settings or get_auth_settings()
    store = open_auth_store(auth_settings.database_url or settings.resolved_audit_url, auth_settings)
    store.secret = auth_secret(settings, auth_settings)
    store.development = settings.environment == "development"
    return store


def cookie_secure(store: AuthStore, host: str | None, scheme: str) -> bool:
    """Secure cookies, except plain HTTP on loopback in development (``cookie_secure=auto``)."""
    mode = store.settings.cookie_secure
    if mode != "auto":
        return mode == "always"
    return scheme == "https" or not (store.development and (host or "") in LOOPBACK_HOSTS)
