"""The answer engine's weights and thresholds, read from ``data/policy.yml`` (``answer_engine``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from content.errors import KnowledgeError


@dataclass(frozen=True)
class EngineSettings:
    """How signals combine and when the engine answers, clarifies or abstains.

    The combined score of an article is ``semantic + answer_weight * answer + lexical_weight * lexical +
    topic_prior_weight * rasa_confidence`` (the prior only for articles in the topic Rasa recognised).
    ``make eval-answers`` prints the coverage/accuracy curve these values were chosen from.
    """

    lexical_weight: float = 0.3
    answer_weight: float = 0.6
    topic_prior_weight: float = 0.05
    answer_min_score: float = 0.95
    answer_min_margin: float = 0.02
    clarify_min_score: float = 0.9
    clarify_window: float = 0.04
    max_clarify: int = 3
    topic_min_score: float = 0.88
    two_part_min_words: int = 3
    unclear_max_score: float = 0.95  # below this nothing is close: "I did not understand", not "no answer"
    semantic_nlu_examples: bool = False  # compare with Rasa's phrasings of default articles as well
    degraded_clarify_min_lexical: float = 0.5  # without the e5 model: offer a choice from this lexical score
    # The website tier (content.site): a passage answers when no article does and it scores this high
    # (e5 cosine of question and passage + site_lexical_weight * lexical) and leads other pages by the margin.
    site_min_score: float = 0.88
    site_min_margin: float = 0.0
    site_lexical_weight: float = 0.1
    site_excerpt_chars: int = 700  # the excerpt shown: the answering sentences, at most about this long

    @classmethod
    def from_mapping(cls, raw: dict[str, Any] | None) -> EngineSettings:
        """Settings from a mapping; unknown keys are an error (a typo must not silently do nothing)."""
        raw = dict(raw or {})
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - names)
        if unknown:
            raise KnowledgeError(f"policy.yml answer_engine: unknown setting(s) {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name in raw:
                cast = {"int": int, "bool": bool}.get(str(f.type), float)
                values[f.name] = cast(raw[f.name])
        settings = cls(**values)
        if not settings.clarify_min_score <= settings.answer_min_score:
            raise KnowledgeError("policy.yml answer_engine: clarify_min_score must be <= answer_min_score")
        return settings

    @classmethod
    def load(cls, data_dir: Path) -> EngineSettings:
        """The ``answer_engine`` section of ``data_dir/policy.yml`` (defaults when it is missing)."""
        raw = yaml.safe_load((data_dir / "policy.yml").read_text(encoding="utf-8")) or {}
        return cls.from_mapping(raw.get("answer_engine"))

    def to_dict(self) -> dict[str, Any]:
        """The settings as a plain mapping (for the audit record and the evaluation report)."""
        return asdict(self)
