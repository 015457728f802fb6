"""axe-core finds no WCAG 2.1 A/AA violation on the public account, the console's KPI and pilot pages,
its login page, and the weekly report (real app, headless Chromium)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe import violations
from tests.browser.conftest import LiveGateway, log_in
from tests.municipal_day import municipal_today

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/om-tjansten", "/about-the-service", "/admin/login"])
def test_public_pages_have_no_violations(page: Any, live_gateway: LiveGateway, path: str) -> None:
    page.goto(live_gateway.url(path))
    assert violations(page) == []


@pytest.mark.parametrize(("role", "path"), [("auditor", "/admin/kpi"), ("staff", "/staff/pilot")])
def test_console_pages_have_no_violations(page: Any, live_gateway: LiveGateway, role: str, path: str) -> None:
    log_in(page, live_gateway, role, start=path)
    page.goto(live_gateway.url(path))
    assert page.locator("h1").count() == 1
    assert violations(page) == []


def test_the_weekly_report_has_no_violations(page: Any, live_gateway: LiveGateway, tmp_path: Path) -> None:
    iso = municipal_today().isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    done = subprocess.run(
        [sys.executable, "-m", "bot.kpi", "report", "--week", week, "--out", str(tmp_path)],
        env=live_gateway.env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page.goto((tmp_path / f"kommunsvar-{week}.html").as_uri())
    assert violations(page) == []
