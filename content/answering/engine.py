"""Article-level answer selection: rank every answerable article, then answer, clarify or abstain.

Signals per article (higher is better):

* ``semantic``: the e5 index's score (best passage cosine, with the second best weighed in) over the
  article's title, example questions and the Rasa phrasings of the intent it answers by default;
* ``lexical``: the best character n-gram cosine with the article's title, questions and answer;
* ``answer``: the e5 cosine between the question and the article's answer text (``answer_vectors``);
* ``prior``: Rasa's confidence when the article is in the topic Rasa recognised, else 0.

``score = semantic + lexical_weight * lexical + answer_weight * answer + topic_prior_weight * prior``.
The rule that decides:

* **answer** when the best score reaches ``answer_min_score`` and leads the runner-up by
  ``answer_min_margin``;
* **two_parts** when the message has two questions that each get a confident, different answer;
* **clarify** ("Menar du …?") when the best score reaches ``clarify_min_score`` but does not lead
  clearly: the close candidates (within ``clarify_window``) are offered;
* **abstain** otherwise: no article answers this, so the bot says so and names who can help.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from content.answering.answer_vectors import answer_matrix, answer_scores
from content.answering.lexical import LexicalIndex, fold_text
from content.answering.settings import EngineSettings
from content.knowledge import Article, KnowledgeBase

Rule = Literal["answer", "two_parts", "clarify", "abstain", "unclear"]
NOT_RANKED_TOPICS = frozenset({"smalltalk"})
TOP_KEPT = 5  # candidates kept in the selection
TOP_RECORDED = 3  # candidates written to the audit record

# A second question inside one message: "…? Och …", "… och hur …", "… and where …".
_QUESTION_WORDS = (
    r"hur|var|vart|vad|vilka|vilken|vilket|när|nar|vem|kan|får|far|måste|maste|ska|skall|finns|behöver|"
    r"behover|how|what|where|when|who|which|can|do|does|is|are|should"
)
_SPLIT = re.compile(
    rf"(?:\?+|[.!]\s)\s*(?:och\s+|samt\s+|and\s+|also\s+)?|\s+(?:och|samt|plus|and|also)\s+(?=(?:{_QUESTION_WORDS})\b)",
    re.IGNORECASE,
)


class SemanticScorer:
    """What the engine needs from ``content.semantic.search.ArticleIndex``."""

    article_ids: list[str]

    def embed_query(self, query: str) -> np.ndarray:  # pragma: no cover - protocol
        """The query's unit vector."""
        raise NotImplementedError

    def score_vector(  # pragma: no cover
        self, query_vector: np.ndarray, language: str | None = None, exclude_rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Every indexed article's score (``exclude_rows``: passages left out)."""
        raise NotImplementedError


@dataclass(frozen=True)
class Candidate:
    """One ranked article and the signals behind its score."""

    article_id: str
    topic: str
    score: float
    semantic: float
    lexical: float
    prior: float

    def to_dict(self) -> dict[str, Any]:
        """Plain values for the audit record (rounded; no text)."""
        return {
            "article_id": self.article_id,
            "topic": self.topic,
            "score": round(self.score, 4),
            "semantic": round(self.semantic, 4),
            "lexical": round(self.lexical, 4),
            "prior": round(self.prior, 4),
        }


@dataclass(frozen=True)
class Selection:
    """What the engine decided for one message, and why."""

    rule: Rule
    answer_ids: tuple[str, ...] = ()
    offer_ids: tuple[str, ...] = ()
    topic: str | None = None
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""
    parts: int = 1
    degraded: bool = False
    thresholds: dict[str, Any] = field(default_factory=dict)

    @property
    def top(self) -> Candidate | None:
        """The best-ranked candidate."""
        return self.candidates[0] if self.candidates else None

    @property
    def runner_up(self) -> Candidate | None:
        """The second-best candidate."""
        return self.candidates[1] if len(self.candidates) > 1 else None

    def to_dict(self) -> dict[str, Any]:
        """The decision for the audit record: rule, reason, scores of the best and the runner-up."""
        top, runner_up = self.top, self.runner_up
        return {
            "rule": self.rule,
            "reason": self.reason,
            "answered": list(self.answer_ids),
            "offered": list(self.offer_ids),
            "topic": self.topic,
            "score": round(top.score, 4) if top else None,
            "runner_up": runner_up.to_dict() if runner_up else None,
            "margin": round(top.score - runner_up.score, 4) if top and runner_up else None,
            # The best candidate with its signals, the next ones by score only: the record stays small
            # (it travels through Rasa's tracker on every turn).
            "candidates": [
                c.to_dict() if i == 0 else {"article_id": c.article_id, "score": round(c.score, 4)}
                for i, c in enumerate(self.candidates[:TOP_RECORDED])
            ],
            "parts": self.parts,
            "degraded": self.degraded,
            "thresholds": dict(self.thresholds),
        }


def split_parts(text: str, min_words: int) -> list[str]:
    """The questions in a message: one part, or two when it clearly asks two things."""
    pieces = [p.strip(" ,;:-") for p in _SPLIT.split(text) if p and p.strip(" ,;:-")]
    pieces = [p for p in pieces if len(p.split()) >= min_words]
    return pieces if len(pieces) >= 2 else [text]


class AnswerEngine:
    """Ranks the answerable articles of a knowledge base and decides what the bot says."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        settings: EngineSettings,
        semantic: SemanticScorer | None = None,
    ) -> None:
        """Index the answerable articles; ``semantic`` is None when the e5 model is unavailable."""
        self.knowledge = knowledge
        self.settings = settings
        self.semantic = semantic
        self.articles: list[Article] = sorted(
            (a for a in knowledge.articles.values() if a.answerable and a.topic not in NOT_RANKED_TOPICS),
            key=lambda a: a.id,
        )
        self.article_ids = [a.id for a in self.articles]
        self._topics = np.array([a.topic for a in self.articles])
        self.lexical = LexicalIndex(
            self.article_ids, [p for a in self.articles for p in _lexical_passages(a)]
        )
        self._semantic_position: np.ndarray | None = None
        if semantic is not None:
            where = {article_id: i for i, article_id in enumerate(semantic.article_ids)}
            self._semantic_position = np.array([where.get(a, -1) for a in self.article_ids], dtype=np.int64)
        self._excluded_passages: np.ndarray | None = None
        passages = getattr(semantic, "passages", None)
        if passages is not None and not settings.semantic_nlu_examples:
            # Rasa's phrasings attached to an intent's default article make that article win its siblings'
            # questions; the engine compares with the articles' own questions only.
            self._excluded_passages = np.array([p.kind == "example" for p in passages], dtype=bool)
        self._answer_matrix: np.ndarray | None = None
        embedder = getattr(semantic, "embedder", None)
        if embedder is not None and settings.answer_weight:
            self._answer_matrix = answer_matrix(self.articles, embedder, getattr(semantic, "cache_dir", None))

    # --- signals ---------------------------------------------------------------------------------------

    def semantic_scores(self, text: str, query_vector: np.ndarray | None = None) -> np.ndarray | None:
        """The semantic score of every ranked article (None without the model)."""
        if self.semantic is None or self._semantic_position is None:
            return None
        vector = query_vector if query_vector is not None else self.semantic.embed_query(text)
        raw = self.semantic.score_vector(vector, None, self._excluded_passages)
        scores = np.where(self._semantic_position >= 0, raw[np.maximum(self._semantic_position, 0)], -1.0)
        scores = np.where(np.isfinite(scores), scores, 0.0).astype(np.float32)
        if self._answer_matrix is not None:
            # Weighted in here so the candidates keep one "semantic" figure: questions plus answer.
            scores = scores + self.settings.answer_weight * answer_scores(self._answer_matrix, vector)
        return scores.astype(np.float32)

    def combine(
        self,
        semantic: np.ndarray | None,
        lexical: np.ndarray,
        intent_topic: str | None,
        confidence: float,
    ) -> list[Candidate]:
        """All candidates, best first, from precomputed signals."""
        s = self.settings
        sem = semantic if semantic is not None else np.zeros(len(self.articles), dtype=np.float32)
        prior = np.where(self._topics == (intent_topic or ""), float(confidence), 0.0)
        score = sem + s.lexical_weight * lexical + s.topic_prior_weight * prior
        order = np.argsort(-score, kind="stable")
        return [
            Candidate(
                self.article_ids[i],
                str(self._topics[i]),
                float(score[i]),
                float(sem[i]),
                float(lexical[i]),
                float(prior[i]),
            )
            for i in order[:TOP_KEPT]
        ]

    def rank(
        self,
        text: str,
        *,
        intent_topic: str | None = None,
        confidence: float = 0.0,
        embed: Callable[[str], np.ndarray] | None = None,
    ) -> list[Candidate]:
        """The best candidates for ``text`` (at most ``TOP_KEPT``), best first."""
        vector = embed(text) if embed is not None and self.semantic is not None else None
        return self.combine(
            self.semantic_scores(text, vector), self.lexical.score_vector(text), intent_topic, confidence
        )

    # --- decision --------------------------------------------------------------------------------------

    def decide(self, candidates: Sequence[Candidate], *, degraded: bool = False) -> Selection:
        """Answer, clarify or abstain on ranked candidates (the rule in the module docstring)."""
        s = self.settings
        thresholds = {
            "answer_min_score": s.answer_min_score,
            "answer_min_margin": s.answer_min_margin,
            "clarify_min_score": s.clarify_min_score,
        }
        if not candidates:
            return Selection("abstain", reason="no_candidates", degraded=degraded, thresholds=thresholds)
        top = candidates[0]
        if degraded:
            # Without the e5 model words alone decide, and they are not enough to answer: offer a choice.
            if top.lexical >= s.degraded_clarify_min_lexical:
                offers = tuple(c.article_id for c in candidates[: s.max_clarify])
                reason = f"no semantic model; lexical {top.lexical:.3f} >= {s.degraded_clarify_min_lexical}"
                return Selection(
                    "clarify",
                    offer_ids=offers,
                    reason=reason,
                    candidates=tuple(candidates),
                    degraded=True,
                    thresholds=thresholds,
                )
            reason = f"no semantic model; lexical {top.lexical:.3f} < {s.degraded_clarify_min_lexical}"
            return Selection(
                "abstain", reason=reason, candidates=tuple(candidates), degraded=True, thresholds=thresholds
            )
        margin = top.score - candidates[1].score if len(candidates) > 1 else top.score
        topic = top.topic if top.score >= s.topic_min_score else None
        common: dict[str, Any] = {
            "candidates": tuple(candidates),
            "degraded": degraded,
            "thresholds": thresholds,
        }
        if top.score >= s.answer_min_score and margin >= s.answer_min_margin:
            reason = (
                f"score {top.score:.3f} >= {s.answer_min_score} "
                f"and margin {margin:.3f} >= {s.answer_min_margin}"
            )
            return Selection("answer", (top.article_id,), topic=top.topic, reason=reason, **common)
        if top.score >= s.clarify_min_score:
            close = [c for c in candidates[: s.max_clarify] if c.score >= top.score - s.clarify_window]
            reason = (
                f"score {top.score:.3f} >= {s.clarify_min_score} "
                f"but margin {margin:.3f} < {s.answer_min_margin}"
                if top.score >= s.answer_min_score
                else f"score {top.score:.3f} < {s.answer_min_score}"
            )
            offers = tuple(c.article_id for c in close)
            return Selection("clarify", offer_ids=offers, topic=topic, reason=reason, **common)
        if top.score < s.unclear_max_score:
            # Nothing is even close: the message is probably not understood (gibberish, a fragment).
            reason = f"score {top.score:.3f} < {s.unclear_max_score}"
            return Selection("unclear", reason=reason, **common)
        reason = f"score {top.score:.3f} < {s.clarify_min_score}"
        return Selection("abstain", topic=topic, reason=reason, **common)

    def select(
        self,
        text: str,
        *,
        intent_topic: str | None = None,
        confidence: float = 0.0,
        embed: Callable[[str], np.ndarray] | None = None,
    ) -> Selection:
        """What to answer ``text`` with: one article, two (a two-part question), a choice, or nothing."""
        degraded = self.semantic is None
        whole = self.decide(
            self.rank(text, intent_topic=intent_topic, confidence=confidence, embed=embed), degraded=degraded
        )
        parts = split_parts(text, self.settings.two_part_min_words)
        if len(parts) < 2:
            return whole
        # Each part alone: Rasa's topic was recognised for the whole message, so no prior here.
        decided = [self.decide(self.rank(part, embed=embed), degraded=degraded) for part in parts[:2]]
        answered = [d for d in decided if d.rule == "answer"]
        ids = list(dict.fromkeys(a for d in answered for a in d.answer_ids))
        if len(ids) == 2:
            reason = "two questions, each answered: " + "; ".join(d.reason for d in answered)
            return Selection(
                "two_parts",
                tuple(ids),
                topic=answered[0].topic,
                candidates=whole.candidates,
                reason=reason,
                parts=2,
                degraded=degraded,
                thresholds=whole.thresholds,
            )
        if whole.rule == "answer":
            unsure = [d for d in decided if d.rule == "clarify" and whole.answer_ids[0] not in d.offer_ids]
            if unsure:  # the other question gets a choice beside the answer
                offers = tuple(a for a in unsure[0].offer_ids if a not in whole.answer_ids)
                return Selection(
                    "answer",
                    whole.answer_ids,
                    offer_ids=offers,
                    topic=whole.topic,
                    candidates=whole.candidates,
                    reason=whole.reason + "; the other question gets a choice",
                    parts=2,
                    degraded=degraded,
                    thresholds=whole.thresholds,
                )
            return whole
        if len(ids) == 1:
            other = [d for d in decided if d.rule != "answer"]
            offers = tuple(a for d in other for a in d.offer_ids if a not in ids)
            return Selection(
                "answer",
                tuple(ids),
                offer_ids=offers,
                topic=answered[0].topic,
                candidates=whole.candidates,
                reason="one of two questions answered: " + answered[0].reason,
                parts=2,
                degraded=degraded,
                thresholds=whole.thresholds,
            )
        return whole


def _lexical_passages(article: Article) -> list[tuple[str, str]]:
    texts = [*article.title.values(), *(q for qs in article.example_questions.values() for q in qs)]
    texts.append(article.answer.get("sv", ""))
    return [(article.id, t) for t in texts if fold_text(t)]
