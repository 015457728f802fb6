"""The committed name lexicon: Swedish names, other-language names, and no ordinary words among them."""

from __future__ import annotations

import pytest

from guardrails.ner.lexicon import NameLexicon
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR


@pytest.fixture(scope="module")
def lexicon() -> NameLexicon:
    return NameLexicon.load(DEFAULT_MODEL_DIR)


@pytest.mark.parametrize("name", ["zeynep", "dragan", "milica", "juha", "virtanen", "yilmaz", "aino"])
def test_names_common_in_sweden_beyond_the_swedish_lists_are_known(lexicon: NameLexicon, name: str) -> None:
    assert lexicon.is_name(name) and lexicon.is_other_name(name)


@pytest.mark.parametrize(
    "word",
    ["ring", "park", "villa", "man", "alla", "can", "will", "hope", "sol", "mörk", "bygglov", "sopor"],
)
def test_ordinary_words_are_not_other_language_names(lexicon: NameLexicon, word: str) -> None:
    assert not lexicon.is_other_name(word)


def test_swedish_lists_keep_their_own_rules(lexicon: NameLexicon) -> None:
    assert lexicon.is_first_name("anna") and not lexicon.is_other_name("anna")
    assert lexicon.is_ambiguous("björn") and lexicon.is_ambiguous("per")
    assert lexicon.is_name("anna-zeynep")


def test_a_lexicon_file_without_other_names_still_loads(tmp_path) -> None:
    (tmp_path / "names.json").write_text(
        '{"first_names": ["anna"], "last_names": [], "ordinary_words": [], "function_words": []}',
        encoding="utf-8",
    )
    assert NameLexicon.load(tmp_path).other_names == frozenset()
