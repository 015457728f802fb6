"""The audit record handed over by the gateway, validated before it is written.

Schema version 1. Unknown keys are accepted and kept (the schema grows without breaking writers);
values copied into indexed columns are length-checked here so no database rejects them later;
personal-data findings keep only type, offsets and score, so a value can never slip into the log.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from audit.canonical import check_finite
from audit.errors import InvalidRecord

SCHEMA_VERSION = 1


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", allow_inf_nan=False)


class PiiFinding(BaseModel):
    """One personal-data finding: its type and where it was, never the value."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)

    type: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    score: float | None = None


class Pii(_Open):
    """Personal data found in the input."""

    findings: list[PiiFinding] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)


class RankedIntent(_Open):
    """One intent of the NLU ranking."""

    name: str
    confidence: float


class Entity(_Open):
    """One entity extracted from the redacted text."""

    entity: str
    value: Any = None
    start: int | None = None
    end: int | None = None


class Nlu(_Open):
    """How the NLU understood the message."""

    intent: str | None = Field(default=None, max_length=64)
    confidence: float | None = None
    ranking: list[RankedIntent] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    fallback_threshold: float | None = None


class Action(_Open):
    """One action the dialogue policy chose."""

    name: str
    policy: str | None = None
    confidence: float | None = None


class Source(_Open):
    """Where an answer came from: an article, a policy notice or a passage of the imported website.

    ``article_id`` names a knowledge article, ``policy`` a notice, ``passage_id`` a website passage (with
    its page URL and import), ``staff`` the member of staff who wrote the words (pilot mode's edited
    approval).

    Exactly one of the four names the source; each carries the hash of the exact words.
    """

    article_id: str | None = Field(default=None, max_length=128)
    policy: str | None = Field(default=None, max_length=64)
    passage_id: str | None = Field(default=None, max_length=64)
    staff: str | None = Field(default=None, max_length=128)
    page_url: str | None = Field(default=None, max_length=1000)
    import_id: str | None = Field(default=None, max_length=64)
    version: int | str | None = None
    content_hash: str | None = None
    owner: str | None = None
    last_reviewed: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Source:
        named = [k for k in (self.article_id, self.policy, self.passage_id, self.staff) if k is not None]
        if len(named) != 1:
            raise ValueError("a source names exactly one of article_id, policy, passage_id or staff")
        return self


class Answer(_Open):
    """One message sent back to the citizen."""

    text: str | None = None
    source: Source | None = None
    response: str | None = None


class Model(_Open):
    """Fingerprint of the Rasa model and code that produced the answer."""

    fingerprint: str | None = None
    model_file: str | None = None
    config_hash: str | None = None
    domain_hash: str | None = None
    code_version: str | None = None


class VaultUse(_Open):
    """A raw value taken from the vault: purpose and type, never the value."""

    purpose: str
    type: str


class Guardrails(_Open):
    """What the guardrails did."""

    redacted_types: list[str] = Field(default_factory=list)
    output_guard_hits: list[Any] = Field(default_factory=list)
    ai_disclosure_shown: bool = False
    handoff_offered: bool = False
    vault_uses: list[VaultUse] = Field(default_factory=list)


class AuditRecordV1(_Open):
    """A full audit record, schema version 1."""

    schema_version: Literal[1] = 1
    channel: str = Field(default="web", max_length=32)
    language: Literal["sv", "en"] = "sv"
    conversation: str = Field(min_length=1, max_length=128)
    turn: int = Field(ge=0)
    input_redacted: str
    pii: Pii = Field(default_factory=Pii)
    nlu: Nlu = Field(default_factory=Nlu)
    actions: list[Action] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    topic: str | None = Field(default=None, max_length=64)
    model: Model = Field(default_factory=Model)
    guardrails: Guardrails = Field(default_factory=Guardrails)
    latency_ms: dict[str, float | None] = Field(default_factory=dict)
    legal_nature: str = "information"
    retention_class: str = Field(default="conversation", max_length=64)


RESERVED_KEYS = frozenset({"audit_id", "seq", "created_at"})


def validate_record(record: Any) -> dict[str, Any]:
    """Validate a record from the gateway and return its normalised dict form.

    Raises:
        InvalidRecord: the record does not match the schema (the message names fields, not values).
    """
    if not isinstance(record, dict):
        raise InvalidRecord("audit record must be a dict")
    body = {k: v for k, v in record.items() if k not in RESERVED_KEYS}
    try:
        check_finite(body)
    except ValueError:
        raise InvalidRecord("audit record contains NaN or Infinity") from None
    try:
        model = AuditRecordV1.model_validate(body)
    except ValidationError as exc:
        fields = sorted({".".join(str(p) for p in err["loc"]) for err in exc.errors()})
        raise InvalidRecord(f"invalid audit record fields: {', '.join(fields)}") from None
    dumped = model.model_dump(mode="json")
    for answer in dumped.get("answers") or []:
        source = answer.get("source")
        if isinstance(source, dict):  # keep only the fields that name the source
            for key in ("article_id", "policy", "passage_id", "staff", "page_url", "import_id"):
                if source.get(key) is None:
                    source.pop(key, None)
    return dumped
