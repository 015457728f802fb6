"""A lexical ranker over the articles' titles, example questions and answers.

Character n-grams (3–5 characters inside word boundaries, TF-IDF weighted, sublinear term frequency)
rather than whole words: Swedish compounds ("soptunna", "soptunnan", "kärl") and the typos citizens make
share most of their n-grams, where word-level BM25 sees different tokens. Text is folded first (lower
case, å/ä/ö → a/a/o), as citizens often leave the dots out. An article's score is the best cosine between
the query and any one of its passages, so a short question is not diluted by a long answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from content.knowledge import fold


def fold_text(text: str) -> str:
    """The folded word tokens of ``content.knowledge.fold`` (lower case, å/ä/ö → a/a/o), space-joined."""
    return " ".join(fold(text))


class LexicalIndex:
    """Cosine similarity of character n-gram TF-IDF vectors, per article (best passage)."""

    def __init__(self, article_ids: Sequence[str], passages: Sequence[tuple[str, str]]) -> None:
        """Index ``passages`` (article id, text); ``article_ids`` fixes the order of the score vector."""
        self.article_ids = list(article_ids)
        position = {article_id: i for i, article_id in enumerate(self.article_ids)}
        kept = [(position[a], fold_text(t)) for a, t in passages if a in position and fold_text(t)]
        self._owner = np.array([owner for owner, _ in kept], dtype=np.int64)
        self.texts = [text for _, text in kept]
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self._matrix = self._vectorizer.fit_transform([text for _, text in kept])

    def score_vector(self, query: str, exclude_rows: np.ndarray | None = None) -> np.ndarray:
        """Each article's best passage cosine for ``query`` (0 when nothing is shared).

        Args:
            query: the (redacted) question.
            exclude_rows: a boolean mask of passages to leave out (leave-one-out evaluation).
        """
        scores = np.zeros(len(self.article_ids), dtype=np.float32)
        folded = fold_text(query)
        if not folded or self._matrix.shape[0] == 0:
            return scores
        similarities = (self._matrix @ self._vectorizer.transform([folded]).T).toarray().ravel()
        if exclude_rows is not None:
            similarities = np.where(exclude_rows, 0.0, similarities)
        np.maximum.at(scores, self._owner, similarities.astype(np.float32))
        return scores

    @property
    def passage_owner(self) -> np.ndarray:
        """The article position of every indexed passage."""
        return self._owner
