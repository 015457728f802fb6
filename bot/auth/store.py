"""Users, logins with lockout, and server-side sessions in one SQL database."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable

from sqlalchemy import Engine, case, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.auth.errors import AuthError, InvalidCredentials, LastAdmin, UnknownUser, UserExists
from bot.auth.models import ROLES, AuthSession, Role, User, metadata, sessions, users
from bot.auth.passwords import check_password_strength, hash_password, needs_rehash, verify_password
from bot.auth.settings import AuthSettings

NO_USER = -1  # an id no account has
DISABLED_UNTIL = 9.0e15  # locked_until of a disabled account: far beyond any clock
logger = logging.getLogger("kommunsvar.auth")

_TOUCH_EVERY_S = 60.0  # write last_seen_at at most once a minute per session


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_username(username: str) -> str:
    """User names compare case-insensitively and without surrounding blanks."""
    return username.strip().casefold()


class AuthStore:
    """Reads and writes users and sessions; all methods are blocking (call them from a thread)."""

    def __init__(
        self, engine: Engine, settings: AuthSettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        """Wrap an engine; use :func:`open_auth_store` to also create the tables."""
        self.engine = engine
        self.settings = settings
        self.clock = clock
        self.secret = secrets.token_bytes(32)  # replaced by the configured secret in build_auth_store
        self.development = False  # True: cookies may skip Secure on loopback

    def create_schema(self) -> None:
        """Create the auth tables when missing (they never touch other tables)."""
        metadata.create_all(self.engine)

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()

    # --- users ----------------------------------------------------------------------------------

    def create_user(self, username: str, password: str, role: Role) -> User:
        """Create a user after checking the password rules.

        Raises:
            WeakPassword: the password is too weak.
            UserExists: the name is taken.
            AuthError: the name or role is not acceptable.
        """
        name = normalise_username(username)
        if not name or len(name) > 64 or any(c.isspace() for c in name):
            raise AuthError("Användarnamnet måste ha 1–64 tecken utan mellanslag.")
        if role not in ROLES:
            raise AuthError(f"Okänd roll: {role}")
        check_password_strength(password, name, self.settings.min_password_length)
        row = {
            "username": name,
            "password_hash": hash_password(password),
            "role": role,
            "created_at": self.clock(),
            "failed_logins": 0,
        }
        try:
            with self.engine.begin() as conn:
                key = conn.execute(insert(users).values(**row)).inserted_primary_key
                user_id = int(key[0]) if key is not None else 0
        except IntegrityError:
            raise UserExists(f"Användaren {name} finns redan.") from None
        logger.info("user_created", extra={"user_id": user_id, "role": role})
        return User(id=user_id, username=name, role=role)

    def set_password(self, username: str, password: str) -> None:
        """Replace a user's password, unlock the account and end its sessions.

        Raises:
            UnknownUser: no such user.
            WeakPassword: the password is too weak.
        """
        name = normalise_username(username)
        check_password_strength(password, name, self.settings.min_password_length)
        with self.engine.begin() as conn:
            user_id = conn.execute(select(users.c.id).where(users.c.username == name)).scalar()
            if user_id is None:
                raise UnknownUser(f"Användaren {name} finns inte.")
            conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(password_hash=hash_password(password), failed_logins=0, locked_until=None)
            )
            conn.execute(delete(sessions).where(sessions.c.user_id == user_id))

    # --- account lifecycle: every change ends the user's sessions at once ---------------------------

    def set_role(self, username: str, role: Role) -> None:
        """Give a user another role (sessions end: the next login has the new role).

        Raises:
            UnknownUser: no such user.
            LastAdmin: the last administrator would lose the role.
        """
        self._change(username, {"role": role}, keeps_admin=role == "admin")

    def disable(self, username: str) -> None:
        """Stop a user from logging in (locked until further notice), and end their sessions."""
        self._change(username, {"locked_until": DISABLED_UNTIL, "failed_logins": 0}, keeps_admin=False)

    def enable(self, username: str) -> None:
        """Let a disabled or locked user log in again."""
        self._change(username, {"locked_until": None, "failed_logins": 0}, keeps_admin=True)

    def remove(self, username: str) -> None:
        """Delete a user and their sessions (their actions stay in the logs under their name)."""
        self._change(username, None, keeps_admin=False)

    def _change(self, username: str, values: dict[str, object] | None, *, keeps_admin: bool) -> None:
        name = normalise_username(username)
        with self.engine.begin() as conn:
            row = conn.execute(select(users.c.id, users.c.role).where(users.c.username == name)).first()
            if row is None:
                raise UnknownUser(f"Användaren {name} finns inte.")
            if row.role == "admin" and not keeps_admin:
                others = conn.execute(
                    select(func.count())
                    .select_from(users)
                    .where(
                        users.c.role == "admin",
                        users.c.id != row.id,
                        or_(users.c.locked_until.is_(None), users.c.locked_until < DISABLED_UNTIL),
                    )
                ).scalar_one()
                if not others:
                    raise LastAdmin("Det måste finnas minst en administratör som kan logga in.")
            conn.execute(delete(sessions).where(sessions.c.user_id == row.id))
            if values is None:
                conn.execute(delete(users).where(users.c.id == row.id))
            else:
                conn.execute(update(users).where(users.c.id == row.id).values(**values))

    def list_users(self) -> list[User]:
        """Every user, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users.c.id, users.c.username, users.c.role).order_by(users.c.username))
            return [User(id=r.id, username=r.username, role=r.role) for r in rows]

    # --- login ----------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> User:
        """Check a login; count failures and lock the account after too many.

        Raises:
            InvalidCredentials: for an unknown user, a wrong password and a locked account alike.
        """
        name = normalise_username(username)[:64]
        now = self.clock()
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.username == name)).first()
        ok = verify_password(row.password_hash if row else None, password)
        if row is None:
            self._record_failure(NO_USER, now)  # the same write as a wrong password: no timing difference
            logger.info("login_failed", extra={"reason": "unknown_user"})
            raise InvalidCredentials("login failed")
        if row.locked_until is not None and row.locked_until > now:
            logger.info("login_failed", extra={"reason": "locked", "user_id": row.id})
            raise InvalidCredentials("login failed")
        if not ok:
            self._record_failure(row.id, now)
            raise InvalidCredentials("login failed")
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password)
        with self.engine.begin() as conn:
            conn.execute(update(users).where(users.c.id == row.id).values(**values))
        logger.info("login_succeeded", extra={"user_id": row.id})
        return User(id=row.id, username=row.username, role=row.role)

    def _record_failure(self, user_id: int, now: float) -> None:
        """Count one failure and lock the account at the limit, in one UPDATE (atomic under concurrency).

        An unknown user runs the same statement on an id no row has, so both failure paths do the same
        work (a password hash and one write) and take the same time.
        """
        reached = users.c.failed_logins + 1 >= self.settings.max_failed_logins
        until = now + self.settings.lockout_minutes * 60
        with self.engine.begin() as conn:
            conn.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(
                    failed_logins=case((reached, 0), else_=users.c.failed_logins + 1),
                    locked_until=case((reached, until), else_=users.c.locked_until),
                )
            )
            locked = conn.execute(select(users.c.locked_until).where(users.c.id == user_id)).scalar()
        if user_id < 0:
            return
        if locked is not None and locked > now:
            logger.warning("account_locked", extra={"user_id": user_id})
        else:
            logger.info("login_failed", extra={"reason": "wrong_password", "user_id": user_id})

    # --- sessions -------------------------------------------------------------------------------

    def start_session(self, user: User) -> tuple[str, AuthSession]:
        """Open a session; returns the cookie token (shown once, stored only as a hash)."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        expires = now + self.settings.session_hours * 3600
        csrf = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.expires_at < now))
            conn.execute(
                insert(sessions).values(
                    token_hash=_token_hash(token),
                    user_id=user.id,
                    csrf_token=csrf,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=expires,
                )
            )
        return token, AuthSession(user=user, csrf_token=csrf, expires_at=expires)

    def session(self, token: str) -> AuthSession | None:
        """The valid session for a cookie token, or None (expired, idle too long, logged out)."""
        if not token or len(token) > 128:
            return None
        now = self.clock()
        key = _token_hash(token)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(sessions, users.c.username, users.c.role)
                .join(users, users.c.id == sessions.c.user_id)
                .where(sessions.c.token_hash == key)
            ).first()
        if row is None:
            return None
        idle_limit = self.settings.idle_minutes * 60
        if row.expires_at <= now or now - row.last_seen_at > idle_limit:
            self.end_session(token)
            return None
        if now - row.last_seen_at > _TOUCH_EVERY_S:
            with self.engine.begin() as conn:
                conn.execute(update(sessions).where(sessions.c.token_hash == key).values(last_seen_at=now))
        user = User(id=row.user_id, username=row.username, role=row.role)
        return AuthSession(user=user, csrf_token=row.csrf_token, expires_at=row.expires_at)

    def end_session(self, token: str) -> None:
        """Log out: delete the session."""
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == _token_hash(token)))


def tokens_match(expected: str, given: str | None) -> bool:
    """Constant-time comparison of CSRF tokens."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def open_auth_store(database_url: str, settings: AuthSettings | None = None) -> AuthStore:
    """Open the user store at ``database_url`` and create its tables when missing.

    Raises:
        AuthError: the database cannot be reached.
    """
    from audit.db import create_audit_engine  # same dialect handling (WAL, psycopg) as the audit trail

    settings = settings or AuthSettings()
    engine = create_audit_engine(database_url, busy_timeout_s=30.0, connect_timeout_s=5.0)
    store = AuthStore(engine, settings)
    try:
        store.create_schema()
    except SQLAlchemyError as exc:
        engine.dispose()
        raise AuthError(f"cannot open the user database: {type(exc).__name__}") from None
    return store
