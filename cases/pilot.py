"""Supervised pilot mode's store: which topics are under approval, and the answers held for staff.

A municipality switches a topic to "staff approve before the citizen sees it". The gateway then holds
that topic's answers (:mod:`bot.services.pilot`): the draft waits here, staff approve it (or edit and
approve it) in the console, and the released answer is recorded in the audit trail with the approver's
name. The draft holds only the bot's approved texts and their sources, never what the citizen wrote.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from cases.errors import CaseStepNotAllowed
from cases.store import db_errors, stamp, write_transaction
from cases.tables import pilot_drafts, pilot_topics


@dataclass(frozen=True)
class Draft:
    """One held answer."""

    audit_id: str
    conversation: str
    topic: str | None
    language: str
    messages: list[dict[str, Any]]
    status: str  # pending | approved | edited
    created_at: str
    decided_at: str | None = None
    decided_by: str | None = None
    final: list[dict[str, Any]] | None = None
    release_audit_id: str | None = None

    @property
    def seconds_to_decision(self) -> float | None:
        """How long the citizen waited for staff (None while pending)."""
        if self.decided_at is None:
            return None
        start = datetime.fromisoformat(self.created_at.replace("Z", "+00:00"))
        end = datetime.fromisoformat(self.decided_at.replace("Z", "+00:00"))
        return (end - start).total_seconds()


class PilotDesk:
    """The pilot tables in the case database."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        """Use the case store's engine (its migrations made the tables)."""
        self.engine = engine
        self.clock = clock

    def _write(self, action: str) -> AbstractContextManager[Connection]:
        return write_transaction(self.engine, action)

    # --- topics ---------------------------------------------------------------------------------

    def topics(self) -> dict[str, dict[str, Any]]:
        """Every topic ever switched: enabled, by whom, when."""
        with db_errors("read pilot topics"), self.engine.connect() as conn:
            rows = conn.execute(select(pilot_topics)).mappings()
            return {str(r["topic"]): dict(r) for r in rows}

    def enabled_topics(self) -> frozenset[str]:
        """The topics whose answers wait for approval now."""
        return frozenset(t for t, row in self.topics().items() if row["enabled"])

    def set_topic(self, topic: str, enabled: bool, actor: str) -> None:
        """Switch a topic's answers to approval (or back to direct answers)."""
        values = {"enabled": enabled, "changed_by": actor, "changed_at": stamp(self.clock())}
        with self._write("switch pilot topic") as conn:
            found = conn.execute(select(pilot_topics.c.topic).where(pilot_topics.c.topic == topic)).first()
            if found is None:
                conn.execute(insert(pilot_topics).values(topic=topic, **values))
            else:
                conn.execute(update(pilot_topics).where(pilot_topics.c.topic == topic).values(**values))

    # --- drafts ---------------------------------------------------------------------------------

    def hold(
        self,
        audit_id: str,
        conversation: str,
        topic: str | None,
        language: str,
        messages: list[dict[str, Any]],
    ) -> None:
        """Keep a draft answer until staff decide."""
        with self._write("hold draft") as conn:
            conn.execute(
                insert(pilot_drafts).values(
                    audit_id=audit_id,
                    conversation=conversation,
                    topic=topic,
                    language=language,
                    draft_json=json.dumps(messages, ensure_ascii=False),
                    status="pending",
                    created_at=stamp(self.clock()),
                )
            )

    def get(self, audit_id: str) -> Draft | None:
        """The draft of a held turn (None when the turn was not held)."""
        with db_errors("read draft"), self.engine.connect() as conn:
            row = (
                conn.execute(select(pilot_drafts).where(pilot_drafts.c.audit_id == audit_id))
                .mappings()
                .first()
            )
        return _draft(row) if row is not None else None

    def drafts(self, status: str | None = "pending", limit: int = 200) -> list[Draft]:
        """Drafts by status (oldest first: the citizen who waited longest comes first)."""
        statement = select(pilot_drafts).order_by(pilot_drafts.c.id).limit(limit)
        if status is not None:
            statement = statement.where(pilot_drafts.c.status == status)
        with db_errors("read drafts"), self.engine.connect() as conn:
            return [_draft(row) for row in conn.execute(statement).mappings()]

    def decide(
        self,
        audit_id: str,
        actor: str,
        final: list[dict[str, Any]] | None,
        edited: bool,
        release_audit_id: str,
    ) -> Draft:
        """Record the approval; only a pending draft can be decided (twice is refused).

        ``final`` is None for an edited answer: its words are kept in the audit record only.
        """
        with self._write("decide draft") as conn:
            result = conn.execute(
                update(pilot_drafts)
                .where(pilot_drafts.c.audit_id == audit_id, pilot_drafts.c.status == "pending")
                .values(
                    status="edited" if edited else "approved",
                    decided_at=stamp(self.clock()),
                    decided_by=actor,
                    final_json=json.dumps(final, ensure_ascii=False) if final is not None else None,
                    release_audit_id=release_audit_id,
                )
            )
            if result.rowcount != 1:
                raise CaseStepNotAllowed("the draft is not waiting for approval")
        found = self.get(audit_id)
        assert found is not None
        return found


def _draft(row: Any) -> Draft:
    return Draft(
        audit_id=str(row["audit_id"]),
        conversation=str(row["conversation"]),
        topic=row["topic"],
        language=str(row["language"]),
        messages=json.loads(row["draft_json"]),
        status=str(row["status"]),
        created_at=str(row["created_at"]),
        decided_at=row["decided_at"],
        decided_by=row["decided_by"],
        final=json.loads(row["final_json"]) if row["final_json"] else None,
        release_audit_id=row["release_audit_id"],
    )
