"""The console's "Webbplatsens sidor": counting per page (no HTTP) and the page itself."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.admin.filters import AuditFilter
from bot.admin.queries import AdminQueries
from bot.admin.site_pages import (
    count_page_use,
    flag_reason_sv,
    parse_site_filter,
    site_pages_report,
    skip_reason_sv,
)
from content.site.importer import ImportReport
from content.site.store import NewPage, SiteStore, StoredPassage
from tests.bot.admin.conftest import AdminEnv, append_at, make_record

BATH = "https://www.exempelstad.se/uppleva-och-gora/badhuset/"
PARKING = "https://www.exempelstad.se/trafik/parkering/"
PERMIT = "https://www.exempelstad.se/bygga/beslut/"
GONE = "https://www.exempelstad.se/gammal-sida/"
FLAG = "personal data: PERSON ×1, PHONE_NUMBER ×2"
PERIOD = "date_from=2026-03-01&date_to=2026-03-03"
PERIOD_FILTER = AuditFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 3))


@pytest.fixture()
def site(tmp_path: Path) -> Iterator[SiteStore]:
    """Two pages in use and one flagged page, from one import that also skipped a file."""
    store = SiteStore.open(f"sqlite:///{tmp_path / 'site.db'}")
    pages = [
        NewPage(
            BATH,
            "Badhuset",
            "sv",
            "2026-02-10",
            "hash-bath",
            (
                (("Badhuset", "Öppettider"), "Badhuset har öppet måndag till fredag 06.30–20.00."),
                (("Badhuset", "Priser"), "Entré för vuxna kostar 60 kronor."),
            ),
        ),
        NewPage(
            PARKING,
            "Parkering",
            "sv",
            "2026-01-15",
            "hash-parking",
            ((("Parkering",), "Boendeparkering kostar 400 kronor i månaden."),),
        ),
        NewPage(
            PERMIT,
            "Beslut om bygglov",
            "sv",
            None,
            "hash-permit",
            ((("Beslut",), "Beslutet skickas till Anna Andersson, 070-123 45 67."),),
            flag_reason=FLAG,
        ),
    ]
    report = ImportReport("imp-20260228T120000-ab12", "/srv/sidor")
    report.new = [BATH, PARKING, PERMIT]
    report.flagged = [{"url": PERMIT, "reason": FLAG}]
    report.skipped = [{"location": "/srv/sidor/tom.html", "reason": "no main text"}]
    report.passages = 3
    store.apply(report.import_id, report.source, "2026-02-28T12:00:00+00:00", pages, [], report.to_dict())
    yield store
    store.close()


def _passages(site: SiteStore) -> dict[str, list[StoredPassage]]:
    by_url: dict[str, list[StoredPassage]] = {}
    for passage in site.active_passages():
        by_url.setdefault(passage.url, []).append(passage)
    return by_url


def _site_record(*sources: dict[str, Any]) -> dict[str, Any]:
    record = make_record(topic="out_of_scope", intent="nlu_fallback", confidence=0.4)
    record["answers"] = [{"text": "Ett utdrag ur kommunens webbplats.", "source": s} for s in sources]
    return record


@pytest.fixture()
def cited(admin_env: AdminEnv, site: SiteStore, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Records citing the pages: bath 3 times, parking twice (once contested), one unknown page."""
    by_url = _passages(site)
    bath, bath_price = (p.source_info() for p in by_url[BATH])
    parking = by_url[PARKING][0].source_info()
    gone = {**parking, "passage_id": "p_gone", "page_url": GONE, "page_title": "Gammal sida"}
    specs = {
        "bath_twice": (_site_record(bath, bath_price), "2026-03-01T10:00:00.000000Z"),  # one page, once
        "bath_parking": (_site_record(bath, parking), "2026-03-02T09:00:00.000000Z"),
        "parking": (_site_record(parking), "2026-03-02T10:00:00.000000Z"),
        "article": (make_record(), "2026-03-02T11:00:00.000000Z"),
        "bath": (_site_record(bath_price), "2026-03-03T08:00:00.000000Z"),
        "gone": (_site_record(gone), "2026-03-03T09:00:00.000000Z"),
        "bath_before": (_site_record(bath), "2026-02-27T09:00:00.000000Z"),  # outside the period
    }
    ids = {
        name: append_at(admin_env.audit_log, record, stamp, monkeypatch).audit_id
        for name, (record, stamp) in specs.items()
    }
    admin_env.audit_log.mark_contested(ids["parking"], case_ref="KS-2026-000042")
    return ids


def _wire(admin_env: AdminEnv, site: SiteStore | None, *, cases: bool = True) -> None:
    admin_env.app.state.chat_service = SimpleNamespace(site=site)  # the fixture builds no ChatService
    if cases:
        admin_env.app.state.case_service = object()  # the staff queue is wired: it calls mark_contested


# --- the service ----------------------------------------------------------------------------------------


def test_counts_shown_and_contested_per_page_and_sorts(
    admin_env: AdminEnv, site: SiteStore, cited: dict[str, str]
) -> None:
    report = site_pages_report(AdminQueries(admin_env.audit_log, cases_linked=True), site, PERIOD_FILTER)
    assert report is not None
    rows = [(r.url, r.status, r.passages, r.shown, r.contested) for r in report.pages]
    assert rows == [
        (BATH, "active", 2, 3, 0),
        (PARKING, "active", 1, 2, 1),
        (GONE, "unknown", 0, 1, 0),
        (PERMIT, "flagged", 0, 0, 0),
    ]
    assert (report.records, report.site_records, report.total_pages) == (6, 5, 3)
    assert [r.status_label for r in report.pages] == [
        "används",
        "används",
        "finns inte i sidregistret",
        "flaggad – används inte",
    ]
    assert report.flagged[0].flag_reason == (
        "Sidan innehåller personuppgifter (1 namn, 2 telefonnummer). Den används därför inte i svar."
    )
    assert [(bar.label, bar.value) for bar in report.chart.bars] == [
        ("Badhuset", 3),
        ("Parkering", 2),
        ("Gammal sida", 1),
    ]
    latest = report.imports[0]
    assert latest.counts == {"new": 3, "changed": 0, "unchanged": 0, "removed": 0, "skipped": 1, "flagged": 1}
    assert latest.skipped == [("/srv/sidor/tom.html", "Sidan har ingen huvudtext.")]


def test_only_contested_keeps_the_pages_with_a_contested_answer(
    admin_env: AdminEnv, site: SiteStore, cited: dict[str, str]
) -> None:
    queries = AdminQueries(admin_env.audit_log, cases_linked=True)
    flt = AuditFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 3), contested=True)
    report = site_pages_report(queries, site, flt)
    assert report is not None and report.only_contested
    assert [(r.url, r.shown, r.contested) for r in report.pages] == [(PARKING, 2, 1)]


def test_contested_is_unknown_until_cases_are_linked(
    admin_env: AdminEnv, site: SiteStore, cited: dict[str, str]
) -> None:
    flt = AuditFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 3), contested=True)
    report = site_pages_report(AdminQueries(admin_env.audit_log), site, flt)
    assert report is not None and not report.contested_known and not report.only_contested
    assert {r.contested for r in report.pages} == {None}
    assert len(report.pages) == 4  # the filter cannot apply


def test_the_period_decides_which_records_count(
    admin_env: AdminEnv, site: SiteStore, cited: dict[str, str]
) -> None:
    flt = AuditFilter(date_from=date(2026, 2, 1), date_to=date(2026, 3, 1))
    report = site_pages_report(AdminQueries(admin_env.audit_log, cases_linked=True), site, flt)
    assert report is not None
    assert [(r.url, r.shown) for r in report.pages if r.shown] == [(BATH, 2)]


def test_no_store_or_no_import_gives_no_report(admin_env: AdminEnv, tmp_path: Path) -> None:
    queries = AdminQueries(admin_env.audit_log)
    assert site_pages_report(queries, None, PERIOD_FILTER) is None
    empty = SiteStore.open(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert site_pages_report(queries, empty, PERIOD_FILTER) is None
    finally:
        empty.close()


def test_a_record_counts_once_per_page_whatever_its_answers() -> None:
    bath = {"passage_id": "p_1", "kind": "site", "page_url": BATH, "page_title": "Badhuset"}
    article = {"article_id": "waste", "version": 1}
    records: list[tuple[Any, bool]] = [
        ({"answers": [{"source": bath}, {"source": {**bath, "passage_id": "p_2"}}]}, True),
        ({"answers": [{"source": article}, {"text": "Hej"}]}, False),
        ({"metadata_deleted": True}, False),  # expired metadata: no sources left
    ]
    uses, total, citing = count_page_use(records)
    assert (uses[BATH].shown, uses[BATH].contested, uses[BATH].title) == (1, 1, "Badhuset")
    assert (total, citing) == (3, 1)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        (FLAG, "Sidan innehåller personuppgifter (1 namn, 2 telefonnummer). Den används därför inte i svar."),
        ("personal data: SE_PERSONNUMMER ×1", "Sidan innehåller personuppgifter (1 personnummer)."),
        ("something else", "something else"),
        (None, "Sidan används inte i svar."),
    ],
)
def test_flag_reasons_in_plain_swedish(reason: str | None, expected: str) -> None:
    assert flag_reason_sv(reason).startswith(expected)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("no main text", "Sidan har ingen huvudtext."),
        ("not an HTML page", "Det är inte en webbsida (HTML)."),
        (f"same URL as another page: {BATH}", f"Samma adress som en annan sida: {BATH}"),
        ("ConnectTimeout", "Sidan gick inte att hämta (ConnectTimeout)."),
    ],
)
def test_skip_reasons_in_plain_swedish(reason: str, expected: str) -> None:
    assert skip_reason_sv(reason) == expected


def test_the_filter_takes_only_the_period_and_contested() -> None:
    flt = parse_site_filter({"date_from": "2026-03-01", "topic": "parking", "contested": "ja"})
    assert flt == AuditFilter(date_from=date(2026, 3, 1), contested=True)


# --- the page -------------------------------------------------------------------------------------------


def _cells(page: str, caption: str) -> list[list[str]]:
    """The body rows of the table with ``caption`` as lists of cell texts."""
    table = page[page.index(caption) :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def test_the_page_lists_pages_with_counts_and_the_flagged_page(
    admin_env: AdminEnv,
    site: SiteStore,
    cited: dict[str, str],
    logged_in: Callable[[str], TestClient],
) -> None:
    _wire(admin_env, site)
    client = logged_in("auditor")
    response = client.get(f"/admin/site?{PERIOD}")
    assert response.status_code == 200, response.text
    page = response.text
    assert "<h1>Webbplatsens sidor</h1>" in page
    assert 'href="/admin/site" aria-current="page">Webbplatsens sidor' in page
    rows = _cells(page, "Sidor, mest visade först")
    assert [row[:6] for row in rows] == [
        ["Badhuset", "används", "10 februari 2026", "2", "3", "0"],
        ["Parkering", "används", "15 januari 2026", "1", "2", "1"],
        ["Gammal sida", "finns inte i sidregistret", "–", "0", "1", "0"],
        ["Beslut om bygglov", "flaggad – används inte", "–", "0", "0", "0"],
    ]
    assert {row[6] for row in rows} == {"–ingen uppgift ännu"}
    assert "Markerade som inte till hjälp" in page and "Den funktionen finns inte" in page
    assert f'<a href="{BATH}">Badhuset</a>' in page
    flagged = _cells(page, "Flaggade sidor som chatten inte använder")
    assert flagged == [
        [
            "Beslut om bygglov",
            "Sidan innehåller personuppgifter (1 namn, 2 telefonnummer). Den används därför inte i svar.",
        ]
    ]
    assert _cells(page, "Sidor som den senaste importen hoppade över") == [
        ["/srv/sidor/tom.html", "Sidan har ingen huvudtext."]
    ]
    imports = _cells(page, "De senaste importerna, nyaste först")
    assert imports[0][1:] == ["/srv/sidor", "3", "0", "0", "0", "1", "1"]
    assert "De 10 mest visade sidorna" in page and "Visa siffrorna som tabell" in page
    assert "<strong>5</strong> av 6 svar byggde på webbplatsen" in page
    assert 'name="contested"' in page


def test_only_contested_through_the_page(
    admin_env: AdminEnv,
    site: SiteStore,
    cited: dict[str, str],
    logged_in: Callable[[str], TestClient],
) -> None:
    _wire(admin_env, site)
    page = logged_in("admin").get(f"/admin/site?{PERIOD}&contested=ja").text
    assert [row[0] for row in _cells(page, "Sidor, mest visade först")] == ["Parkering"]
    assert 'value="ja" checked' in page


def test_without_case_handling_contested_is_unknown(
    admin_env: AdminEnv,
    site: SiteStore,
    cited: dict[str, str],
    logged_in: Callable[[str], TestClient],
) -> None:
    _wire(admin_env, site, cases=False)
    page = logged_in("auditor").get(f"/admin/site?{PERIOD}").text
    assert 'name="contested"' not in page
    assert _cells(page, "Sidor, mest visade först")[0][5] == "–okänt"


def test_the_view_is_written_to_the_access_log(
    admin_env: AdminEnv, site: SiteStore, logged_in: Callable[[str], TestClient]
) -> None:
    _wire(admin_env, site)
    logged_in("auditor").get(f"/admin/site?{PERIOD}")
    entries = admin_env.app.state.admin.access_entries(10)
    assert any(
        e["action"] == "view_site_pages" and e["target"] == "date_from=2026-03-01 date_to=2026-03-03"
        for e in entries
    )
    assert "Tittade på webbplatsens sidor" in logged_in("admin").get("/admin/access").text


def test_a_malformed_date_is_explained(
    admin_env: AdminEnv, site: SiteStore, logged_in: Callable[[str], TestClient]
) -> None:
    _wire(admin_env, site)
    response = logged_in("auditor").get("/admin/site?date_from=1-3-2026")
    assert response.status_code == 422
    assert "ÅÅÅÅ-MM-DD" in response.text


@pytest.mark.parametrize("store", ["none", "empty"])
def test_without_an_import_the_page_says_how_to_import(
    admin_env: AdminEnv, tmp_path: Path, logged_in: Callable[[str], TestClient], store: str
) -> None:
    empty = SiteStore.open(f"sqlite:///{tmp_path / 'empty.db'}") if store == "empty" else None
    _wire(admin_env, empty)
    try:
        response = logged_in("auditor").get("/admin/site")
    finally:
        if empty is not None:
            empty.close()
    assert response.status_code == 200
    assert "Inga sidor från kommunens webbplats är inlästa ännu." in response.text
    assert "<code>python -m content import-site MAPP</code>" in response.text


def test_a_broken_store_gives_a_message_not_an_error(
    admin_env: AdminEnv, site: SiteStore, logged_in: Callable[[str], TestClient]
) -> None:
    _wire(admin_env, site)
    site.engine.dispose()
    Path(str(site.engine.url.database)).unlink()
    Path(str(site.engine.url.database)).mkdir()  # a folder where the database was: it cannot be opened
    response = logged_in("auditor").get("/admin/site")
    assert response.status_code == 200
    assert "Sidregistret går inte att läsa just nu." in response.text


def test_without_login_the_page_redirects_or_is_401(admin_env: AdminEnv, site: SiteStore) -> None:
    _wire(admin_env, site)
    response = admin_env.client().get("/admin/site", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/admin/login?next=%2Fadmin%2Fsite")
    api = admin_env.client().get("/admin/site", headers={"accept": "application/json"})
    assert api.status_code == 401


def test_staff_may_not_see_the_page(
    admin_env: AdminEnv, site: SiteStore, logged_in: Callable[[str], TestClient]
) -> None:
    _wire(admin_env, site)
    assert logged_in("staff").get("/admin/site", follow_redirects=False).status_code == 403
