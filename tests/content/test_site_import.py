"""Site import: folders and sitemaps into the site store, page by page (new, changed, removed, …)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from content.__main__ import main
from content.errors import SiteError
from content.site import importer
from content.site.importer import ImportReport, import_site, read_folder, read_sitemap, sitemap_urls
from content.site.scan import Scanner, redactor_scanner
from content.site.store import SiteStore, StoredPassage, content_hash, site_passage

BASE = "https://www.exempelstad.se"
MARKER = "HEMLIGT-TESTNUMMER"


def page_html(
    title: str, *paragraphs: str, slug: str | None = None, canonical: bool = True, modified: str | None = None
) -> str:
    """A municipal page: furniture around a <main> with one h2 section per paragraph."""
    head = f"<title>{title} - Exempelstad kommun</title>"
    if canonical:
        head += f'<link rel="canonical" href="{BASE}/{slug or title.lower()}">'
    if modified:
        head += f'<meta name="dcterms.modified" content="{modified}">'
    sections = "".join(f"<h2>Avsnitt {i + 1}</h2><p>{p}</p>" for i, p in enumerate(paragraphs))
    return (
        f'<!doctype html><html lang="sv"><head>{head}</head><body>'
        '<header><nav><ul><li><a href="/">Start</a></li></ul></nav></header>'
        f"<main><h1>{title}</h1>{sections}</main>"
        "<footer><p>Exempelstad kommun, 123 45 Exempelstad</p></footer></body></html>"
    )


PAGES = {
    "avfall.html": page_html(
        "Avfall",
        "Soptunnan töms varannan vecka från villor i hela kommunen.",
        "Grovavfall lämnar du på återvinningscentralen på Returvägen 10.",
    ),
    "bygglov.html": page_html(
        "Bygglov",
        "Du behöver bygglov för att bygga ett nytt hus eller en tillbyggnad.",
        "Handläggningstiden är högst tio veckor från komplett ansökan.",
    ),
    "bibliotek.html": page_html("Bibliotek", "Stadsbiblioteket har öppet alla vardagar mellan tio och sju."),
}


def url(slug: str) -> str:
    return f"{BASE}/{slug}"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, html in PAGES.items():
        (folder / name).write_text(html, encoding="utf-8")
    return folder


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SiteStore]:
    opened = SiteStore.open(f"sqlite:///{tmp_path / 'site.db'}")
    yield opened
    opened.close()


def run(
    folder: Path, store: SiteStore, scan: Scanner | None = None, *, partial: bool = False
) -> ImportReport:
    return import_site(str(folder), store, base_url=BASE, scan=scan, partial=partial)


def active_of(store: SiteStore, page_url: str) -> list[StoredPassage]:
    return [p for p in store.active_passages() if p.url == page_url]


def passage_count(store: SiteStore) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(site_passage)).scalar_one())


def statuses(store: SiteStore) -> dict[str, str]:
    return {p["url"]: p["status"] for p in store.pages()}


# --- new, unchanged, changed, removed -----------------------------------------------------------------------


def test_first_import_brings_every_page_in_as_new(site: Path, store: SiteStore) -> None:
    report = run(site, store)
    assert sorted(report.new) == [url("avfall"), url("bibliotek"), url("bygglov")]
    assert report.counts() == {
        "new": 3,
        "changed": 0,
        "unchanged": 0,
        "removed": 0,
        "skipped": 0,
        "flagged": 0,
        "passages": 5,
    }
    passages = store.active_passages()
    assert len(passages) == 5 == passage_count(store)
    assert {p.import_id for p in passages} == {report.import_id}
    assert all(p.active and p.retired_by is None for p in passages)
    assert {p.url for p in passages} == set(report.new)
    avfall = active_of(store, url("avfall"))
    assert sorted(p.heading for p in avfall) == [("Avfall", "Avsnitt 1"), ("Avfall", "Avsnitt 2")]
    assert all(p.content_hash == content_hash(p.text) and p.language == "sv" for p in avfall)
    assert statuses(store) == dict.fromkeys(report.new, "active")
    assert store.latest_import() == report.import_id
    assert store.imports()[0]["report"]["counts"]["new"] == 3


def test_reimporting_the_same_pages_changes_nothing(site: Path, store: SiteStore) -> None:
    first = run(site, store)
    before = {p.passage_id for p in store.active_passages()}
    again = run(site, store)
    assert sorted(again.unchanged) == sorted(first.new)
    assert (again.new, again.changed, again.removed, again.passages) == ([], [], [], 0)
    assert {p.passage_id for p in store.active_passages()} == before
    assert passage_count(store) == len(before)
    assert {p.import_id for p in store.active_passages()} == {first.import_id}
    assert store.latest_import() == again.import_id


def test_an_edited_page_retires_its_old_passages(site: Path, store: SiteStore) -> None:
    first = run(site, store)
    old = {p.passage_id: p for p in active_of(store, url("avfall"))}
    others = {p.passage_id for p in store.active_passages() if p.url != url("avfall")}
    (site / "avfall.html").write_text(
        page_html("Avfall", "Soptunnan töms varje vecka från villor i hela kommunen."), encoding="utf-8"
    )

    second = run(site, store)

    assert second.changed == [url("avfall")]
    assert sorted(second.unchanged) == [url("bibliotek"), url("bygglov")]
    assert second.passages == 1
    for pid, before in old.items():
        retired = store.passage(pid)
        assert retired is not None
        assert (retired.active, retired.retired_by) == (False, second.import_id)
        assert (retired.text, retired.content_hash, retired.import_id) == (
            before.text,
            before.content_hash,
            first.import_id,
        )
    [new] = active_of(store, url("avfall"))
    assert new.passage_id not in old
    assert new.text == "Soptunnan töms varje vecka från villor i hela kommunen."
    assert (new.import_id, new.retired_by) == (second.import_id, None)
    assert {p.passage_id for p in store.active_passages() if p.url != url("avfall")} == others


def test_a_deleted_page_is_removed_and_its_passages_stop(site: Path, store: SiteStore) -> None:
    run(site, store)
    gone = {p.passage_id for p in active_of(store, url("bygglov"))}
    (site / "bygglov.html").unlink()

    report = run(site, store)

    assert report.removed == [url("bygglov")]
    assert active_of(store, url("bygglov")) == []
    for pid in gone:
        passage = store.passage(pid)
        assert passage is not None and not passage.active and passage.retired_by == report.import_id
    assert statuses(store)[url("bygglov")] == "removed"
    assert statuses(store)[url("avfall")] == "active"
    assert f"removed {url('bygglov')}" in report.summary()
    # Removed stays removed: the next import does not remove it again.
    assert run(site, store).removed == []


def test_a_partial_import_keeps_the_pages_it_does_not_contain(site: Path, store: SiteStore) -> None:
    run(site, store)
    before = {p.passage_id for p in store.active_passages()}
    (site / "bygglov.html").unlink()

    report = run(site, store, partial=True)

    assert report.removed == []
    assert {p.passage_id for p in store.active_passages()} == before
    assert statuses(store)[url("bygglov")] == "active"


def test_a_restored_page_gets_its_same_passages_back(site: Path, store: SiteStore) -> None:
    run(site, store)
    original = {p.passage_id for p in active_of(store, url("bygglov"))}
    (site / "bygglov.html").unlink()
    run(site, store)
    (site / "bygglov.html").write_text(PAGES["bygglov.html"], encoding="utf-8")

    report = run(site, store)

    assert report.changed == [url("bygglov")]
    restored = active_of(store, url("bygglov"))
    assert {p.passage_id for p in restored} == original
    assert all(p.retired_by is None for p in restored)
    assert statuses(store)[url("bygglov")] == "active"
    assert passage_count(store) == 5


# --- skipped and flagged ------------------------------------------------------------------------------------


def test_a_page_without_main_text_is_skipped(site: Path, store: SiteStore) -> None:
    empty = site / "tom.html"
    empty.write_text("<html><body><nav><ul><li>Start</li></ul></nav></body></html>", encoding="utf-8")
    report = run(site, store)
    assert report.skipped == [{"location": str(empty), "reason": "no main text"}]
    assert len(report.new) == 3
    assert f"skipped {empty}: no main text" in report.summary()


def test_a_second_page_with_the_same_url_is_skipped(site: Path, store: SiteStore) -> None:
    copy = site / "zz-kopia.html"  # after avfall.html in path order
    copy.write_text(page_html("Avfall", "En annan text om avfall som står på en kopia."), encoding="utf-8")
    report = run(site, store)
    assert report.skipped == [{"location": str(copy), "reason": f"same URL as another page: {url('avfall')}"}]
    assert "kopia" not in " ".join(p.text for p in store.active_passages())


def marker_scanner(text: str) -> Counter[str]:
    """A scanner that finds a phone number wherever MARKER is written."""
    return Counter({"PHONE_NUMBER": 1}) if MARKER in text else Counter()


def test_a_page_with_personal_data_is_flagged_and_not_used(site: Path, store: SiteStore) -> None:
    (site / "beslut.html").write_text(
        page_html("Beslut", f"Ring handläggaren på {MARKER} i dag."), encoding="utf-8"
    )

    report = run(site, store, scan=marker_scanner)

    reason = "personal data: PHONE_NUMBER ×1"
    assert report.flagged == [{"url": url("beslut"), "reason": reason}]
    assert url("beslut") in report.new
    assert report.passages == 5  # the flagged page's passage is not counted
    assert active_of(store, url("beslut")) == []
    assert passage_count(store) == 5
    [page] = [p for p in store.pages() if p["url"] == url("beslut")]
    assert (page["status"], page["flag_reason"]) == ("flagged", reason)
    assert f"FLAGGED (not used) {url('beslut')}: {reason}" in report.summary()
    assert store.imports()[0]["report"]["flagged"] == report.flagged


def test_a_flagged_page_that_is_corrected_becomes_active(site: Path, store: SiteStore) -> None:
    beslut = site / "beslut.html"
    beslut.write_text(page_html("Beslut", f"Ring handläggaren på {MARKER} i dag."), encoding="utf-8")
    run(site, store, scan=marker_scanner)
    beslut.write_text(
        page_html("Beslut", "Ring kontaktcenter om du har frågor om beslutet."), encoding="utf-8"
    )

    report = run(site, store, scan=marker_scanner)

    assert (report.changed, report.flagged) == ([url("beslut")], [])
    assert statuses(store)[url("beslut")] == "active"
    assert len(active_of(store, url("beslut"))) == 1


def test_an_unchanged_page_is_checked_when_a_later_import_scans(site: Path, store: SiteStore) -> None:
    (site / "beslut.html").write_text(
        page_html("Beslut", f"Ring handläggaren på {MARKER} i dag."), encoding="utf-8"
    )
    run(site, store, scan=None)
    run(site, store, scan=marker_scanner)
    assert active_of(store, url("beslut")) == []


def test_a_page_whose_language_changes_gets_passages_in_that_language(site: Path, store: SiteStore) -> None:
    run(site, store)
    avfall = site / "avfall.html"
    avfall.write_text(avfall.read_text(encoding="utf-8").replace('lang="sv"', 'lang="en"'), encoding="utf-8")
    report = run(site, store)
    assert report.changed == [url("avfall")]
    assert {p.language for p in active_of(store, url("avfall"))} == {"en"}


def test_a_missing_folder_is_an_error(tmp_path: Path, store: SiteStore) -> None:
    with pytest.raises(SiteError, match="no such folder"):
        run(tmp_path / "finns-inte", store)


# --- reading a folder ---------------------------------------------------------------------------------------


def test_read_folder_gives_urls_from_paths(tmp_path: Path) -> None:
    for name in ("index.html", "avfall/index.html", "avfall/sortera.htm", "bygglov.HTML", "bild.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<p>x</p>", encoding="utf-8")
    documents = read_folder(tmp_path, BASE + "/")
    assert [d.fallback_url for d in documents] == [
        f"{BASE}/avfall/",
        f"{BASE}/avfall/sortera.htm",
        f"{BASE}/bygglov.HTML",
        f"{BASE}/",
    ]
    assert all(d.fallback_modified and len(d.fallback_modified) == 10 for d in documents)


def test_read_folder_keeps_names_that_only_end_like_index(tmp_path: Path) -> None:
    (tmp_path / "bokindex.html").write_text("<p>x</p>", encoding="utf-8")
    assert [d.fallback_url for d in read_folder(tmp_path, BASE)] == [f"{BASE}/bokindex.html"]


def test_pages_without_canonical_get_the_folder_url(site: Path, store: SiteStore) -> None:
    (site / "tjanster").mkdir()
    (site / "tjanster" / "index.html").write_text(
        page_html("Tjänster", "Här finns alla kommunens tjänster samlade.", canonical=False), encoding="utf-8"
    )
    report = run(site, store)
    assert f"{BASE}/tjanster/" in report.new


# --- sitemaps -----------------------------------------------------------------------------------------------

SITEMAP = f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>{BASE}/avfall</loc><lastmod>2024-05-02</lastmod></url>
  <url><loc> {BASE}/saknas </loc></url>
  <url><loc></loc></url>
</urlset>"""


def test_sitemap_urls_reads_loc_and_lastmod() -> None:
    assert sitemap_urls(SITEMAP) == [(f"{BASE}/avfall", "2024-05-02"), (f"{BASE}/saknas", None)]


@pytest.mark.parametrize("text", ["", "<urlset>", "inte xml", "<urlset><url></urlset>"])
def test_sitemap_urls_refuses_bad_xml(text: str) -> None:
    with pytest.raises(SiteError, match="not valid XML"):
        sitemap_urls(text)


def site_handler(request: httpx.Request) -> httpx.Response:
    """A fake www.exempelstad.se: the sitemap, one page, a 404 and a PDF."""
    path = request.url.path
    if path == "/sitemap.xml":
        extra = f"<url><loc>{BASE}/blankett.pdf</loc></url>" if request.url.params.get("pdf") else ""
        return httpx.Response(200, text=SITEMAP.replace("</urlset>", extra + "</urlset>"))
    if path == "/avfall":
        html = page_html(
            "Avfall", "Soptunnan töms varannan vecka från villor i hela kommunen.", canonical=False
        )
        return httpx.Response(200, html=html)
    if path == "/blankett.pdf":
        return httpx.Response(200, content=b"%PDF-1.4", headers={"content-type": "application/pdf"})
    return httpx.Response(404, text="Sidan finns inte")


def mock_client(handler: Callable[[httpx.Request], httpx.Response] = site_handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def test_read_sitemap_fetches_every_page() -> None:
    with mock_client() as client:
        documents = list(read_sitemap(f"{BASE}/sitemap.xml?pdf=1", client))
    assert [(d.location, d.fallback_modified) for d in documents] == [
        (f"{BASE}/avfall", "2024-05-02"),
        (f"{BASE}/saknas", "error:HTTPStatusError"),
        (f"{BASE}/blankett.pdf", "error:not an HTML page"),
    ]
    assert "Soptunnan" in documents[0].html


def test_an_unreachable_sitemap_is_an_error() -> None:
    with (
        mock_client(lambda request: httpx.Response(500)) as client,
        pytest.raises(SiteError, match="fetched"),
    ):
        list(read_sitemap(f"{BASE}/sitemap.xml", client))


def test_importing_a_sitemap_skips_pages_that_fail(store: SiteStore, monkeypatch: pytest.MonkeyPatch) -> None:
    client = mock_client()
    monkeypatch.setattr(importer, "read_sitemap", lambda source, _client: read_sitemap(source, client))

    report = import_site(f"{BASE}/sitemap.xml", store, base_url=BASE, scan=None)
    client.close()

    assert report.new == [url("avfall")]
    assert report.skipped == [{"location": url("saknas"), "reason": "HTTPStatusError"}]
    [passage] = store.active_passages()
    assert (passage.url, passage.last_modified) == (url("avfall"), "2024-05-02")


def test_a_page_that_cannot_be_fetched_for_now_is_not_removed(
    store: SiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = {"now": False}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/avfall" and down["now"]:
            return httpx.Response(503)
        return site_handler(request)

    client = mock_client(handler)
    monkeypatch.setattr(importer, "read_sitemap", lambda source, _client: read_sitemap(source, client))
    import_site(f"{BASE}/sitemap.xml", store, base_url=BASE, scan=None)
    down["now"] = True
    report = import_site(f"{BASE}/sitemap.xml", store, base_url=BASE, scan=None)
    client.close()
    assert report.removed == []
    assert len(active_of(store, url("avfall"))) == 1


# --- the real personal-data scanner -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redactor_scan() -> Scanner:
    return redactor_scanner()


@pytest.mark.slow
def test_private_details_flag_a_page_but_public_contacts_do_not(
    site: Path, store: SiteStore, redactor_scan: Scanner
) -> None:
    (site / "beslut.html").write_text(
        page_html(
            "Beslut om bygglov",
            "Sökanden nås på 070-123 45 67 och har personnummer 19811218-9876.",
            slug="beslut",
        ),
        encoding="utf-8",
    )
    (site / "kontakt.html").write_text(
        page_html(
            "Kontakta oss",
            "Ring kontaktcenter på 0123-45 00 00 eller mejla kontaktcenter@exempelstad.se.",
            "Besök oss i Stadshuset på Storgatan 1, vardagar mellan åtta och fem.",
            slug="kontakt",
        ),
        encoding="utf-8",
    )

    report = run(site, store, scan=redactor_scan)

    assert [f["url"] for f in report.flagged] == [url("beslut")]
    reason = report.flagged[0]["reason"]
    assert "PHONE_NUMBER" in reason and "SE_PERSONNUMMER" in reason
    assert "070-123" not in reason and "19811218" not in reason  # types and counts, never the values
    assert active_of(store, url("beslut")) == []
    assert len(active_of(store, url("kontakt"))) == 2
    assert statuses(store)[url("kontakt")] == "active"


# --- the command line ---------------------------------------------------------------------------------------


def test_cli_imports_a_folder_and_prints_json(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'cli.db'}"
    argv = ["import-site", str(site), "--database-url", database, "--quiet", "--json", "--no-scan"]

    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["new"] == 3 and report["counts"]["passages"] == 5
    assert report["source"] == str(site)

    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["unchanged"] == 3


def test_cli_prints_a_summary_without_json(
    site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "import-site",
        str(site),
        "--database-url",
        f"sqlite:///{tmp_path / 'cli.db'}",
        "--quiet",
        "--no-scan",
    ]
    assert main(argv) == 0
    assert "3 new, 0 changed, 0 unchanged, 0 removed pages" in capsys.readouterr().out


def test_cli_reports_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "finns-inte"
    argv = [
        "import-site",
        str(missing),
        "--database-url",
        f"sqlite:///{tmp_path / 'cli.db'}",
        "--quiet",
        "--no-scan",
    ]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"import-site: no such folder: {missing}"
