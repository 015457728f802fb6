"""FastNer gives the entities spaCy's own pipeline gives, on chat text and on the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from guardrails.ner.corpus import DEFAULT_CORPUS_DIR, TEST_FILE, read_corpus
from guardrails.ner.inference import FastNer
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR
from guardrails.ner.tokens import trim_lexeme_attributes

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def pipelines() -> tuple[spacy.language.Language, spacy.language.Language, FastNer]:
    reference = spacy.load(DEFAULT_MODEL_DIR)
    fast_nlp = spacy.load(DEFAULT_MODEL_DIR)
    trim_lexeme_attributes(fast_nlp)
    return reference, fast_nlp, FastNer(fast_nlp)


def _chat_texts() -> list[str]:
    texts = []
    for path in (ROOT / "data/eval/ner_chat.jsonl", ROOT / "data/eval/pii/pii_devset.jsonl"):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    return texts


def _disagreements(pipelines, texts: list[str]) -> int:
    reference, fast_nlp, fast = pipelines
    different = 0
    for text in texts:
        expected = [(e.start, e.end, e.label_) for e in reference(text).ents]
        with fast_nlp.memory_zone():
            different += fast.entities(fast_nlp.make_doc(text)) != expected
    return different


def test_same_entities_as_spacy_on_chat_text_in_every_case(pipelines) -> None:
    texts = _chat_texts()
    texts += [t.lower() for t in texts] + [t.upper() for t in texts] + ["", " ", "\n\n", "a", "Å."]
    assert _disagreements(pipelines, texts) == 0


@pytest.mark.skipif(not (DEFAULT_CORPUS_DIR / TEST_FILE).exists(), reason="../shared corpus is absent")
def test_same_entities_as_spacy_on_the_corpus_test_split(pipelines) -> None:
    texts = [" ".join(s.tokens) for s in read_corpus(DEFAULT_CORPUS_DIR / TEST_FILE)]
    # Float sums may be ordered differently from spaCy's; a near-tie may flip, but almost never does.
    assert _disagreements(pipelines, texts) <= len(texts) // 1000


def test_long_text_and_many_entities(pipelines) -> None:
    text = " ".join(f"Anna Svensson och Per Holm i Stockholm ringde {i}." for i in range(60))
    assert _disagreements(pipelines, [text]) == 0


def test_another_pipeline_layout_falls_back_to_spacy(pipelines) -> None:
    from guardrails.ner.inference import SpacyNer, build_ner

    reference, _, _ = pipelines
    blank = spacy.blank("sv")
    assert isinstance(build_ner(blank), SpacyNer)
    fallback = SpacyNer(reference)
    text = "Jag heter Anna Svensson och bor i Stockholm."
    assert fallback.entities(reference.make_doc(text)) == [
        (e.start, e.end, e.label_) for e in reference(text).ents
    ]
