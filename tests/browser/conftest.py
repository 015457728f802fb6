"""Browser tests: the real gateway app under uvicorn on a free loopback port, driven by headless Chromium.

The gateway runs as a subprocess with its own ``var`` folder and databases (Rasa is not needed: the
admin console and staff queue only read the audit and case stores). Playwright drives Debian's
``/usr/bin/chromium`` (installed by ``make browser-deps``); browsers are never downloaded.

Fixtures other browser tests can use: ``live_gateway`` (URL, database, seeded users),
``browser`` (one Chromium per session, in ``tests/conftest.py`` so that the real-stack browser tests in
``tests/e2e`` share it: Playwright's sync API runs once per thread), ``page`` (a fresh context per test)
and :func:`log_in`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.settings import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "Webbläsar-Test-2026!"
USERS = {"admin": "anna", "auditor": "greta", "staff": "sven"}
STARTUP_TIMEOUT_S = 240
SCREENSHOT_DIR = Path("/tmp/kommunsvar-browser")


def _require_browser() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (run `make browser-deps`)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed in .venv (pip install -e '.[dev]')")


def _free_port() -> int:
    from bot.runner import free_port

    return free_port()


@dataclass
class LiveGateway:
    """A running gateway and what the tests need to know about it."""

    base_url: str
    database_url: str
    var_dir: Path
    env: dict[str, str]
    log_path: Path

    def audit_log(self) -> Any:
        """A second handle on the gateway's audit log (same database and keys), for seeding."""
        from audit.log import open_audit_log
        from audit.settings import AuditSettings

        settings = AuditSettings(
            database_url=self.database_url,
            key_path=Path(self.env["KOMMUNSVAR_AUDIT_KEY_PATH"]),
            content_key_path=Path(self.env["KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH"]),
        )
        return open_audit_log(self.database_url, settings=settings)

    def url(self, path: str) -> str:
        """Absolute URL of ``path``."""
        return self.base_url + path


@pytest.fixture(scope="session")
def live_gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveGateway]:
    """Start ``uvicorn bot.main:create_app --factory`` once per session with seeded users."""
    _require_browser()
    from bot.auth.store import open_auth_store

    var_dir = tmp_path_factory.mktemp("browser-var")
    database_url = f"sqlite:///{var_dir / 'audit.db'}"
    port = _free_port()
    env = {
        **os.environ,
        "KOMMUNSVAR_VAR_DIR": str(var_dir),
        "KOMMUNSVAR_AUDIT_DATABASE_URL": database_url,
        "KOMMUNSVAR_AUDIT_KEY_PATH": str(var_dir / "keys" / "audit_ed25519.pem"),
        "KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH": str(var_dir / "keys" / "audit_content.key"),
        "KOMMUNSVAR_PORT": str(port),
        # The internal API too: its default (8001) is taken when another stack or test run is up.
        "KOMMUNSVAR_INTERNAL_PORT": str(_free_port()),
        "OMP_NUM_THREADS": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    store = open_auth_store(database_url)
    try:
        for role, name in USERS.items():
            store.create_user(name, PASSWORD, role)  # type: ignore[arg-type]
    finally:
        store.close()
    log_path = var_dir / "uvicorn.log"
    command = [sys.executable, "-m", "uvicorn", "bot.main:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]  # fmt: skip
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=PROJECT_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    gateway = LiveGateway(f"http://127.0.0.1:{port}", database_url, var_dir, env, log_path)
    try:
        _wait_until_up(gateway, process)
        yield gateway
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_up(gateway: LiveGateway, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                "the gateway exited at start:\n" + gateway.log_path.read_text(errors="replace")[-4000:]
            )
        try:
            if httpx.get(gateway.url("/admin/login"), timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    pytest.fail("the gateway did not start in time:\n" + gateway.log_path.read_text(errors="replace")[-4000:])


@pytest.fixture()
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page, Swedish locale, downloads allowed."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(20_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots go (outside the repo)."""
    if SCREENSHOT_DIR.exists():
        shutil.rmtree(SCREENSHOT_DIR)
    SCREENSHOT_DIR.mkdir(parents=True)
    return SCREENSHOT_DIR


def log_in(page: Any, gateway: LiveGateway, role: str, start: str = "/admin") -> None:
    """Open ``start``, get sent to the login form, and log in as the user of ``role``."""
    page.goto(gateway.url(start))
    page.get_by_label("Användarnamn").fill(USERS[role])
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
