"""Fixtures for gateway tests: the real redactor and audit log, Rasa faked with httpx.MockTransport."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from bot.main import create_app
from bot.rasa_client import RasaClient
from bot.services.chat import ChatService
from bot.services.model_info import ModelInfo
from bot.services.store_health import StoreHealth
from bot.settings import PROJECT_ROOT, Settings
from content.knowledge import KnowledgeBase
from content.policy import AnswerPolicy
from content.safety import SafetyClassifier, SafetyRules
from guardrails.ner.lexicon import NameLexicon
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR as NER_MODEL_DIR

DATA_DIR = PROJECT_ROOT / "data"
RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"


@pytest.fixture(scope="session")
def in_rasa_venv() -> Callable[..., dict[str, Any]]:
    """Runs a script with Rasa's Python (the project on its path); returns the JSON of its last line."""

    def run(script: str, *args: str) -> dict[str, Any]:
        if not RASA_PYTHON.exists():
            pytest.fail("Rasa is not installed in .venv-rasa: run `make setup`")
        result = subprocess.run(
            [str(RASA_PYTHON), "-c", script, *args],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return dict(json.loads(result.stdout.strip().splitlines()[-1]))

    return run


@pytest.fixture(scope="session")
def redactor() -> Any:
    """The real redactor (built once; it loads Presidio and the recognizers)."""
    from guardrails.redactor import Redactor

    return Redactor.create()


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    """The approved content from data/."""
    return KnowledgeBase.load(DATA_DIR)


class FakeRasa:
    """Answers like our Rasa channel (bot/rasa_channel.py): messages and the turn's events; records input."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge
        self.received: list[dict[str, Any]] = []
        self.events: dict[str, list[dict[str, Any]]] = {}
        self.down = False
        self.reply_text: str | None = None
        self.reply_metadata: dict[str, Any] | None = None  # replaces the article's source metadata
        self.intent = "waste_collection"
        # A list: /model/parse answers, and its requests land here (None: 404, as an older Rasa).
        self.parses: list[httpx.Request] | None = None

    def handler(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        path = request.url.path
        if path == "/model/parse" and self.parses is not None:
            self.parses.append(request)
            text = json.loads(request.content)["text"]
            intent = {"name": "parsed_" + self.intent, "confidence": 0.91}
            return httpx.Response(200, json={"text": text, "intent": intent, "entities": []})
        if path == "/webhooks/kommunsvar/webhook":
            body = json.loads(request.content)
            self.received.append(body)
            article = self.knowledge.articles_for_intent(self.intent)[0]
            text = self.reply_text or article.text(body["metadata"]["language"])
            events = self.events.setdefault(body["sender"], [])
            start = len(events)
            events.append(
                {
                    "event": "user",
                    "text": body["message"],
                    # As Rasa's processor: the parse handed in with the message, else its own.
                    "parse_data": body.get("parse_data")
                    or {
                        "intent": {"name": self.intent, "confidence": 0.93},
                        "intent_ranking": [
                            {"name": self.intent, "confidence": 0.93},
                            {"name": "parking", "confidence": 0.04},
                            {"name": "library", "confidence": 0.01},
                            {"name": "school", "confidence": 0.01},
                        ],
                        "entities": [],
                    },
                }
            )
            events.append(
                {"event": "action", "name": "action_answer", "policy": "RulePolicy", "confidence": 1.0}
            )
            events.append(
                {
                    "event": "bot",
                    "text": text,
                    "data": {"buttons": None},
                    "metadata": self.reply_metadata
                    or {"source": article.source_info(body["metadata"]["language"])},
                }
            )
            events.append(
                {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0}
            )
            number = sum(1 for e in events if e["event"] == "user")
            return httpx.Response(
                200,
                json={
                    "messages": [{"recipient_id": body["sender"], "text": text}],
                    "turn": {"number": number, "events": events[start:]},
                },
            )
        if path == "/status":
            return httpx.Response(200, json={"model_file": "models/kommunsvar.tar.gz", "model_id": "m1"})
        if path == "/health":
            return httpx.Response(200, json={"status": "ok"})
        return httpx.Response(404)


@pytest.fixture()
def fake_rasa(knowledge: KnowledgeBase) -> FakeRasa:
    """A fresh fake Rasa per test."""
    return FakeRasa(knowledge)


@pytest.fixture()
def make_client(
    tmp_path: Path, redactor: Any, knowledge: KnowledgeBase, fake_rasa: FakeRasa
) -> Iterator[Callable[..., tuple[TestClient, Any]]]:
    """Build a gateway app whose services are set directly (no lifespan), with a real SQLite audit log."""
    from audit.log import open_audit_log

    opened: list[Any] = []

    def _make(audit_log: Any = None, site: Any = None, redis: tuple[str, ...] = ()) -> tuple[TestClient, Any]:
        settings = Settings(var_dir=tmp_path, rasa_token="test-token")
        app = create_app(settings)
        log = audit_log or open_audit_log(f"sqlite:///{tmp_path / 'audit.db'}")
        opened.append(log)
        rasa = RasaClient(
            httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa.handler)),
            "http://rasa.test",
            "http://actions.test",
            "test-token",
        )
        app.state.rasa = rasa
        # A test double of the audit log has no engine: the store check then looks at a real SQLite file.
        engine = getattr(log, "engine", None) or create_engine(f"sqlite:///{tmp_path / 'health.db'}")
        app.state.store_health = StoreHealth(engine, redis, timeout_s=1.0)
        app.state.chat_service = ChatService(
            redactor=redactor,
            audit_log=log,
            rasa=rasa,
            knowledge=knowledge,
            policy=AnswerPolicy.load(DATA_DIR),
            safety=SafetyClassifier(SafetyRules.load(DATA_DIR)),
            model_info=ModelInfo(PROJECT_ROOT, "test"),
            pseudonym_key=b"k" * 32,
            max_chars=2000,
            site=site,
            is_clear_name=NameLexicon.load(NER_MODEL_DIR).is_clear_name,  # as bot/main.py builds it
        )
        return TestClient(app, raise_server_exceptions=False), log

    yield _make
    for log in opened:
        close = getattr(log, "close", None)
        if callable(close):
            close()
