"""The answer policy's notices and the knowledge base's lookups."""

from __future__ import annotations

from datetime import date

import pytest

from content.knowledge import KnowledgeBase, fold
from content.paths import DEFAULT_DATA_DIR as DATA
from content.policy import AnswerPolicy


@pytest.fixture(scope="module")
def policy() -> AnswerPolicy:
    return AnswerPolicy.load(DATA)


def test_policy_notices_are_approved_texts(policy):
    texts = policy.approved_texts()
    assert policy.notices["urgent_notice"].for_language("sv") in texts
    assert policy.notices["eligibility_notice"].for_language("en") in texts
    urgent = {n for n in policy.notices if n.startswith("urgent_notice")}
    assert urgent >= {"urgent_notice", "urgent_notice_suicide"}
    for name, notice in policy.notices.items():
        if name.startswith("urgent_notice"):
            assert "112" in notice.for_language("sv") and "112" in notice.for_language("en")
            assert notice.source_info("sv")["topic"] == "emergency"
    assert "90101" in policy.notices["urgent_notice_suicide"].for_language("sv")
    assert "1177" in policy.notices["urgent_notice_suicide"].for_language("sv")


def test_every_intent_maps_to_one_topic_and_unknown_is_out_of_scope():
    kb = KnowledgeBase.load(DATA)
    assert kb.topic_of_intent("greet") == "smalltalk"
    assert kb.topic_of_intent("human_handoff") == "contact_opening_hours"
    assert kb.topic_of_intent("no_such_intent") == "out_of_scope"
    assert kb.topic_of_intent(None) == "out_of_scope"


def test_default_article_comes_first_and_stale_articles_are_flagged():
    kb = KnowledgeBase.load(DATA)
    default = kb.topics["waste_collection"].default_articles["waste_collection"]
    assert kb.articles_for_intent("waste_collection")[0].id == default
    stale = {a.id for a in kb.stale_articles(date(2026, 11, 26))}
    assert "out-of-scope-weather" in stale
    assert default not in stale


def test_fold_handles_missing_swedish_letters():
    assert fold("Sophämtning ÅTERVINNING") == fold("sophamtning atervinning")


def test_the_no_answer_notice_is_approved_once_per_topic_contact_and_never_as_a_template():
    from pathlib import Path

    from content.knowledge import KnowledgeBase
    from content.policy import AnswerPolicy

    data = Path(__file__).resolve().parents[2] / "data"
    kb, policy = KnowledgeBase.load(data), AnswerPolicy.load(data)
    approved = policy.approved_texts(kb.topic_contacts())
    notice = policy.notices["no_answer_notice"]
    assert notice.is_template and not policy.notices["clarify_notice"].is_template
    assert notice.text["sv"] not in approved  # the raw template with {phone} is never sent
    for topic in kb.topics.values():
        for language in ("sv", "en"):
            text = notice.for_language(language, topic.contact(language))
            assert text in approved and topic.handoff["phone"] in text and "{" not in text
    assert policy.notices["clarify_notice"].text["sv"] in approved
