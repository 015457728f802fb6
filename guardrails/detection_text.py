"""Offset-keeping views of a text for detection.

Disguised values must still be found, and redaction must then remove the *original* characters. The
recognizers run on views of the text: :func:`prepare` gives the normalised copy (NFKC, every decimal digit
as ASCII, dashes as ``-``, zero-width and bidi-control characters removed), and further views rewrite
that copy (``DetectionText.edit``): digits written with disguising separators joined, spelled-out
numbers as digits, percent-encoding decoded (``guardrails.normalise``). Each character of a view
remembers the span of original characters it came from, so a finding maps back to an exact original
span, which the redactor replaces whole.

:func:`collapse_digit_separators` joins digits that are split to hide a number: dots or single spaces
between lone digits (``1 9 9 0 0 1 0 1 - 1 2 3 4``, ``19.90.01.01-1238``), runs of two-digit groups
(``85 03 12 - 12 34``) and a line break inside a number. It is meant for the checksum-validated
recognizers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Format characters (zero-width, bidi controls, soft hyphen, BOM...) carry no visible text.
_REMOVED_CATEGORIES = {"Cf"}
_DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"}
# A dot between digits, or a space next to a lone digit ("1 9 9 0", "0 70"): typed to hide a number.
# Ordinary digit groups ("070 123 45 67", "1 500 kr") are left alone; the recognizers handle them.
_DIGIT_SEPARATOR = re.compile(r"(?<=\d)\.(?=\d)|(?<=(?<!\d)\d) (?=\d)|(?<=\d) (?=\d(?!\d))")
# A run of digit groups separated by single spaces, as a whole (group sizes decide whether to join).
_GROUP_RUN = re.compile(r"(?<![\d.])\d+(?: \d+)+(?![\d.])")
# A line break (with spaces around it) inside a number: "4111 1111\n1111 1111", "19900101-\n1234".
_LINE_BREAK = re.compile(r"(?<=[\d-]) *\r?\n *(?=\d)")


@dataclass(frozen=True)
class DetectionText:
    """A view of a text and the original span of each of its characters.

    Attributes:
        text: The text the recognizers see.
        starts: ``starts[i]`` is the original index where view character ``i`` begins (None: identity).
        ends: ``ends[i]`` is the original index just after view character ``i`` (None: identity).
        original_length: Length of the original text.
        ordered: False when the view reorders characters (right-to-left override), so that a span's
            original extent is the minimum and maximum over its characters.
        changed: The view ranges that :meth:`edit` rewrote (where a hostile form was read plainly).
    """

    text: str
    starts: tuple[int, ...] | None
    ends: tuple[int, ...] | None
    original_length: int
    ordered: bool = True
    changed: tuple[tuple[int, int], ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the view to the span of the original text it came from."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else self.original_length
            return position, position
        if self.ordered:
            return self.starts[start], self.ends[end - 1]
        return min(self.starts[start:end]), max(self.ends[start:end])

    def spans(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """Return ``starts`` and ``ends``, built for the identity map when they are None."""
        if self.starts is None or self.ends is None:
            n = len(self.text)
            return tuple(range(n)), tuple(range(1, n + 1))
        return self.starts, self.ends

    def edit(self, edits: list[tuple[int, int, str]]) -> DetectionText:
        """Return the view with ``text[start:end]`` replaced by each edit's string.

        Edits must not overlap. A replacement character maps to the whole original span of what it
        replaces ("noll sju" -> "07": both digits map to both words), so redacting a finding in the new
        view removes every original character it was made from.
        """
        starts, ends = self.spans()
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        changed: list[tuple[int, int]] = []
        position = 0
        for start, end, replacement in sorted(edits):
            pieces.append(self.text[position:start])
            new_starts.extend(starts[position:start])
            new_ends.extend(ends[position:start])
            changed.append((len(new_starts), len(new_starts) + len(replacement)))
            if replacement:
                if end > start:
                    span_start, span_end = self._extent(starts, ends, start, end)
                else:
                    anchor = starts[start] if start < len(starts) else self.original_length
                    span_start = span_end = anchor
                pieces.append(replacement)
                new_starts.extend([span_start] * len(replacement))
                new_ends.extend([span_end] * len(replacement))
            position = max(position, end)
        pieces.append(self.text[position:])
        new_starts.extend(starts[position:])
        new_ends.extend(ends[position:])
        return DetectionText(
            "".join(pieces),
            tuple(new_starts),
            tuple(new_ends),
            self.original_length,
            self.ordered,
            tuple(changed),
        )

    def excerpt(self, ranges: Iterable[tuple[int, int]], context: int = 80) -> DetectionText:
        """Return the parts of the view around ``ranges`` (with ``context`` characters each side).

        The parts are joined by a blank line, which maps to no original character. Used to run the
        recognizers on the few places a hostile form was rewritten instead of on the whole text again.
        """
        starts, ends = self.spans()
        text = self.text
        windows: list[list[int]] = []
        for start, end in sorted(ranges):  # coalesce first: a reversed number is one range per character
            if windows and start - context <= windows[-1][1] + context:
                windows[-1][1] = max(windows[-1][1], end)
            else:
                windows.append([start, end])
        for window in windows:
            start, end = window
            lo, hi = max(0, start - context), min(len(text), end + context)
            floor, ceiling = max(0, start - 4 * context), min(len(text), end + 4 * context)
            while lo > floor and not text[lo - 1].isspace():
                lo -= 1
            while hi < ceiling and not text[hi].isspace():
                hi += 1
            window[0], window[1] = lo, hi
        merged: list[list[int]] = []
        for lo, hi in windows:
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        windows = merged
        if len(windows) == 1 and windows[0] == [0, len(self.text)]:
            return self
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        for lo, hi in windows:
            if pieces:
                anchor = new_ends[-1]
                pieces.append("\n\n")
                new_starts.extend((anchor, anchor))
                new_ends.extend((anchor, anchor))
            pieces.append(self.text[lo:hi])
            new_starts.extend(starts[lo:hi])
            new_ends.extend(ends[lo:hi])
        return DetectionText(
            "".join(pieces), tuple(new_starts), tuple(new_ends), self.original_length, self.ordered
        )

    def _extent(
        self, starts: tuple[int, ...], ends: tuple[int, ...], start: int, end: int
    ) -> tuple[int, int]:
        if self.ordered:
            return starts[start], ends[end - 1]
        return min(starts[start:end]), max(ends[start:end])


def written_in_capitals(text: str) -> bool:
    """Whether ``text`` is written in capitals: at least eight letters, more than 60 % of them upper case.

    There case says nothing: a capital marks no name and no plate.
    """
    letters = sum(map(str.isalpha, text))
    return letters >= 8 and sum(map(str.isupper, text)) > 0.6 * letters


def identity(text: str) -> DetectionText:
    """Return the view of ``text`` as it is."""
    return DetectionText(text, None, None, len(text))


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """The detection form of one character (cached: texts repeat the same few characters)."""
    if ch.isascii():
        return ch
    if ch in _DASHES:
        return "-"
    category = unicodedata.category(ch)
    if category in _REMOVED_CATEGORIES:
        return ""
    if category == "Cs":
        return "\ufffd"  # a lone surrogate cannot be encoded further down (the tokenizer, hashing)
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    normalised = unicodedata.normalize("NFKC", ch)
    if normalised == ch:
        return ch
    return "".join(_fold(c) for c in normalised)


def prepare(text: str) -> DetectionText:
    """Return the normalised detection view of ``text`` with its offset map."""
    if text.isascii():
        return identity(text)
    folds = {ch: _fold(ch) for ch in set(text) if not ch.isascii()}
    odd = {ch: folded for ch, folded in folds.items() if folded != ch or unicodedata.combining(ch)}
    if not odd:
        return identity(text)
    if all(len(folded) == 1 and not unicodedata.combining(ch) for ch, folded in odd.items()):
        # One character for one character: the offsets do not move.
        table: dict[str, str | int | None] = dict(odd)
        return identity(text.translate(str.maketrans(table)))
    return _prepare_mapped(text, odd)


def _prepare_mapped(text: str, odd: dict[str, str]) -> DetectionText:
    """Copy runs of unchanged characters whole; fold the others.

    A base character keeps the combining marks that follow it (NFKC composes them).
    """
    special = re.compile("[" + "".join(re.escape(ch) for ch in odd) + "]+")
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in special.finditer(text):
        start = match.start()
        run_start = start
        if unicodedata.combining(text[start]) and start > position:
            run_start = start - 1  # the base character of the marks
        out.append(text[position:run_start])
        starts.extend(range(position, run_start))
        ends.extend(range(position + 1, run_start + 1))
        _fold_run(text, run_start, match.end(), out, starts, ends)
        position = match.end()
    out.append(text[position:])
    starts.extend(range(position, len(text)))
    ends.extend(range(position + 1, len(text) + 1))
    return DetectionText("".join(out), tuple(starts), tuple(ends), len(text))


def _fold_run(text: str, start: int, end: int, out: list[str], starts: list[int], ends: list[int]) -> None:
    i = start
    while i < end:
        j = i + 1
        while j < end and unicodedata.combining(text[j]):
            j += 1
        chunk = text[i:j]
        if len(chunk) == 1:
            folded = _fold(chunk)
        else:
            folded = "".join(_fold(ch) for ch in unicodedata.normalize("NFKC", chunk))
        out.append(folded)
        starts.extend([i] * len(folded))
        ends.extend([j] * len(folded))
        i = j


def collapse_digit_separators(view: DetectionText) -> DetectionText | None:
    """Return a view with disguising separators inside numbers removed, or None if there are none.

    Removed: a dot between digits; a single space next to a lone digit; the spaces of a run of digit
    groups of at most two digits (the first and, after a date, the last may have four: ``1985 03 12``,
    ``85 03 12 1234``), which is how dates and serials are spaced out but not how phone numbers are
    grouped (``070 123 45 67`` keeps its spaces);
    a line break between digits.
    """
    text = view.text
    if not any(ch.isdigit() for ch in text):
        return None
    removed: set[int] = set()
    edits: list[tuple[int, int, str]] = []
    for match in _DIGIT_SEPARATOR.finditer(text):
        removed.add(match.start())
    for match in _GROUP_RUN.finditer(text):
        groups = match.group().split(" ")
        last_ok = len(groups[-1]) <= 2 or (len(groups[-1]) == 4 and len(groups) >= 3)
        if all(len(g) <= 2 for g in groups[1:-1]) and len(groups[0]) in (1, 2, 4) and last_ok:
            position = match.start()
            for group in groups[:-1]:
                position += len(group)
                removed.add(position)
                position += 1
    for match in _LINE_BREAK.finditer(text):
        edits.append((match.start(), match.end(), ""))
    covered = {i for start, end, _ in edits for i in range(start, end)}
    edits.extend((i, i + 1, "") for i in removed if i not in covered)
    if not edits:
        return None
    return view.edit(edits)
