"""Shared fixtures of the guardrails tests: one redactor per test session (building it is the slow part)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from guardrails.redactor import Redactor
from guardrails.settings import GuardrailSettings

# pytest runs with --import-mode=importlib: make the helper module next to this file importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
PERSONNUMMER_VECTORS = SHARED / "data" / "personnummer-testdata" / "personnummer_vectors.json"


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    """A redactor with default settings (PERSON recognizer included when it is installed)."""
    return Redactor.create(GuardrailSettings())


@pytest.fixture(scope="session")
def personnummer_vectors() -> dict:
    """The personnummer project's official test vectors from ../shared (skip when absent)."""
    if not PERSONNUMMER_VECTORS.exists():
        pytest.skip(f"{PERSONNUMMER_VECTORS} is absent (shared test data is only in CI and dev checkouts)")
    return json.loads(PERSONNUMMER_VECTORS.read_text(encoding="utf-8"))
