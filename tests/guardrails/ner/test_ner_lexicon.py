"""The committed name lexicon: Swedish names, other-language names, and no ordinary words among them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guardrails.ner.lexicon import NameLexicon, _fold_accents, fold_name
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


@pytest.mark.parametrize(
    "name",
    # Chile, Colombia, Nigeria, Kenya, Thailand, Iceland: countries of birth of people living in Sweden
    ["fuenzalida", "cifuentes", "okonkwo", "chinedu", "otieno", "mwangi", "pornchanok", "guðrún", "harris"],
)
def test_names_of_more_countries_of_birth_are_known(lexicon: NameLexicon, name: str) -> None:
    assert lexicon.is_other_name(name)


@pytest.mark.parametrize(
    ("word", "why"),
    [
        ("bra", "Swedish, and the Icelandic 'Brá' without its accent"),
        ("skär", "Swedish, and the Danish 'Skær' read with ä for æ"),
        ("skara", "a Swedish town and the Slovenian 'Škara' without accents"),
        ("spela", "Swedish, and the Slovenian 'Špela' without accents"),
        ("una", "a Spanish word, though an Icelandic name"),
        ("día", "a Spanish word, though an Icelandic name"),
        ("cant", "'can't' typed on a phone, though a Dutch surname"),
        ("matta", "a Swedish word in the dictionary, not in the news corpus"),
        ("mad", "an English word (and in the Swedish dictionary)"),
        ("brown", "an English last name that is an English word"),
        ("marsh", "an English last name that is an English word"),
    ],
)
def test_words_that_are_names_elsewhere_are_not_other_language_names(
    lexicon: NameLexicon, word: str, why: str
) -> None:
    assert not lexicon.is_other_name(word), why


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


@pytest.mark.parametrize(
    ("word", "plain"),
    [
        ("Petrović", "petrovic"),
        ("Matías", "matias"),
        ("Çağla", "cagla"),
        ("ŁUKASZ", "lukasz"),
        ("Zoë", "zoe"),
    ],
)
def test_fold_name_drops_accents_but_keeps_the_swedish_letters(word: str, plain: str) -> None:
    assert fold_name(word) == plain
    assert fold_name("Åsa Öberg-Ängström") == "åsa öberg-ängström"  # å, ä and ö are letters of their own
    assert fold_name("Bjørn") == "björn"


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=12))
def test_the_quick_path_folds_exactly_as_letter_by_letter(word: str) -> None:
    """Words already in folded form skip the letter-by-letter fold; the result must not change."""
    assert fold_name(word) == _fold_accents(word.lower())


@pytest.mark.parametrize(("written", "listed"), [("matías", "matias"), ("petrovic", "petrović")])
def test_a_name_is_known_with_and_without_its_accents(
    lexicon: NameLexicon, written: str, listed: str
) -> None:
    assert lexicon.is_name(listed)
    assert lexicon.is_name(written)
    assert lexicon.is_other_name(written) == lexicon.is_other_name(listed)
    assert lexicon.is_first_name(written) == lexicon.is_first_name(listed)


def test_accent_free_forms_never_make_an_ordinary_word_a_name(tmp_path) -> None:
    (tmp_path / "names.json").write_text(
        '{"first_names": ["rosé", "josé"], "last_names": [], '
        '"ordinary_words": ["rose"], "function_words": []}',
        encoding="utf-8",
    )
    small = NameLexicon.load(tmp_path)
    assert small.is_name("jose") and small.is_name("josé")
    assert not small.is_name("rose")  # "rosé" is listed, but its plain form is an ordinary word
    assert not small.is_name("åsa") and not small.is_name("asa")


@given(st.lists(st.sampled_from(["anna", "Anna", "zeynep", "matías", "ring", "sol", "anna-zeynep", "björn"])))
def test_remembered_answers_are_the_answers_and_the_memory_stays_bounded(words: list[str]) -> None:
    """A long message asks about the same words many times; the lexicon remembers within a bound."""
    import guardrails.ner.lexicon as lexicon_module

    fresh = NameLexicon.load(DEFAULT_MODEL_DIR)
    expected = {w: (fresh.is_name(w), fresh.is_other_name(w), fresh.is_first_name(w)) for w in set(words)}
    bounded = NameLexicon.load(DEFAULT_MODEL_DIR)
    size = lexicon_module._MEMO_SIZE
    lexicon_module._MEMO_SIZE = 3
    try:
        for word in words * 2:
            answers = (bounded.is_name(word), bounded.is_other_name(word), bounded.is_first_name(word))
            assert answers == expected[word]
            assert len(bounded._memo) <= 3  # type: ignore[attr-defined]
    finally:
        lexicon_module._MEMO_SIZE = size
