"""Tokens of a message as the person rules see them, with the NER model's entities.

The message is tokenised by the pipeline's blank Swedish tokenizer inside a spaCy memory zone, so its
words are not kept in the vocabulary afterwards (no growth, no user text left in memory), and tagged by
:class:`~guardrails.ner.inference.FastNer`. Only plain Python values leave the zone.

Creating a vocabulary entry for a word is most of the tokenizer's cost, so :func:`trim_lexeme_attributes`
keeps only the attributes the model reads, and :func:`warm_vocabulary` adds the words of the project's own
texts (NLU examples, knowledge articles, the name lexicon) permanently: they are not user text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from spacy import attrs
from spacy.language import Language

from guardrails.ner.inference import FastNer, SpacyNer

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_SENTENCE_END = frozenset({".", "!", "?", ":", ";", "…", "-", "–", "—", '"', "”", "(", "*", "•"})
# Lexeme attributes the model reads (NORM, PREFIX, SUFFIX, SHAPE), IS_SPACE for the tokens, and LOWER.
_KEPT_ATTRIBUTES = frozenset(
    {attrs.NORM, attrs.PREFIX, attrs.SUFFIX, attrs.SHAPE, attrs.LOWER, attrs.IS_SPACE}
)


class Tok(NamedTuple):
    """A token as the rules see it (a leading "/" of a signature is cut off)."""

    start: int
    end: int
    text: str
    low: str
    is_word: bool
    is_cap: bool
    sentence_start: bool
    model_person: bool = False  # inside a PER entity of the model


class Tagged(NamedTuple):
    """The tokens of a message and the model's entities as token ranges."""

    toks: list[Tok]
    persons: list[tuple[int, int]]
    others: frozenset[int]  # tokens inside a LOC, ORG or MISC entity


def trim_lexeme_attributes(nlp: Language) -> None:
    """Compute only the lexeme attributes the model and the rules use (no prediction changes)."""
    vocab: Any = nlp.vocab  # lex_attr_getters is not in spaCy's type stubs
    vocab.lex_attr_getters = {k: v for k, v in vocab.lex_attr_getters.items() if k in _KEPT_ATTRIBUTES}


def project_lines(directories: Iterable[Path]) -> list[str]:
    """The lines of the project's own text files (``*.yml``) under ``directories`` (or those files).

    As written and in lower case: the vocabulary citizens' messages share with the bot's own texts.
    """
    lines: list[str] = []
    for directory in directories:
        paths = sorted(directory.rglob("*.yml")) if directory.is_dir() else [directory] * directory.is_file()
        for path in paths:
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                if line.strip():
                    lines.extend((line, line.lower()))
    return lines


def warm_vocabulary(nlp: Language, texts: Iterable[str]) -> None:
    """Tokenise the project's own ``texts`` outside a memory zone, so that their words stay cached."""
    for text in texts:
        nlp.make_doc(text)


def tag(nlp: Language, ner: FastNer | SpacyNer, text: str, caseless: bool) -> Tagged:
    """Tokenise and tag ``text`` (call inside a memory zone).

    In a message without case distinctions (``caseless``: all capitals or all lower case) capital
    letters say nothing, so no token counts as capitalised.
    """
    doc = nlp.make_doc(text)
    toks: list[Tok] = []
    index_of: dict[int, int] = {}
    sentence_start = True
    new_line: set[int] = set()  # doc tokens that open a line
    rows = doc.to_array([attrs.IDX, attrs.LENGTH, attrs.IS_SPACE]).tolist() if len(doc) else []
    for i, (start, length, is_space) in enumerate(rows):
        word = text[start : start + length]
        if is_space:
            if "\n" in word:
                sentence_start = True
                new_line.add(i + 1)
            continue
        if word.startswith("/") and len(word) > 1:
            start, word = start + 1, word[1:]
        index_of[i] = len(toks)
        toks.append(
            Tok(
                start,
                start + len(word),
                word,
                word.lower(),
                _WORD.fullmatch(word) is not None,
                word[:1].isupper() and not caseless,
                sentence_start,
            )
        )
        sentence_start = word in _SENTENCE_END
    persons = []
    others: set[int] = set()
    for start, end, label in ner.entities(doc):
        # A name never runs over a line break ("Förnamn: Per\nEfternamn: …"): each line's part is its own.
        cuts = [start, *(i for i in range(start + 1, end) if i in new_line), end]
        for part_start, part_end in zip(cuts, cuts[1:], strict=False):
            inside = [index_of[i] for i in range(part_start, part_end) if i in index_of]
            if not inside:
                continue
            if label == "PER":
                persons.append((inside[0], inside[-1] + 1))
                for i in inside:
                    toks[i] = toks[i]._replace(model_person=True)
            else:
                others.update(inside)
    return Tagged(toks, persons, frozenset(others))
