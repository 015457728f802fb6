"""Supervised pilot mode in the gateway: hold a pilot topic's answers until staff approve them.

- :class:`PilotGate` screens each turn. An answer on a topic under approval is held: the citizen sees the
  policy notice ``pilot_notice`` ("en handläggare tittar på svaret"), the turn's audit record keeps the
  draft under ``pilot``, and the draft waits in :class:`cases.pilot.PilotDesk`. Emergencies, the 112
  reminder and replies without an article or website answer (no answer, please rephrase, a choice) are
  never held: safety and honesty do not wait for staff.
- :func:`release` is the staff member's approval (as drafted, or edited): the answer is appended to the
  audit trail as a record of its own that names the approver and the time to approval, and the draft is
  marked decided. The citizen's chat fetches it (``POST /api/pilot/status``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from cases.pilot import Draft, PilotDesk
from content.policy import Notice

PILOT_NOTICE = "pilot_notice"
HELD_STATUS = "held"
_RECORD_KEYS = (
    "schema_version", "channel", "language", "conversation", "turn", "input_redacted", "pii", "nlu",
    "safety", "actions", "topic", "model", "legal_nature", "retention_class",
)  # fmt: skip


class PilotGate:
    """Decides per turn whether the answer waits for staff (the enabled topics are re-read every 5 s)."""

    def __init__(self, desk: PilotDesk, notices: dict[str, Notice], cache_seconds: float = 5.0) -> None:
        """``notices`` are the answer policy's (``pilot_notice`` must be among them)."""
        self.desk = desk
        self.notice = notices[PILOT_NOTICE]
        self._cache_seconds = cache_seconds
        self._topics: frozenset[str] = frozenset()
        self._read_at = float("-inf")

    def topics(self) -> frozenset[str]:
        """The topics under approval (cached for a few seconds: one read per turn would be wasteful)."""
        now = time.monotonic()
        if now - self._read_at >= self._cache_seconds:
            self._topics = self.desk.enabled_topics()
            self._read_at = now
        return self._topics

    def screen(
        self,
        topic: str,
        safety: dict[str, Any],
        messages: list[dict[str, Any]],
        answers: list[dict[str, Any]],
        language: str,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any] | None]:
        """(messages shown, answers recorded, the record's ``pilot`` part or None when not held)."""
        if topic not in self.topics() or safety.get("urgent") or safety.get("caution"):
            return messages, answers, None
        if not any(_is_content(a.get("source")) for a in answers):
            return messages, answers, None  # "no answer", "please rephrase", a choice: never held
        source = self.notice.source_info(language)
        person = {"title": "Talk to a person" if language == "en" else "Prata med en människa",
                  "payload": "/human_handoff"}  # fmt: skip
        shown = [{"text": self.notice.for_language(language), "buttons": [person], "source": _public(source)}]
        recorded = [{"text": shown[0]["text"], "source": source, "response": None}]
        return shown, recorded, {"status": HELD_STATUS, "draft": messages}  # the person is offered at once

    def held(
        self, audit_id: str, conversation: str, topic: str, language: str, pilot: dict[str, Any]
    ) -> None:
        """Put the held draft in the staff queue."""
        self.desk.hold(audit_id, conversation, topic, language, list(pilot["draft"]))


def _is_content(source: Any) -> bool:
    return isinstance(source, dict) and bool(source.get("article_id") or source.get("passage_id"))


def _public(source: dict[str, Any]) -> dict[str, Any]:
    return {k: source[k] for k in ("policy", "version") if k in source}


def release(
    desk: PilotDesk,
    audit_log: Any,
    audit_id: str,
    approver: str,
    edited_text: str | None = None,
    clock: Callable[[], float] = time.time,
) -> Draft:
    """Approve a held answer (``edited_text``: a staff member's own words instead of the draft).

    Raises:
        cases.errors.CaseStepNotAllowed: there is no pending draft for ``audit_id``.
    """
    from cases.errors import CaseStepNotAllowed

    draft = desk.get(audit_id)
    if draft is None or draft.status != "pending":
        raise CaseStepNotAllowed("no answer waits for approval under this id")
    held = audit_log.get(audit_id)
    if held is None:
        raise CaseStepNotAllowed("the held turn's record is gone")
    edited = edited_text is not None and edited_text.strip() != ""
    if edited:
        words = edited_text.strip() if edited_text else ""
        digest = hashlib.sha256(words.encode("utf-8")).hexdigest()
        final = [{"text": words, "source": {"staff": approver, "content_hash": digest}}]
    else:
        final = draft.messages
    waited = max(0.0, clock() - _epoch(draft.created_at))
    record = {key: held[key] for key in _RECORD_KEYS if key in held}
    record["answers"] = [{"text": m["text"], "source": m.get("source"), "response": None} for m in final]
    record["guardrails"] = {**dict(held.get("guardrails") or {}), "vault_uses": []}
    record["latency_ms"] = {"approval": round(waited * 1000)}
    record["pilot"] = {
        "status": "edited" if edited else "approved",
        "approver": approver,
        "held_audit_id": audit_id,
        "seconds_to_approval": round(waited, 1),
    }
    entry = audit_log.append(record)
    # A staff member's own words may name the citizen: they live only in the audit record (encrypted per
    # conversation, shredded on deletion and retention), never in clear in the pilot table.
    return desk.decide(audit_id, approver, None if edited else final, edited, entry.audit_id)


def _epoch(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
