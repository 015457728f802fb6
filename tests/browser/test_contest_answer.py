"""In a real browser: a citizen contests an answer in the chat widget; a staff member resolves the case.

The gateway runs inside the test process (uvicorn in a thread, no lifespan) with the real redactor,
audit log, case store and user store, and Rasa faked with ``httpx.MockTransport``
(``tests/bot/conftest.py``), so no Rasa model is needed. Chromium is Debian's ``/usr/bin/chromium``;
the tests skip with the reason when it is missing.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.settings import PROJECT_ROOT
from cases.mailer import OutboxOnly
from content.knowledge import KnowledgeBase
from tests.bot.conftest import FakeRasa
from tests.cases.conftest import PASSWORD, USERS, CaseEnv, build_case_env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, CaseEnv, FakeRasa]]:
    """The gateway on a free loopback port, served from this process."""
    import uvicorn

    from bot.runner import free_port
    from guardrails.redactor import Redactor

    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (run `make browser-deps`)")
    knowledge = KnowledgeBase.load(PROJECT_ROOT / "data")
    fake = FakeRasa(knowledge)
    env = build_case_env(tmp_path_factory.mktemp("contest"), Redactor.create(), knowledge, fake.handler)
    env.service.mailer = OutboxOnly()
    port = free_port()
    uv = uvicorn.Server(
        uvicorn.Config(env.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the in-process gateway did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", env, fake
    finally:
        uv.should_exit = True
        thread.join(timeout=15)
        env.store.close()
        env.auth.close()
        env.audit_log.close()


def _ask(page: Any, question: str) -> Any:
    page.get_by_label("Din fråga").fill(question)
    page.get_by_label("Din fråga").press("Enter")
    answer = page.locator("li.msg.bot").last
    answer.locator(".meta").wait_for()
    return answer


def test_citizen_contests_an_answer_and_staff_resolves_it(
    server: tuple[str, CaseEnv, FakeRasa], page: Any
) -> None:
    base, env, _ = server
    page.goto(base + "/")
    answer = _ask(page, "När hämtas soporna?")
    audit_id = re.search(r"Svar-ID: (KS-[0-9A-Z]+)", answer.locator(".meta").inner_text()).group(1)

    # The citizen opens "Stämmer inte svaret?" under the answer.
    toggle = answer.get_by_role("button", name="Stämmer inte svaret?")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    form = answer.locator("form.contest")
    message = form.get_by_label("Vad är fel?")
    assert message.evaluate("el => el === document.activeElement")
    message.fill("Soporna hämtas på tisdagar här. Mitt personnummer är 811218-9876.")
    form.get_by_label("E-post").fill("inte-en-adress")
    form.get_by_role("button", name="Skicka").click()
    status = form.locator(".contest-status")
    status.filter(has_text="contact.email").wait_for()
    assert form.get_by_label("E-post").get_attribute("aria-invalid") == "true"
    assert env.store.count() == 0

    form.get_by_label("E-post").fill("anna.svensson@example.com")
    form.get_by_role("button", name="Skicka").click()
    done = answer.locator(".contest-done")
    done.wait_for()
    text = done.inner_text()
    case_id = re.search(r"KS-\d{4}-\d{6}", text).group(0)
    assert "4 mars 2026" in text and "16 mars 2026" in text
    case = env.store.get(case_id)
    assert case.audit_id == audit_id and case.contact_type == "email"
    assert "811218" not in (case.message_redacted or "") and "<PERSONNUMMER_1>" in (
        case.message_redacted or ""
    )

    # A staff member logs in, lands on the queue, opens the case, replies and resolves it.
    staff = page.context.browser.new_context(locale="sv-SE")
    tab = staff.new_page()
    try:
        tab.goto(base + "/staff/cases")
        tab.get_by_label("Användarnamn").fill(USERS["staff"])
        tab.get_by_label("Lösenord").fill(PASSWORD)
        tab.get_by_role("button", name="Logga in").click()
        tab.get_by_role("heading", name="Ärenden").wait_for()
        tab.get_by_role("link", name=case_id).click()
        tab.get_by_role("heading", name=f"Ärende {case_id}").wait_for()
        assert audit_id in tab.content()
        assert "Förklaring av svaret" in tab.content()
        tab.get_by_role("button", name="Bekräfta ärendet").click()
        tab.get_by_text("Ärendet är bekräftat.").wait_for()
        tab.get_by_label("Svara").fill("Hej! Du har rätt, hämtningen är på tisdagar. Vi rättar svaret.")
        tab.get_by_role("button", name="Spara svaret").click()
        tab.get_by_text("Svaret är sparat.").wait_for()
        tab.get_by_label("Svaret var fel").check()
        tab.get_by_role("button", name="Avsluta ärendet").click()
        tab.get_by_text("Ärendet är avslutat.").wait_for()
        assert "Avslutad: Svaret var fel" in tab.locator("#case-status").inner_text()
        tab.get_by_role("link", name="Innehållsgranskning").click()
        tab.get_by_role("heading", name="Innehållsgranskning").wait_for()
        assert case.article_id in tab.content() and case_id in tab.content()
        tab.get_by_role("link", name="Utkorg").click()
        assert "anna.svensson@example.com" in tab.content()  # no SMTP here: the reply waits for staff
    finally:
        staff.close()
    resolved = env.store.get(case_id)
    assert resolved.status == "resolved" and resolved.outcome == "answer_wrong"
    steps = [(e.action, e.detail) for e in env.store.events(case_id) if e.actor == USERS["staff"]]
    assert [action for action, _ in steps] == [
        "acknowledged",
        "contact_used",  # the reply was stored for the contact
        "replied",
        "resolved",
        "contact_used",  # the outbox page showed the recipient: every reveal is logged
    ]
    assert steps[-1][1] == {"purpose": "outbox"}


def test_appeal_answers_say_they_are_not_decisions(server: tuple[str, CaseEnv, FakeRasa], page: Any) -> None:
    base, _, fake = server
    fake.intent = "appeal"
    try:
        page.goto(base + "/")
        answer = _ask(page, "Hur överklagar jag ett beslut?")
        assert "inte beslut" in answer.locator(".note").inner_text()
        assert answer.get_by_role("button", name="Stämmer inte svaret?").is_visible()
    finally:
        fake.intent = "waste_collection"


def test_a_website_answer_shows_its_label_and_a_link_to_the_page(
    server: tuple[str, CaseEnv, FakeRasa], page: Any, tmp_path: Path
) -> None:
    from content.site.store import NewPage, SiteStore

    base, env, fake = server
    store = SiteStore.open(f"sqlite:///{tmp_path / 'site.db'}")
    url = "https://www.exempelstad.se/uppleva-och-gora/simhallen/"
    text = "Vuxna betalar 80 kronor. Barn under 7 år badar gratis med en vuxen."
    heading = ("Simhallen", "Priser")
    store.apply(
        "imp-1",
        "test",
        "2026-12-01T00:00:00",
        [NewPage(url, "Simhallen", "sv", None, "h", ((heading, text),))],
        [],
        {},
    )
    passage = store.active_passages()[0]
    chat = env.app.state.chat_service
    previous = chat.site
    chat.site = store
    fake.reply_text = text
    fake.reply_metadata = {"source": passage.source_info(), "site_label": "Från kommunens webbplats"}
    try:
        page.goto(base + "/")
        answer = _ask(page, "Vad kostar simhallen?")
        assert text in answer.inner_text()
        line = answer.locator(".site-source")
        assert line.inner_text().startswith("Från kommunens webbplats")
        link = line.get_by_role("link", name="Simhallen")
        assert link.get_attribute("href") == url
        assert "Källa: kommunens webbplats" in answer.locator(".meta").inner_text()
    finally:
        chat.site = previous
        fake.reply_text = None
        fake.reply_metadata = None
        store.close()


def test_citizen_says_an_answer_did_not_help_and_rates_the_chat(
    server: tuple[str, CaseEnv, FakeRasa], page: Any
) -> None:
    base, env, _ = server
    before = len(env.service.feedback.answers())
    page.goto(base + "/")
    assert page.locator("#rating-box").is_hidden()  # nothing to rate before the first answer
    answer = _ask(page, "När hämtas soporna?")
    audit_id = re.search(r"Svar-ID: (KS-[0-9A-Z]+)", answer.locator(".meta").inner_text()).group(1)
    # The contest form starts closed (its CSS once overrode `hidden`, so every answer carried it open).
    assert answer.locator("form.contest").is_hidden()
    group = answer.get_by_role("group", name="Hjälpte svaret?")
    reasons = group.locator("fieldset.feedback-reasons")
    assert reasons.is_hidden()
    # Keyboard only: Tab to "Nej", press Enter, then pick a reason with Enter.
    no = group.get_by_role("button", name="Nej", exact=True)
    no.focus()
    page.keyboard.press("Enter")
    assert no.get_attribute("aria-pressed") == "true"
    assert reasons.is_visible()
    reason = group.get_by_role("button", name="Informationen verkar gammal")
    reason.focus()
    page.keyboard.press("Enter")
    group.locator(".feedback-status").filter(has_text="Tack!").wait_for()
    deadline = time.monotonic() + 10  # "Nej" and the reason are two requests; the second replaces the first
    rows = env.service.feedback.answers()[before:]
    while [r["reason"] for r in rows] != ["outdated"] and time.monotonic() < deadline:
        time.sleep(0.1)
        rows = env.service.feedback.answers()[before:]
    assert [(r["audit_id"], r["helpful"], r["reason"]) for r in rows] == [(audit_id, False, "outdated")]

    # The chat with an answer, its feedback buttons open and the rating form shown: no axe violation.
    from tests.browser.axe import violations

    assert violations(page) == []
    page.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Skicka betyg").click()
    page.locator("#rating-status").filter(has_text="Tack för ditt betyg!").wait_for()
    record = env.audit_log.get(audit_id)
    ratings = [r for r in env.service.feedback.ratings() if r["conversation"] == record["conversation"]]
    assert [r["rating"] for r in ratings] == [4]


def test_pilot_mode_a_draft_waits_staff_approve_and_the_citizen_sees_it(
    server: tuple[str, CaseEnv, FakeRasa], page: Any
) -> None:
    base, env, _ = server
    desk = env.app.state.pilot_desk
    desk.set_topic("waste_collection", True, USERS["admin"])
    try:
        page.goto(base + "/")
        held = _ask(page, "När hämtas soporna?")
        assert "En handläggare tittar på svaret" in held.inner_text()
        audit_id = re.search(r"Svar-ID: (KS-[0-9A-Z]+)", held.locator(".meta").inner_text()).group(1)
        answers_before = page.locator("li.msg.bot").count()

        staff = page.context.browser.new_context(locale="sv-SE")
        tab = staff.new_page()
        try:
            tab.goto(base + "/staff/pilot")
            tab.get_by_label("Användarnamn").fill(USERS["staff"])
            tab.get_by_label("Lösenord").fill(PASSWORD)
            tab.get_by_role("button", name="Logga in").click()
            tab.goto(base + "/staff/pilot")
            draft = tab.locator("section.pilot-draft", has_text=audit_id)
            assert "När hämtas soporna?" in draft.inner_text()
            draft.get_by_role("button", name="Godkänn och skicka").click()
            tab.get_by_text("Svaret är godkänt och skickat.").wait_for()
        finally:
            staff.close()

        released = page.locator("li.msg.bot").nth(answers_before)
        released.locator(".meta").wait_for(timeout=20_000)  # the chat asks every 4 seconds
        assert "Godkänt av en handläggare" in released.locator(".meta").inner_text()
        release_id = re.search(r"Svar-ID: (KS-[0-9A-Z]+)", released.locator(".meta").inner_text()).group(1)
        record = env.audit_log.get(release_id)
        assert record["pilot"]["approver"] == USERS["staff"] and record["pilot"]["held_audit_id"] == audit_id
        assert released.get_by_role("group", name="Hjälpte svaret?").is_visible()
    finally:
        desk.set_topic("waste_collection", False, USERS["admin"])
