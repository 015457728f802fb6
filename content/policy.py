"""The answer policy from ``data/policy.yml``: thresholds, high-risk topics and the policy notices.

The bot informs and guides; it never assesses a citizen's case. A message that asks for an assessment
gets the eligibility notice, general information and a person; a message that signals danger gets an
urgent notice first. Which messages those are is decided by ``content.safety`` (``data/safety.yml``).
Notices are approved content with the policy file as their source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Notice:
    """An approved policy text (``eligibility_notice`` or ``urgent_notice``)."""

    name: str
    version: int
    text: dict[str, str]

    def for_language(self, language: str, values: Mapping[str, str] | None = None) -> str:
        """The notice in ``language`` (Swedish when missing), ``{placeholders}`` filled from ``values``."""
        text = self.text.get(language) or self.text["sv"]
        return text.format_map(dict(values)) if values else text

    @property
    def is_template(self) -> bool:
        """True when the notice has ``{placeholders}`` (e.g. the no-answer notice's contact)."""
        return any("{" in text for text in self.text.values())

    def source_info(self, language: str, values: Mapping[str, str] | None = None) -> dict[str, Any]:
        """What travels with the notice as its source (the hash is over the exact words sent)."""
        text = self.for_language(language, values)
        info: dict[str, Any] = {
            "policy": self.name,
            "version": self.version,
            "content_hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "language": language,
        }
        if self.name.startswith("urgent_notice"):
            info["topic"] = "emergency"
        return info


@dataclass
class AnswerPolicy:
    """Thresholds, high-risk topics and notices the actions apply."""

    version: int
    answer_threshold: float
    suggest_threshold: float
    suggestion_min_similarity: float
    max_suggestions: int
    high_risk_topics: frozenset[str]
    notices: dict[str, Notice] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: Path) -> AnswerPolicy:
        """Read ``policy.yml``."""
        raw = yaml.safe_load((data_dir / "policy.yml").read_text(encoding="utf-8")) or {}
        version = int(raw.get("version", 1))
        thresholds = raw.get("thresholds") or {}
        notices = {
            name: Notice(name, version, {k: str(v).strip() for k, v in (raw.get(name) or {}).items()})
            for name in raw
            if "_notice" in str(name) and isinstance(raw.get(name), dict)
        }
        return cls(
            version=version,
            answer_threshold=float(thresholds.get("answer_threshold", 0.6)),
            suggest_threshold=float(thresholds.get("suggest_threshold", 0.3)),
            suggestion_min_similarity=float(thresholds.get("suggestion_min_similarity", 0.8)),
            max_suggestions=int(thresholds.get("max_suggestions", 3)),
            high_risk_topics=frozenset((raw.get("high_risk") or {}).get("topics") or ()),
            notices=notices,
        )

    def approved_texts(self, contacts: Iterable[Mapping[str, Mapping[str, str]]] = ()) -> set[str]:
        """The notices' texts in every language (approved content for the output guard).

        Templates count once per contact in ``contacts`` (language -> placeholder values), so a
        no-answer notice naming any topic's hand-off contact is approved and nothing else is.
        """
        contacts = list(contacts)
        found: set[str] = set()
        for notice in self.notices.values():
            for language in notice.text:
                if not notice.is_template:
                    found.add(notice.for_language(language))
                for contact in contacts if notice.is_template else ():
                    found.add(notice.for_language(language, contact[language]))
        return found
