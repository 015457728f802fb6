"""Login, logout, lockout, CSRF and session cookies of the admin console, through HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.bot.admin.conftest import PASSWORD, USERS, AdminEnv, csrf_token, login, login_token

GENERIC_ERROR = "Inloggningen misslyckades"


def test_login_success_sets_a_hardened_session_cookie(admin_env: AdminEnv) -> None:
    client = admin_env.client()
    response = login(client, "anna")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("ks_session="))
    parts = {p.strip().split("=")[0].lower() for p in cookie.split(";")}
    assert {"httponly", "samesite", "path", "max-age"} <= parts
    assert "samesite=strict" in cookie.lower()
    assert "secure" not in parts  # plain HTTP on loopback in development
    assert client.get("/admin/login", follow_redirects=False).status_code == 303  # already logged in


def test_cookie_is_secure_off_loopback(admin_env: AdminEnv) -> None:
    client = TestClient(admin_env.app, base_url="http://kommun.example", raise_server_exceptions=False)
    admin_env.clients.append(client)
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        data={"username": "anna", "password": PASSWORD, "login_token": login_token(page.text)},
        headers={"cookie": f"ks_login={page.cookies['ks_login']}"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith("ks_session="))
    assert "secure" in {p.strip().lower() for p in cookie.split(";")}


def test_username_is_case_insensitive_and_next_is_followed(admin_env: AdminEnv) -> None:
    response = login(admin_env.client(), " ANNA ", next_url="/admin/audit?topic=parking")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/audit?topic=parking"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x", "/\\evil", "javascript:x"])
def test_next_never_leaves_the_site(admin_env: AdminEnv, next_url: str) -> None:
    response = login(admin_env.client(), "anna", next_url=next_url)
    assert response.headers["location"] == "/admin"


@pytest.mark.parametrize(("username", "password"), [("anna", "wrong-password-1"), ("nobody", PASSWORD)])
def test_failed_login_gives_one_message_that_reveals_nothing(
    admin_env: AdminEnv, username: str, password: str
) -> None:
    client = admin_env.client()
    response = login(client, username, password)
    assert response.status_code == 401
    assert GENERIC_ERROR in response.text
    assert "ks_session" not in response.cookies


def test_lockout_after_five_failures_for_fifteen_minutes(admin_env: AdminEnv) -> None:
    client = admin_env.client()
    for _ in range(5):
        assert login(client, "anna", "wrong-password-1").status_code == 401
    locked = login(client, "anna")  # the right password is refused while locked
    assert locked.status_code == 401
    unknown = login(client, "nobody-here")
    assert locked.text.replace("anna", "").count(GENERIC_ERROR) == unknown.text.count(GENERIC_ERROR) == 1
    other = login(admin_env.client(), "greta")  # lockout is per account
    assert other.status_code == 303
    admin_env.clock.now += 14 * 60
    assert login(client, "anna").status_code == 401
    admin_env.clock.now += 61
    assert login(client, "anna").status_code == 303


def test_success_resets_the_failure_count(admin_env: AdminEnv) -> None:
    client = admin_env.client()
    for _ in range(4):
        login(client, "anna", "wrong-password-1")
    assert login(client, "anna").status_code == 303
    for _ in range(4):
        login(admin_env.client(), "anna", "wrong-password-1")
    assert login(admin_env.client(), "anna").status_code == 303


def test_login_without_form_token_is_rejected(admin_env: AdminEnv) -> None:
    client = admin_env.client()
    client.get("/admin/login")
    response = client.post(
        "/admin/login", data={"username": "anna", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.text


def test_login_token_from_another_browser_is_rejected(admin_env: AdminEnv) -> None:
    attacker = admin_env.client()
    token = login_token(attacker.get("/admin/login").text)
    victim = admin_env.client()
    victim.get("/admin/login")
    response = victim.post(
        "/admin/login",
        data={"username": "anna", "password": PASSWORD, "login_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_logout_needs_csrf_and_ends_the_session(logged_in: Callable[[str], TestClient]) -> None:
    client = logged_in("admin")
    page = client.get("/admin")
    token = csrf_token(page.text)
    assert client.post("/admin/logout", data={}, follow_redirects=False).status_code == 403
    assert (
        client.post("/admin/logout", data={"csrf_token": "x" * 43}, follow_redirects=False).status_code == 403
    )
    stolen = client.cookies.get("ks_session")
    response = client.post("/admin/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?utloggad=1"
    client.cookies.set("ks_session", stolen or "")
    assert client.get("/admin", follow_redirects=False).status_code == 303  # token is dead


def test_session_expires_when_idle(admin_env: AdminEnv, logged_in: Callable[[str], TestClient]) -> None:
    client = logged_in("auditor")
    admin_env.clock.now += 29 * 60
    assert client.get("/admin", follow_redirects=False).status_code == 200
    admin_env.clock.now += 31 * 60
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_session_ends_after_its_lifetime(admin_env: AdminEnv, logged_in: Callable[[str], TestClient]) -> None:
    client = logged_in("auditor")
    for _ in range(17):  # active every 29 minutes, for more than 8 hours
        admin_env.clock.now += 29 * 60
        client.get("/admin", follow_redirects=False)
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_session_token_is_not_stored_in_clear(
    admin_env: AdminEnv, logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("admin")
    token = client.cookies["ks_session"]
    assert token not in (admin_env.tmp / "audit.db").read_bytes().decode("latin-1")


def test_passwords_are_argon2_hashes(admin_env: AdminEnv) -> None:
    from sqlalchemy import select

    from bot.auth.models import users

    with admin_env.store.engine.connect() as conn:
        hashes = conn.execute(select(users.c.password_hash)).scalars().all()
    assert len(hashes) == len(USERS)
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def _work_of_a_failed_login(store, username: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(password verifications, UPDATE statements) of one failed login."""
    from sqlalchemy import event

    from bot.auth import passwords
    from bot.auth.errors import InvalidCredentials

    verified: list[int] = []
    original = passwords._hasher

    class Counting:
        def verify(self, *args, **kwargs):
            verified.append(1)
            return original.verify(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(original, name)

    monkeypatch.setattr(passwords, "_hasher", Counting())
    updates: list[str] = []

    def on_execute(conn, cursor, statement, *rest):
        if statement.lstrip().upper().startswith("UPDATE"):
            updates.append(statement)

    event.listen(store.engine, "before_cursor_execute", on_execute)
    try:
        with pytest.raises(InvalidCredentials):
            store.authenticate(username, "fel-lösenord-123")
    finally:
        event.remove(store.engine, "before_cursor_execute", on_execute)
        monkeypatch.setattr(passwords, "_hasher", original)
    return len(verified), len(updates)


def test_an_unknown_user_and_a_wrong_password_cost_the_same_work(admin_env: AdminEnv, monkeypatch) -> None:
    """No timing oracle: both failures hash once and write once (the write for no-one changes no row)."""
    unknown = _work_of_a_failed_login(admin_env.store, "finns-inte", monkeypatch)
    wrong = _work_of_a_failed_login(admin_env.store, USERS["auditor"], monkeypatch)
    assert unknown == wrong == (1, 1)


def test_the_lockout_is_counted_in_one_statement(admin_env: AdminEnv, monkeypatch) -> None:
    store = admin_env.store
    for _ in range(store.settings.max_failed_logins):
        assert _work_of_a_failed_login(store, USERS["auditor"], monkeypatch)[1] == 1
    from bot.auth.errors import InvalidCredentials

    with pytest.raises(InvalidCredentials):  # locked now, even with the right password
        store.authenticate(USERS["auditor"], PASSWORD)
