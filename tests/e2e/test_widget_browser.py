"""The embeddable widget on the demo page, in headless Chromium, against the real stack (gateway, Rasa,
action server): keyboard-only use from the launcher to an answer, a contest and closing; the focus order;
the live region; 320 px and 400 % zoom; axe-core; the host page's CSS; and "Radera mitt samtal", after
which no turn of the conversation is left in any file under ``var/`` and ``python -m audit verify``
still passes.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.browser.axe import violations
from tests.browser.conftest import SCREENSHOT_DIR
from tests.e2e.audit_cli import run_audit

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

HOST = "#kommunsvar-widget"
ANSWERED = "li.msg.bot .meta"


def _page(browser: Any, width: int = 1280, height: int = 900, **options: Any) -> Any:
    context = browser.new_context(
        locale="sv-SE", viewport={"width": width, "height": height}, accept_downloads=True, **options
    )
    context.set_default_timeout(60_000)
    return context.new_page()


def _shot(page: Any, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / name), full_page=False)


def _in_shadow(page: Any, script: str) -> Any:
    """Evaluate ``script`` (a function of the widget's shadow root) in the host page."""
    return page.evaluate(f"() => ({script})(document.querySelector('{HOST}').shadowRoot)")


def _launcher_focused(page: Any) -> bool:
    return bool(
        page.evaluate(
            f"() => document.activeElement === document.querySelector('{HOST}') && "
            "document.activeElement.shadowRoot.activeElement.classList.contains('launcher')"
        )
    )


def _panel(page: Any) -> Any:
    """The chat panel's frame, once it is loaded and has the focus on the message field."""
    # The iframe is created on the first open; its frame shows up in page.frames once it has navigated
    # away from about:blank, which may take a moment after the element exists.
    deadline = time.monotonic() + 60
    frame = None
    while frame is None:
        frame = next((f for f in page.frames if "/widget?" in f.url), None)
        if frame is None:
            assert time.monotonic() < deadline, [f.url for f in page.frames]
            page.wait_for_timeout(100)
    frame.wait_for_load_state()
    frame.wait_for_function("() => document.activeElement && document.activeElement.id === 'text'")
    return frame


def _watch_log(frame: Any) -> None:
    """Record every change to the transcript (the role=log live region) from now on."""
    frame.evaluate(
        """() => {
          const log = document.getElementById('log');
          window.__changes = [];
          if (window.__observer) { window.__observer.disconnect(); }
          window.__observer = new MutationObserver(records => records.forEach(r => {
            if (r.type === 'characterData') {
              window.__changes.push({ top: false, kind: '#text', text: r.target.data });
            }
            r.addedNodes.forEach(n => window.__changes.push({
              top: r.target === log, kind: n.className || n.nodeName, text: n.textContent || '' }));
            r.removedNodes.forEach(n => window.__changes.push({
              top: r.target === log, kind: 'removed', text: '' }));
          }));
          window.__observer.observe(log, { childList: true, subtree: true, characterData: true });
        }"""
    )


def _ask(page: Any, frame: Any, question: str) -> Any:
    before = frame.locator(ANSWERED).count()
    page.keyboard.type(question)
    page.keyboard.press("Enter")
    frame.wait_for_function(f"() => document.querySelectorAll('{ANSWERED}').length > {before}")
    return frame.locator("li.msg.bot").last


def _send(frame: Any, question: str) -> Any:
    before = frame.locator(ANSWERED).count()
    frame.locator("#text").fill(question)
    frame.locator("#text").press("Enter")
    frame.wait_for_function(f"() => document.querySelectorAll('{ANSWERED}').length > {before}")
    return frame.locator("li.msg.bot").last


def _contests(var_dir: Path, audit_id: str) -> int:
    engine = create_engine(f"sqlite:///{var_dir / 'audit.db'}")
    with engine.connect() as conn:
        count = conn.execute(
            text("SELECT count(*) FROM audit_contest WHERE audit_id = :a"), {"a": audit_id}
        ).scalar()
    engine.dispose()
    return int(count or 0)


def _tab_to(page: Any, frame: Any, name: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if frame.evaluate("() => (document.activeElement.textContent || '').trim()") == name:
            return
    pytest.fail(f"{name!r} was not reached with Tab")


def _no_horizontal_scroll(target: Any) -> bool:
    return bool(
        target.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        )
    )


def test_keyboard_only_from_the_launcher_to_an_answer_a_contest_and_closing(browser, stack, stack_audit):
    page = _page(browser)
    page.goto(stack.gateway_url + "/demo")
    # The launcher is reached with Tab after the page's own links, and is a named button.
    for _ in range(15):
        page.keyboard.press("Tab")
        if _launcher_focused(page):
            break
    assert _launcher_focused(page)
    launcher = _in_shadow(page, "r => ({ name: r.querySelector('.launcher').textContent, "
                                "expanded: r.querySelector('.launcher').getAttribute('aria-expanded'), "
                                "panel: r.querySelector('.panel').hidden })")  # fmt: skip
    assert launcher == {"name": "Fråga kommunen", "expanded": "false", "panel": True}
    # The host page styles every button in yellow Comic Sans: the launcher keeps its own look.
    style = _in_shadow(page, "r => { const s = getComputedStyle(r.querySelector('.launcher')); "
                             "return [s.backgroundColor, s.fontFamily]; }")  # fmt: skip
    assert style[0] == "rgb(0, 90, 156)" and "Comic" not in style[1]
    _shot(page, "20-widget-closed.png")
    assert violations(page) == []

    page.keyboard.press("Enter")  # open: the focus moves into the panel, to the message field
    frame = _panel(page)
    assert _in_shadow(page, "r => r.querySelector('.launcher').getAttribute('aria-expanded')") == "true"
    region = frame.locator("#log-region")  # the live region around the transcript's list
    assert (region.get_attribute("role"), region.get_attribute("aria-live")) == ("log", "polite")
    assert region.get_attribute("aria-relevant") == "additions"
    assert frame.locator("#ai-notice").is_visible()  # the AI notice before the first message

    _watch_log(frame)
    answer = _ask(page, frame, "När hämtas soporna?")
    audit_id = re.search(r"Svar-ID: (KS-[0-9A-Z]+)", answer.locator(".meta").inner_text()).group(1)
    assert "version" not in answer.locator(".meta").inner_text()  # a title, not an internal id
    changes = frame.evaluate("() => window.__changes")
    bot = [c for c in changes if "bot" in c["kind"]]
    # The live region gets each new bot message once, whole (text and Svar-ID), added at the top level;
    # nothing already in the log is changed or re-added, so no earlier message is read again.
    assert len(bot) == frame.locator("li.msg.bot").count() and all(c["top"] for c in bot)
    assert audit_id in bot[-1]["text"]
    assert [c for c in changes if not c["top"] or c["kind"] == "removed"] == []
    answer_text = answer.locator(".text").inner_text()
    others = frame.evaluate(
        "() => [...document.querySelectorAll('[role=status], [aria-live]')]"
        ".filter(n => !n.closest('#log-region')).map(n => n.textContent)"
    )
    assert not any(answer_text[:40] in t for t in others)  # no second region repeats it
    record = stack_audit.get(audit_id)
    assert record is not None and record["answers"]

    # Contest the answer with the keyboard: the form starts closed, opens on Enter, is sent with Enter.
    form = answer.locator("form.contest")
    assert form.is_hidden()
    _tab_to(page, frame, "Stämmer inte svaret?")
    page.keyboard.press("Enter")
    assert frame.evaluate("() => document.activeElement.name") == "message"
    page.keyboard.type("Hämtningen är på tisdagar i mitt område, inte på måndagar.")
    _tab_to(page, frame, "Skicka")
    page.keyboard.press("Enter")
    done = answer.locator(".contest-done")
    done.wait_for()
    assert re.search(r"KS-\d{4}-\d{6}", done.inner_text())
    assert frame.evaluate("() => document.activeElement.classList.contains('contest-done')")
    assert _contests(stack.config.var_dir, audit_id) == 1  # the case is tied to the exact answer

    # The focus order at the top of the panel, then Escape closes and gives the focus back.
    frame.locator("#close").focus()
    order = []
    for _ in range(4):
        order.append(frame.evaluate("() => document.activeElement.textContent.trim()"))
        page.keyboard.press("Tab")
    assert order == ["Stäng", "Prata med en människa", "Spara samtalet", "Radera mitt samtal"]
    page.keyboard.press("Escape")
    page.wait_for_function(
        f"() => document.querySelector('{HOST}').shadowRoot.querySelector('.panel').hidden"
    )
    assert _launcher_focused(page)
    # Opened again: the same conversation, the focus in the field again.
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => !document.querySelector('{HOST}').shadowRoot.querySelector('.panel').hidden"
    )
    frame.wait_for_function("() => document.activeElement && document.activeElement.id === 'text'")
    assert frame.locator(ANSWERED).count() == 1
    frame.locator("#close").click()  # the frame asks the host by postMessage: wait for it
    page.wait_for_function(
        f"() => document.querySelector('{HOST}').shadowRoot.querySelector('.panel').hidden"
    )
    assert _launcher_focused(page)
    page.context.close()


def test_the_widget_open_and_its_panel_have_no_axe_violations_and_answers_carry_their_language(
    browser, stack
):
    page = _page(browser)
    page.goto(stack.gateway_url + "/demo")
    _in_shadow(page, "r => r.querySelector('.launcher').click()")
    frame = _panel(page)
    answer = _send(frame, "When is my rubbish collected?")
    assert answer.get_attribute("lang") == "en"
    # Everything in the English answer is English, or says it is not (WCAG 3.1.2, language of parts).
    assert answer.locator(".meta").inner_text().startswith("Answer ID: KS-")
    assert answer.locator(".contest-toggle").get_attribute("lang") == "sv"
    assert answer.get_by_role("group", name="Did the answer help?").is_visible()
    assert frame.evaluate("() => document.documentElement.lang") == "sv"
    _shot(page, "21-widget-open.png")
    assert violations(page) == []
    assert violations(frame) == []
    page.context.close()

    english = _page(browser)
    english.goto(stack.gateway_url + "/widget?lang=en")
    assert english.evaluate("() => document.documentElement.lang") == "en"
    assert english.get_by_role("button", name="Delete my conversation").is_visible()
    assert violations(english) == []
    english.context.close()


@pytest.mark.parametrize(
    ("width", "height", "name"),
    [(320, 640, "22-widget-320px.png"), (320, 256, "23-widget-400-percent.png")],  # 400 % of 1280x1024
)
def test_the_widget_fits_320_px_and_400_percent_zoom_without_horizontal_scrolling(
    browser, stack, width: int, height: int, name: str
):
    page = _page(browser, width, height)
    page.goto(stack.gateway_url + "/demo")
    assert _no_horizontal_scroll(page)
    _in_shadow(page, "r => r.querySelector('.launcher').click()")
    frame = _panel(page)
    box = _in_shadow(page, "r => { const b = r.querySelector('.panel').getBoundingClientRect(); "
                           "return [b.left, b.right, b.width]; }")  # fmt: skip
    assert box[0] >= 0 and box[1] <= width and box[2] == width  # the panel takes the whole width
    _send(frame, "Hur ansöker jag om bygglov för en altan? https://www.exempelstad.se/" + "a" * 60)
    assert _no_horizontal_scroll(page) and _no_horizontal_scroll(frame)
    # Everything in the panel can be reached by scrolling down only.
    frame.locator("#send").scroll_into_view_if_needed()
    assert frame.locator("#send").is_visible()
    _shot(page, name)
    page.context.close()


def test_reduced_motion_turns_off_the_panel_animation(browser, stack):
    page = _page(browser, reduced_motion="reduce")
    page.goto(stack.gateway_url + "/demo")
    _in_shadow(page, "r => r.querySelector('.launcher').click()")
    assert _in_shadow(page, "r => getComputedStyle(r.querySelector('.panel')).animationName") == "none"
    page.context.close()
    moving = _page(browser, reduced_motion="no-preference")
    moving.goto(stack.gateway_url + "/demo")
    _in_shadow(moving, "r => r.querySelector('.launcher').click()")
    assert _in_shadow(moving, "r => getComputedStyle(r.querySelector('.panel')).animationName") == "k-in"
    moving.context.close()


def _tracker_rows(var_dir: Path, sender: str) -> list[str]:
    engine = create_engine(f"sqlite:///{var_dir / 'rasa-tracker.db'}")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender}).all()
    engine.dispose()
    return [row[0] for row in rows]


def _files_with(var_dir: Path, needles: list[str]) -> list[str]:
    forms = {form for n in needles for form in (n.encode(), json.dumps(n)[1:-1].encode())}
    return sorted(
        str(p.relative_to(var_dir))
        for p in var_dir.rglob("*")
        if p.is_file() and any(form in p.read_bytes() for form in forms)
    )


def test_talk_to_a_person_save_and_delete_my_conversation(browser, stack, stack_audit, tmp_path):
    var_dir = stack.config.var_dir
    page = _page(browser)
    page.goto(stack.gateway_url + "/demo")
    _in_shadow(page, "r => r.querySelector('.launcher').click()")
    frame = _panel(page)
    marker = "kvitto-widgetradering-4711"
    first = _send(frame, f"Hur sorterar jag gamla batterier? {marker}")
    audit_ids = [re.search(r"KS-[0-9A-Z]+", first.locator(".meta").inner_text()).group(0)]

    # "Prata med en människa" is one click away and hands over.
    before = frame.locator(ANSWERED).count()
    frame.locator("#human").click()  # above the conversation (answers may offer one too)
    frame.wait_for_function(f"() => document.querySelectorAll('{ANSWERED}').length > {before}")
    handoff = frame.locator("li.msg.bot").last
    audit_ids.append(re.search(r"KS-[0-9A-Z]+", handoff.locator(".meta").inner_text()).group(0))
    record = stack_audit.get(audit_ids[-1])
    assert record["nlu"]["intent"] == "human_handoff", record["nlu"]
    sender = str(record["conversation"])

    # "Spara samtalet": a file with the questions, the answers and their Svar-IDs.
    with page.expect_download() as download:
        frame.get_by_role("button", name="Spara samtalet").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.startswith("samtal-")
    assert marker in saved and all(f"Svar-ID: {a}" in saved for a in audit_ids)

    # Before deletion the turn is on disk (redacted) in Rasa's tracker store.
    assert any(marker in data for data in _tracker_rows(var_dir, sender))
    assert _files_with(var_dir, [marker])

    frame.get_by_role("button", name="Radera mitt samtal").click()
    confirm = frame.locator("#confirm-delete")
    assert confirm.is_visible()
    assert frame.evaluate("() => document.activeElement.id") == "confirm-title"
    assert violations(frame) == []
    page.keyboard.press("Escape")  # cancels the confirmation, not the panel
    assert confirm.is_hidden() and frame.evaluate("() => document.activeElement.id") == "delete"
    frame.get_by_role("button", name="Radera mitt samtal").click()
    frame.get_by_role("button", name="Ja, radera samtalet").click()
    deleted = frame.locator("#deleted")
    deleted.wait_for()
    assert frame.evaluate("() => document.activeElement.id") == "deleted"
    kept = deleted.inner_text()
    assert "Ditt samtal är raderat" in kept and "730 dagar" in kept and "allmänna handlingar" in kept
    assert frame.locator("li.msg").count() == 0
    _shot(page, "24-widget-deleted.png")
    assert violations(frame) == []

    # Nothing of the conversation is left under var/: tracker store, audit content, vault, logs.
    assert _tracker_rows(var_dir, sender) == []
    assert all(stack_audit.get(a)["content_shredded"] for a in audit_ids)
    leftovers = _files_with(var_dir, [marker, "gamla batterier"])
    assert not leftovers, f"the deleted conversation is still on disk: {leftovers}"
    verify = run_audit(var_dir, f"sqlite:///{var_dir / 'audit.db'}", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr

    # A new question starts a new conversation.
    again = _send(frame, "Var lämnar jag grovavfall?")
    new_id = re.search(r"KS-[0-9A-Z]+", again.locator(".meta").inner_text()).group(0)
    assert stack_audit.get(new_id)["conversation"] != sender
    page.context.close()
