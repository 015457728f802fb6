"""The website tier through the real stack: import the demo site, answer from a page, change the page.

The demo site (data/site/pages) is copied and imported into the running stack's site store. A question
only a page answers gets the page's words, its link and an audit record naming URL, heading, hash and
import. After the page changes and is re-imported, the old record still verifies and explains itself
with the old hash, new answers use the new text, and a removed page stops answering. At the end the
store is emptied again, so the other end-to-end tests see curated articles only.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from audit.explain import explain
from audit.log import AuditLog
from audit.receipt import verify_receipt
from content.site.importer import import_site
from content.site.store import SiteStore

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
# A question the article engine does not answer on its own (it abstains), which the permits page does.
# "tillstånd att sälja fyrverkerier" was one until 2026-12-05; with more example questions the article
# on explosive goods answers it. If a content change makes the engine answer this one too, pick another
# question that reaches the website tier (scripts/eval_answers.py's SiteTier shows which page answers).
PAGE = "naringsliv-och-arbete/tillstand/fyrverkerier-och-brandfarliga-varor/index.html"
URL = "https://www.exempelstad.se/naringsliv-och-arbete/tillstand/fyrverkerier-och-brandfarliga-varor/"
QUESTION = "hur mycket kostar fyrverkeritillståndet"
OLD, NEW = "Tillståndet kostar 5 500 kronor.", "Tillståndet kostar 5 900 kronor."


@pytest.fixture(scope="module")
def site(stack: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SiteStore, Path]]:
    """A copy of the demo site, imported into the stack's store; emptied at the end."""
    folder = tmp_path_factory.mktemp("site") / "pages"
    shutil.copytree(ROOT / "data" / "site" / "pages", folder)
    store = SiteStore.open(f"sqlite:///{stack.config.var_dir / 'site.db'}")
    import_site(str(folder), store, base_url="https://www.exempelstad.se", scan=None)
    yield store, folder
    active = [page["url"] for page in store.pages() if page["status"] == "active"]
    store.apply("imp-e2e-cleanup", "test", "2026-12-01T00:00:00", [], active, {})  # nothing answers now
    store.close()


@pytest.fixture(scope="module")
def records(stack_audit: AuditLog) -> AuditLog:
    """The running stack's audit log (``stack_audit`` of the e2e conftest)."""
    return stack_audit


def ask(gateway: httpx.Client, text: str) -> dict[str, Any]:
    response = gateway.post("/api/chat", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()


def first_site_answer(gateway: httpx.Client, text: str, timeout: float = 300) -> dict[str, Any]:
    """Ask until the action server has embedded the import (a large first import is embedded in the
    background, so the first turns after it may still come from the articles alone)."""
    deadline = time.monotonic() + timeout
    while True:
        body = ask(gateway, text)
        if any("passage_id" in (m.get("source") or {}) for m in body["messages"]):
            return body
        assert time.monotonic() < deadline, f"no website answer within {timeout} s: {body['messages']}"
        time.sleep(3)


def site_message(body: dict[str, Any]) -> dict[str, Any]:
    found = [m for m in body["messages"] if "passage_id" in (m.get("source") or {})]
    assert found, f"no website answer: {body['messages']}"
    return found[0]


def test_a_question_only_a_page_answers_gets_the_page_then_its_new_text(gateway, records, site):
    store, folder = site
    body = first_site_answer(gateway, QUESTION)
    message = site_message(body)
    assert OLD in message["text"]
    assert message["source"]["page_url"] == URL
    assert message["source"]["label"] == "Från kommunens webbplats"
    record = records.get(body["audit_id"])
    source = next(a["source"] for a in record["answers"] if "passage_id" in (a.get("source") or {}))
    old_passage = store.passage(source["passage_id"])
    assert old_passage is not None and old_passage.active
    assert source["page_url"] == URL and source["content_hash"] == old_passage.content_hash
    assert source["import_id"] == old_passage.import_id and "Sälja fyrverkerier" in source["heading"]
    selection = next(a["selection"] for a in record["answers"] if a.get("selection"))
    assert selection["rule"] != "answer" and selection["site"]["passage"]["page_url"] == URL
    old_audit_id = body["audit_id"]

    # The page changes and is re-imported.
    page = folder / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    report = import_site(str(folder), store, base_url="https://www.exempelstad.se", scan=None)
    assert report.changed == [URL]

    again = site_message(ask(gateway, QUESTION))
    assert NEW in again["text"] and OLD not in again["text"]
    assert again["source"]["passage_id"] != old_passage.passage_id

    # The old record is unchanged: it verifies, and explains itself with the old hash and import.
    old = records.get(old_audit_id)
    assert old["answers"] == record["answers"]
    verify_receipt(records.receipt(old_audit_id).to_dict(), records.public_keys())
    assert records.verify().ok
    text = explain(old)
    assert URL in text and old_passage.content_hash[:16] in text and old_passage.import_id in text
    retired = store.passage(old_passage.passage_id)
    assert retired is not None and not retired.active and OLD in retired.text

    # The page is removed: its words are never shown again.
    page.unlink()
    report = import_site(str(folder), store, base_url="https://www.exempelstad.se", scan=None)
    assert report.removed == [URL]
    after = ask(gateway, QUESTION)
    assert all((m.get("source") or {}).get("page_url") != URL for m in after["messages"])


# The social assistance page says "Det kallas också försörjningsstöd": the redactor's NER model reads that
# word as a person's name. It is no name the name lexicon knows, so the site import accepts the page, and
# the gateway's check of the excerpt (content.site.scan.private_findings, the import's rule) must let it
# through too. Until 2026-12-05 the gateway refused any name finding and the citizen got no answer. The
# question must reach the website tier: the engine offers a choice between two social assistance articles
# for it (if a content change makes it answer, pick another question whose excerpt holds the word).
SOCIAL_URL = "https://www.exempelstad.se/omsorg-och-stod/ekonomiskt-bistand/"


def test_an_excerpt_with_a_service_word_the_ner_takes_for_a_name_is_shown(gateway, records, site):
    body = first_site_answer(gateway, "Hur ansöker man om ekonomiskt bistånd?")
    message = site_message(body)
    assert message["source"]["page_url"] == SOCIAL_URL
    assert "försörjningsstöd" in message["text"]  # shown as published, not refused or redacted
    record = records.get(body["audit_id"])
    sources = [a.get("source") or {} for a in record["answers"]]
    assert any(s.get("page_url") == SOCIAL_URL and s.get("passage_id") for s in sources)
    verify_receipt(records.receipt(body["audit_id"]).to_dict(), records.public_keys())
