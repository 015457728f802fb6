"""The chat-style PERSON evaluation set is well-formed and has the mix it claims."""

from __future__ import annotations

import re

from guardrails.ner.evaluate import DEFAULT_CHAT_SET, read_chat_set
from guardrails.ner.lexicon import NameLexicon
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR


def test_chat_set_is_large_enough_with_valid_spans() -> None:
    messages = read_chat_set(DEFAULT_CHAT_SET)
    assert len(messages) >= 150
    assert len({m.id for m in messages}) == len(messages)
    assert len({m.text for m in messages}) == len(messages)
    for m in messages:
        assert m.lang in {"sv", "en"} and m.split in {"dev", "test"}
        for start, end in m.spans:
            value = m.text[start:end]
            assert value and value == value.strip() and re.match(r"\w", value), m.id
            assert not m.text[end : end + 1].isalpha(), m.id  # spans end at a word boundary


def test_chat_set_has_negatives_with_name_like_ordinary_words() -> None:
    messages = read_chat_set(DEFAULT_CHAT_SET)
    lexicon = NameLexicon.load(DEFAULT_MODEL_DIR)
    negatives = [m for m in messages if not m.spans]
    assert len(negatives) >= 60
    tricky = [m for m in negatives if any(lexicon.is_ambiguous(w) for w in re.findall(r"\w+", m.text))]
    assert len(tricky) >= 25
    assert sum(1 for m in messages if m.lang == "en") >= 20
    assert sum(1 for m in messages if m.split == "test") >= 100  # the held-out part
