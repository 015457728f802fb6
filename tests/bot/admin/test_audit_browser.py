"""The audit browser through HTTP: filters, paging, record view with explanation and receipt."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from audit.errors import AuditStoreUnavailable
from audit.receipt import verify_receipt
from bot.admin.queries import _case_meta, case_records
from tests.bot.admin.conftest import AdminEnv, append_at, make_record

IDS = re.compile(r'href="/admin/audit/(KS-[0-9A-Z]{10})"')


def listed(client: TestClient, query: str = "") -> list[str]:
    """Audit ids on one list page, in order."""
    response = client.get("/admin/audit" + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.text
    return IDS.findall(response.text)


@pytest.fixture()
def records(admin_env: AdminEnv, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Six records with known properties, written on three days (Swedish time)."""
    specs: dict[str, tuple[dict[str, Any], str]] = {
        "waste_sure": ({"topic": "waste_collection", "confidence": 0.95}, "2026-03-01T10:00:00.000000Z"),
        "waste_mid": ({"topic": "waste_collection", "confidence": 0.70}, "2026-03-01T23:30:00.000000Z"),
        "parking_low": ({"topic": "parking", "confidence": 0.40}, "2026-03-02T09:00:00.000000Z"),
        "edge_06": ({"topic": "parking", "confidence": 0.60}, "2026-03-02T10:00:00.000000Z"),
        "edge_085": (
            {"topic": "library", "confidence": 0.85, "handoff": True},
            "2026-03-03T08:00:00.000000Z",
        ),
        "fallback": (
            {"topic": "out_of_scope", "intent": "nlu_fallback", "confidence": 0.30, "handoff": True},
            "2026-03-03T09:00:00.000000Z",
        ),
    }
    return {
        name: append_at(admin_env.audit_log, make_record(**kwargs), stamp, monkeypatch).audit_id
        for name, (kwargs, stamp) in specs.items()
    }


def test_list_shows_every_record_newest_first(
    records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("auditor")
    assert listed(client) == list(reversed(records.values()))
    assert "Visar 1–6 av 6 svar." in client.get("/admin/audit").text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=parking", {"parking_low", "edge_06"}),
        ("intent=nlu_fallback", {"fallback"}),
        ("band=low", {"parking_low", "fallback"}),
        ("band=medium", {"waste_mid", "edge_06"}),
        ("band=high", {"waste_sure", "edge_085"}),
        ("fallback=ja", {"parking_low", "fallback"}),
        ("fallback=nej", {"waste_sure", "waste_mid", "edge_06", "edge_085"}),
        ("handoff=ja", {"edge_085", "fallback"}),
        # 23:30 UTC on 1 March is 00:30 on 2 March in Sweden
        ("date_from=2026-03-02&date_to=2026-03-02", {"waste_mid", "parking_low", "edge_06"}),
        ("date_to=2026-03-01", {"waste_sure"}),
        ("date_from=2026-03-03", {"edge_085", "fallback"}),
        ("topic=parking&band=medium", {"edge_06"}),
    ],
)
def test_filters(
    records: dict[str, str], logged_in: Callable[[str], TestClient], query: str, expected: set[str]
) -> None:
    names = {audit_id: name for name, audit_id in records.items()}
    assert {names[i] for i in listed(logged_in("auditor"), query)} == expected


def test_contested_filter_is_hidden_until_cases_exist(
    admin_env: AdminEnv, records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("auditor")
    assert 'name="contested"' not in client.get("/admin/audit").text
    assert len(listed(client, "contested=ja")) == 6  # unknown: the filter is ignored
    _case_meta.create_all(admin_env.audit_log.engine)
    with admin_env.audit_log.engine.begin() as conn:
        conn.execute(case_records.insert().values(case_id="KS-2026-000001", audit_id=records["parking_low"]))
    assert 'name="contested"' in client.get("/admin/audit").text
    assert listed(client, "contested=ja") == [records["parking_low"]]
    assert len(listed(client, "contested=nej")) == 5
    assert "ifrågasatt</span>" in client.get("/admin/audit").text
    page = client.get(f"/admin/audit/{records['parking_low']}").text
    assert "Ja, ärende KS-2026-000001" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=1%20mars", "Datumet i fältet ”Från och med” måste skrivas som ÅÅÅÅ-MM-DD."),
        ("topic=<script>", "Värdet i fältet ”Ämne” finns inte."),
        ("band=extreme", "Välj en av nivåerna i fältet ”Säkerhet”."),
        ("fallback=kanske", "Välj ja, nej eller alla i fältet ”Osäkert svar”."),
        ("date_from=2026-03-05&date_to=2026-03-01", "måste vara före"),
    ],
)
def test_bad_filter_gives_a_plain_message(
    records: dict[str, str], logged_in: Callable[[str], TestClient], query: str, message: str
) -> None:
    response = logged_in("auditor").get(f"/admin/audit?{query}")
    assert response.status_code == 422
    assert message in response.text
    assert "<script>" not in response.text


def test_paging(admin_env: AdminEnv, logged_in: Callable[[str], TestClient]) -> None:
    written = [e.audit_id for e in admin_env.audit_log.append_many([make_record(turn=i) for i in range(120)])]
    client = logged_in("auditor")
    newest_first = list(reversed(written))
    assert listed(client) == newest_first[:50]
    assert listed(client, "page=2") == newest_first[50:100]
    page3 = client.get("/admin/audit?page=3")
    assert IDS.findall(page3.text) == newest_first[100:]
    assert "Visar 101–120 av 120 svar." in page3.text
    assert 'rel="next"' not in page3.text and "page=2" in page3.text
    assert listed(client, "page=abc") == newest_first[:50]


def test_record_view_explains_the_answer(
    records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    audit_id = records["waste_sure"]
    page = logged_in("auditor").get(f"/admin/audit/{audit_id}")
    assert page.status_code == 200
    text = page.text
    assert f"Förklaring av svar {audit_id}" in text
    understood = "Boten tolkade frågan som ämnet ”Sophämtning och avfall”."
    assert f"{understood} Den var mycket säker på det (95 procent)." in text
    assert "När hämtas soporna på &lt;ADDRESS_1&gt;?" in text  # redacted input, escaped
    assert "Soporna hämtas varannan vecka." in text
    for fact in ("waste-collection-schedule", "Miljö- och tekniska förvaltningen", "1 september 2026"):
        assert fact in text
    assert "Borttagna personuppgifter: 1 adress." in text
    assert "Visade att det är en AI-assistent: ja" in text
    assert "Kvittot stämmer." in text
    assert "Okänt (ärendehanteringen är inte kopplad)" in text


def test_record_view_forgives_case_and_redirects(
    records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    audit_id = records["waste_sure"]
    typed = audit_id.lower().replace("ks-", "ks ")  # as read over the phone
    response = logged_in("auditor").get(f"/admin/audit/{typed}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/admin/audit/{audit_id}"


@pytest.mark.parametrize("audit_id", ["KS-0000000000", "not-an-id", "x" * 300])
def test_unknown_record_is_a_plain_404(
    records: dict[str, str], logged_in: Callable[[str], TestClient], audit_id: str
) -> None:
    response = logged_in("auditor").get(f"/admin/audit/{audit_id}")
    assert response.status_code == 404
    assert "Det finns inget sådant svar" in response.text


def test_receipt_download_verifies_with_the_public_key(
    admin_env: AdminEnv, records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    response = logged_in("auditor").get(f"/admin/audit/{records['edge_06']}/receipt.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    receipt = response.json()
    checkpoint = verify_receipt(receipt, admin_env.audit_log.public_keys())
    assert checkpoint.tree_size >= 4
    assert receipt["audit_id"] == records["edge_06"]


def test_a_tampered_record_shows_a_failed_receipt(
    admin_env: AdminEnv, records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    from sqlalchemy import update

    from audit.tables import entries

    with admin_env.audit_log.engine.begin() as conn:
        conn.execute(
            update(entries).where(entries.c.audit_id == records["waste_mid"]).values(leaf_hash=b"\x00" * 32)
        )
    page = logged_in("auditor").get(f"/admin/audit/{records['waste_mid']}").text
    assert "Kvittot stämmer inte" in page


def test_store_unavailable_gives_a_plain_503_page(
    admin_env: AdminEnv, logged_in: Callable[[str], TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = logged_in("auditor")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise AuditStoreUnavailable("audit store failed to count records: OperationalError")

    monkeypatch.setattr(admin_env.app.state.admin.queries, "count", broken)
    response = client.get("/admin/audit")
    assert response.status_code == 503
    assert "Svarsloggen går inte att nå just nu" in response.text
    assert "OperationalError" not in response.text


def test_overview_draws_charts_of_the_chosen_period(
    records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    page = logged_in("auditor").get("/admin?date_from=2026-03-01&date_to=2026-03-03").text
    assert page.count("<svg viewBox") == 3
    for title in ("Svar per dag", "Svar per ämne", "Hur säker boten var"):
        assert f">{title}</title>" in page
    assert "<strong>6</strong> svar" in page
    assert "<strong>2</strong> osäkra svar (33 %)" in page
    # per day in Swedish time: 1 March 1, 2 March 3, 3 March 2
    day_rows = re.findall(
        r"<td><a href=\"[^\"]+\">(\d+ mars 2026)</a></td><td class=\"num\">(\d+)</td>", page
    )
    assert day_rows == [("1 mars 2026", "1"), ("2 mars 2026", "3"), ("3 mars 2026", "2")]
    assert re.search(r">Parkering</a></td><td class=\"num\">2<", page)
    bars = re.findall(
        r'<rect class="bar bar--(low|mid|high)" x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', page
    )
    assert len(bars) == 20
    tall = {band for band, height in bars if float(height) > 0}
    assert tall == {"low", "mid", "high"}


def test_overview_defaults_to_the_last_30_days(logged_in: Callable[[str], TestClient]) -> None:
    page = logged_in("admin").get("/admin").text
    assert "Inga svar att visa för det här urvalet." in page
    assert "Så har chatten svarat" in page


def test_contested_through_the_case_handling(
    admin_env: AdminEnv, records: dict[str, str], logged_in: Callable[[str], TestClient]
) -> None:
    admin_env.app.state.case_service = object()  # the staff queue is wired: it calls mark_contested
    admin_env.audit_log.mark_contested(records["edge_085"], case_ref="KS-2026-000042")
    client = logged_in("auditor")
    assert 'name="contested"' in client.get("/admin/audit").text
    assert listed(client, "contested=ja") == [records["edge_085"]]
    assert "Ja, ärende KS-2026-000042" in client.get(f"/admin/audit/{records['edge_085']}").text
    assert "Ifrågasatt</dt>\n  <dd>Nej" in client.get(f"/admin/audit/{records['waste_sure']}").text
    overview = client.get("/admin?date_from=2026-03-01&date_to=2026-03-03").text
    assert "<strong>1</strong> ifrågasatta" in overview
