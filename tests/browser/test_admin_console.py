"""The admin console in a real browser: log in, filter, open a record and its explanation, export, verify."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.axe import violations
from tests.browser.conftest import LiveGateway, log_in

pytestmark = pytest.mark.browser


def _record(topic: str, confidence: float, turn: int) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "channel": "web",
        "language": "sv",
        "conversation": f"browser-conv-{turn % 4}",
        "turn": turn,
        "input_redacted": "Var kan jag parkera nära <ADDRESS_1>?"
        if topic == "parking"
        else "När hämtas soporna?",
        "pii": {"findings": [], "counts": {"LOCATION": 1} if topic == "parking" else {}},
        "nlu": {
            "intent": topic,
            "confidence": confidence,
            "ranking": [{"name": topic, "confidence": confidence}, {"name": "library", "confidence": 0.02}],
            "entities": [],
            "fallback_threshold": 0.6,
        },
        "actions": [{"name": "action_answer", "policy": "policy_0_RulePolicy", "confidence": 1.0}],
        "answers": [
            {
                "text": "Du kan parkera på gatan med p-skiva i högst två timmar.",
                "source": {
                    "article_id": "parking-street-rules",
                    "version": 2,
                    "owner": "Samhällsbyggnadsförvaltningen",
                    "last_reviewed": "2026-05-04",
                },
            }
        ],
        "topic": topic,
        "guardrails": {"ai_disclosure_shown": True, "handoff_offered": confidence < 0.6},
        "retention_class": "conversation",
    }


@pytest.fixture(scope="module")
def seeded(live_gateway: LiveGateway) -> Iterator[dict[str, list[str]]]:
    """Twelve parking answers (varied confidence) and eight waste answers in the gateway's log."""
    log = live_gateway.audit_log()
    try:
        records = [_record("parking", 0.3 + 0.06 * i, i) for i in range(12)]
        records += [_record("waste_collection", 0.95, 100 + i) for i in range(8)]
        ids = [e.audit_id for e in log.append_many(records)]
        yield {"parking": ids[:12], "waste": ids[12:]}
    finally:
        log.close()


def test_login_filter_record_explanation_export(
    page: Any, live_gateway: LiveGateway, seeded: dict[str, list[str]], screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(live_gateway.url("/admin/audit"))
    expect(page).to_have_url(re.compile(r"/admin/login\?next=%2Fadmin%2Faudit$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    page.screenshot(path=str(screenshot_dir / "01-login.png"), full_page=True)

    page.get_by_label("Användarnamn").fill("greta")
    page.get_by_label("Lösenord").fill("fel-lösenord-123")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("alert")).to_contain_text("Inloggningen misslyckades")

    log_in(page, live_gateway, "auditor", start="/admin/audit")
    expect(page).to_have_url(live_gateway.url("/admin/audit"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Svarsloggen")
    expect(page.locator("a[aria-current=page]")).to_have_text("Svarsloggen")

    page.get_by_label("Ämne").select_option(label="Parkering")
    page.get_by_label("Säkerhet").select_option("low")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"topic=parking.*band=low|band=low.*topic=parking"))
    low = [i for i, c in zip(seeded["parking"], [0.3 + 0.06 * i for i in range(12)], strict=True) if c < 0.6]
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(len(low))
    expect(page.get_by_role("status").first).to_contain_text(f"av {len(low)} svar")
    page.screenshot(path=str(screenshot_dir / "02-audit-list.png"), full_page=True)

    newest = low[-1]
    page.get_by_role("link", name=newest).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Svar {newest}")
    explanation = page.locator(".explanation")
    expect(explanation).to_contain_text(f"Förklaring av svar {newest}")
    expect(explanation).to_contain_text("Boten tolkade frågan som ämnet ”Parkering”")
    expect(page.locator("#receipt-result")).to_contain_text("Kvittot stämmer.")
    expect(page.get_by_text("parking-street-rules", exact=True)).to_be_visible()
    expect(page.get_by_text("Samhällsbyggnadsförvaltningen", exact=True)).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "03-record.png"), full_page=True)

    page.get_by_role("link", name="Tillbaka till svarsloggen").click()
    expect(rows).to_have_count(len(low))
    with page.expect_download() as csv_info:
        page.get_by_role("link", name="Exportera urvalet som CSV").click()
    csv_path = csv_info.value.path()
    exported = list(csv.DictReader(Path(csv_path).read_text(encoding="utf-8-sig").splitlines()))
    assert [r["audit_id"] for r in exported] == low
    with page.expect_download() as jsonl_info:
        page.get_by_role("link", name="Exportera urvalet som JSON Lines").click()
    lines = Path(jsonl_info.value.path()).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["audit_id"] for line in lines] == low


def test_overview_charts_and_verify_now(
    page: Any, live_gateway: LiveGateway, seeded: dict[str, list[str]], screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, live_gateway, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    expect(page.locator("section.chart svg")).to_have_count(3)
    # Bars that open the records behind them make the chart a group of links, not an image.
    expect(page.get_by_role("group", name=re.compile("Svar per ämne"))).to_be_visible()
    assert violations(page) == []  # axe-core, WCAG 2.1 A/AA
    page.screenshot(path=str(screenshot_dir / "04-overview.png"), full_page=True)

    page.locator("#chart-topics-h").scroll_into_view_if_needed()
    page.locator("section.chart", has=page.locator("#chart-topics-h")).locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/admin/audit\?.*topic=parking"))

    page.get_by_role("link", name="Kontroll av loggen").click()
    expect(page.get_by_text("Senaste signerade kontrollpunkt")).to_be_visible()
    page.get_by_role("button", name="Kontrollera hela loggen nu").click()
    expect(page.locator("#verify-result")).to_contain_text("Loggen är hel.", timeout=60_000)
    page.screenshot(path=str(screenshot_dir / "05-verify.png"), full_page=True)


def test_keyboard_skip_link_and_wrong_role(page: Any, live_gateway: LiveGateway) -> None:
    from playwright.sync_api import expect

    log_in(page, live_gateway, "staff", start="/admin/integrity")
    expect(page.get_by_role("heading", level=1)).to_have_text("Du har inte behörighet till den här sidan")
    page.goto(live_gateway.url("/admin/integrity"))
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hoppa till innehållet"
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("status")).to_have_text("Du är utloggad.")
    page.goto(live_gateway.url("/admin"))
    expect(page).to_have_url(re.compile(r"/admin/login\?next="))


def test_kpi_dashboard_in_the_console(
    page: Any, live_gateway: LiveGateway, seeded: dict[str, list[str]], screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect

    log_in(page, live_gateway, "auditor")
    page.get_by_role("link", name="Nyckeltal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyckeltal")
    table = page.get_by_role("table", name="Nyckeltal för perioden")
    for name in ("Svar som hjälpte", "Löstes i chatten", "Osäkra svar", "Nöjdhet (1–5)"):
        expect(table.get_by_role("rowheader", name=re.compile(re.escape(name)))).to_be_visible()
    expect(page.locator("section.chart svg")).to_have_count(2)
    expect(page.get_by_role("group", name=re.compile("Andel svar som hjälpte"))).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "08-kpi.png"), full_page=True)
    page.get_by_label("Period").fill("nästa år")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_role("alert")).to_contain_text("ingen period som går att läsa")
