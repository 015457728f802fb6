"""Chat augmentation: template names are PER spans, negatives carry no entity, lexicon splits names."""

from __future__ import annotations

import random

import pytest
import spacy

from guardrails.ner.augment import AugmentConfig, Names, fill_template, template_docs, text_to_doc
from guardrails.ner.lexicon import NameLexicon, build_lexicon, faker_names
from guardrails.ner.templates import NEGATIVE, POSITIVE_EN, POSITIVE_SV

pytest.importorskip("faker", reason="faker (dev extra) builds the name lexicon")


@pytest.fixture(scope="module")
def lexicon() -> NameLexicon:
    return build_lexicon(["hans", "dag", "sten", "bil"])


@pytest.fixture(scope="module")
def names(lexicon: NameLexicon) -> Names:
    first, last = faker_names()
    return Names.from_lexicon(first, last, lexicon)


def test_lexicon_separates_clear_names_from_ordinary_words(lexicon: NameLexicon) -> None:
    assert lexicon.is_clear_name("Anna") and lexicon.is_clear_name("andersson")
    assert lexicon.is_name("Björn") and "björn" in lexicon.ordinary_words
    assert {"rosa", "sten", "ek", "berg", "linnea"} <= lexicon.ordinary_words
    assert {"hans", "dag", "per", "maj"} <= lexicon.function_words
    assert "bil" not in lexicon.ordinary_words  # corpus words are only added when they are names
    assert not lexicon.ordinary_words & lexicon.function_words


def test_lexicon_round_trips_through_json(lexicon: NameLexicon, tmp_path) -> None:
    lexicon.save(tmp_path, "test")
    assert NameLexicon.load(tmp_path) == lexicon


@pytest.mark.parametrize("template", POSITIVE_SV + POSITIVE_EN)
def test_every_template_yields_name_spans(template: str, names: Names) -> None:
    rng = random.Random(7)
    text, spans = fill_template(template, rng, names, AugmentConfig())
    assert "{" not in text and len(spans) == template.count("{name")
    for start, end in spans:
        assert text[start:end].split()[0] in names.first


def test_template_docs_mark_names_and_leave_negatives_empty(names: Names) -> None:
    nlp = spacy.blank("sv")
    config = AugmentConfig(negative_repeats=1)
    docs = template_docs(nlp, names, 200, seed=3, config=config)
    positives, negatives = docs[:200], docs[200:]
    assert len(negatives) == len(NEGATIVE)
    assert all(doc.ents and all(e.label_ == "PER" for e in doc.ents) for doc in positives)
    assert all(not doc.ents for doc in negatives)
    assert any(doc.text.islower() for doc in positives)  # lower-case chat variants exist
    ambiguous = {n.lower() for n in names.ambiguous_first}
    assert any(e.text.split()[0].lower() in ambiguous for doc in positives for e in doc.ents)


def test_text_to_doc_expands_to_whole_tokens() -> None:
    doc = text_to_doc(spacy.blank("sv"), "Annas pappa", [(0, 4)])
    assert [e.text for e in doc.ents] == ["Annas"]
