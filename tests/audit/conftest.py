"""Shared fixtures for audit tests: a fresh SQLite log and a realistic record."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from audit.log import AuditLog, open_audit_log
from audit.settings import AuditSettings

# pytest runs with --import-mode=importlib: make the helper modules next to this file importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

SAMPLE_RECORD: dict[str, Any] = {
    "schema_version": 1,
    "channel": "web",
    "language": "sv",
    "conversation": "conv-7f3a",
    "turn": 2,
    "input_redacted": "Jag heter <PERSON_1>, när hämtas soporna på <ADDRESS_1>?",
    "pii": {
        "findings": [
            {"type": "PERSON", "start": 9, "end": 18, "score": 0.85},
            {"type": "LOCATION", "start": 41, "end": 55, "score": 0.9},
        ],
        "counts": {"PERSON": 1, "LOCATION": 1},
    },
    "nlu": {
        "intent": "waste_collection",
        "confidence": 0.87,
        "ranking": [
            {"name": "waste_collection", "confidence": 0.87},
            {"name": "water_sewage", "confidence": 0.08},
            {"name": "parking", "confidence": 0.02},
        ],
        "entities": [{"entity": "address", "value": "<ADDRESS_1>", "start": 41, "end": 52}],
        "fallback_threshold": 0.6,
    },
    "actions": [
        {"name": "action_answer_article", "policy": "policy_0_RulePolicy", "confidence": 1.0},
        {"name": "action_listen", "policy": "policy_0_RulePolicy", "confidence": 1.0},
    ],
    "answers": [
        {
            "text": "Soporna hämtas varannan vecka.",
            "source": {
                "article_id": "waste-collection-schedule",
                "version": 3,
                "content_hash": "ab12",
                "owner": "Miljö- och tekniska förvaltningen",
                "last_reviewed": "2026-09-01",
            },
            "response": None,
        }
    ],
    "topic": "waste_collection",
    "model": {
        "fingerprint": "f00d",
        "model_file": "models/x.tar.gz",
        "config_hash": "c1",
        "domain_hash": "d1",
        "code_version": "0.1.0",
    },
    "guardrails": {
        "redacted_types": ["PERSON", "LOCATION"],
        "output_guard_hits": [],
        "ai_disclosure_shown": True,
        "handoff_offered": False,
        "vault_uses": [],
    },
    "latency_ms": {"normalise": 0.1, "redact": 12.0, "rasa": 80.0, "tracker": 5.0, "total": 99.0},
    "legal_nature": "information",
    "retention_class": "conversation",
}


def make_record(**overrides: Any) -> dict[str, Any]:
    """Return a deep copy of the sample record with top-level overrides."""
    record = copy.deepcopy(SAMPLE_RECORD)
    record.update(overrides)
    return record


@pytest.fixture(name="make_record")
def make_record_fixture() -> Callable[..., dict[str, Any]]:
    """Factory for sample records (see :func:`make_record`)."""
    return make_record


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file in a folder that does not exist yet."""
    return f"sqlite:///{tmp_path / 'nested' / 'audit.db'}"


@pytest.fixture
def audit_settings(tmp_path: Path) -> AuditSettings:
    """Settings isolated from the environment, with the key files under tmp_path."""
    return AuditSettings(
        key_path=tmp_path / "keys" / "audit_ed25519.pem",
        content_key_path=tmp_path / "keys" / "audit_content.key",
        checkpoint_every=8,
        busy_timeout_s=10,
    )


@pytest.fixture
def log(db_url: str, audit_settings: AuditSettings) -> Iterator[AuditLog]:
    """An empty audit log on SQLite."""
    opened = open_audit_log(db_url, settings=audit_settings)
    yield opened
    opened.close()
