"""Helpers shared by the actions: the knowledge base, the reply language, the answer message."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.knowledge import Article, KnowledgeBase

_DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@functools.lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The approved content, loaded once per action-server process."""
    data_dir = Path(os.environ.get("KOMMUNSVAR_DATA_DIR", str(_DEFAULT_DATA_DIR)))
    return KnowledgeBase.load(data_dir)


def reply_language(tracker: Tracker) -> str:
    """The language the gateway detected for the latest message (``sv`` unless it said ``en``)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return "en" if metadata.get("language") == "en" else "sv"


def latest_intent(tracker: Tracker) -> str:
    """The name of the latest user message's intent."""
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def utter_article(
    dispatcher: CollectingDispatcher,
    article: Article,
    language: str,
    *,
    buttons: list[dict[str, Any]] | None = None,
    handoff_offered: bool = False,
) -> None:
    """Send an article's answer; its source (id, version, content hash) travels in the event metadata."""
    dispatcher.utter_message(
        text=article.text(language),
        buttons=buttons,
        source=article.source_info(language),
        topic=article.topic,
        handoff_offered=handoff_offered,
    )


def handoff_button(language: str) -> dict[str, str]:
    """A button that asks for a person."""
    title = "Talk to a person" if language == "en" else "Prata med en människa"
    return {"title": title, "payload": "/human_handoff"}
