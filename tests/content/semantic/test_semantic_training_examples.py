"""Reading Rasa NLU examples and attaching them to each intent's default article."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from content.semantic.training_examples import examples_by_article, read_nlu_examples, strip_entity_markup


@pytest.mark.parametrize(
    ("annotated", "plain"),
    [
        ("hur sorterar jag [matavfall](waste_type)", "hur sorterar jag matavfall"),
        ('påsar till [matavfallet]{"entity": "waste_type", "value": "matavfall"}', "påsar till matavfallet"),
        ("lampan på [Storgatan](street:Storgatan) är trasig", "lampan på Storgatan är trasig"),
        ("inga [hakparenteser] utan entitet", "inga [hakparenteser] utan entitet"),
        ("  sopor?  ", "sopor?"),
    ],
)
def test_strip_entity_markup(annotated: str, plain: str) -> None:
    assert strip_entity_markup(annotated) == plain


def _write_nlu(directory: Path) -> None:
    directory.mkdir()
    (directory / "waste.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: waste_collection\n"
        "  examples: |\n"
        "    - när hämtas soporna\n"
        "    - var slänger jag [grovavfall](waste_type)\n"
        "- synonym: matavfall\n"
        "  examples: |\n"
        "    - matrester\n"
        "- intent: human_handoff\n"
        "  examples: |\n"
        "    - kan jag prata med en människa\n"
        "- intent: faq/opening\n"
        "  examples: |\n"
        "    - när öppnar ni\n",
        encoding="utf-8",
    )
    (directory / "smalltalk.yml").write_text(
        "nlu:\n- intent: greet\n  examples: |\n    - hej\n", encoding="utf-8"
    )


def test_read_nlu_examples_keeps_intents_only(tmp_path: Path) -> None:
    _write_nlu(tmp_path / "nlu")

    found = read_nlu_examples(sorted((tmp_path / "nlu").glob("*.yml")))

    assert found == {
        "greet": ["hej"],
        "waste_collection": ["när hämtas soporna", "var slänger jag grovavfall"],
        "human_handoff": ["kan jag prata med en människa"],
        "faq/opening": ["när öppnar ni"],
    }


def test_examples_go_to_the_default_article_of_their_intent(tmp_path: Path) -> None:
    _write_nlu(tmp_path / "nlu")
    knowledge = SimpleNamespace(
        topics={
            "waste_collection": SimpleNamespace(default_articles={"waste_collection": "waste-schedule"}),
            "contact": SimpleNamespace(default_articles={"human_handoff": "handoff", "faq": "hours"}),
            "smalltalk": SimpleNamespace(default_articles={"greet": "not-an-article"}),
        },
        articles={"waste-schedule": object(), "handoff": object(), "hours": object()},
    )

    found = examples_by_article(knowledge, tmp_path / "nlu")

    assert found == {
        "waste-schedule": ["när hämtas soporna", "var slänger jag grovavfall"],
        "handoff": ["kan jag prata med en människa"],
        "hours": ["när öppnar ni"],
    }
    assert examples_by_article(knowledge, tmp_path / "missing") == {}
