"""Citizen feedback on answers ("Hjälpte svaret? Ja / Nej") and on the whole conversation (1–5).

Feedback is stored against the audit id of the answer it concerns, with the answer's topic and source
copied from the audit record so that the KPIs can count per topic and article without reading the
records again. Nothing a citizen types is stored: ``helpful`` is a yes or no, ``reason`` one of
:data:`REASONS`, ``rating`` a whole number 1–5. The same proof of owning the conversation that a contest
needs (the ``contest_token`` the chat reply carried) is required, so nobody can vote on an answer they
did not get. A second vote on the same answer, or a second rating of the same conversation, replaces
the first (the citizen changed their mind), so one answer counts once.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from cases.ownership import owned_record
from cases.store import db_errors, stamp, write_transaction
from cases.tables import answer_feedback, conversation_rating

# Why an answer did not help; the chat shows them as choices (never free text).
REASONS: dict[str, dict[str, str]] = {
    "wrong": {"sv": "Svaret var fel", "en": "The answer was wrong"},
    "not_my_question": {"sv": "Det svarade inte på min fråga", "en": "It did not answer my question"},
    "unclear": {"sv": "Svaret var svårt att förstå", "en": "The answer was hard to understand"},
    "outdated": {"sv": "Informationen verkar gammal", "en": "The information seems out of date"},
    "other": {"sv": "Något annat", "en": "Something else"},
}


@dataclass(frozen=True)
class FeedbackReceipt:
    """What the citizen is told: the answer (or conversation) and whether an earlier vote was replaced."""

    audit_id: str
    kind: str  # answer | conversation
    replaced: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON form for ``POST /api/feedback``."""
        return {"audit_id": self.audit_id, "kind": self.kind, "replaced": self.replaced}


class FeedbackService:
    """Stores feedback in the case database (its own tables, same migrations)."""

    def __init__(
        self,
        engine: Engine,
        audit_record: Callable[[str], dict[str, Any]],
        contest_token: Callable[[str], str] | None,
        pseudonym: Callable[[str], str] | None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """``audit_record`` returns a stored record or raises ``AnswerNotFound``."""
        self.engine = engine
        self._audit_record = audit_record
        self._contest_token = contest_token
        self._pseudonym = pseudonym
        self._clock = clock

    def _owned_record(
        self, audit_id: str, contest_token: str | None, conversation_id: str | None
    ) -> tuple[str, dict[str, Any]]:
        """The record the citizen may give feedback on (:func:`cases.ownership.owned_record`)."""
        return owned_record(
            audit_id,
            contest_token,
            conversation_id,
            expected_token=self._contest_token,
            pseudonym=self._pseudonym,
            audit_record=self._audit_record,
        )

    def answer(
        self,
        audit_id: str,
        helpful: bool,
        reason: str | None = None,
        contest_token: str | None = None,
        conversation_id: str | None = None,
    ) -> FeedbackReceipt:
        """Store "Hjälpte svaret?" for one answer; ``reason`` only with a no (a yes needs none)."""
        if reason is not None and reason not in REASONS:
            raise ValueError(f"unknown reason {reason!r}")
        canonical, record = self._owned_record(audit_id, contest_token, conversation_id)
        source = next((a.get("source") for a in record.get("answers") or [] if a.get("source")), None) or {}
        values = {
            "helpful": helpful,
            "reason": None if helpful else reason,
            "updated_at": stamp(self._clock()),
        }
        with self._write("feedback") as conn:
            found = conn.execute(
                select(answer_feedback.c.id).where(answer_feedback.c.audit_id == canonical)
            ).first()
            if found is not None:
                conn.execute(update(answer_feedback).where(answer_feedback.c.id == found.id).values(**values))
            else:
                conn.execute(
                    insert(answer_feedback).values(
                        audit_id=canonical,
                        conversation=record.get("conversation"),
                        topic=record.get("topic"),
                        source_kind=_source_kind(source),
                        source_id=str(
                            source.get("article_id") or source.get("policy") or source.get("passage_id") or ""
                        )
                        or None,
                        created_at=values["updated_at"],
                        **values,
                    )
                )
        return FeedbackReceipt(canonical, "answer", found is not None)

    def conversation(
        self,
        audit_id: str,
        rating: int,
        contest_token: str | None = None,
        conversation_id: str | None = None,
    ) -> FeedbackReceipt:
        """Store "Hur nöjd är du?" (1–5) for the conversation that the answer ``audit_id`` belongs to."""
        if not 1 <= rating <= 5:
            raise ValueError("rating must be 1-5")
        canonical, record = self._owned_record(audit_id, contest_token, conversation_id)
        conversation = str(record.get("conversation") or "")
        moment = stamp(self._clock())
        with self._write("rating") as conn:
            found = conn.execute(
                select(conversation_rating.c.id).where(conversation_rating.c.conversation == conversation)
            ).first()
            values = {"rating": rating, "audit_id": canonical, "updated_at": moment}
            if found is not None:
                conn.execute(
                    update(conversation_rating).where(conversation_rating.c.id == found.id).values(**values)
                )
            else:
                conn.execute(
                    insert(conversation_rating).values(conversation=conversation, created_at=moment, **values)
                )
        return FeedbackReceipt(canonical, "conversation", found is not None)

    def answers(self) -> list[dict[str, Any]]:
        """Every answer vote (for the KPIs and tests), oldest first."""
        with db_errors("read feedback"), self.engine.connect() as conn:
            rows = conn.execute(select(answer_feedback).order_by(answer_feedback.c.id)).mappings()
            return [dict(row) for row in rows]

    def ratings(self) -> list[dict[str, Any]]:
        """Every conversation rating, oldest first."""
        with db_errors("read ratings"), self.engine.connect() as conn:
            rows = conn.execute(select(conversation_rating).order_by(conversation_rating.c.id)).mappings()
            return [dict(row) for row in rows]

    def _write(self, action: str) -> AbstractContextManager[Connection]:
        return write_transaction(self.engine, action)


def _source_kind(source: dict[str, Any]) -> str | None:
    if source.get("article_id"):
        return "article"
    if source.get("policy"):
        return "policy"
    if source.get("passage_id"):
        return "site"
    return None
