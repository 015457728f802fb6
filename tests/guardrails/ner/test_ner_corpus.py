"""Reading the NER corpus: tab/space separated lines, IO tags, malformed lines, spaCy docs."""

from __future__ import annotations

import pytest
import spacy

from guardrails.ner.corpus import (
    DEFAULT_CORPUS_DIR,
    TEST_FILE,
    TRAIN_FILE,
    CorpusReport,
    entity_runs,
    parse_lines,
    read_corpus,
    sentence_to_doc,
    spaces_for,
)
from guardrails.ner.errors import CorpusError

SAMPLE = [
    "Gunhild\tPER\n",
    "Westman PER\n",
    ",\t0\n",
    "lektor    0\n",
    "i\t0\n",
    "Lund\tLOC\n",
    ".\t0\n",
    "\n",
    "bn\n",
    "Volvo\tORG\n",
    "säljer\tXYZ\n",
    "bilar\t0\n",
    "\n",
    "\n",
]


def test_parse_lines_reads_tab_and_space_separated_tags() -> None:
    report = CorpusReport()
    sentences = parse_lines(SAMPLE, report)
    assert [s.tokens for s in sentences] == [
        ["Gunhild", "Westman", ",", "lektor", "i", "Lund", "."],
        ["Volvo", "bilar"],
    ]
    assert sentences[0].tags == ["PER", "PER", "O", "O", "O", "LOC", "O"]
    assert report.sentences == 2
    assert report.skipped_lines == 2  # "bn" has no tag, "XYZ" is not a tag
    assert report.tags["PER"] == 2


def test_invisible_characters_are_removed_from_tokens() -> None:
    sentences = parse_lines(["lilla\t0\n", "\u00advärlden\t0\n", "\u200b\t0\n"])
    assert sentences[0].tokens == ["lilla", "världen"]


@pytest.mark.parametrize(
    ("tags", "runs"),
    [
        (["O", "PER", "PER", "O", "LOC"], [(1, 3, "PER"), (4, 5, "LOC")]),
        (["PER", "ORG"], [(0, 1, "PER"), (1, 2, "ORG")]),
        (["O", "O"], []),
        ([], []),
    ],
)
def test_entity_runs_join_equal_neighbouring_tags(tags: list[str], runs: list[tuple[int, int, str]]) -> None:
    assert entity_runs(tags) == runs


def test_spaces_follow_written_punctuation() -> None:
    assert spaces_for(["Hej", ",", "Anna", "(", "x", ")", "."]) == [
        False,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_sentence_to_doc_marks_entities_and_case_variants() -> None:
    vocab = spacy.blank("sv").vocab
    sentence = parse_lines(SAMPLE)[0]
    doc = sentence_to_doc(vocab, sentence)
    assert doc.text == "Gunhild Westman, lektor i Lund."
    assert [(e.text, e.label_) for e in doc.ents] == [("Gunhild Westman", "PER"), ("Lund", "LOC")]
    lower = sentence_to_doc(vocab, sentence, lower=True)
    assert [(e.text, e.label_) for e in lower.ents] == [("gunhild westman", "PER"), ("lund", "LOC")]
    upper = sentence_to_doc(vocab, sentence, upper=True)
    assert upper.ents[0].text == "GUNHILD WESTMAN"


def test_missing_corpus_file_raises_corpus_error(tmp_path) -> None:
    with pytest.raises(CorpusError):
        read_corpus(tmp_path / "missing.txt")


@pytest.mark.skipif(
    not (DEFAULT_CORPUS_DIR / TRAIN_FILE).exists(),
    reason=f"{DEFAULT_CORPUS_DIR} is absent (shared data is only in CI and dev checkouts)",
)
def test_shared_corpus_reads_with_the_four_labels() -> None:
    report = CorpusReport()
    train = read_corpus(DEFAULT_CORPUS_DIR / TRAIN_FILE, report)
    test = read_corpus(DEFAULT_CORPUS_DIR / TEST_FILE)
    assert len(train) == 6885
    assert len(test) > 2400
    assert set(report.tags) == {"O", "PER", "ORG", "LOC", "MISC"}
    assert report.skipped_lines <= 5
