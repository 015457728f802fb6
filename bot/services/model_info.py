"""Identifies the Rasa model and the configuration that produced an answer (for the audit record)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from bot.errors import UpstreamUnavailable
from bot.rasa_client import RasaClient


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class ModelInfo:
    """Caches Rasa's loaded model fingerprint and the hashes of config and domain."""

    def __init__(self, project_root: Path, code_version: str, ttl_seconds: float = 30.0) -> None:
        self._root = project_root
        self._ttl = ttl_seconds
        self._fetched_at = 0.0
        self._fingerprints: dict[str, str] = {}
        self._current: dict[str, Any] = {}
        self._static = {
            "config_hash": self._hash_or_none(project_root / "config.yml"),
            "domain_hash": self._hash_or_none(project_root / "bot" / "domain.yml"),
            "code_version": code_version,
        }

    @staticmethod
    def _hash_or_none(path: Path) -> str | None:
        return file_sha256(path) if path.exists() else None

    def _fingerprint(self, model_file: str) -> str:
        if model_file not in self._fingerprints:
            path = Path(model_file)
            path = path if path.is_absolute() else self._root / path
            self._fingerprints[model_file] = file_sha256(path) if path.exists() else ""
        return self._fingerprints[model_file]

    async def current(self, rasa: RasaClient) -> dict[str, Any]:
        """Model file, id and fingerprint of the model Rasa serves now, plus config/domain/code hashes."""
        if not self._current or time.monotonic() - self._fetched_at > self._ttl:
            try:
                status = await rasa.status()
            except UpstreamUnavailable:
                status = {}
            model_file = str(status.get("model_file") or "")
            self._current = {
                "model_file": Path(model_file).name if model_file else None,
                "model_id": status.get("model_id"),
                "fingerprint": self._fingerprint(model_file) if model_file else None,
            }
            self._fetched_at = time.monotonic()
        return {**self._current, **self._static}
