"""One API and one command purge a conversation from the audit content, the tracker store and the vault."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select
from tracker_rows import fill, json_forms, session

from audit import cli
from audit.errors import RecordNotFound
from audit.log import AuditLog
from audit.purge import ConversationStores, forget, purge_expired
from audit.settings import AuditSettings, get_settings
from audit.tracker import TrackerStore, events
from guardrails.vault import Vault

MakeRecord = Callable[..., dict[str, Any]]
TURN = "Jag heter <PERSON_1>, mejla <EMAIL_1> om soptunnan på Plommonvägen-purge"


def _tracker(tmp_path: Path, now: datetime) -> TrackerStore:
    url = f"sqlite:///{tmp_path / 'rasa-tracker.db'}"
    engine = create_engine(url)
    start = now.timestamp() - 600
    fill(engine, session("conv-a", start, [TURN], slot=TURN) + session("conv-b", start, ["Hej"]))
    engine.dispose()
    return TrackerStore(url)


def _events(store: TrackerStore) -> dict[str, int]:
    engine = create_engine(store.database_url)
    with engine.connect() as conn:
        rows = conn.execute(select(events.c.sender_id, func.count()).group_by(events.c.sender_id)).all()
    engine.dispose()
    return {row[0]: row[1] for row in rows}


def _vault() -> Vault:
    vault = Vault()
    for conversation in ("conv-a", "conv-b"):
        vault.placeholder_for(conversation, "EMAIL_ADDRESS", f"{conversation}@example.se")
    return vault


@pytest.fixture
def stores(log: AuditLog, make_record: MakeRecord, tmp_path: Path) -> ConversationStores:
    now = datetime.now(UTC)
    for turn in range(2):
        log.append(make_record(conversation="conv-a", turn=turn))
        log.append(make_record(conversation="conv-b", turn=turn))
    return ConversationStores(audit_log=log, tracker=_tracker(tmp_path, now), vault=_vault())


def test_forget_by_audit_id_purges_all_three_stores(stores: ConversationStores, tmp_path: Path) -> None:
    log, tracker, vault = stores.audit_log, stores.tracker, stores.vault
    assert tracker is not None and isinstance(vault, Vault)
    [first, *_] = [r["audit_id"] for r in log.export() if r["conversation"] == "conv-a"]

    preview = forget(stores, first, dry_run=True)
    assert preview.conversation == "conv-a" and preview.vault == 1
    assert preview.tracker is not None and preview.tracker.events_deleted == 6
    assert sum(preview.audit.content_deleted.values()) == 2
    assert _events(tracker)["conv-a"] == 6 and vault.holds("conv-a") == 1  # nothing changed yet

    report = forget(stores, first.lower().replace("-", ""))  # a Svar-ID as a citizen might type it
    assert report.conversation == "conv-a"
    assert report.audit.content_deleted["request"] == 2 and report.audit.keys_shredded == 1
    assert report.tracker is not None and report.tracker.events_deleted == 6
    assert report.vault == 1
    assert all(r["content_shredded"] for r in log.export() if r["conversation"] == "conv-a")
    assert not any(r.get("content_shredded") for r in log.export() if r["conversation"] == "conv-b")
    assert _events(tracker) == {"conv-b": 5}
    assert vault.holds("conv-a") == 0 and vault.holds("conv-b") == 1
    data = (tmp_path / "rasa-tracker.db").read_bytes()
    assert not any(form in data for form in json_forms(TURN))
    text = "\n".join(report.lines())
    assert "conversation conv-a" in text and "tracker store deleted: 6 events" in text
    assert "vault deleted: 1" in text
    assert json.loads(json.dumps(report.to_dict()))["tracker"]["events_deleted"] == 6
    assert log.verify().ok


def test_a_pseudonym_only_the_tracker_or_vault_knows_is_forgotten(stores: ConversationStores) -> None:
    assert stores.tracker is not None and isinstance(stores.vault, Vault)
    fill(create_engine(stores.tracker.database_url), session("conv-unaudited", 0.0, ["Hej"]))
    report = forget(stores, "conv-unaudited")
    assert report.tracker is not None and report.tracker.events_deleted == 5
    stores.vault.placeholder_for("conv-vault-only", "PHONE_NUMBER", "070-123 45 67")
    assert forget(stores, "conv-vault-only").vault == 1
    with pytest.raises(RecordNotFound):
        forget(stores, "KS-0000000000")
    with pytest.raises(RecordNotFound):
        forget(stores, "conv-nobody")


def test_retention_purges_the_audit_trail_the_tracker_store_and_idle_vault_entries(
    stores: ConversationStores,
) -> None:
    assert stores.tracker is not None
    later = datetime.now(UTC) + timedelta(days=91)
    preview = purge_expired(stores, now=later, dry_run=True)
    assert preview.tracker is not None and preview.tracker.events_deleted == 11
    assert sum(preview.audit.content_deleted.values()) == 4
    assert _events(stores.tracker) == {"conv-a": 6, "conv-b": 5}

    report = purge_expired(stores, now=later)
    assert report.audit.content_deleted["conversation"] == 4 and report.audit.keys_shredded == 2
    assert report.tracker is not None and report.tracker.events_deleted == 11
    assert report.vault == 0  # the vault keeps its own clock: entries go after its TTL of idleness
    assert _events(stores.tracker) == {}


def test_tracker_retention_follows_its_own_setting(stores: ConversationStores) -> None:
    assert stores.tracker is not None
    stores.audit_log.settings = stores.audit_log.settings.model_copy(update={"tracker_retention_days": 0.001})
    report = purge_expired(stores, now=datetime.now(UTC) + timedelta(minutes=5))
    assert report.tracker is not None and report.tracker.events_deleted == 11  # idle past 86 s
    assert sum(report.audit.content_deleted.values()) == 0  # audit content keeps its 90 days


def test_without_tracker_and_vault_the_report_says_so(log: AuditLog, make_record: MakeRecord) -> None:
    log.append(make_record(conversation="conv-x"))
    lines = forget(ConversationStores(audit_log=log), "conv-x").lines()
    assert "tracker store: not configured here" in lines
    assert any(line.startswith("vault: not reachable from this process") for line in lines)


def _cli_env(monkeypatch: pytest.MonkeyPatch, settings: AuditSettings, **extra: str) -> None:
    monkeypatch.setenv("KOMMUNSVAR_AUDIT_KEY_PATH", str(settings.key_path))
    monkeypatch.setenv("KOMMUNSVAR_AUDIT_CONTENT_KEY_PATH", str(settings.content_key_path))
    for name, value in extra.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def test_cli_forget_and_retention_cover_the_tracker_store(
    db_url: str,
    audit_settings: AuditSettings,
    make_record: MakeRecord,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tracker = _tracker(tmp_path, datetime.now(UTC))
    _cli_env(monkeypatch, audit_settings, KOMMUNSVAR_RASA_TRACKER_URL=tracker.database_url)
    try:
        from audit.log import open_audit_log

        log = open_audit_log(db_url, settings=audit_settings)
        audit_id = log.append(make_record(conversation="conv-a")).audit_id
        log.close()
        assert cli.main(["forget", audit_id, "--database-url", db_url, "--dry-run"]) == 0
        assert _events(tracker)["conv-a"] == 6
        assert cli.main(["forget", audit_id, "--database-url", db_url, "--vacuum"]) == 0
        out = capsys.readouterr().out
        assert "tracker store would delete: 6 events" in out and "tracker store deleted: 6 events" in out
        assert "vault: not reachable from this process" in out and "databases rewritten" in out
        assert _events(tracker) == {"conv-b": 5}
        assert cli.main(["retention", "--database-url", db_url, "--tracker-url", tracker.database_url]) == 0
        assert "tracker store deleted: 0 events" in capsys.readouterr().out  # conv-b is 10 minutes old
        assert cli.main(["forget", "conv-nobody", "--database-url", db_url]) == cli.EXIT_NOT_FOUND
    finally:
        get_settings.cache_clear()


def test_cli_through_the_gateway_sends_the_token_and_prints_its_report(
    audit_settings: AuditSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if json.loads(request.content).get("reference") == "KS-UNKNOWN00":
            return httpx.Response(404, json={"error": {"code": "answer_not_found"}})
        return httpx.Response(200, json={"lines": ["conversation c_x", "vault deleted: 2"]})

    def fake_post(url: str, *, json: Any, headers: dict[str, str], timeout: float) -> httpx.Response:
        assert timeout > 0
        return handler(httpx.Request("POST", url, json=json, headers=headers))

    monkeypatch.setattr(httpx, "post", fake_post)
    _cli_env(monkeypatch, audit_settings, KOMMUNSVAR_INTERNAL_TOKEN="tok-0123456789abcdef")
    try:
        assert cli.main(["forget", "KS-7K3M9Q2X4B", "--gateway", "http://127.0.0.1:8000/"]) == 0
        assert "vault deleted: 2" in capsys.readouterr().out
        request = seen[-1]
        assert str(request.url) == "http://127.0.0.1:8000/internal/privacy/forget"
        assert request.headers["authorization"] == "Bearer tok-0123456789abcdef"
        assert json.loads(request.content) == {"dry_run": False, "reference": "KS-7K3M9Q2X4B"}
        assert cli.main(["retention", "--dry-run", "--gateway", "http://127.0.0.1:8000"]) == 0
        assert json.loads(seen[-1].content) == {"dry_run": True}
        assert (
            cli.main(["forget", "KS-UNKNOWN00", "--gateway", "http://127.0.0.1:8000"]) == cli.EXIT_NOT_FOUND
        )
        monkeypatch.delenv("KOMMUNSVAR_INTERNAL_TOKEN")
        get_settings.cache_clear()
        assert cli.main(["forget", "KS-7K3M9Q2X4B", "--gateway", "http://127.0.0.1:8000"]) == cli.EXIT_USAGE
    finally:
        get_settings.cache_clear()
