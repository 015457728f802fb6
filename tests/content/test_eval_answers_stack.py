"""How ``scripts/eval_answers_stack.py`` judges what the citizen was shown (the real knowledge base)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from eval_answers_stack import judge_reply, offered_articles, reply_kind  # noqa: E402

from content.knowledge import KnowledgeBase  # noqa: E402


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load(ROOT / "data")


def question(*parts: frozenset[str], site: frozenset[str] = frozenset()) -> dict[str, Any]:
    return {"text": "q", "accept_parts": list(parts), "site_accept": site}


def body(*sources: dict[str, Any]) -> dict[str, Any]:
    return {"messages": [{"text": "t", "source": s} for s in sources]}


def test_an_article_after_a_notice_is_the_answer(kb: KnowledgeBase) -> None:
    reply = body({"policy": "eligibility_notice", "version": 4}, {"article_id": "library-card", "version": 1})
    kind, articles, _, notices = reply_kind(reply, kb)
    assert (kind, articles, notices) == ("answer", ["library-card"], ["eligibility_notice"])
    assert judge_reply(kind, articles, [], question(frozenset({"library-card"}))) == "right"
    assert judge_reply(kind, articles, [], question(frozenset({"library-late-fees"}))) == "wrong"
    assert judge_reply(kind, articles, [], question(frozenset())) == "wrong"  # nothing answers it


def test_a_two_part_question_with_one_part_answered_is_safe_not_right(kb: KnowledgeBase) -> None:
    parts = (frozenset({"library-card"}), frozenset({"waste-bin-fees"}))
    assert judge_reply("answer", ["library-card"], [], question(*parts)) == "safe"
    assert judge_reply("answer", ["library-card", "waste-bin-fees"], [], question(*parts)) == "right"


def test_system_texts_and_honest_notices_are_no_answer(kb: KnowledgeBase) -> None:
    for reply in (
        body({"article_id": "fallback-unsure", "version": 1}),
        body({"policy": "clarify_notice", "version": 4}),
        body({"policy": "no_answer_notice", "version": 4}),
    ):
        kind, articles, _, _ = reply_kind(reply, kb)
        assert kind == "honest" and not articles
    assert judge_reply("honest", [], [], question(frozenset())) == "right"
    assert judge_reply("honest", [], [], question(frozenset({"library-card"}))) == "safe"
    assert judge_reply("honest", [], [], question(frozenset(), site=frozenset({"https://x/p/"}))) == "safe"


def test_a_website_passage_is_judged_by_its_page(kb: KnowledgeBase) -> None:
    reply = body({"passage_id": "p1", "page_url": "https://x/p/", "version": 1})
    kind, _, pages, _ = reply_kind(reply, kb)
    assert (kind, pages) == ("passage", ["https://x/p/"])
    assert judge_reply(kind, [], pages, question(frozenset(), site=frozenset({"https://x/p/"}))) == "right"
    assert judge_reply(kind, [], pages, question(frozenset(), site=frozenset({"https://x/q/"}))) == "wrong"


def test_an_urgent_notice_alone_or_a_form_step_is_diverted(kb: KnowledgeBase) -> None:
    for reply in (
        body({"policy": "urgent_notice_fire", "version": 4}),
        body({"article_id": "callback-form-ask-contact", "version": 1}),
        {"messages": [{"text": "Hej!"}]},
    ):
        kind, articles, _, _ = reply_kind(reply, kb)
        assert kind == "other"
        assert judge_reply(kind, articles, [], question(frozenset({"library-card"}))) == "diverted"


def test_the_choices_a_reply_offers_are_read_from_its_button_payloads() -> None:
    from actions.common import article_button, handoff_button

    kb = KnowledgeBase.load(ROOT / "data")
    buttons = [article_button(kb.articles[a], "sv") for a in ("library-card", "waste-bin-fees")]
    reply = {"messages": [{"text": "t", "buttons": [*buttons, handoff_button("sv")]}]}
    assert offered_articles(reply) == {"library-card", "waste-bin-fees"}
    assert offered_articles({"messages": [{"text": "t"}]}) == set()


def test_the_calibration_bound_leaves_room_above_the_measured_rate() -> None:
    from eval_answers import wilson_upper

    # No wrong answer in n: the bound is z² / (n + z²), not zero.
    assert wilson_upper(0, 100) == pytest.approx(1.645**2 / (100 + 1.645**2), abs=1e-6)
    assert wilson_upper(5, 5) == pytest.approx(1.0)
    # The same rate on more questions is known more tightly: the bound falls towards the rate.
    assert wilson_upper(2, 174) > wilson_upper(4, 348) > wilson_upper(40, 3480) > 40 / 3480
    # What the calibration allows on its 348 read questions: up to 5 confident-wrong answers (1.4 %) keep
    # the bound within the 3 % target, 6 (1.7 %) do not.
    assert [k for k in range(20) if wilson_upper(k, 348) <= 0.03] == [0, 1, 2, 3, 4, 5]
    assert wilson_upper(0, 0) == 1.0
