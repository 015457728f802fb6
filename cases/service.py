"""Case handling: citizens contest answers or ask for contact; staff acknowledge, reply and resolve.

Routes stay thin and call this service. Texts are redacted here before they reach the store; contact
details are validated (``cases.contact``) before they get here and encrypted by the store. Every step
names the person who took it.
"""

from __future__ import annotations

import logging
import re
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from audit.errors import AuditError
from cases import retention, review
from cases.deadlines import case_deadlines, local_day
from cases.errors import (
    AnswerNotFound,
    CaseMessageEmpty,
    CaseMessageTooLong,
    CaseNotFound,
    CaseStepNotAllowed,
    CaseStoreDown,
    CaseStoreError,
    CaseStoreUnavailable,
    CaseUnknown,
    IdempotencyConflict,
    InvalidIdempotencyKey,
    InvalidTransition,
)
from cases.feedback import FeedbackService
from cases.mailer import Mailer
from cases.models import OUTCOMES, Case, CaseFilter, Contact, NewCase, OutboxItem
from cases.ownership import owned_record
from cases.settings import CasesSettings
from cases.store import CaseStore, stamp
from content.calendar import OpeningHours
from content.knowledge import KnowledgeBase

logger = logging.getLogger("kommunsvar.cases")

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")
ASSIGNEE = re.compile(r"^[\w.@-]{1,64}$")
MAX_REPLY_CHARS = 10_000
# Topics of cases made in the chat, by kind.
FORM_TOPICS = {"complaint": "complaint", "callback": "contact_opening_hours"}
# Accessibility reports (DOS-lagen): the part of the service a report concerns is short, and staff read
# it after this label in the case text.
A11Y_WHERE_MAX_CHARS = 300
A11Y_WHERE_LABEL = "Var i tjänsten:"
# Outcomes that judge an answer: they make no sense for a case not about an answer, and would count in
# the answer error rate.
ANSWER_OUTCOMES = ("answer_correct", "answer_wrong")


WEB_EDITORS = "Webbredaktionen"  # owner of answers taken from the municipality's imported website


@dataclass(frozen=True)
class Receipt:
    """What the citizen is told about a new (or repeated) case."""

    case: Case
    created: bool
    contact_kept_until: date | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON body of ``POST /api/cases``."""
        c = self.case
        return {
            "case_id": c.case_id,
            "kind": c.kind,
            "status": c.status,
            "created_at": c.created_at,
            "ack_deadline": c.ack_deadline.isoformat(),
            "reply_deadline": c.reply_deadline.isoformat(),
            "contact": c.contact_type,
            "contact_kept_until": self.contact_kept_until.isoformat() if self.contact_kept_until else None,
            "replayed": not self.created,
        }


class Redaction(Protocol):
    """What a redactor returns: the text with placeholders, and the count per entity type."""

    @property
    def text(self) -> str:
        """The redacted text."""

    def counts(self) -> dict[str, int]:
        """How many values of each type were replaced (never the values)."""


class CaseRedactor(Protocol):
    """The gateway's redactor (``guardrails.redactor.Redactor``), as the workflow uses it."""

    def redact(self, text: str, conversation_id: str | None = None) -> Redaction:
        """Replace personal data in ``text`` by placeholders (kept in the conversation's vault)."""


class CaseService:
    """Creates and moves cases; one instance per gateway, built in the app's lifespan.

    ``normalise`` cleans citizen and staff text before anything else (the gateway passes
    ``guardrails.normalise.normalise_input``, the same cleaning as chat messages get).
    """

    def __init__(
        self,
        *,
        store: CaseStore,
        audit_log: Any,
        redactor: CaseRedactor,
        normalise: Callable[[str], str],
        knowledge: KnowledgeBase,
        settings: CasesSettings,
        opening_hours: OpeningHours,
        mailer: Mailer,
        pseudonym: Callable[[str], str] | None = None,
        contest_token: Callable[[str], str] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        """Keep the parts; nothing is opened here."""
        self.store = store
        self.audit_log = audit_log
        self.redactor = redactor
        self._normalise = normalise
        self.knowledge = knowledge
        self.settings = settings
        self.opening_hours = opening_hours
        self.mailer = mailer
        self._pseudonym = pseudonym
        self._contest_token = contest_token
        self._clock = clock
        store.clock = clock  # one notion of "now" for deadlines, transitions and retention
        # "Hjälpte svaret?" and "Hur nöjd är du?": same database, same proof of owning the answer.
        self.feedback = FeedbackService(store.engine, self._audit_record, contest_token, pseudonym, clock)
        self._last_purge: datetime | None = None

    # --- helpers --------------------------------------------------------------------------------

    def local_today(self) -> date:
        """Today in the municipality's time zone."""
        return local_day(self._clock(), self.opening_hours.zone)

    def deadlines(self, moment: datetime) -> tuple[date, date]:
        """(acknowledge by, answer by): working days after the local day the case arrived."""
        s = self.settings
        return case_deadlines(
            moment,
            self.opening_hours.zone,
            ack_working_days=s.ack_working_days,
            reply_working_days=s.reply_working_days,
        )

    def _redact(
        self, message: str, conversation: str | None, limit: int | None = None
    ) -> tuple[str, dict[str, int]]:
        limit = limit or self.settings.message_max_chars
        if len(message) > limit:
            raise CaseMessageTooLong(limit)
        cleaned = self._normalise(message).strip()
        if not cleaned:
            raise CaseMessageEmpty("empty message")
        result = self.redactor.redact(cleaned, conversation_id=conversation)
        return result.text, result.counts()

    def _contact_expiry(self, moment: datetime) -> str:
        return stamp(moment + timedelta(days=self.settings.contact_retention_days))

    def _create(self, new: NewCase, moment: datetime) -> Receipt:
        try:
            case, created = self.store.create(new, now=moment)
        except CaseStoreError as exc:
            logger.error("case_store_failed", extra={"error": type(exc).__name__})
            raise CaseStoreDown("cases") from exc
        kept = None
        if case.contact_expires_at and case.has_contact:
            kept = datetime.fromisoformat(case.contact_expires_at.replace("Z", "+00:00")).date()
        if created:
            logger.info(
                "case_created",
                extra={"case_id": case.case_id, "kind": case.kind, "contact": case.contact_type},
            )
        return Receipt(case, created, kept)

    # --- citizens -------------------------------------------------------------------------------

    def contest(
        self,
        audit_id: str,
        message: str,
        contact: Contact | None,
        idempotency_key: str | None,
        conversation_id: str | None = None,
        contest_token: str | None = None,
    ) -> Receipt:
        """A citizen says an answer is wrong (``POST /api/cases``).

        With a token check configured (the gateway always configures it), the contest must carry the
        token the chat reply gave beside the answer; a missing or wrong token is answered exactly like
        an unknown Svar-ID, so the id alone neither lets anyone contest nor tells whether it exists.
        """
        canonical, record = owned_record(
            audit_id,
            contest_token,
            conversation_id,
            expected_token=self._contest_token,
            pseudonym=self._pseudonym,
            audit_record=self._audit_record,
        )
        if idempotency_key is not None and not IDEMPOTENCY_KEY.match(idempotency_key):
            raise InvalidIdempotencyKey("malformed idempotency key")
        conversation = record.get("conversation")
        text, counts = self._redact(message, conversation)
        moment = self._clock()
        ack, reply = self.deadlines(moment)
        source = next((a.get("source") for a in record.get("answers") or [] if a.get("source")), None) or {}
        version = source.get("version")
        new = NewCase(
            kind="contest",
            channel="web_contest",
            language=str(record.get("language") or "sv"),
            message_redacted=text,
            ack_deadline=ack,
            reply_deadline=reply,
            conversation=conversation,
            audit_id=canonical,
            topic=record.get("topic"),
            # A website answer is reviewed like an article: its passage id, owned by the web editors.
            article_id=source.get("article_id") or source.get("passage_id"),
            article_version=int(version)
            if isinstance(version, int | str) and str(version).isdigit()
            else None,
            article_owner=source.get("owner") or (WEB_EDITORS if source.get("passage_id") else None),
            pii_counts=counts,
            contact=contact,
            contact_expires_at=self._contact_expiry(moment) if contact else None,
            idempotency_key=idempotency_key,
        )
        receipt = self._create(new, moment)
        if not receipt.created and receipt.case.audit_id != canonical:
            raise IdempotencyConflict("idempotency key reused")
        if receipt.created:
            try:
                self.audit_log.mark_contested(canonical, case_ref=receipt.case.case_id)
            except AuditError as exc:  # the case exists; the console's flag can be set again later
                logger.warning("mark_contested_failed", extra={"error": type(exc).__name__})
        return receipt

    def _audit_record(self, audit_id: str) -> dict[str, Any]:
        try:
            record = self.audit_log.get(audit_id)
        except AuditError as exc:
            raise CaseStoreDown("audit") from exc
        if record is None or record.get("metadata_deleted"):
            raise AnswerNotFound("no such audit record")
        return dict(record)

    def from_chat(
        self,
        *,
        conversation: str,
        kind: str,
        message_redacted: str,
        contact: Contact | None,
        language: str,
        idempotency_key: str | None,
        vault_use: dict[str, str] | None = None,
    ) -> Receipt:
        """A complaint or call-back request made through the chat form (called by the action server)."""
        text, counts = self._redact(message_redacted, None)
        moment = self._clock()
        ack, reply = self.deadlines(moment)
        linked = self._conversation_audit_ids(conversation)
        new = NewCase(
            kind=kind,
            channel="chat_form",
            language=language if language in ("sv", "en") else "sv",
            message_redacted=text,
            ack_deadline=ack,
            reply_deadline=reply,
            conversation=conversation,
            audit_id=linked[0] if linked else None,
            linked_audit_ids=tuple(linked),
            topic=FORM_TOPICS.get(kind),
            pii_counts=counts,
            contact=contact,
            contact_expires_at=self._contact_expiry(moment) if contact else None,
            idempotency_key=idempotency_key,
            actor="citizen (chat)",
        )
        receipt = self._create(new, moment)
        if receipt.created and vault_use:
            self.store.record_event(receipt.case.case_id, "action_server", "vault_use", vault_use)
            target = f"{receipt.case.case_id} {vault_use.get('purpose')} {vault_use.get('type')}"
            try:
                self.audit_log.log_access("action_server", "vault_reveal", target)
            except AuditError as exc:
                logger.warning("vault_use_not_logged", extra={"error": type(exc).__name__})
        return receipt

    def accessibility_report(
        self,
        message: str,
        where: str | None,
        contact: Contact | None,
        language: str,
        idempotency_key: str | None = None,
    ) -> Receipt:
        """A citizen reports an accessibility problem with the service (``POST /tillganglighet``).

        Not tied to an answer or a conversation. The message and the part of the service it concerns go
        through the redactor together (nothing raw is stored); ``contact`` is validated by the caller
        (``cases.contact``) and stored encrypted, as for a contest.
        """
        if idempotency_key is not None and not IDEMPOTENCY_KEY.match(idempotency_key):
            raise InvalidIdempotencyKey("malformed idempotency key")
        limit = self.settings.message_max_chars
        if len(message) > limit:
            raise CaseMessageTooLong(limit)
        if len(where or "") > A11Y_WHERE_MAX_CHARS:
            raise CaseMessageTooLong(A11Y_WHERE_MAX_CHARS)
        if not self._normalise(message).strip():
            raise CaseMessageEmpty("empty message")
        place = self._normalise(where or "").strip()
        full = f"{message.strip()}\n\n{A11Y_WHERE_LABEL} {place}" if place else message
        text, counts = self._redact(full, None, limit=len(full))
        moment = self._clock()
        ack, reply = self.deadlines(moment)
        new = NewCase(
            kind="accessibility",
            channel="web_a11y",
            language=language if language in ("sv", "en") else "sv",
            message_redacted=text,
            ack_deadline=ack,
            reply_deadline=reply,
            topic="accessibility",
            pii_counts=counts,
            contact=contact,
            contact_expires_at=self._contact_expiry(moment) if contact else None,
            idempotency_key=idempotency_key,
            actor="citizen (web)",
        )
        return self._create(new, moment)

    def _conversation_audit_ids(self, conversation: str, limit: int = 20) -> list[str]:
        """The conversation's latest audit ids, newest first (the turns the case is about)."""
        from audit.query import AuditQuery

        try:
            rows = self.audit_log.search(AuditQuery(conversation=conversation), limit=limit)
        except AuditError:
            return []
        return [row.audit_id for row in rows]

    # --- staff ----------------------------------------------------------------------------------

    def get(self, case_id: str) -> Case:
        """The case, or 404."""
        try:
            return self.store.get(case_id)
        except CaseNotFound as exc:
            raise CaseUnknown(case_id) from exc
        except CaseStoreUnavailable as exc:
            raise CaseStoreDown("cases") from exc

    def _step(self, call: Callable[[], Case]) -> Case:
        try:
            return call()
        except CaseNotFound as exc:
            raise CaseUnknown("no such case") from exc
        except InvalidTransition as exc:
            raise CaseStepNotAllowed(str(exc)) from exc
        except CaseStoreUnavailable as exc:
            raise CaseStoreDown("cases") from exc

    def acknowledge(self, case_id: str, actor: str) -> Case:
        """Staff confirm they have the case."""
        return self._step(lambda: self.store.acknowledge(case_id, actor))

    def reassign(self, case_id: str, actor: str, assignee: str | None) -> Case:
        """Give the case to another staff member (or to nobody)."""
        name = (assignee or "").strip() or None
        if name is not None and not ASSIGNEE.match(name):
            raise CaseStepNotAllowed("bad assignee")
        return self._step(lambda: self.store.reassign(case_id, actor, name))

    def resolve(self, case_id: str, actor: str, outcome: str) -> Case:
        """Close the case with an outcome; the contact's retention is shortened."""
        if outcome not in OUTCOMES:
            raise CaseStepNotAllowed("unknown outcome")
        if outcome in ANSWER_OUTCOMES and self.get(case_id).kind == "accessibility":
            raise CaseStepNotAllowed("an accessibility report is not about an answer")
        case = self._step(lambda: self.store.resolve(case_id, actor, outcome))
        if case.has_contact:
            keep = timedelta(days=self.settings.contact_days_after_resolution)
            retention.set_contact_expiry(self.store, case.case_id, stamp(self._clock() + keep))
        return self.get(case.case_id)

    def reply(self, case_id: str, actor: str, body: str) -> tuple[Case, OutboxItem | None]:
        """Store a reply; e-mail it when SMTP is configured, else leave it in the outbox."""
        text = self._normalise(body).strip()
        if not text:
            raise CaseMessageEmpty("empty reply")
        if len(text) > MAX_REPLY_CHARS:
            raise CaseMessageTooLong(MAX_REPLY_CHARS)
        case = self.get(case_id)
        contact = self.store.contact(case.case_id, actor, "reply") if case.has_contact else None
        outbox = None
        if contact is not None:
            subject = f"Svar på ditt ärende {case.case_id}"
            outbox = (contact.type, contact.value, subject, "stored")
        try:
            _reply, item = self.store.add_reply(case.case_id, actor, text, outbox=outbox)
        except InvalidTransition as exc:
            raise CaseStepNotAllowed(str(exc)) from exc
        except CaseStoreUnavailable as exc:
            raise CaseStoreDown("cases") from exc
        if item is not None and item.channel == "email" and self.mailer.configured:
            item = self.send_outbox(item, actor)
        return self.get(case.case_id), item

    def send_outbox(self, item: OutboxItem, actor: str) -> OutboxItem:
        """Try to e-mail an outbox message; the result (never the address) is recorded."""
        if item.recipient is None or item.body is None:
            return item
        try:
            self.mailer.send(item.recipient, item.subject, item.body)
        except (OSError, smtplib.SMTPException) as exc:
            logger.warning("reply_not_sent", extra={"case_id": item.case_id, "error": type(exc).__name__})
            self.store.mark_outbox(item.id, "failed", actor, error=type(exc).__name__)
        else:
            self.store.mark_outbox(item.id, "sent", actor)
        return self.store.outbox_item(item.id)

    def queue(self, flt: CaseFilter, limit: int = 50, offset: int = 0) -> tuple[list[Case], int]:
        """One page of the staff queue and the number of matching cases."""
        try:
            return self.store.find(flt, limit=limit, offset=offset), self.store.count(flt)
        except CaseStoreUnavailable as exc:
            raise CaseStoreDown("cases") from exc

    def linked_record(self, case: Case) -> dict[str, Any] | None:
        """The audit record the case concerns (None when it is gone)."""
        if not case.audit_id:
            return None
        try:
            return self.audit_log.get(case.audit_id)  # type: ignore[no-any-return]
        except AuditError:
            return None

    def transcript(self, case: Case, limit: int = 200) -> list[dict[str, Any]]:
        """The conversation's turns as redacted text (question and answers), oldest first."""
        if not case.conversation:
            return []
        from audit.query import AuditQuery

        turns = []
        try:
            records = self.audit_log.export(AuditQuery(conversation=case.conversation))
            for record in records:
                turns.append(
                    {
                        "audit_id": record.get("audit_id"),
                        "created_at": record.get("created_at"),
                        "question": record.get("input_redacted"),
                        "answers": [a.get("text") for a in record.get("answers") or []],
                        "content_shredded": bool(record.get("content_shredded")),
                    }
                )
                if len(turns) >= limit:
                    break
        except AuditError:
            return turns
        return turns

    def purge_if_due(self, every: timedelta = timedelta(hours=1)) -> None:
        """Run retention when the last run is older than ``every`` (called from the staff queue)."""
        now = self._clock()
        if self._last_purge is None or now - self._last_purge >= every:
            self.purge()

    def purge(self) -> Any:
        """Run retention now (contacts past their time, text of long-resolved cases)."""
        self._last_purge = self._clock()
        return retention.purge(
            self.store,
            self._clock(),
            content_days_after_resolution=self.settings.content_days_after_resolution,
        )

    def kpis(self, date_from: date | None = None, date_to: date | None = None) -> dict[str, Any]:
        """Outcome counts and the error rate among contested answers, for the KPI page."""
        counts = review.outcome_counts(self.store, date_from, date_to)
        wrong = review.wrong_audit_ids(self.store, date_from, date_to)
        judged = counts["answer_correct"] + counts["answer_wrong"]
        return {
            "resolved": counts,
            "answers_resolved_wrong": len(wrong),
            "contested_error_rate": round(counts["answer_wrong"] / judged, 4) if judged else None,
        }
