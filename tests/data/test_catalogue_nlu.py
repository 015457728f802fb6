"""The generated ``service_question`` training data matches the articles (content.catalogue_nlu)."""

from __future__ import annotations

from pathlib import Path

import yaml

from content.catalogue_nlu import CATALOGUE_INTENT, OUTPUT, main, render
from content.knowledge import KnowledgeBase

DATA = Path(__file__).resolve().parents[2] / "data"


def test_the_committed_file_is_current():
    assert main(["--check", "--data-dir", str(DATA)]) == 0, "run: python -m content.catalogue_nlu"


def test_it_holds_questions_of_every_catalogue_topic_and_nothing_else():
    kb = KnowledgeBase.load(DATA)
    doc = yaml.safe_load((DATA / OUTPUT).read_text(encoding="utf-8"))
    assert [block["intent"] for block in doc["nlu"]] == [CATALOGUE_INTENT]
    examples = {line[2:] for line in doc["nlu"][0]["examples"].splitlines()}
    owners = {
        article.topic
        for article in kb.articles.values()
        for questions in article.example_questions.values()
        for question in questions
        if " ".join(question.split()) in examples
    }
    catalogue = {name for name, topic in kb.topics.items() if not topic.intents}
    assert owners == catalogue


def test_a_changed_article_makes_the_file_stale(tmp_path):
    kb = KnowledgeBase.load(DATA)
    before = render(kb, DATA / "nlu")
    article = next(a for a in kb.articles.values() if a.topic == "permits")
    questions = dict(article.example_questions)
    questions["sv"] = ("en helt ny fråga om tillstånd", *questions["sv"])
    kb.articles[article.id] = type(article)(**{**article.__dict__, "example_questions": questions})
    assert render(kb, DATA / "nlu") != before
