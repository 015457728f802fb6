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

from guardrails.detection_text import DetectionText, prepare
from guardrails.engine import LANGUAGE, build_analyzer
from guardrails.errors import RedactionError
from guardrails.normalise import hostile_views, split_personnummer_spans
from guardrails.number_words import word_digits
from guardrails.precision import EXEMPT_TYPES, is_protected, protected_spans
from guardrails.public_values import KNOWLEDGE_PUBLIC_TYPES, PublicValues, knowledge_texts
from guardrails.recognizers.se_phone_recognizer import is_valid_phone
from guardrails.registry import COLLAPSIBLE_TYPES, build_recognizers
from guardrails.settings import GuardrailSettings
from guardrails.vault import Vault, VaultStore, placeholder_label, value_key

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
        vault: VaultStore,
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
    def create(cls, settings: GuardrailSettings | None = None, vault: VaultStore | None = None) -> Redactor:
        """Build the analyzer and recognizers once and warm them up (loads models and tables)."""
        started = time.perf_counter()
        settings = settings or GuardrailSettings()
        analyzer = build_analyzer(build_recognizers(settings), settings.score_threshold)
        if vault is None:  # not `or`: a vault with no conversation yet has length 0
            vault = Vault(
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
        finally:
            forget_message_values()

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
        checksum_types = [t for t in self._collapsible if t in entities]
        digit_views = [view]
        for hostile in hostile_views(text, view):
            if hostile.types is not None:
                types = [t for t in hostile.types if t in entities]
            else:
                types = checksum_types if hostile.checksum_only else entities
            if types:
                candidates.extend(self._analyze(hostile.view, types))
            if hostile.checksum_only:
                digit_views.append(hostile.view)
        if "SE_PERSONNUMMER" in entities:
            for digit_view in digit_views:
                candidates.extend(
                    Finding(start, end, "SE_PERSONNUMMER", 1.0)
                    for start, end in split_personnummer_spans(digit_view)
                )
        if not candidates:
            return []
        protected: list[tuple[int, int]] = []
        if any(c.type not in EXEMPT_TYPES for c in candidates):
            protected = [view.to_original(start, end) for start, end in protected_spans(view.text)]
        kept = [
            c
            for c in candidates
            if c.end > c.start
            and (c.type in EXEMPT_TYPES or not protected or not is_protected(c.start, c.end, protected))
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


def forget_message_values() -> None:
    """Empty the recognizers' caches of a message's pieces once it is read.

    They save repeated work within one message; kept longer, they would hold citizens' phone numbers
    and words in the process's memory (and so in a swap file or a core dump).
    """
    is_valid_phone.cache_clear()
    word_digits.cache_clear()


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Return non-overlapping findings in text order.

    Overlapping findings of one type become one finding over both spans (two views of one value, or a
    value and a longer reading of it: redacting the union leaves no part behind). Then a finding inside
    a longer one of another type gives way (the longer span redacts more: a personnummer inside a
    Nordea personkonto, a first name inside a street name). Remaining overlaps go to the higher score,
    then the type listed first in :data:`TYPE_PRIORITY`, then the longer span.
    """
    chosen: list[Finding] = []
    for cluster in _overlap_clusters(findings):
        if len(cluster) == 1:
            chosen.extend(cluster)
            continue
        cluster = _merge_same_type(cluster)
        outer = [
            f
            for f in cluster
            if not any(
                o is not f and o.start <= f.start and f.end <= o.end and (o.end - o.start) > (f.end - f.start)
                for o in cluster
            )
        ]
        ranked = sorted(
            outer,
            key=lambda f: (-f.score, _PRIORITY.get(f.type, len(_PRIORITY)), -(f.end - f.start), f.start),
        )
        kept: list[Finding] = []
        for finding in ranked:
            if all(finding.end <= other.start or finding.start >= other.end for other in kept):
                kept.append(finding)
        chosen.extend(kept)
    return sorted(chosen, key=lambda f: f.start)


def _overlap_clusters(findings: list[Finding]) -> list[list[Finding]]:
    """Group findings into runs of (transitively) overlapping spans."""
    clusters: list[list[Finding]] = []
    end = -1
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if clusters and finding.start < end:
            clusters[-1].append(finding)
            end = max(end, finding.end)
        else:
            clusters.append([finding])
            end = finding.end
    return clusters


def _merge_same_type(cluster: list[Finding]) -> list[Finding]:
    """Merge overlapping findings of the same type into one spanning both (highest score kept)."""
    merged: list[Finding] = []
    for finding in sorted(cluster, key=lambda f: (f.type, f.start)):
        last = merged[-1] if merged else None
        if last is not None and last.type == finding.type and finding.start < last.end:
            merged[-1] = Finding(
                last.start, max(last.end, finding.end), last.type, max(last.score, finding.score)
            )
        else:
            merged.append(finding)
    return merged


def _local_placeholder(
    local: dict[tuple[str, str], str], counters: Counter[str], entity_type: str, value: str
) -> str:

    key = (entity_type, value_key(entity_type, value))
    if key not in local:
        label = placeholder_label(entity_type)
        counters[label] += 1
        local[key] = f"<{label}_{counters[label]}>"
    return local[key]
