"""One citizen turn: normalise → redact → Rasa → explanation → output guard → audit → reply."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio

from audit.errors import AuditError
from bot.errors import EmptyMessage, InvalidConversationId, MessageTooLong, UpstreamUnavailable
from bot.language import detect_language
from bot.rasa_client import RasaClient
from bot.services.commands import CommandGuard
from bot.services.explanation import TurnExplanation, turn_explanation
from bot.services.model_info import ModelInfo
from bot.services.pilot import PilotGate
from bot.services.turn_locks import ConversationLocks, TurnLocks
from content.case_numbers import to_template
from content.catalogue_nlu import CATALOGUE_INTENT
from content.errors import SiteError
from content.knowledge import KnowledgeBase
from content.policy import AnswerPolicy
from content.safety import URGENT_ENTITY, URGENT_INTENT, SafetyClassifier, SafetyVerdict
from content.site.index import verify_excerpt
from content.site.scan import private_findings
from content.site.store import SiteStore
from guardrails.errors import VaultUnavailable
from guardrails.normalise import normalise_input
from guardrails.output_guard import OutputGuard

logger = logging.getLogger("kommunsvar.chat")

CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CONVERSATION_ID_LENGTH = 40  # 24 random characters (18 bytes, URL-safe base64) + 16 hex of signature
LEGAL_NATURE = "Information och vägledning, inte ett beslut i ett ärende."
AI_NOTICE = {
    "sv": "Du chattar med en AI-assistent, inte med en människa. Skriv inte personnummer eller "
    "andra känsliga uppgifter. Svaren är information, inte beslut.",
    "en": "You are chatting with an AI assistant, not a person. Do not type your personal identity "
    "number or other sensitive details. The answers are information, not decisions.",
}
FALLBACK_ARTICLE = "fallback-unsure"
# What the citizen's client gets of a source: the id and version, and for a website passage its page.
SOURCE_KEYS = ("article_id", "policy", "version", "passage_id", "page_url", "page_title", "heading")
SAFETY_TIMEOUT_SECONDS = 3.0
# Rasa's NLU alone; past this the turn goes on and Rasa parses the message itself.
PARSE_TIMEOUT_SECONDS = 3.0
# Turns in flight in this worker (this one included) up to which Rasa's parse is asked ahead.
PARSE_AHEAD_MAX_IN_FLIGHT = 1


@dataclass
class ChatReply:
    """What the gateway returns for one turn."""

    conversation_id: str
    messages: list[dict[str, Any]]
    audit_id: str
    contest_token: str
    topic: str
    language: str
    intent: str | None
    confidence: float | None
    notice: str | None
    pending_review: bool = False  # pilot mode: staff approve the answer before the citizen sees it


class ChatService:
    """Handles citizen turns; the HTTP route only translates to and from JSON."""

    def __init__(
        self,
        *,
        redactor: Any,
        audit_log: Any,
        rasa: RasaClient,
        knowledge: KnowledgeBase,
        policy: AnswerPolicy,
        safety: SafetyClassifier,
        model_info: ModelInfo,
        pseudonym_key: bytes,
        max_chars: int,
        site: SiteStore | None = None,
        pilot: PilotGate | None = None,
        turn_locks: TurnLocks | None = None,
        is_clear_name: Callable[[str], bool] = lambda _word: True,
    ) -> None:
        self.redactor = redactor
        # The name lexicon's test (the site import's rule for names on pages). The default takes every
        # word for a name: then any finding other than an address keeps a website excerpt from being shown.
        self._is_clear_name = is_clear_name
        self.audit_log = audit_log
        self.rasa = rasa
        self.knowledge = knowledge
        self.model_info = model_info
        self._key = pseudonym_key
        self._max_chars = max_chars
        self.policy = policy
        self.safety = safety
        self.site = site  # the imported website's passages: an excerpt must be the words of an active one
        self.pilot = pilot  # supervised pilot mode: hold the answers of topics staff approve first
        self._approved = knowledge.approved_texts() | policy.approved_texts(knowledge.topic_contacts())
        self._output_guard = OutputGuard(self._approved, redactor)
        # One turn of a conversation at a time: in this process, or across workers (Redis, cluster profile).
        self._locks: TurnLocks = turn_locks or ConversationLocks()
        self._in_flight = 0  # turns this worker is running now (parse ahead only when it runs one)
        # Commands Rasa may read from a citizen: only what our buttons send (never the urgent intent).
        choices = {i for a in knowledge.articles.values() for i in a.intents} | {CATALOGUE_INTENT}
        self.commands = CommandGuard(choices - {URGENT_INTENT})

    def contest_token(self, audit_id: str) -> str:
        """The proof, given only with the reply, that a contest comes from the one who got the answer."""
        return hmac.new(self._key, b"contest|" + audit_id.encode(), hashlib.sha256).hexdigest()[:32]

    def pseudonym(self, conversation_id: str) -> str:
        """A keyed pseudonym of the conversation id: what Rasa and the audit trail see."""
        return "c_" + hmac.new(self._key, conversation_id.encode(), hashlib.sha256).hexdigest()[:32]

    def validate(self, text: str, conversation_id: str | None) -> tuple[str, str]:
        """Clean the text and check both fields; returns (text, conversation id)."""
        if len(text) > self._max_chars:
            raise MessageTooLong(self._max_chars)
        cleaned = self.commands.citizen_text(normalise_input(text).strip())
        if not cleaned:
            raise EmptyMessage("empty message")
        if conversation_id is None:
            conversation_id = self.new_conversation_id()
        elif not self.issued_here(conversation_id):
            raise InvalidConversationId("bad conversation id")
        return cleaned, conversation_id

    def new_conversation_id(self) -> str:
        """A random id signed by the gateway: 24 random characters and 16 of signature."""
        raw = secrets.token_urlsafe(18)
        return raw + self._conversation_signature(raw)

    def issued_here(self, conversation_id: str) -> bool:
        """Whether the gateway issued ``conversation_id`` (nobody can pick or guess another's id)."""
        if len(conversation_id) != CONVERSATION_ID_LENGTH or not CONVERSATION_ID.match(conversation_id):
            return False
        raw, signature = conversation_id[:24], conversation_id[24:]
        return hmac.compare_digest(self._conversation_signature(raw), signature)

    def _conversation_signature(self, raw: str) -> str:
        return hmac.new(self._key, b"conversation|" + raw.encode(), hashlib.sha256).hexdigest()[:16]

    async def handle(self, text: str, conversation_id: str | None, language: str | None) -> ChatReply:
        """Run one turn; the audit record is written before the reply is returned."""
        started = time.perf_counter()
        cleaned, conversation_id = self.validate(text, conversation_id)
        sender = self.pseudonym(conversation_id)
        async with self._locks.hold(sender):
            self._in_flight += 1
            try:
                return await self._turn(cleaned, conversation_id, sender, language, started)
            finally:
                self._in_flight -= 1

    async def _turn(
        self, cleaned: str, conversation_id: str, sender: str, language: str | None, started: float
    ) -> ChatReply:
        latency: dict[str, float] = {"normalise": _ms(started)}
        mark = time.perf_counter()
        # Off the event loop: a long message must not stall every other citizen's turn.
        try:
            redaction = await anyio.to_thread.run_sync(
                lambda: self.redactor.redact(cleaned, conversation_id=sender)
            )
        except VaultUnavailable as exc:  # the shared vault (Redis): no turn without its placeholders
            raise UpstreamUnavailable("vault", type(exc).__name__) from exc
        latency["redact"] = _ms(mark)
        lang = detect_language(redaction.text, language)

        # The safety check (action server: the question's e5 vector and the cues) and Rasa's NLU (Rasa
        # server) side by side, in two processes: neither needs the other's result, and the turn waits
        # for the slower one instead of both (docs/performance.md, "The seventh cut"). Only while this is
        # the worker's one turn: with others in flight the cores are busy anyway, and the extra request
        # would cost Rasa CPU for no time saved.
        mark = time.perf_counter()
        if self._in_flight <= PARSE_AHEAD_MAX_IN_FLIGHT:
            verdict, parse_data = await asyncio.gather(
                self._safety_verdict(sender, redaction.text, latency),
                self._nlu_parse(sender, redaction.text, latency),
            )
        else:
            verdict, parse_data = await self._safety_verdict(sender, redaction.text, latency), None
        latency["checks"] = _ms(mark)
        message = redaction.text
        if verdict.urgent is not None:
            # An emergency goes straight to the urgent notice: nothing routine may come first.
            message = f"/{URGENT_INTENT}" + json.dumps({URGENT_ENTITY: verdict.urgent.category})
            parse_data = None
        mark = time.perf_counter()
        metadata = {"language": lang, "safety": verdict.to_dict()}
        rasa_turn = await self.rasa.send(sender, message, metadata, parse_data)
        latency["rasa"] = _ms(mark)
        rest_messages = rasa_turn.messages
        turn = turn_explanation(rasa_turn.turn)
        model = await self.model_info.current(self.rasa)

        messages, answers, guard_hits, handoff = self._guarded_messages(turn, rest_messages, lang)
        topic = self._topic(turn, answers)
        held = None
        if self.pilot is not None:
            pilot = self.pilot
            messages, answers, held = await anyio.to_thread.run_sync(
                lambda: pilot.screen(topic, verdict.to_dict(), messages, answers, lang)
            )
        notice = AI_NOTICE[lang] if turn.turn <= 1 else None
        # Off the event loop as well: with several workers the vault is a Redis round trip.
        vault_uses = await anyio.to_thread.run_sync(self._vault_uses, sender)
        record = {
            "schema_version": 1,
            "channel": "web",
            "language": lang,
            "conversation": sender,
            "turn": turn.turn,
            "input_redacted": redaction.text,
            "pii": {
                "findings": [
                    {"type": f.type, "start": f.start, "end": f.end, "score": round(float(f.score), 3)}
                    for f in redaction.findings
                ],
                "counts": redaction.counts(),
            },
            "nlu": {
                "intent": turn.intent,
                "confidence": turn.confidence,
                "ranking": turn.ranking,
                "entities": turn.entities,
                # The threshold the answer actions decided with (data/policy.yml), read from the same object.
                "fallback_threshold": self.policy.answer_threshold,
            },
            "safety": verdict.to_dict(),
            "actions": turn.actions,
            "answers": answers,
            "topic": topic,
            "model": model,
            "guardrails": {
                "redacted_types": sorted(redaction.counts()),
                "output_guard_hits": guard_hits,
                "ai_disclosure_shown": notice is not None,
                "handoff_offered": handoff,
                "vault_uses": vault_uses,
            },
            "latency_ms": latency,
            "legal_nature": LEGAL_NATURE,
            "retention_class": "conversation",
        }
        if held is not None:
            record["pilot"] = held
        latency["total"] = _ms(started)
        mark = time.perf_counter()
        try:
            entry = await anyio.to_thread.run_sync(self.audit_log.append, record)
        except AuditError as exc:
            # Audit errors name fields and causes, never values; the redacting filter runs as well.
            logger.error("audit_write_failed", extra={"error": type(exc).__name__, "detail": str(exc)[:300]})
            raise UpstreamUnavailable("audit", type(exc).__name__) from exc
        if held is not None and self.pilot is not None:
            pilot, draft = self.pilot, held
            await anyio.to_thread.run_sync(lambda: pilot.held(entry.audit_id, sender, topic, lang, draft))
        logger.info(
            "chat_turn",
            extra={
                "audit_id": entry.audit_id,
                "topic": topic,
                "intent": turn.intent,
                "pii_types": sorted(redaction.counts()),
                # The audit append is timed after the record is written, so only the log line has it.
                "latency_ms": {**latency, "audit": _ms(mark)},
            },
        )
        return ChatReply(
            conversation_id=conversation_id,
            messages=messages,
            audit_id=entry.audit_id,
            contest_token=self.contest_token(entry.audit_id),
            topic=topic,
            language=lang,
            intent=turn.intent,
            confidence=turn.confidence,
            notice=notice,
            pending_review=held is not None,
        )

    def _vault_uses(self, sender: str) -> list[dict[str, str | float]]:
        """The vault uses since the last turn (recorded by whichever worker revealed), drained once."""
        try:
            return [use.to_dict() for use in self.redactor.vault.drain_uses(sender)]
        except VaultUnavailable as exc:
            raise UpstreamUnavailable("vault", type(exc).__name__) from exc

    async def _safety_verdict(self, sender: str, text: str, latency: dict[str, float]) -> SafetyVerdict:
        """The action server's verdict (cues and e5 descriptions); the cues alone if it cannot answer."""
        mark = time.perf_counter()
        try:
            return SafetyVerdict.from_dict(await self.rasa.safety(text, SAFETY_TIMEOUT_SECONDS, sender))
        except (UpstreamUnavailable, KeyError, TypeError, ValueError) as exc:
            logger.warning("safety_check_degraded", extra={"error": type(exc).__name__})
            return self.safety.classify(text)
        finally:
            latency["safety"] = _ms(mark)

    async def _nlu_parse(self, sender: str, text: str, latency: dict[str, float]) -> dict[str, Any] | None:
        """Rasa's NLU result for ``text``; None (Rasa then parses in the turn itself) if it cannot answer."""
        mark = time.perf_counter()
        try:
            return await self.rasa.parse(sender, text, PARSE_TIMEOUT_SECONDS)
        except UpstreamUnavailable as exc:
            logger.info("nlu_parse_skipped", extra={"error": exc.part})
            return None
        finally:
            latency["nlu"] = _ms(mark)

    def _guarded_messages(
        self, turn: TurnExplanation, rest_messages: list[dict[str, Any]], language: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], bool]:
        """Bot messages of this turn that pass the output guard; others are replaced by the fallback."""
        events = turn.bot_events or [{"text": m.get("text"), "data": m} for m in rest_messages]
        messages: list[dict[str, Any]] = []
        answers: list[dict[str, Any]] = []
        hits: list[dict[str, Any]] = []
        handoff = False
        for event in events:
            text = event.get("text") or ""
            metadata = event.get("metadata") or {}
            buttons = (event.get("data") or {}).get("buttons") or None
            source = metadata.get("source")
            handoff = handoff or bool(metadata.get("handoff_offered"))
            problem = self._guard(text, source)
            if problem:
                hits.append({"reason": problem, "text_sha256": hashlib.sha256(text.encode()).hexdigest()})
                fallback = self.knowledge.articles.get(FALLBACK_ARTICLE)
                text = fallback.text(language) if fallback else ""
                source = fallback.source_info(language) if fallback else None
                buttons = None
            if not text:
                continue
            message: dict[str, Any] = {"text": text}
            if buttons:
                message["buttons"] = [{"title": b.get("title"), "payload": b.get("payload")} for b in buttons]
            if source:
                message["source"] = {k: source[k] for k in SOURCE_KEYS if k in source}
                if "passage_id" in source and metadata.get("site_label"):
                    message["source"]["label"] = str(metadata["site_label"])
                article = self.knowledge.articles.get(str(source.get("article_id") or ""))
                if article is not None:  # the citizen sees the article's title, not its internal id
                    message["source"]["title"] = article.title.get(language) or next(
                        iter(article.title.values()), article.id
                    )
            messages.append(message)
            answer: dict[str, Any] = {
                "text": text,
                "source": source,
                "response": metadata.get("utter_action"),
            }
            if isinstance(metadata.get("selection"), dict):
                answer["selection"] = metadata["selection"]  # why the answer engine chose this (scores, rule)
            answers.append(answer)
        if not messages:
            fallback = self.knowledge.articles.get(FALLBACK_ARTICLE)
            if fallback is not None:
                hits.append({"reason": "no_answer_from_rasa"})
                source = fallback.source_info(language)
                messages.append(
                    {
                        "text": fallback.text(language),
                        "source": {"article_id": fallback.id, "version": fallback.version},
                    }
                )
                answers.append({"text": fallback.text(language), "source": source, "response": None})
        return messages, answers, hits, handoff

    def _guard(self, text: str, source: dict[str, Any] | None) -> str | None:
        """Why a bot message may not be shown (``None`` when it may)."""
        if source and "passage_id" in source:
            return self._guard_passage(text, source)
        if text:
            # Re-scan for personal data and check the text is approved content (guardrails.output_guard).
            reasons = {hit.reason for hit in self._output_guard.check(text).hits}
            if "personal_data" in reasons:
                return "personal_data_in_output"
            # A case confirmation may differ from its article only by the case number (content.case_numbers).
            if "not_approved_content" in reasons and to_template(text) not in self._approved:
                return "not_approved_content"
        if source and "policy" in source:
            notice = self.policy.notices.get(str(source["policy"]))
            if notice is None or notice.version != source.get("version"):
                return "unknown_source"
        elif source:
            article = self.knowledge.articles.get(str(source.get("article_id")))
            if article is None or article.version != source.get("version"):
                return "unknown_source"
        return None

    def _guard_passage(self, text: str, source: dict[str, Any]) -> str | None:
        """A website excerpt: the words of an active passage with the same hash, and no personal data."""
        if self.site is None:
            return "unknown_source"
        try:
            passage = self.site.passage(str(source["passage_id"]))
        except SiteError:
            return "unknown_source"
        if passage is None or not passage.active or passage.content_hash != source.get("content_hash"):
            return "unknown_source"  # a removed or changed page is never shown again
        if not verify_excerpt(text, passage.text):
            return "not_approved_content"
        if private_findings(text, self.redactor.scan(text), self._is_clear_name):
            return "personal_data_in_output"
        return None

    def _topic(self, turn: TurnExplanation, answers: list[dict[str, Any]]) -> str:
        for answer in answers:
            source = answer.get("source") or {}
            if source.get("topic") and source.get("article_id") != FALLBACK_ARTICLE:
                return str(source["topic"])
        if turn.intent == "nlu_fallback":
            return "out_of_scope"
        return self.knowledge.topic_of_intent(turn.intent)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
