"""Errors of the auth package.

Hierarchy::

    AuthError
    ├── InvalidCredentials     wrong user name or password, or the account is locked (one message for all)
    ├── NotAuthenticated       a route needs a session and the request has none (redirect or 401)
    ├── Forbidden              the user's role may not use the route (403)
    ├── CsrfFailed             a form or unsafe request lacks a valid CSRF token (403)
    ├── WeakPassword           a new password does not meet the rules
    ├── UserExists             a user with that name exists already
    ├── UnknownUser            no user with that name (CLI only; never shown at login)
    └── LastAdmin              the change would leave no administrator who can log in

Only the HTTP layer and the CLI turn these into responses or exit codes.
"""

from __future__ import annotations


class AuthError(Exception):
    """Root of every error raised by the auth package."""


class InvalidCredentials(AuthError):
    """Raised when a login fails for any reason (the reason is never shown)."""


class NotAuthenticated(AuthError):
    """Raised when a route needs a logged-in user and there is no valid session."""


class Forbidden(AuthError):
    """Raised when the logged-in user's role may not use the route."""


class CsrfFailed(AuthError):
    """Raised when an unsafe request does not carry the session's CSRF token."""


class WeakPassword(AuthError):
    """Raised when a new password does not meet the password rules."""


class UserExists(AuthError):
    """Raised when creating a user whose name is taken."""


class UnknownUser(AuthError):
    """Raised by user management when no user has the given name."""


class LastAdmin(AuthError):
    """Raised when removing, disabling or demoting the last administrator who can log in."""
