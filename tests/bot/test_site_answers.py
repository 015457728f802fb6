"""The gateway shows a website excerpt only when it is the words of an active passage, with its page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from content.site.store import NewPage, SiteStore

URL = "https://www.exempelstad.se/uppleva-och-gora/badhuset/"
TEXT = (
    "Badhuset har öppet måndag till fredag 06.30–20.00 och helger 09.00–16.00.\n"
    "Entré för vuxna kostar 60 kronor. Barn under 7 år badar gratis i sällskap av en vuxen."
)


def _page(text: str) -> NewPage:
    heading = ("Badhuset", "Öppettider")
    return NewPage(URL, "Badhuset", "sv", "2026-04-01", f"h-{hash(text)}", ((heading, text),))


@pytest.fixture()
def site(tmp_path: Path) -> Any:
    store = SiteStore.open(f"sqlite:///{tmp_path / 'site.db'}")
    store.apply("imp-1", "test", "2026-12-01T00:00:00", [_page(TEXT)], [], {})
    yield store
    store.close()


def _post(client: Any, text: str) -> dict[str, Any]:
    response = client.post("/api/chat", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()


def _reply(fake_rasa: Any, passage: Any, text: str) -> None:
    fake_rasa.reply_text = text
    fake_rasa.reply_metadata = {"source": passage.source_info(), "site_label": "Från kommunens webbplats"}


def test_an_excerpt_of_an_active_passage_is_shown_with_its_page_and_recorded(make_client, fake_rasa, site):
    client, log = make_client(site=site)
    passage = site.active_passages()[0]
    excerpt = "Entré för vuxna kostar 60 kronor. Barn under 7 år badar gratis i sällskap av en vuxen."
    _reply(fake_rasa, passage, excerpt)
    body = _post(client, "Vad kostar det att bada?")
    message = body["messages"][0]
    assert message["text"] == excerpt
    assert message["source"]["passage_id"] == passage.passage_id
    assert message["source"]["page_url"] == URL
    assert message["source"]["label"] == "Från kommunens webbplats"
    record = log.get(body["audit_id"])
    source = record["answers"][0]["source"]
    assert source["page_url"] == URL and source["import_id"] == "imp-1"
    assert source["content_hash"] == passage.content_hash
    assert source["heading"] == "Badhuset > Öppettider"
    assert record["guardrails"]["output_guard_hits"] == []


def test_words_that_are_not_in_the_passage_are_replaced(make_client, fake_rasa, site):
    client, log = make_client(site=site)
    _reply(fake_rasa, site.active_passages()[0], "Entré för vuxna är gratis.")
    body = _post(client, "Vad kostar det att bada?")
    assert body["messages"][0]["source"]["article_id"] == "fallback-unsure"
    hits = log.get(body["audit_id"])["guardrails"]["output_guard_hits"]
    assert hits[0]["reason"] == "not_approved_content"


def test_a_passage_retired_by_a_newer_import_is_never_shown(make_client, fake_rasa, site):
    client, log = make_client(site=site)
    old = site.active_passages()[0]
    site.apply("imp-2", "test", "2026-12-02T00:00:00", [_page(TEXT.replace("60", "70"))], [], {})
    _reply(fake_rasa, old, "Entré för vuxna kostar 60 kronor.")
    body = _post(client, "Vad kostar det att bada?")
    assert body["messages"][0]["source"]["article_id"] == "fallback-unsure"
    assert log.get(body["audit_id"])["guardrails"]["output_guard_hits"][0]["reason"] == "unknown_source"
    # The old words stay readable for explanations, but are no longer active.
    kept = site.passage(old.passage_id)
    assert kept is not None and not kept.active and kept.retired_by == "imp-2" and "60 kronor" in kept.text


def test_a_removed_page_is_never_shown(make_client, fake_rasa, site):
    client, log = make_client(site=site)
    passage = site.active_passages()[0]
    site.apply("imp-2", "test", "2026-12-02T00:00:00", [], [URL], {})
    _reply(fake_rasa, passage, "Entré för vuxna kostar 60 kronor.")
    body = _post(client, "Vad kostar det att bada?")
    assert body["messages"][0]["source"]["article_id"] == "fallback-unsure"


def test_without_a_site_store_an_excerpt_is_refused(make_client, fake_rasa, site):
    client, log = make_client()
    _reply(fake_rasa, site.active_passages()[0], "Entré för vuxna kostar 60 kronor.")
    body = _post(client, "Vad kostar det att bada?")
    assert body["messages"][0]["source"]["article_id"] == "fallback-unsure"


def _excerpt_of_a_page(
    make_client: Any, fake_rasa: Any, tmp_path: Path, text: str, question: str
) -> tuple[dict[str, Any], Any]:
    """A site whose one page says ``text``; Rasa answers ``question`` with all of it. (reply, audit log)"""
    store = SiteStore.open(f"sqlite:///{tmp_path / 'page.db'}")
    try:
        store.apply("imp-1", "test", "2026-12-01T00:00:00", [_page(text)], [], {})
        client, log = make_client(site=store)
        _reply(fake_rasa, store.active_passages()[0], text)
        return _post(client, question), log
    finally:
        store.close()


def test_personal_data_in_a_passage_is_not_shown(make_client, fake_rasa, tmp_path):
    text = "Frågor om badet? Ring Anna Berg på 070-987 65 43."
    body, log = _excerpt_of_a_page(make_client, fake_rasa, tmp_path, text, "Vem svarar på frågor om badet?")
    assert "070-987" not in str(body)
    hits = log.get(body["audit_id"])["guardrails"]["output_guard_hits"]
    assert hits[0]["reason"] == "personal_data_in_output"


def test_a_service_word_taken_for_a_name_does_not_hide_the_excerpt(make_client, fake_rasa, tmp_path):
    # "Det kallas också försörjningsstöd": the redactor's naming pattern ("kallas X") reads the service
    # word as a name. The site import accepts the page (no word of it is a name in the lexicon), so the
    # gateway must not refuse its excerpt at the last step and answer "please rephrase" instead.
    text = "Ekonomiskt bistånd är ett stöd från kommunen. Det kallas också försörjningsstöd."
    body, log = _excerpt_of_a_page(make_client, fake_rasa, tmp_path, text, "Vad är försörjningsstöd?")
    assert body["messages"][0]["text"] == text
    assert "passage_id" in body["messages"][0]["source"]
    assert log.get(body["audit_id"])["guardrails"]["output_guard_hits"] == []
