"""Helpers shared by the actions: approved content, the answer policy, the reply language, messages."""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from content.answering.engine import AnswerEngine
from content.answering.settings import EngineSettings
from content.errors import SiteError
from content.knowledge import Article, KnowledgeBase
from content.policy import AnswerPolicy, Notice
from content.safety import SafetyClassifier, SafetyRules, SafetyVerdict
from content.site.answer import SiteAnswer, SiteAnswerer
from content.site.settings import get_site_settings
from content.site.store import SiteStore

logger = logging.getLogger(__name__)

CATALOGUE_INTENT = "service_question"  # Rasa's intent for the topics without an intent of their own
_DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """Where topics, articles and the policy live (``KOMMUNSVAR_DATA_DIR`` overrides)."""
    return Path(os.environ.get("KOMMUNSVAR_DATA_DIR", str(_DEFAULT_DATA_DIR)))


@functools.lru_cache(maxsize=1)
def knowledge_base() -> KnowledgeBase:
    """The approved content, loaded once per action-server process."""
    return KnowledgeBase.load(data_dir())


@functools.lru_cache(maxsize=1)
def answer_policy() -> AnswerPolicy:
    """The answer policy (thresholds, high-risk topics, assessment and urgent phrases)."""
    return AnswerPolicy.load(data_dir())


@functools.lru_cache(maxsize=1)
def semantic_index() -> Any | None:
    """The semantic article index, or None when the embedding model cannot be loaded.

    Suggestions are an aid: without the model the bot still offers the next-best intents and a person.
    """
    try:
        from content.semantic.search import load_default_index

        index = load_default_index()
        index.warm_up()
        return index
    except Exception as exc:  # noqa: BLE001 - any failure here must not stop answering
        logger.warning("semantic_index_unavailable", extra={"error": type(exc).__name__})
        return None


@functools.lru_cache(maxsize=1)
def answer_engine() -> AnswerEngine:
    """The answer engine over the approved content (lexical only when the e5 model is unavailable)."""
    return AnswerEngine(knowledge_base(), EngineSettings.load(data_dir()), semantic_index())


@functools.lru_cache(maxsize=1)
def site_answerer() -> SiteAnswerer | None:
    """The website tier (imported pages), or None when it is switched off or the e5 model is missing."""
    settings = get_site_settings()
    index = semantic_index()
    if not settings.enabled or index is None:
        return None
    try:
        store = SiteStore.open(settings.resolved_url)
    except SiteError as exc:
        logger.warning("site_store_unavailable", extra={"error": type(exc).__name__})
        return None
    return SiteAnswerer(
        store,
        index.embedder,
        EngineSettings.load(data_dir()),
        cache_dir=index.cache_dir,
        refresh_seconds=settings.refresh_seconds,
    )


def site_answer(text: str) -> SiteAnswer | None:
    """A passage of the municipality's website that answers ``text`` (redacted), if one is sure enough."""
    answerer, index = site_answerer(), semantic_index()
    if answerer is None or index is None:
        return None
    return answerer.answer(text, index.embed_query(text))


@functools.lru_cache(maxsize=1)
def safety_rules() -> SafetyRules:
    """The safety rules (``data/safety.yml``): cues, descriptions, each category's notice."""
    return SafetyRules.load(data_dir())


@functools.lru_cache(maxsize=1)
def safety_classifier() -> SafetyClassifier:
    """Cues and, with the embedding model, the description rule against every indexed question."""
    rules = safety_rules()
    index = semantic_index()
    if index is None:
        return SafetyClassifier(rules)
    return SafetyClassifier(rules, index.embedder, index.passage_vectors(), cache_dir=index.cache_dir)


def classify_safety(text: str) -> SafetyVerdict:
    """The safety verdict for one redacted message (shares the query vector with the article search)."""
    index = semantic_index()
    return safety_classifier().classify(text, index.embed_query if index is not None else None)


def safety_of(tracker: Tracker) -> dict[str, Any]:
    """The gateway's safety verdict for the latest message (empty for buttons and older clients)."""
    metadata = tracker.latest_message.get("metadata") or {}
    safety = metadata.get("safety")
    return safety if isinstance(safety, dict) else {}


def asks_for_assessment(tracker: Tracker) -> bool:
    """True when the gateway's safety check found a request to assess the citizen's own case."""
    return bool(safety_of(tracker).get("assessment"))


def reply_language(tracker: Tracker) -> str:
    """The language the gateway detected for the latest message (``sv`` unless it said ``en``)."""
    metadata = tracker.latest_message.get("metadata") or {}
    return "en" if metadata.get("language") == "en" else "sv"


def latest_intent(tracker: Tracker) -> str:
    """The name of the latest user message's intent."""
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def latest_text(tracker: Tracker) -> str:
    """The latest user message (already redacted by the gateway)."""
    return str(tracker.latest_message.get("text") or "")


def utter_article(
    dispatcher: CollectingDispatcher,
    article: Article,
    language: str,
    *,
    buttons: list[dict[str, Any]] | None = None,
    handoff_offered: bool = False,
    **extra: Any,
) -> None:
    """Send an article's answer; its source (id, version, content hash) travels in the event metadata.

    ``extra`` travels in the metadata too (the engine's ``selection``).
    """
    dispatcher.utter_message(
        text=article.text(language),
        buttons=buttons,
        source=article.source_info(language),
        topic=article.topic,
        handoff_offered=handoff_offered,
        **extra,
    )


def utter_notice(
    dispatcher: CollectingDispatcher,
    notice: Notice,
    language: str,
    *,
    buttons: list[dict[str, Any]] | None = None,
    handoff_offered: bool = False,
    values: dict[str, str] | None = None,
    **extra: Any,
) -> None:
    """Send a policy notice with the policy file as its source (``values`` fill a template's blanks)."""
    dispatcher.utter_message(
        text=notice.for_language(language, values),
        buttons=buttons,
        source=notice.source_info(language, values),
        handoff_offered=handoff_offered,
        **extra,
    )


def utter_passage(
    dispatcher: CollectingDispatcher,
    answer: SiteAnswer,
    language: str,
    *,
    buttons: list[dict[str, Any]] | None = None,
    handoff_offered: bool = False,
    **extra: Any,
) -> None:
    """Send an excerpt of the municipality's website; the page, heading and hash travel as its source."""
    label = "From the municipality's website" if language == "en" else "Från kommunens webbplats"
    dispatcher.utter_message(
        text=answer.excerpt,
        buttons=buttons,
        source=answer.passage.source_info(),
        site_label=label,
        handoff_offered=handoff_offered,
        **extra,
    )


def handoff_button(language: str) -> dict[str, str]:
    """A button that asks for a person."""
    title = "Talk to a person" if language == "en" else "Prata med en människa"
    return {"title": title, "payload": "/human_handoff"}


def article_button(article: Article, language: str) -> dict[str, str]:
    """A "Did you mean …?" button that answers exactly this article when pressed."""
    intent = article.intents[0] if article.intents else CATALOGUE_INTENT
    title = article.title.get(language) or article.title.get("sv") or article.id
    return {"title": title, "payload": f'/{intent}{{"article_id": "{article.id}"}}'}
