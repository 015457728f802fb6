"""Starts the real gateway, Rasa server and action server once per test session, on free loopback ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from audit.log import AuditLog, open_audit_log
from audit.settings import AuditSettings
from bot.runner import Stack, StackConfig, model_is_current, train_if_needed


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The three real processes with their own ``var`` folder; stopped at the end of the session."""
    root = Path(__file__).resolve().parents[2]
    if not (root / ".venv-rasa" / "bin" / "rasa").exists():
        pytest.fail("Rasa is not installed in .venv-rasa: run `make test`, which installs it")
    if not model_is_current(root):
        train_if_needed(root)
    var_dir = tmp_path_factory.mktemp("var")
    config = StackConfig.on_free_ports(
        var_dir,
        # The site test re-imports and expects the next turn to follow (the default checks every 20 s).
        # The suite sends hundreds of turns and contests from one address in minutes: those limits are
        # raised here; the login limit stays as shipped (test_stack.py meets it with the real gateway).
        extra_env={
            "KOMMUNSVAR_SITE_REFRESH_SECONDS": "0",
            "KOMMUNSVAR_RATE_LIMIT_CHAT_PER_ADDRESS": "1000000 per minute",
            "KOMMUNSVAR_RATE_LIMIT_CHAT_PER_CONVERSATION": "1000000 per minute",
            "KOMMUNSVAR_RATE_LIMIT_NEW_CONVERSATIONS_PER_ADDRESS": "1000000 per minute",
            "KOMMUNSVAR_RATE_LIMIT_CASES_PER_ADDRESS": "1000000 per minute",
            "KOMMUNSVAR_RATE_LIMIT_FEEDBACK_PER_ADDRESS": "1000000 per minute",
        },
    )
    running = Stack(config)
    running.start()
    try:
        running.wait_healthy(timeout=400, progress=False)
        yield running
    except (RuntimeError, TimeoutError) as exc:
        logs = "\n".join(
            f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:]
            for p in sorted((var_dir / "log").glob("*"))
        )
        pytest.fail(f"the stack did not start: {exc}\n{logs}")
    finally:
        running.stop()


@pytest.fixture(scope="session")
def gateway(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client for the running gateway."""
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as client:
        yield client


@pytest.fixture(scope="module")
def stack_audit(stack: Stack) -> Iterator[AuditLog]:
    """The running stack's audit log, opened from this process with the stack's key files."""
    var = stack.config.var_dir
    settings = AuditSettings(
        key_path=var / "keys" / "audit_ed25519.pem",
        content_key_path=var / "keys" / "audit_content.key",
        var_dir=var,
        tracker_url=f"sqlite:///{var / 'rasa-tracker.db'}",
    )
    log = open_audit_log(f"sqlite:///{var / 'audit.db'}", settings=settings)
    yield log
    log.close()
