"""Export of a filtered range (JSON lines, CSV) and the access log of every view and export."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from audit.query import access_entries
from audit.tables import entries
from bot.admin.export import CSV_COLUMNS
from tests.bot.admin.conftest import AdminEnv, csrf_token, make_record


@pytest.fixture()
def mixed(admin_env: AdminEnv) -> dict[str, list[str]]:
    """Ten parking answers (three unsure) and five library answers, one starting with a formula."""
    parking = [make_record(topic="parking", confidence=0.4 if i < 3 else 0.9, turn=i) for i in range(10)]
    library = [make_record(topic="library", turn=i) for i in range(4)]
    library.append(make_record(topic="library", text='=HYPERLINK("http://x")', turn=9))
    written = admin_env.audit_log.append_many(parking + library)
    ids = [e.audit_id for e in written]
    return {"parking": ids[:10], "parking_low": ids[:3], "library": ids[10:]}


def test_jsonl_export_holds_the_filtered_records_as_stored(
    admin_env: AdminEnv, mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    response = logged_in("auditor").get("/admin/audit/export.jsonl?topic=parking")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.headers["content-disposition"].startswith('attachment; filename="kommunsvar-svarslogg-')
    lines = response.text.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["audit_id"] for r in records] == mixed["parking"]  # log order
    assert records[0] == admin_env.audit_log.get(mixed["parking"][0])
    assert response.headers["x-record-count"] == "10"


def test_export_applies_the_confidence_band(
    mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    response = logged_in("auditor").get("/admin/audit/export.jsonl?topic=parking&band=low")
    assert [json.loads(line)["audit_id"] for line in response.text.splitlines()] == mixed["parking_low"]


def test_csv_export_is_one_safe_row_per_record(
    mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    response = logged_in("auditor").get("/admin/audit/export.csv?topic=library")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert [r["audit_id"] for r in rows] == mixed["library"]
    assert rows[0]["article_id"] == "waste-collection-schedule"
    assert rows[0]["pii_counts"] == '{"LOCATION": 1}'
    assert rows[0]["fallback"] == "nej"
    assert rows[-1]["input_redacted"] == '\'=HYPERLINK("http://x")'  # no formula for spreadsheets


def test_export_streams_a_large_range(admin_env: AdminEnv, logged_in: Callable[[str], TestClient]) -> None:
    for _ in range(5):
        admin_env.audit_log.append_many([make_record(turn=i) for i in range(500)])
    client = logged_in("auditor")
    started = time.perf_counter()
    with client.stream("GET", "/admin/audit/export.csv") as response:
        chunks = sum(1 for _ in response.iter_bytes())
        body_lines = response.num_bytes_downloaded
    elapsed = time.perf_counter() - started
    assert chunks > 1  # streamed, not built in one piece
    assert body_lines > 2500 * 100
    assert elapsed < 30


def test_every_view_and_export_is_logged(
    admin_env: AdminEnv, mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("auditor")
    audit_id = mixed["library"][0]
    client.get("/admin?topic=library&date_from=2026-01-01&date_to=2026-12-31")
    client.get("/admin/audit?topic=parking&band=low&page=1")
    client.get(f"/admin/audit/{audit_id}")
    client.get(f"/admin/audit/{audit_id}/receipt.json")
    client.get("/admin/audit/export.jsonl?topic=parking")
    client.get("/admin/audit/export.csv?handoff=nej")
    client.get("/admin/integrity")
    log = [(e["actor"], e["action"], e["target"]) for e in reversed(access_entries(admin_env.audit_log))]
    assert log == [
        ("greta", "view_overview", "date_from=2026-01-01 date_to=2026-12-31 topic=library"),
        ("greta", "list_records", "topic=parking band=low page=1"),
        ("greta", "view_record", audit_id),
        ("greta", "download_receipt", audit_id),
        ("greta", "export_jsonl", "topic=parking rows=10"),
        ("greta", "export_csv", "handoff=nej rows=15"),
        ("greta", "view_integrity", None),
    ]
    stamps = [e["at"] for e in access_entries(admin_env.audit_log)]
    assert all(s.endswith("Z") for s in stamps)


def test_access_log_never_holds_conversation_text(
    admin_env: AdminEnv, mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("auditor")
    client.get("/admin/audit?topic=%3CADDRESS_1%3E")  # rejected: not a topic code
    client.get("/admin/audit/export.csv?intent=HYPERLINK")  # rejected: upper case is no code
    for entry in access_entries(admin_env.audit_log):
        target = entry["target"] or ""
        assert "ADDRESS" not in target and "HYPERLINK" not in target and "hämtas" not in target


def test_only_admins_see_the_access_log(
    admin_env: AdminEnv, mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    logged_in("auditor").get("/admin/audit")
    assert logged_in("auditor").get("/admin/access").status_code == 403
    page = logged_in("admin").get("/admin/access")
    assert page.status_code == 200
    assert "Sökte i svarsloggen" in page.text and "greta" in page.text


def _wait_for_result(client: TestClient, location: str) -> str:
    for _ in range(100):
        page = client.get(location)
        assert page.status_code == 200
        if 'id="verify-result"' in page.text:
            return page.text
        assert 'http-equiv="refresh"' in page.text  # the running page reloads itself
        time.sleep(0.05)
    raise AssertionError("verification did not finish")


def test_verify_now_runs_and_reports_an_intact_log(
    admin_env: AdminEnv, mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    client = logged_in("auditor")
    page = client.get("/admin/integrity")
    assert "Senaste signerade kontrollpunkt" in page.text
    assert "kommunsvar.local/audit" in page.text
    assert client.post("/admin/integrity/verify", data={}).status_code == 403  # CSRF
    response = client.post(
        "/admin/integrity/verify", data={"csrf_token": csrf_token(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    result = _wait_for_result(client, response.headers["location"])
    assert "Loggen är hel." in result
    assert "Alla 15 poster stämmer" in result
    actions = [e["action"] for e in access_entries(admin_env.audit_log)]
    assert "verify_log" in actions


def test_verify_now_names_the_first_tampered_record(
    admin_env: AdminEnv, mixed: dict[str, list[str]], logged_in: Callable[[str], TestClient]
) -> None:
    bad = mixed["parking"][4]
    with admin_env.audit_log.engine.begin() as conn:
        conn.execute(update(entries).where(entries.c.audit_id == bad).values(topic="library"))
    client = logged_in("admin")
    token = csrf_token(client.get("/admin/integrity").text)
    response = client.post("/admin/integrity/verify", data={"csrf_token": token}, follow_redirects=False)
    result = _wait_for_result(client, response.headers["location"])
    assert "Loggen är inte hel." in result
    assert f'href="/admin/audit/{bad}"' in result


def test_unknown_verify_job_is_404(logged_in: Callable[[str], TestClient]) -> None:
    response = logged_in("auditor").get("/admin/integrity/verify/nope")
    assert response.status_code == 404
    assert "Det finns inget sådant kontrolljobb" in response.text
