"""The console's own SQL (users, sessions, filters, statistics, export) on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.audit.required_services import fresh_pg_schema
from tests.bot.admin.conftest import USERS, AdminEnv, build_env, login, make_record

pytestmark = pytest.mark.postgres

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture()
def pg_env(tmp_path: Path) -> Iterator[AdminEnv]:
    """The console on a fresh schema of the ``test`` database, dropped afterwards."""
    with fresh_pg_schema("admin_test") as url, build_env(url, tmp_path) as env:
        yield env


def test_console_on_postgres(pg_env: AdminEnv) -> None:
    written = pg_env.audit_log.append_many(
        [make_record(topic="parking", confidence=0.4, handoff=True)]
        + [make_record(topic="library", confidence=0.9, turn=i) for i in range(3)]
    )
    pg_env.app.state.case_service = object()
    pg_env.audit_log.mark_contested(written[0].audit_id, case_ref="KS-2026-000007")
    client = pg_env.client()
    for _ in range(5):
        assert login(client, USERS["auditor"], "wrong-password-1").status_code == 401
    assert login(client, USERS["auditor"]).status_code == 401  # locked
    pg_env.clock.now += 16 * 60
    assert login(client, USERS["auditor"]).status_code == 303

    page = client.get("/admin/audit?band=low&handoff=ja&contested=ja")
    assert page.status_code == 200
    assert "Visar 1–1 av 1 svar." in page.text
    overview = client.get("/admin").text
    assert "<strong>4</strong> svar" in overview and "<strong>1</strong> ifrågasatta" in overview
    lines = client.get("/admin/audit/export.jsonl?topic=library").text.splitlines()
    assert [json.loads(line)["audit_id"] for line in lines] == [e.audit_id for e in written[1:]]
    record = client.get(f"/admin/audit/{written[0].audit_id}").text
    assert "Kvittot stämmer." in record and "KS-2026-000007" in record
