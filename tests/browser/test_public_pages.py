"""In Chromium, against the real app: the public account of the AI (``/om-tjansten``) and its open data.

A structural accessibility check (language, one h1 and no skipped heading levels, named links, table
headers, the skip link) until the axe-core audit of the widget issue covers these pages too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveGateway
from tests.municipal_day import municipal_today

pytestmark = pytest.mark.browser


def _structure(page: Any) -> dict[str, Any]:
    return page.evaluate(
        """() => ({
          lang: document.documentElement.lang,
          levels: [...document.querySelectorAll('main h1, main h2, main h3')].map(h => Number(h.tagName[1])),
          unnamedLinks: [...document.querySelectorAll('a')].filter(a => !a.textContent.trim()).length,
          tablesWithoutHeaders: [...document.querySelectorAll('table')].filter(
            t => !t.querySelector('caption') || !t.querySelector('th[scope]')).length,
          overflow: document.documentElement.scrollWidth > window.innerWidth,
        })"""
    )


@pytest.mark.parametrize(
    ("path", "lang", "h1"),
    [
        ("/om-tjansten", "sv", "Om chatten Kommunsvar"),
        ("/about-the-service", "en", "About the Kommunsvar chat"),
    ],
)
def test_the_public_account_reads_well_without_a_login(
    page: Any, live_gateway: LiveGateway, screenshot_dir: Path, path: str, lang: str, h1: str
) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_gateway.url(path))
    expect(page.get_by_role("heading", level=1)).to_have_text(h1)
    found = _structure(page)
    assert found["lang"] == lang
    assert found["levels"][0] == 1 and found["levels"].count(1) == 1
    assert all(b - a <= 1 for a, b in zip(found["levels"], found["levels"][1:], strict=False))
    assert found["unnamedLinks"] == 0 and found["tablesWithoutHeaders"] == 0
    assert not found["overflow"], "horizontal scrolling at 320 px"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.screenshot(path=str(screenshot_dir / f"09-public{path.replace('/', '-')}.png"), full_page=True)
    other = "English" if lang == "sv" else "Svenska"
    page.get_by_role("link", name=other).click()
    expect(page.locator("html")).to_have_attribute("lang", "en" if lang == "sv" else "sv")


def test_open_data_downloads_without_a_login(page: Any, live_gateway: LiveGateway) -> None:
    response = page.request.get(live_gateway.url("/oppna-data/nyckeltal.json"))
    assert response.status == 200 and response.json()["licence"]["id"] == "CC0-1.0"
    csv_response = page.request.get(live_gateway.url("/oppna-data/nyckeltal.csv"))
    assert csv_response.status == 200 and csv_response.text().startswith("week,start,answers")


def test_the_weekly_report_written_by_the_command_opens_in_the_browser(
    page: Any, live_gateway: LiveGateway, tmp_path: Path, screenshot_dir: Path
) -> None:
    import subprocess
    import sys

    from playwright.sync_api import expect

    iso = municipal_today().isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    done = subprocess.run(
        [sys.executable, "-m", "bot.kpi", "report", "--week", week, "--out", str(tmp_path)],
        env=live_gateway.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    html = tmp_path / f"kommunsvar-{week}.html"
    page.goto(html.as_uri())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Kommunsvar – veckorapport {week}")
    expect(page.get_by_role("img", name="Andel svar som hjälpte (%)")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "10-weekly-report.png"), full_page=True)
