"""Find person names in a chat message: the trained NER model, cue phrases and the name lexicon.

Evidence and scores (the redactor's default threshold is 0.5):

* a strong cue before the name ("jag heter Björn", "my name is …")                      0.95
* a relation cue + a capitalised word or known name ("min son Rami", "handläggare Sten"),
  or a weak cue + a known name ("kontakta anna", "Björn sa att …")                         0.85
* the model's PER span with a known name, or capitalised inside a sentence               0.85
* the model's PER span of two or more capitalised words at the start of a sentence       0.70
  (a single unknown capitalised word opening a sentence is dropped: "Mobilnr …")
* a known first name the model missed (capitalised 0.75, lower case 0.60), or a known
  capitalised last name (0.60)

Names that are also ordinary words (björn, rosa, sten, ek) need a cue, a capital letter inside a
sentence, or a known name next to them; frequent function words (hans, inga, per, maj) need a capital
letter and a cue. Spans that the model finds in lower case without any of this are dropped.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language

from guardrails.ner.cues import (
    NON_PERSON_SUFFIXES,
    RELATION_LEFT,
    RIGHT_CUE_BRIDGE,
    STOP_WORDS,
    STRONG_LEFT,
    WEAK_LEFT,
    WEAK_RIGHT,
)
from guardrails.ner.lexicon import NameLexicon
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR, load_pipeline

STRONG, RELATION, WEAK = 3, 2, 1
SCORE_STRONG_CUE = 0.95
SCORE_WEAK_CUE = 0.85
SCORE_MODEL = 0.85
SCORE_MODEL_SENTENCE_START = 0.70
SCORE_LEXICON_CAPITALISED = 0.75
SCORE_LEXICON_LOWER = 0.60
SCORE_LAST_NAME = 0.60
MAX_NAME_TOKENS = 4

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_PLACE_WORDS = frozenset({"här", "here"})  # "Anna här" confirms a name; "… i park here" does not
_SENTENCE_END = frozenset({".", "!", "?", ":", ";", "…", "-", "–", "—", '"', "”", "(", "*", "•"})


@dataclass(frozen=True)
class PersonSpan:
    """A person name at ``text[start:end]`` with a score and the kind of evidence (never the value)."""

    start: int
    end: int
    score: float
    reason: str


@dataclass(frozen=True)
class _Tok:
    """A token as the rules see it (a leading "/" of a signature is cut off)."""

    start: int
    end: int
    text: str
    low: str
    is_word: bool
    is_cap: bool
    sentence_start: bool


def _index_cues(cues: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    """Group cue phrases by their last token for a quick look-up."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for cue in cues:
        index.setdefault(cue[-1], []).append(cue)
    return index


_STRONG_INDEX = _index_cues(STRONG_LEFT)
_RELATION_INDEX = _index_cues(RELATION_LEFT)
_WEAK_INDEX = _index_cues(WEAK_LEFT)


class PersonFinder:
    """Combine the NER pipeline with cue and lexicon rules; ``find`` returns person spans."""

    def __init__(self, nlp: Language, lexicon: NameLexicon) -> None:
        """Use a loaded pipeline and lexicon."""
        self.nlp = nlp
        self.lexicon = lexicon
        # spaCy memory zones must not overlap, so concurrent callers take turns.
        self._lock = threading.Lock()

    @classmethod
    def load(cls, model_dir: Path = DEFAULT_MODEL_DIR) -> PersonFinder:
        """Load the pipeline and ``names.json`` from ``model_dir``."""
        lexicon = NameLexicon.load(model_dir)
        return cls(load_pipeline(model_dir), lexicon)

    # --- tokens and cues -------------------------------------------------------------------------

    def _tokens(self, text: str, shouting: bool) -> tuple[list[_Tok], list[tuple[int, int]]]:
        """Tokenise and tag ``text``; return the tokens and the model's PER token ranges.

        In an all-caps message (``shouting``) capital letters say nothing, so no token counts as
        capitalised. The pipeline runs inside a spaCy memory zone, so the words of the message are not
        kept in the pipeline's vocabulary afterwards (no growth, no user text left in memory).
        """
        with self._lock, self.nlp.memory_zone():
            return self._tokens_in_zone(text, shouting)

    def _tokens_in_zone(self, text: str, shouting: bool) -> tuple[list[_Tok], list[tuple[int, int]]]:
        """Body of ``_tokens``: plain Python values only leave this method."""
        doc = self.nlp(text)
        toks: list[_Tok] = []
        index_of: dict[int, int] = {}
        sentence_start = True
        for t in doc:
            if t.is_space:
                if "\n" in t.text:
                    sentence_start = True
                continue
            start, word = t.idx, t.text
            if word.startswith("/") and len(word) > 1:
                start, word = start + 1, word[1:]
            index_of[t.i] = len(toks)
            toks.append(
                _Tok(
                    start,
                    start + len(word),
                    word,
                    word.lower(),
                    bool(_WORD.fullmatch(word)),
                    word[:1].isupper() and not shouting,
                    sentence_start,
                )
            )
            sentence_start = word in _SENTENCE_END or "\n" in t.whitespace_
        ranges = []
        for ent in doc.ents:
            inside = [index_of[i] for i in range(ent.start, ent.end) if i in index_of]
            if ent.label_ == "PER" and inside:
                ranges.append((inside[0], inside[-1] + 1))
        return toks, ranges

    @staticmethod
    def _left_cue(toks: list[_Tok], i: int) -> int:
        """Strength of a cue phrase that ends right before token ``i`` (0 = none)."""
        if i == 0:
            return 0
        last = toks[i - 1].low
        for strength, index in ((STRONG, _STRONG_INDEX), (RELATION, _RELATION_INDEX), (WEAK, _WEAK_INDEX)):
            for cue in index.get(last, ()):
                n = len(cue)
                if i >= n and tuple(t.low for t in toks[i - n : i]) == cue:
                    return strength
        return 0

    @staticmethod
    def _right_cue(toks: list[_Tok], end: int) -> bool:
        """Whether the words after a name confirm it ("… sa att", "kan X ringa", "X på bygglov sa")."""
        if end < len(toks) and toks[end].low in WEAK_RIGHT:
            return True
        bridged = end + 2
        return (
            bridged < len(toks)
            and toks[end].low in RIGHT_CUE_BRIDGE
            and toks[end + 1].is_word
            and toks[bridged].low in WEAK_RIGHT
            and toks[bridged].low not in _PLACE_WORDS
        )

    # --- token tests -----------------------------------------------------------------------------

    def _known(self, word: str) -> bool:
        """A known first or last name; capitalised words also in the genitive ("Annas", not "klass")."""
        lex = self.lexicon
        low = word.lower()
        if lex.is_name(low):
            return True
        return word[:1].isupper() and low.endswith("s") and len(low) > 2 and lex.is_name(low[:-1])

    def _stem(self, word: str) -> str:
        """The lower-cased name, without a genitive -s when only the stem is a known name."""
        low = word.lower()
        if self._known(word) and not self.lexicon.is_name(low):
            return low[:-1]
        return low

    def _is_stop(self, tok: _Tok) -> bool:
        """A word that is not a name here: a stop word (unless a capitalised known name) or a place."""
        if tok.low.endswith(NON_PERSON_SUFFIXES) and not self._known(tok.text):
            return True
        return tok.low in STOP_WORDS and not (tok.is_cap and self._known(tok.text))

    def _first_after_cue(self, tok: _Tok, strength: int) -> bool:
        """Whether ``tok`` can be the first word of a name that follows a cue of ``strength``."""
        if not tok.is_word or self._is_stop(tok):
            return False
        if strength == STRONG or (strength == RELATION and tok.is_cap):
            return True
        stem = self._stem(tok.text)
        if not self._known(tok.text):
            return False
        return tok.is_cap or stem not in self.lexicon.function_words

    def _continues(self, tok: _Tok) -> bool:
        """Whether ``tok`` continues a name (a capitalised word or a known, unambiguous-enough name)."""
        if not tok.is_word or self._is_stop(tok) or tok.sentence_start:
            return False
        if tok.is_cap:
            return True
        return self._known(tok.text) and self._stem(tok.text) not in self.lexicon.function_words

    def _extend(self, toks: list[_Tok], start: int) -> int:
        """End index of a name that starts at ``start``, taking following name words along."""
        end = start + 1
        while end < len(toks) and end - start < MAX_NAME_TOKENS and self._continues(toks[end]):
            end += 1
        return end

    def _discount_sentence_case(self, toks: list[_Tok]) -> list[_Tok]:
        """Opening a sentence, "Hans", "Inga", "My" are words, not names.

        Unless a right cue ("Per sa …") or a capitalised last name ("Hans Berg") follows.
        """
        out = list(toks)
        lex = self.lexicon
        for i, tok in enumerate(toks):
            if not (tok.is_cap and tok.sentence_start and self._stem(tok.text) in lex.function_words):
                continue
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            full_name = nxt is not None and nxt.is_cap and nxt.low in lex.last_names
            if not full_name and not self._right_cue(toks, i + 1):
                out[i] = replace(tok, is_cap=False)
        return out

    # --- evidence ------------------------------------------------------------------------------

    def _judge_model_span(self, toks: list[_Tok], s: int, e: int, shouting: bool) -> tuple[float, str]:
        """Score and reason for a model PER span after the context rules (score 0 = drop)."""
        span = toks[s:e]
        lex = self.lexicon
        stems = [self._stem(t.text) for t in span]
        cue = self._left_cue(toks, s)
        if cue == STRONG:
            return SCORE_STRONG_CUE, "model + strong cue"
        if cue in (RELATION, WEAK) or self._right_cue(toks, e):
            # A cue confirms capitalised words and lower-case known names, but not a lower-case function
            # word ("min son ville …") or an unknown lower-case word ("vad heter förskolan").
            pairs = zip(span, stems, strict=True)
            if any(t.is_cap or (lex.is_name(st) and st not in lex.function_words) for t, st in pairs):
                return SCORE_WEAK_CUE, "model + weak cue"
            return 0.0, ""
        if all(t.text.isupper() and len(t.text) > 1 for t in span) and not shouting:
            return 0.0, ""  # an acronym ("SFI") in a normally written message
        if any(lex.is_name(st) and not lex.is_ambiguous(st) for st in stems):
            score = SCORE_MODEL if all(t.is_cap for t in span) or len(span) == 1 else SCORE_LEXICON_LOWER
            return score, "model + name list"
        if not all(t.is_cap for t in span):
            return 0.0, ""  # lower case, no known name, no cue: too weak for chat text
        if len(span) >= 2 and lex.is_first_name(stems[0]) and any(st in lex.last_names for st in stems[1:]):
            return SCORE_MODEL, "model + name list"  # "Björn Berg": first name + last name
        if all(lex.is_ambiguous(st) for st in stems):
            # "Rosa soptunnor …" at the start of a sentence is a colour; "med Björn i går" is a name.
            if span[0].sentence_start or any(st in lex.function_words for st in stems):
                return 0.0, ""
            return SCORE_MODEL_SENTENCE_START, "model, capitalised"
        if span[0].sentence_start:
            # One unknown capitalised word opening a sentence ("Mobilnr …", "Reservnummer …") is just
            # sentence case in chat; two or more ("Dragan Petrović …") look like a name.
            return (SCORE_MODEL_SENTENCE_START if len(span) >= 2 else 0.0), "model"
        return SCORE_MODEL, "model"

    def _trim(self, toks: list[_Tok], s: int, e: int) -> tuple[int, int]:
        """Drop stop words (titles and roles among them), non-words and unknown lower-case lead words."""
        while s < e and (not toks[s].is_word or self._is_stop(toks[s])):
            s += 1
        while e > s and (not toks[e - 1].is_word or self._is_stop(toks[e - 1])):
            e -= 1
        while (
            e - s >= 2
            and not toks[s].is_cap
            and not self._known(toks[s].text)
            and any(t.is_cap for t in toks[s + 1 : e])
        ):
            s += 1  # an unknown lower-case word before a capitalised name ("fördömde Rehn")
        return s, e

    def find(self, text: str) -> list[PersonSpan]:
        """Return the person names in ``text`` (character offsets into ``text``), merged and sorted."""
        if not text.strip():
            return []
        letters = [c for c in text if c.isalpha()]
        shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.6 * len(letters)
        toks, model_ranges = self._tokens(text, shouting)
        toks = self._discount_sentence_case(toks)
        found: dict[int, tuple[int, float, str]] = {}  # start token -> (end token, score, reason)

        def add(s: int, e: int, score: float, reason: str) -> None:
            old = found.get(s)
            if score > 0 and (old is None or score > old[1] or (score == old[1] and e > old[0])):
                found[s] = (e, score, reason)

        for s, e in model_ranges:
            s, e = self._trim(toks, s, e)
            if s < e:
                add(s, e, *self._judge_model_span(toks, s, e, shouting))

        lex = self.lexicon
        for i, tok in enumerate(toks):
            cue = self._left_cue(toks, i)
            if cue and self._first_after_cue(tok, cue):
                reason = {STRONG: "strong cue", RELATION: "relation cue"}.get(cue, "weak cue")
                add(i, self._extend(toks, i), SCORE_STRONG_CUE if cue == STRONG else SCORE_WEAK_CUE, reason)
                continue
            if not tok.is_word or self._is_stop(tok):
                continue
            stem = self._stem(tok.text)
            if self._known(tok.text) and (tok.is_cap or stem not in lex.function_words):
                end = self._extend(toks, i)
                if self._right_cue(toks, end):
                    add(i, end, SCORE_WEAK_CUE, "weak cue")
                    continue
            if not lex.is_name(stem) or lex.is_ambiguous(stem):
                continue
            if lex.is_first_name(stem):
                score = SCORE_LEXICON_CAPITALISED if tok.is_cap else SCORE_LEXICON_LOWER
                add(i, self._extend(toks, i), score, "name list")
            elif tok.is_cap:
                add(i, self._extend(toks, i), SCORE_LAST_NAME, "name list")
        return self._merge(text, toks, found)

    @staticmethod
    def _merge(text: str, toks: list[_Tok], found: dict[int, tuple[int, float, str]]) -> list[PersonSpan]:
        """Turn token ranges into character spans, merging overlapping and space-separated neighbours."""
        spans: list[PersonSpan] = []
        for s in sorted(found):
            e, score, reason = found[s]
            start, end = toks[s].start, toks[e - 1].end
            if spans and (start < spans[-1].end or text[spans[-1].end : start] == " "):
                prev = spans[-1]
                best = prev if prev.score >= score else PersonSpan(0, 0, score, reason)
                spans[-1] = PersonSpan(prev.start, max(prev.end, end), best.score, best.reason)
            else:
                spans.append(PersonSpan(start, end, score, reason))
        return spans
