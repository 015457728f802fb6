"""Timing of the admin console on a large log (not a test; run by hand).

Usage: ``OMP_NUM_THREADS=1 .venv/bin/python -m tests.bot.admin.bench_console [N]`` (default 100,000 records).
Builds a temp SQLite log with N records, then times the console's pages and exports through HTTP.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from audit.log import open_audit_log
from audit.settings import AuditSettings
from bot.admin.service import AdminConsole, load_topic_labels
from bot.auth import passwords
from bot.auth.store import open_auth_store
from bot.main import create_app
from bot.settings import PROJECT_ROOT, Settings
from tests.bot.admin.conftest import PASSWORD, login, make_record

TOPICS = ["waste_collection", "parking", "library", "school", "preschool", "building_permit", "out_of_scope"]


def timed(label: str, fn: object, repeat: int = 3) -> None:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    status = getattr(result, "status_code", "")
    assert status == 200 and not str(getattr(result, "url", "")).count("/login"), f"{label}: {status}"
    print(f"{label:<48} {best * 1000:8.1f} ms  {status}")


def main(n: int) -> None:
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    tmp = Path(tempfile.mkdtemp(prefix="bench-admin-"))
    url = f"sqlite:///{tmp / 'audit.db'}"
    settings = AuditSettings(
        database_url=url, key_path=tmp / "k.pem", content_key_path=tmp / "c.key", sqlite_synchronous="NORMAL"
    )
    log = open_audit_log(url, settings=settings)
    rng = random.Random(7)
    start = time.perf_counter()
    for first in range(0, n, 500):
        batch = [
            make_record(
                topic=rng.choice(TOPICS),
                confidence=round(rng.random(), 3),
                handoff=rng.random() < 0.1,
                conversation=f"c{i // 5}",
                turn=i % 5,
            )
            for i in range(first, min(first + 500, n))
        ]
        log.append_many(batch)
    print(f"seeded {n} records in {time.perf_counter() - start:.1f} s")
    store = open_auth_store(url)
    store.create_user("anna", PASSWORD, "admin")
    store.development = True  # plain HTTP on loopback: cookies without Secure
    app = create_app(Settings(var_dir=tmp, audit_database_url=url))
    app.state.audit_log, app.state.auth = log, store
    app.state.admin = AdminConsole(log, load_topic_labels(PROJECT_ROOT / "data"))
    client = TestClient(app, base_url="http://127.0.0.1")
    assert login(client, "anna").status_code == 303, "login failed"
    some_id = log.search(limit=1)[0].audit_id
    timed("GET /admin (overview, 3 charts, 30 days)", lambda: client.get("/admin"))
    timed("GET /admin/audit (page 1, no filter)", lambda: client.get("/admin/audit"))
    timed(
        "GET /admin/audit?topic=parking&band=low", lambda: client.get("/admin/audit?topic=parking&band=low")
    )
    timed("GET /admin/audit?page=1000", lambda: client.get("/admin/audit?page=1000"))
    timed("GET /admin/audit/{id} (explanation + receipt)", lambda: client.get(f"/admin/audit/{some_id}"))
    timed("GET /admin/integrity", lambda: client.get("/admin/integrity"))
    for kind in ("csv", "jsonl"):
        start = time.perf_counter()
        response = client.get(f"/admin/audit/export.{kind}")
        elapsed = time.perf_counter() - start
        rows = response.content.count(b"\n") - (1 if kind == "csv" else 0)
        print(
            f"export {kind}: {rows} records, {len(response.content) / 1e6:.1f} MB in {elapsed:.1f} s "
            f"= {rows / elapsed:,.0f} records/s"
        )
    start = time.perf_counter()
    report = log.verify()
    print(f"verify: ok={report.ok} checked={report.checked} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
