"""User management on the command line.

Usage::

    python -m bot.auth create-admin --username anna            # asks for the password twice
    echo "$PW" | python -m bot.auth create-user --username bo --role staff --password-stdin
    python -m bot.auth set-password --username bo
    python -m bot.auth list-users
    python -m bot.auth set-role --username bo --role auditor      # each of these ends bo's sessions
    python -m bot.auth disable-user --username bo
    python -m bot.auth enable-user --username bo
    python -m bot.auth remove-user --username bo

Exit codes: 0 done, 1 refused (weak password, name taken, unknown user), 2 usage or database error.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from bot.auth.errors import AuthError
from bot.auth.models import ROLE_LABELS, ROLES, Role
from bot.auth.settings import get_auth_settings
from bot.auth.store import AuthStore, open_auth_store
from bot.settings import get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot.auth", description="Användare i Kommunsvar")
    parser.add_argument("--database-url", help="users' database (default: the audit trail's)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("create-admin", "skapa en administratör"),
        ("create-user", "skapa en användare"),
        ("set-password", "byt lösenord (låser upp kontot och loggar ut)"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--username", required=True)
        cmd.add_argument(
            "--password-stdin", action="store_true", help="läs lösenordet från första raden på stdin"
        )
        if name == "create-user":
            cmd.add_argument("--role", choices=ROLES, required=True)
    sub.add_parser("list-users", help="visa alla användare")
    for name, text in (
        ("set-role", "byt roll (användaren loggas ut)"),
        ("disable-user", "stäng av ett konto (användaren loggas ut)"),
        ("enable-user", "öppna ett avstängt eller låst konto"),
        ("remove-user", "ta bort ett konto (användaren loggas ut)"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--username", required=True)
        if name == "set-role":
            cmd.add_argument("--role", choices=ROLES, required=True)
    return parser


LIFECYCLE_DONE = {
    "set-role": "{name} har nu rollen {role} och är utloggad.",
    "disable-user": "Kontot {name} är avstängt och utloggat.",
    "enable-user": "Kontot {name} kan logga in igen.",
    "remove-user": "Kontot {name} är borttaget.",
}


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Lösenord: ")
    if getpass.getpass("Samma lösenord igen: ") != first:
        raise AuthError("Lösenorden är inte lika.")
    return first


def _open(database_url: str | None) -> AuthStore:
    url = database_url or get_auth_settings().database_url or get_settings().resolved_audit_url
    return open_auth_store(url)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        store = _open(args.database_url)
    except Exception as exc:  # noqa: BLE001 - any failure to open is reported the same way
        sys.stderr.write(f"Kunde inte öppna användardatabasen: {type(exc).__name__}: {exc}\n")
        return 2
    try:
        if args.command == "list-users":
            for user in store.list_users():
                sys.stdout.write(f"{user.username}\t{user.role}\n")
            return 0
        if args.command in LIFECYCLE_DONE:
            name = args.username.strip().casefold()
            if args.command == "set-role":
                store.set_role(name, args.role)
            elif args.command == "disable-user":
                store.disable(name)
            elif args.command == "enable-user":
                store.enable(name)
            else:
                store.remove(name)
            label = ROLE_LABELS.get(getattr(args, "role", ""), "")
            sys.stdout.write(LIFECYCLE_DONE[args.command].format(name=name, role=label) + "\n")
            return 0
        password = _read_password(args.password_stdin)
        if args.command == "set-password":
            store.set_password(args.username, password)
            sys.stdout.write(f"Lösenordet för {args.username.strip().casefold()} är bytt.\n")
            return 0
        role: Role = "admin" if args.command == "create-admin" else args.role
        user = store.create_user(args.username, password, role)
        sys.stdout.write(f"Användaren {user.username} ({user.role_label}) är skapad.\n")
        return 0
    except AuthError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    finally:
        store.close()
