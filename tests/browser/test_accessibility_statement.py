"""In Chromium, against the real app: the accessibility statement and its report form.

axe-core finds no WCAG 2.1 A/AA violation on the statement (sv, en), on the form showing its errors and
on the receipt; a report can be sent with the keyboard alone; nothing scrolls sideways at 320 px.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe import violations
from tests.browser.conftest import LiveGateway

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.mark.parametrize(
    ("path", "h1"),
    [
        ("/tillganglighet", "Tillgänglighet för Kommunsvar – Exempelstad kommun"),
        ("/accessibility", "Accessibility of Kommunsvar – Exempelstad municipality"),
    ],
)
def test_the_statement_has_no_violations_and_fits_320_px(
    page: Any, live_gateway: LiveGateway, screenshot_dir: Path, path: str, h1: str
) -> None:
    from playwright.sync_api import expect

    page.goto(live_gateway.url(path))
    expect(page.get_by_role("heading", level=1)).to_have_text(h1)
    assert violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "horizontal scrolling at 320 px"
    name = f"11-statement{path.replace('/', '-')}-320.png"
    page.screenshot(path=str(screenshot_dir / name), full_page=True)


def test_a_failed_submit_shows_linked_errors_without_violations(
    page: Any, live_gateway: LiveGateway, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_gateway.url("/tillganglighet"))
    page.get_by_label("Var i tjänsten var det? (frivilligt)").fill("Knappen Skicka")
    page.get_by_label("E-post eller telefonnummer (frivilligt)").fill("inte-en-adress@")
    page.get_by_role("button", name="Skicka rapporten").click()
    page.wait_for_load_state()
    summary = page.locator("#a11y-errors")
    expect(summary).to_contain_text("Det finns fel i formuläret")
    expect(page).to_have_title("Fel: Tillgänglighet för Kommunsvar – Exempelstad kommun")
    message = page.get_by_label("Vad är problemet?")
    expect(message).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Var i tjänsten var det? (frivilligt)")).to_have_value("Knappen Skicka")
    assert violations(page) == []
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "horizontal scrolling at 320 px with errors shown"
    page.screenshot(path=str(screenshot_dir / "12-statement-errors-320.png"), full_page=True)
    summary.get_by_role("link", name="Skriv vad problemet är.").click()  # the summary leads to the field
    expect(message).to_be_focused()


def test_a_report_can_be_sent_with_the_keyboard_alone(
    page: Any, live_gateway: LiveGateway, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(live_gateway.url("/tillganglighet"))
    for _ in range(60):  # Tab through the page's links until the first field of the form
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "a11y-message":
            break
    else:
        pytest.fail("the report form cannot be reached with Tab")
    page.keyboard.type("Texten i chatten går inte att förstora utan att den hamnar utanför skärmen.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "a11y-where"
    page.keyboard.type("Chattfönstret")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "a11y-contact"
    page.keyboard.type("tangentbord.testare@example.se")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skicka rapporten"
    page.keyboard.press("Enter")
    page.wait_for_url("**/tillganglighet?skickat=KS-*")
    receipt = page.locator("#kvitto")
    expect(receipt).to_contain_text("Tack! Din rapport har ärendenummer KS-")
    expect(receipt).to_contain_text("Vi bekräftar senast")
    assert violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "horizontal scrolling at 320 px on the receipt"
    page.screenshot(path=str(screenshot_dir / "13-statement-receipt-320.png"), full_page=True)
