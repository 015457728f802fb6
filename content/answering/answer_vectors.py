"""The articles' answers as e5 passage vectors, cached beside the semantic index.

Example questions say how citizens ask; the answer says what the article actually covers. A question
about "farligt avfall som målarfärg" is closer to the answer that names the recycling centre's hazardous
waste than to a sibling whose questions merely share words. Each answer (Swedish and English) is embedded
once with e5's passage prefix; the vectors are cached in the index's cache directory, keyed by the
embedder's fingerprint and the exact texts, like the index's own vectors.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from content.semantic.search import prune_cache, save_vectors

logger = logging.getLogger(__name__)


def answer_matrix(articles: Sequence[Any], embedder: Any, cache_dir: Path | None) -> np.ndarray:
    """Unit vectors of every article's answer: rows ``[sv of each article …, en of each article …]``."""
    texts = [a.answer["sv"] for a in articles] + [a.answer.get("en") or a.answer["sv"] for a in articles]
    digest = hashlib.sha256(str(embedder.fingerprint).encode())
    for text in texts:
        digest.update(json.dumps(text).encode("utf-8"))
    path = cache_dir / f"answers-{digest.hexdigest()[:32]}.npy" if cache_dir else None
    if path is not None and path.is_file():
        try:
            matrix = np.load(path, allow_pickle=False)
            if matrix.shape[0] == len(texts):
                return np.asarray(matrix, dtype=np.float32)
        except (OSError, ValueError):
            logger.warning("answer_vectors_cache_unreadable")
    matrix = np.asarray(embedder.embed_passages(texts), dtype=np.float32)
    if path is not None:
        save_vectors(path, matrix)
        prune_cache(path.parent, keep=3, pattern="answers-*.npy")
    logger.info("answer_vectors_embedded", extra={"answers": len(texts)})
    return matrix


def answer_scores(matrix: np.ndarray, query_vector: np.ndarray) -> np.ndarray:
    """Per article, the better of its Swedish and English answer's cosine with the query."""
    half = matrix.shape[0] // 2
    scores: np.ndarray = np.maximum(matrix[:half] @ query_vector, matrix[half:] @ query_vector)
    return scores
