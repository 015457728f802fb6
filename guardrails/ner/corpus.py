"""Read the Swedish NER corpus (Webbnyheter 2012, klintan/swedish-ner-corpus) into spaCy documents.

File format: one token per line, token and tag separated by a tab or by spaces (the tag is the last
field; ``0`` means no entity), a blank line between sentences. Tags are IO-style (no B-/I- prefixes), so
consecutive tokens with the same tag form one entity.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from guardrails.ner.errors import CorpusError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "data" / "swedish-ner-corpus"
TRAIN_FILE = "train_corpus.txt"
TEST_FILE = "test_corpus.txt"
LABELS: tuple[str, ...] = ("PER", "ORG", "LOC", "MISC")
OUTSIDE = "O"

# Invisible characters found inside some corpus tokens (soft hyphen, zero-width space/joiners, BOM).
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Tokens written without a space before them / after them when a sentence is turned back into text.
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%»”'")
_NO_SPACE_AFTER = frozenset("([{«“")


@dataclass
class Sentence:
    """One corpus sentence: tokens and their tags (``PER``, ``ORG``, ``LOC``, ``MISC`` or ``O``)."""

    tokens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class CorpusReport:
    """What was read: sentence and token counts, tag counts and skipped malformed lines."""

    sentences: int = 0
    tokens: int = 0
    tags: Counter[str] = field(default_factory=Counter)
    skipped_lines: int = 0


def _parse_tag(raw: str) -> str | None:
    """Map a raw corpus tag to one of ``LABELS`` or ``O``; ``None`` if it is not a tag at all."""
    if raw == "0" or raw.upper() == "O":
        return OUTSIDE
    tag = raw.upper().removeprefix("B-").removeprefix("I-")
    return tag if tag in LABELS else None


def parse_lines(lines: Iterable[str], report: CorpusReport | None = None) -> list[Sentence]:
    """Parse corpus lines into sentences.

    Args:
        lines: The lines of a corpus file (with or without line endings).
        report: Optional report that is filled with counts while parsing.

    Returns:
        The non-empty sentences in file order. Lines with a single field or an unknown tag are skipped
        and counted in ``report.skipped_lines``.
    """
    report = report if report is not None else CorpusReport()
    sentences: list[Sentence] = []
    current = Sentence()
    for line in lines:
        fields = line.split()
        if not fields:
            if current.tokens:
                sentences.append(current)
                current = Sentence()
            continue
        tag = _parse_tag(fields[-1]) if len(fields) >= 2 else None
        token = _INVISIBLE.sub("", "".join(fields[:-1]))
        if tag is None or not token:
            report.skipped_lines += 1
            continue
        current.tokens.append(token)
        current.tags.append(tag)
    if current.tokens:
        sentences.append(current)
    report.sentences += len(sentences)
    for sentence in sentences:
        report.tokens += len(sentence.tokens)
        report.tags.update(sentence.tags)
    return sentences


def read_corpus(path: Path, report: CorpusReport | None = None) -> list[Sentence]:
    """Read one corpus file.

    Raises:
        CorpusError: If the file does not exist or is not UTF-8.
    """
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_lines(handle, report)
    except FileNotFoundError as exc:
        raise CorpusError(f"NER corpus file not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise CorpusError(f"NER corpus file is not UTF-8: {path}") from exc


def entity_runs(tags: list[str]) -> list[tuple[int, int, str]]:
    """Return ``(start, end, label)`` token ranges for runs of equal non-``O`` tags."""
    runs: list[tuple[int, int, str]] = []
    start = 0
    for i in range(1, len(tags) + 1):
        if i == len(tags) or tags[i] != tags[start]:
            if tags[start] != OUTSIDE:
                runs.append((start, i, tags[start]))
            start = i
    return runs


def spaces_for(tokens: list[str]) -> list[bool]:
    """Guess, for each token, whether a space follows it when the sentence is written as text."""
    spaces = []
    for i, token in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        follow = nxt is not None and nxt not in _NO_SPACE_BEFORE and token not in _NO_SPACE_AFTER
        spaces.append(follow)
    return spaces


def sentence_to_doc(vocab: Vocab, sentence: Sentence, lower: bool = False, upper: bool = False) -> Doc:
    """Build a ``Doc`` with gold entities from a sentence, optionally lower- or upper-casing every token."""
    words = sentence.tokens
    if lower:
        words = [w.lower() for w in words]
    elif upper:
        words = [w.upper() for w in words]
    doc = Doc(vocab, words=words, spaces=spaces_for(sentence.tokens))
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in entity_runs(sentence.tags)]
    return doc
