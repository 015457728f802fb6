"""The console's "verify now": runs the full log verification in a background thread, one at a time.

Jobs live in this process's memory (the last few are kept); the page polls the job until it is done.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from audit.errors import AuditError
from audit.verifier import VerifyReport

if TYPE_CHECKING:
    from audit.log import AuditLog

logger = logging.getLogger("kommunsvar.admin")
_KEEP = 20


@dataclass
class VerifyJob:
    """One verification run."""

    id: str
    started_by: str
    started_at: float
    to_check: int
    finished_at: float | None = None
    report: VerifyReport | None = None
    error: str | None = None

    @property
    def running(self) -> bool:
        """Still working."""
        return self.finished_at is None

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the start (until the end when finished)."""
        return (self.finished_at or now or time.time()) - self.started_at


class VerifyJobs:
    """Starts and remembers verification runs of one log."""

    def __init__(self, log: AuditLog) -> None:
        """Bind to the log to verify."""
        self.log = log
        self._lock = threading.Lock()
        self._jobs: dict[str, VerifyJob] = {}

    def start(self, actor: str) -> VerifyJob:
        """Start a run, or return the one already running."""
        with self._lock:
            running = next((job for job in self._jobs.values() if job.running), None)
            if running is not None:
                return running
            try:
                size = self.log.size()
            except AuditError:
                size = 0
            job = VerifyJob(id=secrets.token_hex(8), started_by=actor, started_at=time.time(), to_check=size)
            self._jobs[job.id] = job
            for old in list(self._jobs)[:-_KEEP]:
                del self._jobs[old]
        threading.Thread(target=self._run, args=(job,), name=f"verify-{job.id}", daemon=True).start()
        return job

    def _run(self, job: VerifyJob) -> None:
        try:
            job.report = self.log.verify()
        except AuditError as exc:
            job.error = type(exc).__name__
        except Exception as exc:  # noqa: BLE001 - the page must show that the run failed
            logger.error("verify_job_failed", extra={"error": type(exc).__name__})
            job.error = type(exc).__name__
        job.finished_at = time.time()
        ok = job.report is not None and job.report.ok
        logger.info(
            "verify_job_done", extra={"job": job.id, "ok": ok, "checked": getattr(job.report, "checked", 0)}
        )

    def get(self, job_id: str) -> VerifyJob | None:
        """A job by id."""
        return self._jobs.get(job_id)

    def latest(self) -> VerifyJob | None:
        """The most recent job."""
        return next(reversed(self._jobs.values()), None)
