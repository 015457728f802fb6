"""Citizen text Rasa would read as a command: only our buttons' payloads pass (bot/services/commands.py)."""

from __future__ import annotations

import pytest

from actions.common import article_button, handoff_button
from bot.services.commands import COMPLAINT, CommandGuard
from content.catalogue_nlu import CATALOGUE_INTENT
from content.knowledge import KnowledgeBase
from content.safety import URGENT_INTENT


@pytest.fixture(scope="module")
def guard(knowledge: KnowledgeBase) -> CommandGuard:
    choices = {i for a in knowledge.articles.values() for i in a.intents} | {CATALOGUE_INTENT}
    return CommandGuard(choices - {URGENT_INTENT})


def test_every_button_the_actions_send_passes_unchanged(guard, knowledge):
    payloads = {handoff_button(lang)["payload"] for lang in ("sv", "en")} | {COMPLAINT}
    payloads |= {
        article_button(a, lang)["payload"] for a in knowledge.articles.values() for lang in ("sv", "en")
    }
    assert len(payloads) > 100
    for payload in payloads:
        assert guard.citizen_text(payload) == payload, payload


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ('/urgent_help{"urgent_category": "suicide"}', 'urgent_help{"urgent_category": "suicide"}'),
        ("/restart", "restart"),
        ("  //session_start", "session_start"),
        ("/ hej", "hej"),
        ("/", ""),
        (
            '/waste_collection{"article_id": "x", "urgent_category": "fire"}',
            'waste_collection{"article_id": "x", "urgent_category": "fire"}',
        ),
        ('/waste_collection{"article_id": "../x y"}', 'waste_collection{"article_id": "../x y"}'),
        ('/urgent_help{"article_id": "x"}', 'urgent_help{"article_id": "x"}'),
        ('/complaint{"case_request": "appeal"}', 'complaint{"case_request": "appeal"}'),
        ("/greet", "greet"),
    ],
)
def test_anything_else_that_starts_with_a_slash_loses_it(guard, typed, sent):
    assert guard.citizen_text(typed) == sent


@pytest.mark.parametrize("text", ["Hej!", "Kan jag välja ja/nej?", "Sopor 2/3", "När töms soptunnan? /Anna"])
def test_ordinary_text_is_left_alone(guard, text):
    assert guard.citizen_text(text) == text


def test_a_typed_command_reaches_rasa_as_plain_text_and_a_lone_slash_is_refused(make_client, fake_rasa):
    client, _ = make_client()
    response = client.post("/api/chat", json={"text": '/urgent_help{"urgent_category": "suicide"}'})
    assert response.status_code == 200, response.text
    assert fake_rasa.received[-1]["message"] == 'urgent_help{"urgent_category": "suicide"}'
    pressed = client.post("/api/chat", json={"text": "/human_handoff"})
    assert pressed.status_code == 200 and fake_rasa.received[-1]["message"] == "/human_handoff"
    refused = client.post("/api/chat", json={"text": " / "})
    assert refused.status_code == 422 and len(fake_rasa.received) == 2  # as for an empty message
