"""The answer engine's rules on the real articles, with a test double for the e5 index (no model load)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from content.answering.engine import AnswerEngine, Candidate, split_parts
from content.answering.lexical import LexicalIndex, fold_text
from content.answering.settings import EngineSettings
from content.errors import KnowledgeError
from content.knowledge import KnowledgeBase

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(DATA)


class Scores:
    """The e5 index's interface with chosen semantic scores (0.80 for every other article)."""

    def __init__(self, kb: KnowledgeBase, scores: dict[str, float]) -> None:
        self.article_ids = sorted(kb.articles)
        self.scores = scores

    def embed_query(self, query: str) -> np.ndarray:
        return np.zeros(1, dtype=np.float32)

    def score_vector(self, query_vector, language=None, exclude_rows=None) -> np.ndarray:
        return np.array([self.scores.get(a, 0.80) for a in self.article_ids], dtype=np.float32)


def engine(kb: KnowledgeBase, scores: dict[str, float], **overrides: float) -> AnswerEngine:
    settings = replace(EngineSettings.load(DATA), **{"lexical_weight": 0.0, **overrides})
    return AnswerEngine(kb, settings, Scores(kb, scores))


def test_only_answerable_articles_are_ranked(kb):
    ranked = AnswerEngine(kb, EngineSettings.load(DATA)).article_ids
    assert "complaint-form-start" not in ranked and "fallback-unsure" not in ranked
    assert not any(kb.articles[a].topic == "smalltalk" for a in ranked)
    assert "culture-leisure-swimming-pool-hours" in ranked and "out-of-scope-taxes" in ranked


def test_a_clear_leader_is_answered_and_the_record_says_why(kb):
    s = EngineSettings.load(DATA)
    e = engine(
        kb, {"parking-fines": s.answer_min_score + 0.1, "parking-fees-zones": s.answer_min_score - 0.2}
    )
    selection = e.select("jag har fått en p-bot")
    assert selection.rule == "answer" and selection.answer_ids == ("parking-fines",)
    record = selection.to_dict()
    assert record["runner_up"]["article_id"] == "parking-fees-zones"
    assert record["margin"] == pytest.approx(0.3, abs=1e-3)
    assert "margin" in record["reason"] and record["thresholds"]["answer_min_score"] == s.answer_min_score
    assert "p-bot" not in str(record)  # the question's words are never part of the decision record


def test_two_close_articles_get_a_choice(kb):
    s = EngineSettings.load(DATA)
    best = s.answer_min_score + 0.01
    e = engine(kb, {"waste-bin-fees": best, "waste-shared-bin": best - s.answer_min_margin / 2})
    selection = e.select("soptunna")
    assert selection.rule == "clarify"
    assert selection.offer_ids[:2] == ("waste-bin-fees", "waste-shared-bin")


def test_below_the_clarify_line_the_engine_abstains_and_names_the_likely_topic(kb):
    s = EngineSettings.load(DATA)
    e = engine(kb, {"culture-leisure-swimming-pool-hours": s.topic_min_score + 0.001})
    selection = e.select("har simhallen vattenrutschkana")
    assert selection.rule == "abstain" and selection.topic == "culture_leisure"
    assert not selection.answer_ids and not selection.offer_ids


def test_nothing_close_means_not_understood(kb):
    selection = engine(kb, {}).select("asdfgh")
    assert selection.rule == "unclear"


def test_the_lexical_signal_can_tip_a_tie_between_siblings(kb):
    s = EngineSettings.load(DATA)
    tie = {"library-ebooks": s.answer_min_score - 0.05, "library-card": s.answer_min_score - 0.05}
    ranked = engine(kb, tie, lexical_weight=0.3).rank("ladda ner e-böcker")
    assert ranked[0].article_id == "library-ebooks"


def test_rasas_topic_is_only_a_prior(kb):
    s = EngineSettings.load(DATA)
    scores = {"library-card": s.answer_min_score, "parking-fines": s.answer_min_score + 0.002}
    e = engine(kb, scores, topic_prior_weight=0.01)
    assert e.rank("x", intent_topic="library", confidence=1.0)[0].article_id == "library-card"
    assert e.rank("x", intent_topic="library", confidence=0.1)[0].article_id == "parking-fines"


def test_two_questions_in_one_message_get_two_answers(kb):
    s = EngineSettings.load(DATA)
    high = s.answer_min_score + 0.2

    class PerPart(Scores):
        def embed_query(self, query: str) -> np.ndarray:
            self.last = query
            return np.zeros(1, dtype=np.float32)

        def score_vector(self, query_vector, language=None, exclude_rows=None):
            wanted = {"bygglov": "building-permit-how-to-apply", "lånekort": "library-card"}
            chosen = {a for word, a in wanted.items() if word in self.last}
            value = high if len(chosen) == 1 else s.answer_min_score - 0.3
            return np.array([value if a in chosen else 0.8 for a in self.article_ids], dtype=np.float32)

    e = AnswerEngine(kb, replace(s, lexical_weight=0.0), PerPart(kb, {}))
    selection = e.select("Hur söker jag bygglov? Och hur får jag ett lånekort")
    assert selection.rule == "two_parts"
    assert selection.answer_ids == ("building-permit-how-to-apply", "library-card")


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Hur söker jag bygglov? Och vad kostar ett lånekort?", 2),
        ("hur söker man bygglov och hur lång tid tar det", 2),
        ("How do I get a library card and where do I pay a parking fine?", 2),
        ("Vad kostar sophämtning och vatten?", 1),  # one question about two things
        ("bygglov", 1),
    ],
)
def test_split_parts(text, parts):
    assert len(split_parts(text, 3)) == parts


def test_without_the_model_words_alone_never_answer(kb):
    e = AnswerEngine(kb, EngineSettings.load(DATA), None)
    selection = e.select(kb.articles["library-card"].example_questions["sv"][0])
    assert selection.degraded and selection.rule in {"clarify", "abstain"}
    if selection.rule == "clarify":
        assert "library-card" in selection.offer_ids


def test_lexical_index_forgives_missing_dots_and_inflections():
    index = LexicalIndex(["a", "b"], [("a", "Hämtning av grovavfall"), ("b", "Lånekort på biblioteket")])
    scores = index.score_vector("hamtningen av grovavfallet")
    assert scores[0] > 0.4 > scores[1]
    assert fold_text("Får jag ÅTERVINNA?") == "far jag atervinna"


def test_settings_reject_typos_and_inconsistent_thresholds():
    with pytest.raises(KnowledgeError, match="unknown"):
        EngineSettings.from_mapping({"answer_min_scor": 1.0})
    with pytest.raises(KnowledgeError, match="clarify_min_score"):
        EngineSettings.from_mapping({"answer_min_score": 1.0, "clarify_min_score": 1.2})
    assert EngineSettings.from_mapping({"semantic_nlu_examples": True}).semantic_nlu_examples is True


def test_candidate_record_is_rounded_numbers_only():
    record = Candidate("a", "t", 1.234567, 0.9, 0.5, 0.0).to_dict()
    assert record == {
        "article_id": "a",
        "topic": "t",
        "score": 1.2346,
        "semantic": 0.9,
        "lexical": 0.5,
        "prior": 0.0,
    }
