"""Content checks for the knowledge base, topic taxonomy, risk policy and municipality profile.

These tests guard the YAML files a municipality edits (``data/topics.yml``, ``data/knowledge/``,
``data/policy.yml``, ``data/municipality.yml``): every article must be complete in Swedish and
English, belong to a known topic, be reachable from an intent, and contain no contact details or
personal data other than the municipality's own public contacts.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
KNOWLEDGE = DATA / "knowledge"
ARTICLE_PATHS = sorted(KNOWLEDGE.glob("*/*.yml"))

TOPICS = [
    "waste_collection",
    "building_permit",
    "preschool",
    "school",
    "parking",
    "elderly_care",
    "social_assistance",
    "library",
    "report_fault",
    "water_sewage",
    "complaint",
    "appeal",
    "contact_opening_hours",
    "out_of_scope",
    "smalltalk",
    # The wider service catalogue: no Rasa intent of their own (the answer engine ranks their articles).
    "culture_leisure",
    "transport_service",
    "disability_support",
    "adult_education",
    "environment_health",
    "permits",
    "streets_parks",
    "public_records",
    "politics",
    "business",
    "consumer_debt",
    "emergency_preparedness",
    "housing_planning",
    "family_support",
    "work_jobs",
]
CATALOGUE_TOPICS = TOPICS[15:]
SERVICE_TOPICS = TOPICS[:13] + CATALOGUE_TOPICS
INTENT_TO_TOPIC = {t: t for t in TOPICS[:13]} | {
    "out_of_scope": "out_of_scope",
    "greet": "smalltalk",
    "goodbye": "smalltalk",
    "thanks": "smalltalk",
    "bot_challenge": "smalltalk",
    "human_handoff": "contact_opening_hours",
}
FALLBACK_INTENT = "nlu_fallback"
LANGS = ("sv", "en")
REQUIRED_FIELDS = {
    "id",
    "version",
    "topic",
    "intents",
    "owner",
    "source",
    "last_reviewed",
    "risk",
    "title",
    "answer",
    "example_questions",
}
OPTIONAL_FIELDS = {"kind"}  # "system": a dialogue step's text, never ranked or suggested
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:se|com|nu|org|net|eu)\b", re.IGNORECASE)
# A run of digit groups joined by single spaces or hyphens: "0123-45 00 00", "114 14", "123 45".
DIGIT_RUN = re.compile(r"\d+(?:[ -]\d+)*")
# Personnummer / samordningsnummer shapes: YYMMDD-NNNN, YYYYMMDDNNNN, with or without separator.
PERSONNUMMER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
MARKUP = re.compile(r"[<>*_#`\[\]{}|]")


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def topics_doc() -> dict[str, Any]:
    """Return the parsed ``data/topics.yml``."""
    return _load(DATA / "topics.yml")


@cache
def policy_doc() -> dict[str, Any]:
    """Return the parsed ``data/policy.yml``."""
    return _load(DATA / "policy.yml")


@cache
def municipality_doc() -> dict[str, Any]:
    """Return the parsed ``data/municipality.yml``."""
    return _load(DATA / "municipality.yml")


@cache
def articles() -> dict[str, dict[str, Any]]:
    """Return every article keyed by its file path (relative to the knowledge folder)."""
    return {str(p.relative_to(KNOWLEDGE)): _load(p) for p in ARTICLE_PATHS}


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@cache
def allowed_number_digits() -> frozenset[str]:
    """Digits of every number an answer may contain: own phones, national numbers, own postcode."""
    muni = municipality_doc()
    numbers = list(muni["public_contacts"]["phones"]) + list(muni["national_numbers"])
    numbers.append(muni["contact_centre"]["visiting_address"]["postcode"])
    return frozenset(_digits(n) for n in numbers)


# The review-period test is judged on this fixed date, so it cannot start failing as time passes. Move it
# forward together with the demo content's review dates.
TODAY = dt.date(2026, 12, 1)


def _now_local() -> dt.date:
    """Today in the municipality's time zone: only for "not in the future", which time cannot break."""
    return dt.datetime.now(zoneinfo.ZoneInfo(municipality_doc()["time_zone"])).date()


# --- topics.yml ---------------------------------------------------------------------------------------


def test_topics_are_exactly_the_shared_taxonomy() -> None:
    assert list(topics_doc()["topics"]) == TOPICS


def test_every_intent_maps_to_exactly_one_topic() -> None:
    seen: dict[str, str] = {}
    for topic, spec in topics_doc()["topics"].items():
        for intent in spec["intents"]:
            assert intent not in seen, f"{intent} listed under {seen[intent]} and {topic}"
            seen[intent] = topic
    assert seen == INTENT_TO_TOPIC


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_entry_is_complete(topic: str) -> None:
    spec = topics_doc()["topics"][topic]
    muni = municipality_doc()["public_contacts"]
    assert all(spec["label"][lang].strip() for lang in LANGS)
    assert spec["risk"] in {"normal", "high"}
    assert spec["department"].strip()
    assert set(spec["default_articles"]) == set(spec["intents"])
    assert all(spec["handoff"]["name"][lang].strip() for lang in LANGS)
    assert spec["handoff"]["phone"] in muni["phones"]
    assert spec["handoff"]["email"] in muni["emails"]


def _contact_values(node: Any) -> set[str]:
    """Every ``phone``/``email`` value anywhere in a parsed YAML tree."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"phone", "email"} and isinstance(value, str):
                found.add(value)
            else:
                found |= _contact_values(value)
    elif isinstance(node, list):
        for item in node:
            found |= _contact_values(item)
    return found


def test_contacts_in_answers_are_declared_in_topics() -> None:
    """The guardrails allow-list reads phone/email values from topics.yml; answers may use only those."""
    declared = _contact_values(topics_doc())
    own = municipality_doc()["public_contacts"]
    assert declared <= set(own["phones"]) | set(own["emails"])
    used = {
        contact
        for article in articles().values()
        for lang in LANGS
        for contact in [*own["phones"], *own["emails"]]
        if contact in article["answer"][lang]
    }
    assert used, "answers should name the municipality's contacts"
    assert used <= declared, f"not declared in topics.yml: {sorted(used - declared)}"


def test_review_period_is_a_positive_number_of_days() -> None:
    period = topics_doc()["review_period_days"]
    assert isinstance(period, int) and not isinstance(period, bool) and period > 0


def test_default_articles_exist_and_answer_their_intent() -> None:
    by_id = {a["id"]: a for a in articles().values()}
    for topic, spec in topics_doc()["topics"].items():
        for intent, article_id in spec["default_articles"].items():
            assert article_id in by_id, f"default article {article_id} of {intent} is missing"
            article = by_id[article_id]
            assert article["topic"] == topic
            assert intent in article["intents"]


def test_fallback_and_handoff_articles_exist() -> None:
    by_id = {a["id"]: a for a in articles().values()}
    doc = topics_doc()
    assert FALLBACK_INTENT in by_id[doc["fallback_article"]]["intents"]
    assert "human_handoff" in by_id[doc["handoff_article"]]["intents"]


# --- articles -----------------------------------------------------------------------------------------


def test_the_catalogue_has_at_least_300_articles_in_25_topics() -> None:
    assert len(ARTICLE_PATHS) >= 300
    assert len({path.parent.name for path in ARTICLE_PATHS}) >= 25


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_has_articles(topic: str) -> None:
    count = sum(1 for a in articles().values() if a["topic"] == topic)
    assert count >= (4 if topic in SERVICE_TOPICS else 1), f"{topic} has {count} articles"


def test_article_ids_are_unique() -> None:
    ids = [a["id"] for a in articles().values()]
    assert len(ids) == len(set(ids))


def test_example_questions_are_not_shared_between_articles() -> None:
    owner: dict[str, str] = {}
    for article in articles().values():
        for lang in LANGS:
            for question in article["example_questions"][lang]:
                key = question.strip().casefold()
                assert key not in owner, f"{question!r} is in {owner[key]} and {article['id']}"
                owner[key] = article["id"]


def test_some_articles_are_overdue_for_review() -> None:
    """The demo content keeps a few old review dates so the "not reviewed" flag can be shown."""
    period = dt.timedelta(days=topics_doc()["review_period_days"])
    overdue = [a["id"] for a in articles().values() if TODAY - a["last_reviewed"] > period]
    assert overdue
    assert len(overdue) < len(articles()) / 2


@pytest.mark.parametrize("rel", [str(p.relative_to(KNOWLEDGE)) for p in ARTICLE_PATHS])
class TestArticle:
    """Per-article checks; ``rel`` is the path below ``data/knowledge``."""

    def test_has_exactly_the_required_fields(self, rel: str) -> None:
        assert REQUIRED_FIELDS <= set(articles()[rel]) <= REQUIRED_FIELDS | OPTIONAL_FIELDS
        assert articles()[rel].get("kind", "answer") in {"answer", "system"}

    def test_id_and_location_agree(self, rel: str) -> None:
        article = articles()[rel]
        folder, filename = rel.split("/")
        assert KEBAB.match(article["id"])
        assert filename == f"{article['id']}.yml"
        assert folder == article["topic"]
        assert article["topic"] in TOPICS

    def test_metadata(self, rel: str) -> None:
        article = articles()[rel]
        assert isinstance(article["version"], int) and article["version"] >= 1
        assert isinstance(article["owner"], str) and article["owner"].strip()
        assert isinstance(article["source"], str) and article["source"].strip()
        assert isinstance(article["last_reviewed"], dt.date)
        assert article["last_reviewed"] <= _now_local()

    def test_intents_belong_to_the_topic(self, rel: str) -> None:
        article = articles()[rel]
        allowed = set(topics_doc()["topics"][article["topic"]]["intents"])
        if article["id"] == topics_doc()["fallback_article"]:
            allowed.add(FALLBACK_INTENT)
        if article["topic"] in CATALOGUE_TOPICS:
            assert article["intents"] == [], "catalogue topics have no intent: the answer engine ranks them"
        else:
            assert article["intents"], "an article must answer at least one intent"
        assert set(article["intents"]) <= allowed

    def test_risk_follows_the_topic(self, rel: str) -> None:
        article = articles()[rel]
        assert article["risk"] == topics_doc()["topics"][article["topic"]]["risk"]

    def test_both_languages_are_present(self, rel: str) -> None:
        article = articles()[rel]
        for field in ("title", "answer"):
            assert set(article[field]) == set(LANGS)
            for lang in LANGS:
                assert isinstance(article[field][lang], str) and article[field][lang].strip()
        questions = article["example_questions"]
        assert set(questions) == set(LANGS)
        answerable = article.get("kind", "answer") == "answer" and article["topic"] != "smalltalk"
        # Answerable articles are found through their questions: at least five Swedish ways to ask.
        assert len(questions["sv"]) >= (5 if answerable else 2)
        assert len(questions["en"]) >= (2 if answerable else 1)
        for lang in LANGS:
            assert all(isinstance(q, str) and q.strip() for q in questions[lang])
            assert len({q.casefold() for q in questions[lang]}) == len(questions[lang])

    @pytest.mark.parametrize("lang", LANGS)
    def test_answer_is_short_plain_text(self, rel: str, lang: str) -> None:
        answer = articles()[rel]["answer"][lang]
        sentences = len(SENTENCE_END.findall(answer.strip()))
        assert 1 <= sentences <= 5, f"{sentences} sentences"
        assert not MARKUP.search(answer), "answers are plain text without markup"
        assert "\n" not in answer.strip()
        assert not URL.search(EMAIL.sub("", answer)), "no URLs in answers"

    @pytest.mark.parametrize("lang", LANGS)
    def test_answer_has_no_foreign_contact_details_or_personal_data(self, rel: str, lang: str) -> None:
        answer = articles()[rel]["answer"][lang]
        own_emails = set(municipality_doc()["public_contacts"]["emails"])
        assert set(EMAIL.findall(answer)) <= own_emails
        assert not PERSONNUMMER.search(answer), "personnummer-like number"
        for run in DIGIT_RUN.findall(answer):
            digits = _digits(run)
            if len(digits) >= 5:
                assert digits in allowed_number_digits(), f"unknown number {run!r}"


def test_high_risk_answers_offer_a_person() -> None:
    """High-risk answers give general information plus the topic's human contact."""
    high = [a for a in articles().values() if a["risk"] == "high"]
    assert len(high) >= 8
    for article in high:
        phone = topics_doc()["topics"][article["topic"]]["handoff"]["phone"]
        for lang in LANGS:
            assert phone in article["answer"][lang], article["id"]


# --- smalltalk promises -------------------------------------------------------------------------------


def _article(article_id: str) -> dict[str, Any]:
    return next(a for a in articles().values() if a["id"] == article_id)


def test_greeting_says_it_is_an_ai_and_warns_about_sensitive_data() -> None:
    greet = _article(topics_doc()["topics"]["smalltalk"]["default_articles"]["greet"])
    assert "AI-assistent" in greet["answer"]["sv"] and "inte en människa" in greet["answer"]["sv"]
    assert "personnummer" in greet["answer"]["sv"]
    assert "AI assistant" in greet["answer"]["en"] and "not a person" in greet["answer"]["en"]


def test_bot_challenge_answers_truthfully() -> None:
    challenge = _article(topics_doc()["topics"]["smalltalk"]["default_articles"]["bot_challenge"])
    assert challenge["answer"]["sv"].startswith("Jag är en AI-assistent")
    assert challenge["answer"]["en"].startswith("I am an AI assistant")


@pytest.mark.parametrize(
    ("article_id", "who"),
    [
        ("out-of-scope-passport", "Polisen"),
        ("out-of-scope-taxes", "Skatteverket"),
        ("out-of-scope-healthcare", "1177"),
        ("out-of-scope-police", "114 14"),
        ("out-of-scope-weather", "SMHI"),
    ],
)
def test_out_of_scope_answers_name_who_handles_it(article_id: str, who: str) -> None:
    assert who in _article(article_id)["answer"]["sv"]


# --- policy.yml ---------------------------------------------------------------------------------------


def test_policy_thresholds_are_ordered() -> None:
    thresholds = policy_doc()["thresholds"]
    assert 0 < thresholds["suggest_threshold"] < thresholds["answer_threshold"] <= 1
    assert 0 < thresholds["suggestion_min_similarity"] <= 1
    assert thresholds["max_suggestions"] >= 1


def test_policy_high_risk_matches_topics() -> None:
    high = policy_doc()["high_risk"]
    risky_topics = [t for t, spec in topics_doc()["topics"].items() if spec["risk"] == "high"]
    assert sorted(high["topics"]) == sorted(risky_topics)
    risky_with_intents = {t for t in risky_topics if t not in CATALOGUE_TOPICS}
    assert {INTENT_TO_TOPIC[i] for i in high["intents"]} == risky_with_intents
    assert {a["topic"] for a in high["areas"]} <= set(high["topics"])
    assert "eligibility_assessment" in high["forbidden"]
    assert "human_contact" in high["allowed"]


def test_policy_notices_exist_in_both_languages_and_urgent_ones_name_112() -> None:
    policy = policy_doc()
    notices = [key for key in policy if "_notice" in key]
    assert {"eligibility_notice", "urgent_notice"} <= set(notices)
    for key in notices:
        assert all(policy[key][lang].strip() for lang in LANGS)
        if key.startswith("urgent_notice"):
            assert "112" in policy[key]["sv"] and "112" in policy[key]["en"]


def test_every_emergency_category_names_a_notice_of_the_policy() -> None:
    safety = yaml.safe_load((DATA / "safety.yml").read_text(encoding="utf-8"))
    notices = {key for key in policy_doc() if "_notice" in key}
    for name, spec in safety["emergencies"].items():
        assert spec["notice"] in notices, name
        assert spec["cues"] and spec["descriptions"]["sv"] and spec["descriptions"]["en"], name


# --- municipality.yml ---------------------------------------------------------------------------------


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, char in enumerate(number):
        digit = int(char) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def test_municipality_profile() -> None:
    muni = municipality_doc()
    assert all(muni["name"][lang].strip() for lang in LANGS)
    org = muni["org_number"]
    assert re.fullmatch(r"\d{6}-\d{4}", org) and _luhn_ok(_digits(org))
    zoneinfo.ZoneInfo(muni["time_zone"])
    centre = muni["contact_centre"]
    assert centre["phone"] in muni["public_contacts"]["phones"]
    assert centre["email"] in muni["public_contacts"]["emails"]


def test_opening_hours_cover_every_weekday() -> None:
    hours = municipality_doc()["contact_centre"]["opening_hours"]
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    assert list(hours) == days
    for day in days:
        if hours[day] is None:
            continue
        opens = dt.time.fromisoformat(hours[day]["open"])
        closes = dt.time.fromisoformat(hours[day]["close"])
        assert opens < closes, day


def test_the_answer_evaluation_sets_are_not_example_questions() -> None:
    """The blind answer sets (data/eval/answers_*.yml) measure unseen phrasings; an example question that
    equals one of them makes the figure optimistic. Rephrase the article's question, never the set."""
    examples = {
        " ".join(question.casefold().split()): article["id"]
        for article in articles().values()
        for questions in article["example_questions"].values()
        for question in questions
    }
    for path in sorted((DATA / "eval").glob("answers_*.yml")):
        for item in _load(path)["questions"]:
            key = " ".join(item["text"].casefold().split())
            assert key not in examples, (
                f"{path.name}: {item['text']!r} is an example question of {examples[key]}"
            )
