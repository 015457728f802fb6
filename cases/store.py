"""The case store: create cases, move them through their statuses, and keep every step as an event.

Usage::

    store = CaseStore.open("sqlite:///var/cases.db", key_path=Path("var/keys/case_contact.key"))
    case, created = store.create(NewCase(...))
    store.acknowledge(case.case_id, actor="handlaggare1")

Statuses: ``new`` → ``acknowledged`` → ``replied`` → ``resolved`` (a reply to a new case acknowledges it
too; reassigning keeps the status). Each change is one transaction with its event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from audit.db import create_audit_engine
from audit.errors import AuditError
from audit.keys import KeyPolicy
from cases.crypto import FieldCipher
from cases.errors import CaseNotFound, CaseStoreUnavailable, InvalidTransition
from cases.ids import format_case_id, parse_case_id
from cases.migrate import upgrade_schema
from cases.models import (
    OUTCOMES,
    Case,
    CaseEvent,
    CaseFilter,
    Contact,
    NewCase,
    OutboxItem,
    Reply,
)
from cases.settings import CasesSettings
from cases.tables import case_events, case_links, case_outbox, case_replies, cases

_OPEN = ("new", "acknowledged", "replied")
_MAX_LINKS = 50


def utc_now() -> str:
    """Current UTC time in the stores' sortable format."""
    return stamp(datetime.now(UTC))


def stamp(moment: datetime) -> str:
    """A timestamp in the stores' format (UTC, microseconds, ``Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def idempotency_hash(key: str) -> str:
    """What is stored of a client's idempotency key."""
    return hashlib.sha256(b"kommunsvar-case-idempotency\0" + key.encode()).hexdigest()


@contextmanager
def db_errors(action: str) -> Iterator[None]:
    """Turn a database error while doing ``action`` into :class:`CaseStoreUnavailable`."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise CaseStoreUnavailable(f"case store failed to {action}: {type(exc).__name__}") from exc


@contextmanager
def write_transaction(engine: Engine, action: str) -> Iterator[Connection]:
    """A write transaction on the case database; SQLite takes its write lock up front."""
    options = {"audit_writer": True}
    with db_errors(action), engine.connect().execution_options(**options) as conn, conn.begin():
        yield conn


class CaseStore:
    """Cases in one database (SQLite file by default, PostgreSQL when scaled)."""

    def __init__(
        self, engine: Engine, cipher: FieldCipher, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        """Wrap an engine whose schema exists; use :meth:`open` normally."""
        self.engine = engine
        self.cipher = cipher
        self.clock = clock

    @classmethod
    def open(
        cls,
        database_url: str,
        *,
        key_path: Path,
        busy_timeout_s: float = 30.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        key_policy: KeyPolicy | None = None,
    ) -> CaseStore:
        """Open the store at ``database_url``, creating or upgrading its tables (Alembic) and the key.

        ``key_policy`` defaults to the case settings' (``KOMMUNSVAR_ENVIRONMENT``, ``KOMMUNSVAR_VAR_DIR``)
        with this database's folder added: in production the key may not lie beside the data.

        Raises:
            CaseStoreUnavailable: the database cannot be opened or its tables created or upgraded.
            ContactKeyError: the key file cannot be created or read.
        """
        try:
            engine = create_audit_engine(
                database_url, busy_timeout_s=busy_timeout_s, connect_timeout_s=5.0, sqlite_synchronous="FULL"
            )
        except AuditError as exc:
            raise CaseStoreUnavailable(str(exc)) from None
        try:
            upgrade_schema(engine)
            policy = key_policy or CasesSettings(database_url=database_url).key_policy()
            return cls(engine, FieldCipher.from_file(key_path, policy), clock)
        except BaseException:
            engine.dispose()
            raise

    @classmethod
    def from_settings(
        cls, settings: CasesSettings, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> CaseStore:
        """Open the store the settings name (database, key file and key rules)."""
        return cls.open(
            settings.resolved_database_url,
            key_path=settings.resolved_key_path,
            clock=clock,
            key_policy=settings.key_policy(),
        )

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()

    def transaction(self, action: str) -> AbstractContextManager[Connection]:
        """A write transaction; SQLite takes its write lock up front, so case numbers stay gapless."""
        return write_transaction(self.engine, action)

    # --- creating -------------------------------------------------------------------------------

    def create(self, new: NewCase, now: datetime | None = None) -> tuple[Case, bool]:
        """Store a new case; with a known idempotency key return the earlier case instead.

        Returns:
            (case, created): ``created`` is False when the idempotency key was seen before.
        """
        moment = now or self.clock()
        key_hash = idempotency_hash(new.idempotency_key) if new.idempotency_key else None
        for _attempt in range(5):
            if key_hash and (earlier := self._by_idempotency(key_hash)) is not None:
                return earlier, False
            try:
                return self._insert(new, moment, key_hash), True
            except CaseStoreUnavailable as exc:
                if not isinstance(exc.__cause__, IntegrityError):
                    raise
        raise CaseStoreUnavailable("could not allocate a case number")

    def _insert(self, new: NewCase, moment: datetime, key_hash: str | None) -> Case:
        year = moment.year
        with self.transaction("create a case") as conn:
            last = conn.execute(select(func.max(cases.c.number)).where(cases.c.year == year)).scalar()
            number = int(last or 0) + 1
            case_id = format_case_id(year, number)
            sealed = self.cipher.encrypt(new.contact.to_json(), f"{case_id}/contact") if new.contact else None
            created_at = stamp(moment)
            pk = conn.execute(
                cases.insert().values(
                    case_id=case_id,
                    year=year,
                    number=number,
                    kind=new.kind,
                    status="new",
                    channel=new.channel,
                    language=new.language,
                    conversation=new.conversation,
                    audit_id=new.audit_id,
                    topic=new.topic,
                    article_id=new.article_id,
                    article_version=new.article_version,
                    article_owner=new.article_owner,
                    message_redacted=new.message_redacted,
                    pii_counts=json.dumps(new.pii_counts, sort_keys=True),
                    contact_type=new.contact.type if new.contact else None,
                    contact_sealed=sealed,
                    contact_expires_at=new.contact_expires_at if new.contact else None,
                    idempotency_hash=key_hash,
                    created_at=created_at,
                    ack_deadline=new.ack_deadline.isoformat(),
                    reply_deadline=new.reply_deadline.isoformat(),
                )
            ).inserted_primary_key[0]  # type: ignore[index]
            links: list[tuple[str, str]] = []
            if new.audit_id:
                links.append((new.audit_id, "contested" if new.kind == "contest" else "conversation"))
            links += [(a, "conversation") for a in new.linked_audit_ids if a != new.audit_id]
            for audit_id, role in links[:_MAX_LINKS]:
                conn.execute(case_links.insert().values(case_pk=pk, audit_id=audit_id, role=role))
            detail = {
                "kind": new.kind,
                "channel": new.channel,
                "contact": new.contact.type if new.contact else None,
            }
            self.add_event(conn, pk, new.actor, "created", detail, created_at)
        return self.get(case_id)

    def _by_idempotency(self, key_hash: str) -> Case | None:
        with db_errors("read a case"), self.engine.connect() as conn:
            row = conn.execute(select(cases.c.case_id).where(cases.c.idempotency_hash == key_hash)).first()
        return self.get(row.case_id) if row else None

    # --- reading --------------------------------------------------------------------------------

    def primary_key(self, conn: Connection, case_id: str) -> int:
        """The row id of ``case_id`` (raises ``CaseNotFound``)."""
        parsed = parse_case_id(case_id)
        row = (
            parsed
            and conn.execute(select(cases.c.id).where(cases.c.case_id == case_id.strip().upper())).first()
        )
        if not row:
            raise CaseNotFound(f"no case {case_id!r}")
        return int(row.id)

    def get(self, case_id: str) -> Case:
        """The case with this number.

        Raises:
            CaseNotFound: no such case (or the text is not a case number).
        """
        with db_errors("read a case"), self.engine.connect() as conn:
            pk = self.primary_key(conn, case_id)
            row = conn.execute(select(cases).where(cases.c.id == pk)).one()
            links = tuple(
                r.audit_id
                for r in conn.execute(
                    select(case_links.c.audit_id)
                    .where(case_links.c.case_pk == pk)
                    .order_by(case_links.c.audit_id)
                )
            )
        return Case.from_row(row, links)

    def _where(self, flt: CaseFilter) -> Any:
        parts: list[Any] = []
        if flt.status == "open":
            parts.append(cases.c.status.in_(_OPEN))
        elif flt.status:
            parts.append(cases.c.status == flt.status)
        if flt.kind:
            parts.append(cases.c.kind == flt.kind)
        if flt.assignee is not None:
            parts.append(
                cases.c.assignee.is_(None) if flt.assignee == "" else cases.c.assignee == flt.assignee
            )
        if flt.topic:
            parts.append(cases.c.topic == flt.topic)
        if flt.overdue_on is not None:
            today = flt.overdue_on.isoformat()
            parts.append(
                or_(
                    and_(
                        cases.c.acknowledged_at.is_(None),
                        cases.c.status != "resolved",
                        cases.c.ack_deadline < today,
                    ),
                    and_(cases.c.status.in_(("new", "acknowledged")), cases.c.reply_deadline < today),
                )
            )
        return and_(*parts) if parts else None

    def find(self, flt: CaseFilter | None = None, *, limit: int = 50, offset: int = 0) -> list[Case]:
        """One page of cases, the most urgent (earliest answer day) first."""
        statement = select(cases).order_by(cases.c.status == "resolved", cases.c.reply_deadline, cases.c.id)
        where = self._where(flt or CaseFilter())
        if where is not None:
            statement = statement.where(where)
        with db_errors("list cases"), self.engine.connect() as conn:
            rows = conn.execute(statement.limit(limit).offset(offset)).all()
        return [Case.from_row(row) for row in rows]

    def count(self, flt: CaseFilter | None = None) -> int:
        """Number of cases matching ``flt``."""
        statement = select(func.count()).select_from(cases)
        where = self._where(flt or CaseFilter())
        if where is not None:
            statement = statement.where(where)
        with db_errors("count cases"), self.engine.connect() as conn:
            return int(conn.execute(statement).scalar_one())

    def events(self, case_id: str) -> list[CaseEvent]:
        """The case's history, oldest first."""
        with db_errors("read case events"), self.engine.connect() as conn:
            pk = self.primary_key(conn, case_id)
            rows = conn.execute(
                select(case_events).where(case_events.c.case_pk == pk).order_by(case_events.c.id)
            )
            return [CaseEvent(r.at, r.actor, r.action, json.loads(r.detail or "{}")) for r in rows]

    def replies(self, case_id: str) -> list[Reply]:
        """Replies written by staff, oldest first (decrypted)."""
        with db_errors("read replies"), self.engine.connect() as conn:
            pk = self.primary_key(conn, case_id)
            rows = conn.execute(
                select(case_replies).where(case_replies.c.case_pk == pk).order_by(case_replies.c.id)
            )
            return [
                Reply(r.id, r.at, r.actor, self._open(r.body_sealed, f"{case_id}/reply/{r.id}"))
                for r in rows.all()
            ]

    def contact(self, case_id: str, actor: str, purpose: str) -> Contact | None:
        """Decrypt the citizen's contact for ``purpose``; the use is recorded as an event."""
        with self.transaction("read a contact") as conn:
            pk = self.primary_key(conn, case_id)
            sealed = conn.execute(select(cases.c.contact_sealed).where(cases.c.id == pk)).scalar()
            if sealed is None:
                return None
            self.add_event(conn, pk, actor, "contact_used", {"purpose": purpose}, stamp(self.clock()))
        return Contact.from_json(self.cipher.decrypt(bytes(sealed), f"{case_id.strip().upper()}/contact"))

    def _open(self, sealed: Any, context: str) -> str | None:
        return None if sealed is None else self.cipher.decrypt(bytes(sealed), context)

    # --- transitions ----------------------------------------------------------------------------

    def _transition(
        self,
        case_id: str,
        actor: str,
        action: str,
        allowed: tuple[str, ...],
        values: dict[str, Any],
        detail: dict[str, Any],
    ) -> Case:
        now = stamp(self.clock())
        with self.transaction(action) as conn:
            pk = self.primary_key(conn, case_id)
            status = conn.execute(select(cases.c.status).where(cases.c.id == pk)).scalar_one()
            if status not in allowed:
                raise InvalidTransition(action, status)
            row_values = {k: (now if v is _NOW else v) for k, v in values.items()}
            if row_values:
                conn.execute(update(cases).where(cases.c.id == pk).values(**row_values))
            self.add_event(conn, pk, actor, action, detail, now)
        return self.get(case_id)

    def acknowledge(self, case_id: str, actor: str) -> Case:
        """Confirm to the queue that someone has the case (only from ``new``)."""
        return self._transition(
            case_id, actor, "acknowledged", ("new",), {"status": "acknowledged", "acknowledged_at": _NOW}, {}
        )

    def reassign(self, case_id: str, actor: str, assignee: str | None) -> Case:
        """Give the case to ``assignee`` (None = nobody); not on resolved cases."""
        detail = {"assignee": assignee}
        return self._transition(case_id, actor, "reassigned", _OPEN, {"assignee": assignee}, detail)

    def resolve(self, case_id: str, actor: str, outcome: str) -> Case:
        """Close the case with an outcome; ``answer_wrong`` puts the answer's article up for review."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        values = {"status": "resolved", "outcome": outcome, "resolved_at": _NOW}
        return self._transition(case_id, actor, "resolved", _OPEN, values, {"outcome": outcome})

    def add_reply(
        self,
        case_id: str,
        actor: str,
        body: str,
        *,
        outbox: tuple[str, str, str, str] | None = None,
    ) -> tuple[Reply, OutboxItem | None]:
        """Store a staff reply (acknowledging a new case too) and, optionally, an outbox message.

        Args:
            case_id: the case number.
            actor: the staff member who replies.
            body: the reply (redacted before it gets here).
            outbox: (channel, recipient, subject, status) of the message to the citizen.
        """
        now = stamp(self.clock())
        canonical = case_id.strip().upper()
        with self.transaction("reply") as conn:
            pk = self.primary_key(conn, canonical)
            row = conn.execute(select(cases.c.status, cases.c.acknowledged_at).where(cases.c.id == pk)).one()
            if row.status not in _OPEN:
                raise InvalidTransition("reply", row.status)
            if row.acknowledged_at is None:
                conn.execute(update(cases).where(cases.c.id == pk).values(acknowledged_at=now))
                self.add_event(conn, pk, actor, "acknowledged", {"by_reply": True}, now)
            conn.execute(update(cases).where(cases.c.id == pk).values(status="replied", replied_at=now))
            reply_id = conn.execute(
                case_replies.insert().values(case_pk=pk, at=now, actor=actor)
            ).inserted_primary_key[0]  # type: ignore[index]
            sealed = self.cipher.encrypt(body, f"{canonical}/reply/{reply_id}")
            conn.execute(update(case_replies).where(case_replies.c.id == reply_id).values(body_sealed=sealed))
            item_id = None
            if outbox is not None:
                channel, recipient, subject, status = outbox
                item_id = conn.execute(
                    case_outbox.insert().values(
                        case_pk=pk,
                        reply_id=reply_id,
                        created_at=now,
                        channel=channel,
                        status=status,
                        subject=subject,
                        sent_at=now if status == "sent" else None,
                    )
                ).inserted_primary_key[0]  # type: ignore[index]
                conn.execute(
                    update(case_outbox)
                    .where(case_outbox.c.id == item_id)
                    .values(
                        recipient_sealed=self.cipher.encrypt(recipient, f"outbox/{item_id}/recipient"),
                        body_sealed=self.cipher.encrypt(body, f"outbox/{item_id}/body"),
                    )
                )
            detail = {"reply_id": reply_id, "outbox": outbox[0] if outbox else None}
            self.add_event(conn, pk, actor, "replied", detail, now)
        reply = Reply(int(reply_id), now, actor, body)
        return reply, (self.outbox_item(int(item_id)) if item_id is not None else None)

    def record_event(self, case_id: str, actor: str, action: str, detail: dict[str, Any]) -> None:
        """Add an event that changes nothing else (e.g. a vault use or a sent e-mail)."""
        with self.transaction("record an event") as conn:
            self.add_event(conn, self.primary_key(conn, case_id), actor, action, detail, stamp(self.clock()))

    @staticmethod
    def add_event(
        conn: Connection, pk: int, actor: str, action: str, detail: dict[str, Any], at: str
    ) -> None:
        """Insert one event row inside the caller's transaction."""
        conn.execute(
            case_events.insert().values(
                case_pk=pk, at=at, actor=actor[:128], action=action, detail=json.dumps(detail, sort_keys=True)
            )
        )

    # --- outbox ---------------------------------------------------------------------------------

    def outbox_item(self, item_id: int) -> OutboxItem:
        """One outbox message, decrypted.

        Raises:
            CaseNotFound: no such message.
        """
        found = self.outbox(item_id=item_id)
        if not found:
            raise CaseNotFound(f"no outbox message {item_id}")
        return found[0]

    def outbox(
        self,
        *,
        status: str | None = None,
        item_id: int | None = None,
        case_id: str | None = None,
        limit: int = 100,
        actor: str | None = None,
    ) -> list[OutboxItem]:
        """Outbox messages (all, or of one status, item or case), newest first.

        With ``actor`` (a person will see them), each case whose recipient is decrypted gets a
        ``contact_used`` event, as the contact button records: every reveal is logged, before it is shown.
        """
        statement = (
            select(case_outbox, cases.c.case_id)
            .join(cases, cases.c.id == case_outbox.c.case_pk)
            .order_by(case_outbox.c.id.desc())
            .limit(limit)
        )
        if status:
            statement = statement.where(case_outbox.c.status == status)
        if item_id is not None:
            statement = statement.where(case_outbox.c.id == item_id)
        if case_id is not None:
            statement = statement.where(cases.c.case_id == case_id.strip().upper())
        with db_errors("read the outbox"), self.engine.connect() as conn:
            rows = conn.execute(statement).all()
        revealed = sorted({r.case_pk for r in rows if r.recipient_sealed is not None})
        if actor is not None and revealed:
            with self.transaction("record the contacts shown") as conn:
                for pk in revealed:
                    self.add_event(
                        conn, pk, actor, "contact_used", {"purpose": "outbox"}, stamp(self.clock())
                    )
        return [
            OutboxItem(
                id=r.id,
                case_id=r.case_id,
                created_at=r.created_at,
                channel=r.channel,
                status=r.status,
                recipient=self._open(r.recipient_sealed, f"outbox/{r.id}/recipient"),
                subject=r.subject,
                body=self._open(r.body_sealed, f"outbox/{r.id}/body"),
                sent_at=r.sent_at,
                error=r.error,
            )
            for r in rows
        ]

    def mark_outbox(self, item_id: int, status: str, actor: str, error: str | None = None) -> None:
        """Record that an outbox message was sent (or failed, naming the error type)."""
        now = stamp(self.clock())
        with self.transaction("update the outbox") as conn:
            row = conn.execute(select(case_outbox.c.case_pk).where(case_outbox.c.id == item_id)).first()
            if row is None:
                raise CaseNotFound(f"no outbox message {item_id}")
            conn.execute(
                update(case_outbox)
                .where(case_outbox.c.id == item_id)
                .values(status=status, error=error, sent_at=now if status == "sent" else None)
            )
            self.add_event(
                conn, row.case_pk, actor, f"outbox_{status}", {"outbox_id": item_id, "error": error}, now
            )


class _Now:
    """Marker: "the transaction's timestamp" in transition values."""


_NOW = _Now()
