"""Structured (JSON lines) logging for the gateway and the action server, redacted before output."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event and the record's extra fields."""

    def __init__(self, process_name: str) -> None:
        super().__init__()
        self._process = process_name

    def format(self, record: logging.LogRecord) -> str:
        """Render ``record`` as JSON."""
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
            "level": record.levelname,
            "process": self._process,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(process_name: str, log_dir: Path, redacting_filter: logging.Filter | None) -> None:
    """Send every log record, redacted, to ``log_dir/<process>.log`` and to stderr as JSON lines."""
    log_dir.mkdir(parents=True, exist_ok=True)
    formatter = JsonFormatter(process_name)
    handlers: list[logging.Handler] = [
        logging.FileHandler(log_dir / f"{process_name}.log", encoding="utf-8"),
        logging.StreamHandler(sys.stderr),
    ]
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        if redacting_filter is not None:
            handler.addFilter(redacting_filter)
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    for noisy in ("httpx", "httpcore", "urllib3", "presidio-analyzer", "sentence_transformers", "filelock"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # Frameworks that add their own handlers (uvicorn, sanic) must log through the root's filtered ones.
    for name in (
        "uvicorn",
        "uvicorn.error",
        "uvicorn.access",
        "sanic.root",
        "sanic.error",
        "sanic.access",
        "rasa_sdk",
    ):
        framework_logger = logging.getLogger(name)
        for handler in list(framework_logger.handlers):
            framework_logger.removeHandler(handler)
        framework_logger.propagate = True
