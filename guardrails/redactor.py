"""The redactor: find personal data in a text and replace it with typed, numbered placeholders.

``Redactor.create()`` builds Presidio's analyzer with our Swedish recognizers once (the slow part);
``redact()`` and ``scan()`` are then cheap enough for every chat turn. Detection runs on an
offset-keeping normalised copy of the text (``detection_text``); findings always refer to the
*original* text.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from presidio_analyzer import AnalyzerEngine, RecognizerResult

from guardrails.detection_text import DetectionText, collapse_digit_separators, prepare
from guardrails.engine import LANGUAGE, build_analyzer
from guardrails.errors import RedactionError
from guardrails.precision import EXEMPT_TYPES, is_protected, protected_spans
from guardrails.public_values import KNOWLEDGE_PUBLIC_TYPES, PublicValues, knowledge_texts
from guardrails.registry import COLLAPSIBLE_TYPES, build_recognizers
from guardrails.settings import GuardrailSettings
from guardrails.vault import Vault, placeholder_label, value_key

# When two findings overlap, the higher score wins; on a tie, the type listed first.
TYPE_PRIORITY = (
    "SE_PERSONNUMMER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "SE_BANK_ACCOUNT",
    "SE_BANKGIRO",
    "EMAIL_ADDRESS",
    "IP_ADDRESS",
    "PHONE_NUMBER",
    "SE_LICENSE_PLATE",
    "LOCATION",
    "PERSON",
)
_PRIORITY = {entity_type: rank for rank, entity_type in enumerate(TYPE_PRIORITY)}


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: a span of the original text, its type and the detection score."""

    start: int
    end: int
    type: str
    score: float

    def to_dict(self) -> dict[str, int | str | float]:
        """Return the JSON shape of ARCHITECTURE §4 (``start``, ``end``, ``type``, ``score``)."""
        return {"start": self.start, "end": self.end, "type": self.type, "score": round(self.score, 4)}


@dataclass(frozen=True)
class RedactionResult:
    """The redacted text and what was found in the original."""

    text: str
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return the number of findings per entity type (safe to log and audit)."""
        return dict(Counter(finding.type for finding in self.findings))


class Redactor:
    """Finds and redacts personal data; holds the analyzer, the public values and the vault."""

    def __init__(
        self,
        analyzer: AnalyzerEngine,
        settings: GuardrailSettings,
        vault: Vault,
        public_values: PublicValues,
    ) -> None:
        """Wrap a ready analyzer; use :meth:`create` unless you assemble the parts yourself."""
        self._analyzer = analyzer
        self._settings = settings
        self.vault = vault
        self._public = public_values
        self._entities = sorted(analyzer.get_supported_entities(LANGUAGE))
        self._collapsible = [t for t in COLLAPSIBLE_TYPES if t in self._entities]
        self.create_seconds = 0.0

    @classmethod
    def create(cls, settings: GuardrailSettings | None = None, vault: Vault | None = None) -> Redactor:
        """Build the analyzer and recognizers once and warm them up (loads models and tables)."""
        started = time.perf_counter()
        settings = settings or GuardrailSettings()
        analyzer = build_analyzer(build_recognizers(settings), settings.score_threshold)
        vault = vault or Vault(
            ttl_seconds=settings.vault_ttl_seconds,
            max_conversations=settings.vault_max_conversations,
            max_values=settings.vault_max_values_per_conversation,
        )
        public = PublicValues.from_settings(settings)
        redactor = cls(analyzer, settings, vault, public)
        public_types = [t for t in redactor.entity_types if t in KNOWLEDGE_PUBLIC_TYPES]
        for text in knowledge_texts(settings.knowledge_dir):
            for finding in redactor._detect(text, public_types):
                public.add(finding.type, text[finding.start : finding.end])
        redactor.scan("Hej! Jag heter Anna, 070-123 45 67, anna@example.se, １９９００１０１－１２３４.")
        redactor.create_seconds = time.perf_counter() - started
        return redactor

    @property
    def entity_types(self) -> list[str]:
        """Return the entity types this redactor detects."""
        return list(self._entities)

    def scan(self, text: str) -> list[Finding]:
        """Return the personal data found in ``text`` (offsets into ``text``), without the vault."""
        if not text:
            return []
        try:
            return self._detect(text)
        except Exception as exc:  # any analyzer failure must fail closed, never leak the text
            raise RedactionError(f"analysis failed: {type(exc).__name__}") from None

    def redact(self, text: str, conversation_id: str | None = None) -> RedactionResult:
        """Replace each finding with its placeholder; raw values go to the vault of the conversation.

        Without a conversation id the placeholders are numbered for this text alone and no value is kept.
        """
        findings = self.scan(text)
        if not findings:
            return RedactionResult(text, [])
        local: dict[tuple[str, str], str] = {}
        counters: Counter[str] = Counter()
        parts: list[str] = []
        position = 0
        for finding in findings:
            value = text[finding.start : finding.end]
            if conversation_id is not None:
                placeholder = self.vault.placeholder_for(conversation_id, finding.type, value)
            else:
                placeholder = _local_placeholder(local, counters, finding.type, value)
            parts.append(text[position : finding.start])
            parts.append(placeholder)
            position = finding.end
        parts.append(text[position:])
        return RedactionResult("".join(parts), findings)

    def _detect(self, text: str, entities: list[str] | None = None) -> list[Finding]:
        entities = entities or self._entities
        view = prepare(text)
        candidates = self._analyze(view, entities)
        collapsible = [t for t in self._collapsible if t in entities]
        collapsed = collapse_digit_separators(view) if collapsible else None
        if collapsed is not None:
            candidates.extend(self._analyze(collapsed, collapsible))
        if not candidates:
            return []
        protected = [view.to_original(start, end) for start, end in protected_spans(view.text)]
        kept = [
            c
            for c in candidates
            if c.end > c.start
            and (c.type in EXEMPT_TYPES or not is_protected(c.start, c.end, protected))
            and (c.type, text[c.start : c.end]) not in self._public
        ]
        return resolve_overlaps(kept)

    def _analyze(self, view: DetectionText, entities: list[str]) -> list[Finding]:
        results: list[RecognizerResult] = self._analyzer.analyze(
            text=view.text, language=LANGUAGE, entities=entities
        )
        findings = []
        for result in results:
            if result.score < self._settings.score_threshold:
                continue
            start, end = view.to_original(result.start, result.end)
            findings.append(Finding(start, end, result.entity_type, float(result.score)))
        return findings


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Return non-overlapping findings in text order.

    A finding inside a longer one is dropped first (the longer span redacts more: a personnummer inside
    a Nordea personkonto, a first name inside a street name). Remaining overlaps go to the higher score,
    then the type listed first in :data:`TYPE_PRIORITY`, then the longer span.
    """
    outer = [
        f
        for f in findings
        if not any(
            o is not f and o.start <= f.start and f.end <= o.end and (o.end - o.start) > (f.end - f.start)
            for o in findings
        )
    ]
    ranked = sorted(
        outer,
        key=lambda f: (-f.score, _PRIORITY.get(f.type, len(_PRIORITY)), -(f.end - f.start), f.start),
    )
    chosen: list[Finding] = []
    for finding in ranked:
        if all(finding.end <= other.start or finding.start >= other.end for other in chosen):
            chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)


def _local_placeholder(
    local: dict[tuple[str, str], str], counters: Counter[str], entity_type: str, value: str
) -> str:

    key = (entity_type, value_key(entity_type, value))
    if key not in local:
        label = placeholder_label(entity_type)
        counters[label] += 1
        local[key] = f"<{label}_{counters[label]}>"
    return local[key]
