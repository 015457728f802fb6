"""Offset-keeping normalisation of a text for detection.

Disguised values must still be found, and redaction must then remove the *original* characters. The
recognizers run on a normalised copy (NFKC, every decimal digit as ASCII, dashes as ``-``, zero-width and
bidi-control characters removed); each character of the copy remembers which original characters it
came from, so a finding maps back to an exact original span.

A second view, :func:`collapse_digit_separators`, also joins digits split by dots or spaced out one by
one (``1 9 9 0 0 1 0 1 - 1 2 3 4``, ``19.90.01.01-1238``) for the checksum-validated recognizers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Format characters (zero-width, bidi controls, soft hyphen, BOM...) carry no visible text.
_REMOVED_CATEGORIES = {"Cf"}
_DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"}
# A dot between digits, or a space next to a lone digit ("1 9 9 0", "0 70"): typed to hide a number.
# Ordinary digit groups ("070 123 45 67", "1 500 kr") are left alone; the recognizers handle them.
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)\.(?=\d)|(?<=(?<!\d)\d) (?=\d)|(?<=\d) (?=\d(?!\d))")


@dataclass(frozen=True)
class DetectionText:
    """A normalised text and the original span of each of its characters.

    Attributes:
        text: The normalised text the recognizers see.
        starts: ``starts[i]`` is the original index where normalised character ``i`` begins.
        ends: ``ends[i]`` is the original index just after normalised character ``i``.
        original_length: Length of the original text.
    """

    text: str
    starts: tuple[int, ...] | None
    ends: tuple[int, ...] | None
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to the span of the original text it came from."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else self.original_length
            return position, position
        return self.starts[start], self.ends[end - 1]


def _needs_work(text: str) -> bool:
    """Whether the fast path (text unchanged) is impossible: odd characters or not in NFKC."""
    for ch in set(text):
        if ch.isascii():
            continue
        if ch in _DASHES or ch.isdecimal() or unicodedata.category(ch) in _REMOVED_CATEGORIES:
            return True
    return not unicodedata.is_normalized("NFKC", text)


def prepare(text: str) -> DetectionText:
    """Return the normalised detection text of ``text`` with its offset map."""
    if text.isascii() or not _needs_work(text):
        return DetectionText(text, None, None, len(text))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    length = len(text)
    i = 0
    while i < length:
        j = i + 1
        # Keep a base character together with the combining marks that follow it (NFKC composes them).
        while j < length and unicodedata.combining(text[j]):
            j += 1
        chunk = text[i:j]
        for piece in _normalise_chunk(chunk):
            out.append(piece)
            starts.append(i)
            ends.append(j)
        i = j
    return DetectionText("".join(out), tuple(starts), tuple(ends), length)


def _normalise_chunk(chunk: str) -> str:
    if chunk.isascii():
        return chunk
    first = chunk[0]
    if len(chunk) == 1:
        if first in _DASHES:
            return "-"
        if unicodedata.category(first) in _REMOVED_CATEGORIES:
            return ""
        if first.isdecimal():
            return str(unicodedata.decimal(first))
    normalised = unicodedata.normalize("NFKC", chunk)
    return "".join(_fold_char(ch) for ch in normalised)


def _fold_char(ch: str) -> str:
    if ch.isascii():
        return ch
    if ch in _DASHES:
        return "-"
    if unicodedata.category(ch) in _REMOVED_CATEGORIES:
        return ""
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    return ch


def collapse_digit_separators(view: DetectionText) -> DetectionText | None:
    """Return a view with single spaces or dots between digits removed, or None if there are none."""
    text = view.text
    if not _DIGIT_SEPARATOR.search(text):
        return None
    keep = [True] * len(text)
    for match in _DIGIT_SEPARATOR.finditer(text):
        keep[match.start()] = False
    base_starts = view.starts if view.starts is not None else range(len(text))
    base_ends = view.ends if view.ends is not None else range(1, len(text) + 1)
    chars = [ch for ch, k in zip(text, keep, strict=True) if k]
    starts = tuple(s for s, k in zip(base_starts, keep, strict=True) if k)
    ends = tuple(e for e, k in zip(base_ends, keep, strict=True) if k)
    return DetectionText("".join(chars), starts, ends, view.original_length)
