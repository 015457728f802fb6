"""``python -m bot.auth``: creating the first admin and other users, refusing weak passwords."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.auth.cli import main
from bot.auth.errors import InvalidCredentials
from bot.auth.store import open_auth_store
from bot.settings import PROJECT_ROOT

STRONG = "Lång-och-svår-fras-42"


def run(monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(args)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'users.db'}"


def test_create_admin_then_log_in(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        monkeypatch,
        ["--database-url", db, "create-admin", "--username", "Anna", "--password-stdin"],
        STRONG + "\n",
    )
    assert code == 0
    assert "Användaren anna (administratör) är skapad." in capsys.readouterr().out
    store = open_auth_store(db)
    try:
        user = store.authenticate("anna", STRONG)
        assert user.role == "admin"
        with pytest.raises(InvalidCredentials):
            store.authenticate("anna", STRONG + "x")
    finally:
        store.close()


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort1!", "minst 12 tecken"),
        ("aaaaaaaaaaaaaaaa", "för få olika tecken"),
        ("anna-är-admin-2026", "användarnamnet"),
        ("Lösenord2026!", "för vanligt"),
        ("abcdefghijklmn", "Blanda"),
    ],
)
def test_weak_passwords_are_refused(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], password: str, reason: str
) -> None:
    code = run(
        monkeypatch,
        ["--database-url", db, "create-admin", "--username", "anna", "--password-stdin"],
        password,
    )
    assert code == 1
    assert reason in capsys.readouterr().err
    store = open_auth_store(db)
    try:
        assert store.list_users() == []
    finally:
        store.close()


def test_create_user_with_role_and_refuse_duplicates(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--database-url", db, "create-user", "--username", "sven", "--role", "staff", "--password-stdin"]
    assert run(monkeypatch, args, STRONG) == 0
    assert run(monkeypatch, args, STRONG) == 1
    assert "finns redan" in capsys.readouterr().err
    assert run(monkeypatch, ["--database-url", db, "list-users"]) == 0
    assert capsys.readouterr().out == "sven\tstaff\n"


def test_unknown_role_is_a_usage_error(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as exc:
        run(monkeypatch, ["--database-url", db, "create-user", "--username", "x", "--role", "root"])
    assert exc.value.code == 2


def test_prompted_passwords_must_match(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    answers = iter([STRONG, STRONG + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert run(monkeypatch, ["--database-url", db, "create-admin", "--username", "anna"]) == 1


def test_set_password_unlocks_and_logs_out(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_auth_store(db)
    try:
        user = store.create_user("bo", STRONG, "auditor")
        token, _ = store.start_session(user)
        for _ in range(5):
            with pytest.raises(InvalidCredentials):
                store.authenticate("bo", "wrong-password-1")
        new = "Ny-lång-fras-för-bo-77"
        assert (
            run(
                monkeypatch,
                ["--database-url", db, "set-password", "--username", "bo", "--password-stdin"],
                new,
            )
            == 0
        )
        assert store.session(token) is None
        assert store.authenticate("bo", new).username == "bo"
    finally:
        store.close()


def test_module_entry_point(tmp_path: Path) -> None:
    env = {**os.environ, "KOMMUNSVAR_AUTH_DATABASE_URL": f"sqlite:///{tmp_path / 'u.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.auth", "create-admin", "--username", "admin1", "--password-stdin"],
        input=STRONG + "\n",
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "admin1" in result.stdout


def _users(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, role in (("anna", "admin"), ("bo", "staff")):
        args = ["--database-url", db, "create-user", "--username", name, "--role", role, "--password-stdin"]
        assert run(monkeypatch, args, STRONG + "\n") == 0


def test_role_change_disable_enable_and_remove_end_the_users_sessions(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _users(db, monkeypatch)
    store = open_auth_store(db)
    try:
        token, _ = store.start_session(store.authenticate("bo", STRONG))
        assert (
            run(monkeypatch, ["--database-url", db, "set-role", "--username", "bo", "--role", "auditor"]) == 0
        )
        assert "bo har nu rollen granskare" in capsys.readouterr().out
        assert store.session(token) is None  # logged out: the next login has the new role
        assert store.authenticate("bo", STRONG).role == "auditor"

        token, _ = store.start_session(store.authenticate("bo", STRONG))
        assert run(monkeypatch, ["--database-url", db, "disable-user", "--username", "bo"]) == 0
        assert store.session(token) is None
        with pytest.raises(InvalidCredentials):
            store.authenticate("bo", STRONG)  # even with the right password
        assert run(monkeypatch, ["--database-url", db, "enable-user", "--username", "bo"]) == 0
        assert store.authenticate("bo", STRONG).username == "bo"

        assert run(monkeypatch, ["--database-url", db, "remove-user", "--username", "bo"]) == 0
        assert [u.username for u in store.list_users()] == ["anna"]
        assert run(monkeypatch, ["--database-url", db, "remove-user", "--username", "bo"]) == 1  # unknown now
    finally:
        store.close()


@pytest.mark.parametrize(
    "args",
    [["remove-user"], ["disable-user"], ["set-role", "--role", "staff"]],
    ids=["remove", "disable", "demote"],
)
def test_the_last_administrator_cannot_be_removed_disabled_or_demoted(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    _users(db, monkeypatch)
    command = ["--database-url", db, args[0], "--username", "anna", *args[1:]]
    assert run(monkeypatch, command) == 1
    assert "minst en administratör" in capsys.readouterr().err
    store = open_auth_store(db)
    try:
        assert store.authenticate("anna", STRONG).role == "admin"
    finally:
        store.close()
