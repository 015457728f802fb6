"""Augment the news corpus for chat text: case variants and names inserted into municipal templates."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from guardrails.ner.corpus import Sentence, sentence_to_doc
from guardrails.ner.lexicon import NameLexicon
from guardrails.ner.templates import FRAMES, NEGATIVE, POSITIVE_EN, POSITIVE_SV


@dataclass(frozen=True)
class AugmentConfig:
    """How much of each kind of example to add (shares are of the corpus sentences)."""

    lower_share: float = 0.35
    upper_share: float = 0.04
    template_examples: int = 3000
    negative_repeats: int = 6
    ambiguous_name_share: float = 0.25
    full_name_share: float = 0.4
    frame_share: float = 0.3
    person_slot_repeats: int = 3


@dataclass(frozen=True)
class Names:
    """Names in their display spelling, for filling templates."""

    first: Sequence[str]
    last: Sequence[str]
    ambiguous_first: Sequence[str]

    @classmethod
    def from_lexicon(cls, first: Sequence[str], last: Sequence[str], lexicon: NameLexicon) -> Names:
        """Split Faker's names into all first names, last names and first names that are also words."""
        ambiguous = [n for n in first if lexicon.is_ambiguous(n)]
        return cls(first=list(first), last=list(last), ambiguous_first=ambiguous)


def _pick_name(rng: random.Random, names: Names, config: AugmentConfig) -> str:
    """Pick a first name (sometimes one that is also an ordinary word), sometimes with a last name."""
    pool = names.ambiguous_first if rng.random() < config.ambiguous_name_share else names.first
    name = rng.choice(pool)
    if rng.random() < config.full_name_share:
        name = f"{name} {rng.choice(names.last)}"
    return name


def fill_template(
    template: str, rng: random.Random, names: Names, config: AugmentConfig
) -> tuple[str, list[tuple[int, int]]]:
    """Fill ``{name}``/``{name2}`` slots; return the text and the character spans of the names."""
    text = ""
    spans: list[tuple[int, int]] = []
    rest = template
    while True:
        cut = min((i for i in (rest.find("{name}"), rest.find("{name2}")) if i >= 0), default=-1)
        if cut < 0:
            return text + rest, spans
        slot_len = len("{name2}") if rest.startswith("{name2}", cut) else len("{name}")
        text += rest[:cut]
        name = _pick_name(rng, names, config)
        spans.append((len(text), len(text) + len(name)))
        text += name
        rest = rest[cut + slot_len :]


def _case_variant(text: str, rng: random.Random) -> str:
    """Return the text as written, in lower case, in upper case or with a lower-case first letter."""
    roll = rng.random()
    if roll < 0.40:
        return text.lower()
    if roll < 0.45:
        return text.upper()
    if roll < 0.60:
        return text[:1].lower() + text[1:]
    return text


def text_to_doc(nlp: Language, text: str, spans: list[tuple[int, int]]) -> Doc:
    """Tokenise ``text`` with the pipeline's tokenizer and mark ``spans`` as PER entities."""
    doc = nlp.make_doc(text)
    ents = []
    for start, end in spans:
        span = doc.char_span(start, end, label="PER", alignment_mode="expand")
        if span is not None:
            ents.append(span)
    doc.ents = ents
    return doc


def template_docs(nlp: Language, names: Names, count: int, seed: int, config: AugmentConfig) -> list[Doc]:
    """Generate ``count`` positive template messages and the negatives (repeated in case variants)."""
    rng = random.Random(seed)
    templates = POSITIVE_SV + POSITIVE_EN
    docs = []
    for _ in range(count):
        text, spans = fill_template(rng.choice(templates), rng, names, config)
        variant = _case_variant(text, rng)
        docs.append(text_to_doc(nlp, variant, spans))
    for sentence in NEGATIVE:
        for _ in range(config.negative_repeats):
            docs.append(text_to_doc(nlp, _case_variant(sentence, rng), []))
    return docs


def corpus_docs(nlp: Language, sentences: Sequence[Sentence], seed: int, config: AugmentConfig) -> list[Doc]:
    """Each corpus sentence as written, plus lower-case and upper-case copies of a random share."""
    rng = random.Random(seed)
    docs = []
    for sentence in sentences:
        docs.append(sentence_to_doc(nlp.vocab, sentence))
        roll = rng.random()
        if roll < config.lower_share:
            docs.append(sentence_to_doc(nlp.vocab, sentence, lower=True))
        elif roll < config.lower_share + config.upper_share:
            docs.append(sentence_to_doc(nlp.vocab, sentence, upper=True))
    return docs


def municipal_docs(
    nlp: Language, questions: Sequence[str], names: Names, seed: int, config: AugmentConfig
) -> list[Doc]:
    """Municipal questions as negatives, some framed with a name, and ``{name}`` slots filled.

    Args:
        nlp: The pipeline whose tokenizer is used.
        questions: Texts from ``guardrails.ner.municipal`` (``{name}`` marks a person placeholder).
        names: Names for the slots.
        seed: Random seed.
        config: Shares and repeats.
    """
    rng = random.Random(seed)
    docs = []
    for question in questions:
        if "{name}" in question:
            for _ in range(config.person_slot_repeats):
                text, spans = fill_template(question, rng, names, config)
                docs.append(text_to_doc(nlp, _case_variant(text, rng), spans))
            continue
        docs.append(text_to_doc(nlp, question, []))
        if rng.random() < config.frame_share:
            framed = rng.choice(FRAMES).replace("{q}", question)
            text, spans = fill_template(framed, rng, names, config)
            docs.append(text_to_doc(nlp, _case_variant(text, rng), spans))
    return docs
