"""ArticleIndex ranking, language filter, caching and laziness, with a deterministic embedding double."""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from content.semantic.build.evaluate import load_questions, run_evaluation
from content.semantic.embedder import Embedder
from content.semantic.errors import ArticleIndexError, SemanticError
from content.semantic.search import ArticleIndex, Hit, article_scores, passages_of

DIM = 256


class BagOfWordsEmbedder:
    """Deterministic double: each lower-cased word adds 1 to a hashed dimension; rows are unit vectors."""

    fingerprint = "bag-of-words-v1"

    def __init__(self) -> None:
        self.query_calls = 0
        self.passage_calls = 0
        self.texts_embedded = 0

    @staticmethod
    def _vector(text: str) -> np.ndarray:
        vector = np.zeros(DIM, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            vector[zlib.crc32(word.encode()) % DIM] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.query_calls += 1
        self.texts_embedded += len(texts)
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIM)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passage_calls += 1
        self.texts_embedded += len(texts)
        return np.array([self._vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIM)


def article(
    article_id: str,
    topic: str,
    sv: Sequence[str],
    en: Sequence[str],
    version: int = 1,
    title: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    return {
        "id": article_id,
        "version": version,
        "topic": topic,
        "title": {"sv": title[0], "en": title[1]},
        "example_questions": {"sv": list(sv), "en": list(en)},
    }


ARTICLES = [
    article(
        "waste-schedule",
        "waste_collection",
        ["när hämtas soporna", "vilken dag kommer sopbilen"],
        ["when is my bin collected"],
        title=("Sophämtning", "Waste collection"),
    ),
    article(
        "library-card",
        "library",
        ["hur får jag lånekort", "lånekort bibliotek"],
        ["how do I get a library card"],
        title=("Lånekort", "Library card"),
    ),
    article(
        "parking-permit",
        "parking",
        ["boendeparkering ansökan", "hur får jag parkeringstillstånd"],
        ["resident parking permit"],
        title=("Boendeparkering", "Resident parking"),
    ),
    article("smalltalk-greet", "smalltalk", ["hej"], ["hello"], title=("Hej", "Hello")),
]


def test_embedding_double_satisfies_the_protocol() -> None:
    assert isinstance(BagOfWordsEmbedder(), Embedder)


def test_search_ranks_the_matching_article_first() -> None:
    index = ArticleIndex.build(ARTICLES, BagOfWordsEmbedder())

    hits = index.search("när kommer sopbilen", k=3)

    assert hits[0] == Hit("waste-schedule", "waste_collection", hits[0].score)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert index.search("library card please", k=1)[0].article_id == "library-card"
    assert index.search("parking permit", k=1)[0].topic == "parking"


def test_k_limits_hits_and_empty_queries_give_none() -> None:
    index = ArticleIndex.build(ARTICLES, BagOfWordsEmbedder())

    assert len(index.search("lånekort", k=1)) == 1
    assert index.search("lånekort", k=0) == []
    assert index.search("   ", k=3) == []


def test_smalltalk_and_excluded_ids_are_never_suggested() -> None:
    index = ArticleIndex.build(ARTICLES, BagOfWordsEmbedder(), exclude_ids=["parking-permit"])

    assert "smalltalk-greet" not in index.article_ids
    assert "parking-permit" not in index.article_ids
    assert all(h.topic != "smalltalk" for h in index.search("hej hello", k=5))


def test_min_score_drops_weak_hits() -> None:
    index = ArticleIndex.build(ARTICLES, BagOfWordsEmbedder())

    hits = index.search("lånekort bibliotek", k=3, min_score=0.5)

    assert [h.article_id for h in hits] == ["library-card"]


def test_language_restricts_the_compared_passages() -> None:
    mixed = [
        article("a", "library", ["ord"], ["card card card"], title=("", "")),
        article("b", "parking", ["card"], ["ord"], title=("", "")),
    ]
    index = ArticleIndex.build(mixed, BagOfWordsEmbedder())

    # "card card card" normalises to the same vector as "card": a tie decided by order without a language.
    assert index.search("card", k=1, language="en")[0].article_id == "a"
    assert index.search("card", k=1, language="sv")[0].article_id == "b"


def test_training_examples_extend_an_article_and_follow_the_language_filter() -> None:
    index = ArticleIndex.build(
        ARTICLES, BagOfWordsEmbedder(), examples={"parking-permit": ["p-skiva för bilen"], "unknown": ["x"]}
    )

    assert index.search("p-skiva bilen", k=1)[0].article_id == "parking-permit"
    assert index.search("p-skiva bilen", k=1, language="en")[0].article_id == "parking-permit"
    assert {p.kind for p in index.passages} == {"title", "question", "example"}


def test_build_is_lazy_and_passages_are_embedded_once() -> None:
    embedder = BagOfWordsEmbedder()
    index = ArticleIndex.build(ARTICLES, embedder)
    assert embedder.texts_embedded == 0

    index.search("sopor")
    index.search("lånekort")

    assert embedder.texts_embedded == len(index.passages) + 2


def test_cache_is_reused_and_invalidated_by_a_new_version(tmp_path: Path) -> None:
    first = BagOfWordsEmbedder()
    built = ArticleIndex.build(ARTICLES, first, cache_dir=tmp_path)
    built.search("sopor")
    assert len(built.passages) == 15 and first.texts_embedded == 15 + 1
    assert built.cache_hit is False

    again = BagOfWordsEmbedder()
    cached = ArticleIndex.build(ARTICLES, again, cache_dir=tmp_path)
    assert cached.search("när hämtas soporna")[0].article_id == "waste-schedule"
    assert again.texts_embedded == 1 and cached.cache_hit is True

    bumped = [dict(a) for a in ARTICLES]
    bumped[1] = {**bumped[1], "version": 2}
    changed = BagOfWordsEmbedder()
    fresh = ArticleIndex.build(bumped, changed, cache_dir=tmp_path)
    fresh.search("lånekort")
    assert fresh.cache_hit is False
    assert changed.texts_embedded == len(fresh.passages) + 1


def test_prepare_uses_the_cache_without_the_model(tmp_path: Path) -> None:
    assert ArticleIndex.build(ARTICLES, BagOfWordsEmbedder(), cache_dir=tmp_path).prepare() is False

    untouched = BagOfWordsEmbedder()
    assert ArticleIndex.build(ARTICLES, untouched, cache_dir=tmp_path).prepare() is True
    assert untouched.texts_embedded == 0


def test_cache_key_depends_on_text_model_and_mode() -> None:
    base = ArticleIndex.build(ARTICLES, BagOfWordsEmbedder())
    edited = [dict(a) for a in ARTICLES]
    edited[0] = {**edited[0], "title": {"sv": "Sophämtning ändrad", "en": "Waste collection"}}
    other_model = BagOfWordsEmbedder()
    other_model.fingerprint = "another-model"  # type: ignore[misc]

    keys = {
        base.cache_key,
        ArticleIndex.build(edited, BagOfWordsEmbedder()).cache_key,
        ArticleIndex.build(ARTICLES, other_model).cache_key,
        ArticleIndex.build(ARTICLES, BagOfWordsEmbedder(), symmetric=False).cache_key,
    }
    assert len(keys) == 4
    assert ArticleIndex.build(ARTICLES, BagOfWordsEmbedder()).cache_key == base.cache_key


def test_symmetric_mode_embeds_passages_as_queries() -> None:
    symmetric, asymmetric = BagOfWordsEmbedder(), BagOfWordsEmbedder()
    ArticleIndex.build(ARTICLES, symmetric).warm_up()
    ArticleIndex.build(ARTICLES, asymmetric, symmetric=False).warm_up()

    assert (symmetric.passage_calls, symmetric.query_calls) == (0, 2)
    assert (asymmetric.passage_calls, asymmetric.query_calls) == (1, 1)


def test_old_cache_files_are_pruned(tmp_path: Path) -> None:
    for version in range(10):
        bumped = [{**a, "version": version} for a in ARTICLES]
        ArticleIndex.build(bumped, BagOfWordsEmbedder(), cache_dir=tmp_path).prepare()

    assert len(list(tmp_path.glob("articles-*.npy"))) == 6
    latest = ArticleIndex.build(
        [{**a, "version": 9} for a in ARTICLES], BagOfWordsEmbedder(), cache_dir=tmp_path
    )
    assert latest.prepare() is True


def test_unreadable_cache_is_recomputed(tmp_path: Path) -> None:
    index = ArticleIndex.build(ARTICLES, BagOfWordsEmbedder(), cache_dir=tmp_path)
    (tmp_path / f"articles-{index.cache_key[:32]}.npy").write_bytes(b"not a numpy file")

    assert index.search("lånekort")[0].article_id == "library-card"
    assert index.cache_hit is False


def test_no_passages_is_an_error() -> None:
    with pytest.raises(ArticleIndexError):
        ArticleIndex.build([ARTICLES[3]], BagOfWordsEmbedder())


def test_passages_of_accepts_knowledge_articles() -> None:
    from datetime import date

    from content.knowledge import Article

    real = Article(
        id="x",
        version=3,
        topic="library",
        intents=("library",),
        owner="o",
        source="s",
        last_reviewed=date(2026, 1, 1),
        risk="normal",
        title={"sv": "Lånekort", "en": "Library card"},
        answer={"sv": "Svar.", "en": "Answer."},
        example_questions={"sv": ("Hur får jag lånekort?",), "en": ()},
    )

    found = passages_of(real)

    assert [(p.language, p.kind, p.text, p.version) for p in found] == [
        ("sv", "title", "Lånekort", 3),
        ("sv", "question", "Hur får jag lånekort?", 3),
        ("en", "title", "Library card", 3),
    ]


def test_article_scores_weight_the_two_best_passages() -> None:
    similarities = np.array([0.9, 0.5, 0.7, 0.8, 0.6], dtype=np.float32)
    owner = np.array([0, 0, 0, 1, 2])

    scores = article_scores(similarities, owner, 4)

    assert scores[0] == pytest.approx((0.9 + 0.5 * 0.7) / 1.5)
    assert scores[1] == pytest.approx(0.8)  # a single passage counts twice
    assert scores[2] == pytest.approx(0.6)
    assert scores[3] == -np.inf


def test_evaluation_counts_top1_topk_and_skips_unindexed_topics(tmp_path: Path) -> None:
    questions_file = tmp_path / "q.yml"
    questions_file.write_text(
        "intents:\n"
        "  waste_collection: ['när hämtas soporna', 'lånekort bibliotek']\n"
        "  library: ['how do I get a library card']\n"
        "  greet: ['hej']\n",
        encoding="utf-8",
    )
    topics = {"waste_collection": "waste_collection", "library": "library", "greet": "smalltalk"}
    questions = load_questions(questions_file, topics)
    index = ArticleIndex.build(ARTICLES, BagOfWordsEmbedder())

    result = run_evaluation(index, questions, k=3)

    assert result["questions"] == 3 and result["skipped_questions"] == 1
    assert result["skipped_topics"] == ["smalltalk"]
    assert result["top1_accuracy"] == pytest.approx(2 / 3)
    assert result["top3_accuracy"] == pytest.approx(1.0)
    assert result["top1_accuracy_service_topics"] == pytest.approx(2 / 3)
    assert result["confusions"] == [{"expected": "waste_collection", "predicted": "library", "count": 1}]


def test_questions_with_an_unknown_intent_are_refused(tmp_path: Path) -> None:
    questions_file = tmp_path / "q.yml"
    questions_file.write_text("intents:\n  no_such_intent: ['x']\n", encoding="utf-8")

    with pytest.raises(SemanticError):
        load_questions(questions_file, {"library": "library"})
