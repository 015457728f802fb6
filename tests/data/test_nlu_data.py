"""Checks on the Rasa NLU training data (data/nlu/) and the held-out evaluation split (data/eval/).

The held-out split must stay independent of training, both must cover every intent of the
design, and neither may contain raw personal data: the gateway only ever sends Rasa redacted
text, so examples carry typed placeholders such as ``<ADDRESS_1>`` instead of real values.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "data" / "nlu"
HELDOUT_FILE = ROOT / "data" / "eval" / "nlu_heldout.yml"
KNOWLEDGE_DIR = ROOT / "data" / "knowledge"

SERVICE_INTENTS = (
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
)
# service_question: generated from the catalogue topics' articles (content/catalogue_nlu.py).
OTHER_INTENTS = (
    "out_of_scope",
    "greet",
    "goodbye",
    "thanks",
    "bot_challenge",
    "human_handoff",
    "service_question",
)
ALL_INTENTS = SERVICE_INTENTS + OTHER_INTENTS
# The generated intent is measured at answer level (make eval-answers), not in the NLU held-out split.
HELDOUT_INTENTS = tuple(i for i in ALL_INTENTS if i != "service_question")

MIN_TRAIN = 30
MIN_TRAIN_OUT_OF_SCOPE = 60
MIN_HELDOUT = 15
MIN_HELDOUT_OUT_OF_SCOPE = 30
MIN_CLARIFY = 10
MIN_ENGLISH_SHARE = 0.15

ALLOWED_ENTITIES = {"waste_type"}
# Every occurrence of these words in training text must be annotated as waste_type, otherwise
# DIET learns contradicting labels for the same token.
WASTE_TYPE_WORDS = (
    "matavfall",
    "restavfall",
    "grovavfall",
    "farligt avfall",
    "elavfall",
    "trädgårdsavfall",
    "förpackningar",
)
PLACEHOLDER_TYPES = {
    "PERSONNUMMER",
    "PERSON",
    "PHONE",
    "EMAIL",
    "ADDRESS",
    "IBAN",
    "CARD",
    "BANK_ACCOUNT",
    "BANKGIRO",
    "PLATE",
    "IP",
}

ANNOTATION_RE = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<type>[^)]+)\)|(?P<json>\{[^}]*\}))")
PLACEHOLDER_RE = re.compile(r"<(?P<type>[A-Z_]+?)_(?P<num>\d+)>")
# Raw personal data patterns (checked after removing placeholders).
DIGIT_RUN_RE = re.compile(r"(?:\d[\s\-+]?){6,}")  # personnummer, phone, account numbers
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|@")
STREET_ADDRESS_RE = re.compile(r"\b\w+(?:gatan|vägen|gränd|torget|allén|stigen|backen)\s+\d+", re.I)
# Language heuristic for the "about a fifth in English" rule: a message counts as English when it
# has no å/ä/ö and either uses an English function word or consists mostly of English vocabulary.
ENGLISH_FUNCTION_WORDS = frozenset(
    "the my how what where when who which is are am do does can can't i'm you you've your to of with me an "
    "please this that there from was has not about against without at need want get bye hello hi "
    "hey thanks thank thx cheers goodbye good much so it".split()
)
ENGLISH_VOCABULARY = ENGLISH_FUNCTION_WORDS | frozenset(
    "permit building cost library fines card debt counselling kindergarten fees resident parking "
    "contact details preschool queue human parental benefit football scores stock price weather "
    "tomorrow joke recipe garbage collection day recycling centre rubbish bin water meter reading "
    "leak street sewer tap bill broken light pothole tree graffiti wall report fault snow complaint "
    "staff feedback municipality unhappy service appeal decision deadline social welfare benefits "
    "application emergency money rent food school choice bus eligibility term leave child care "
    "elderly home nursing alarm safety respite carers opening hours phone number council town hall "
    "open free downtown disabled ticket charging spots ebooks books renew borrow today planning "
    "permission daycare summer holidays election citizenship".split()
)


def _normalise(text: str) -> str:
    """Lower-case, drop entity markup and punctuation, collapse whitespace."""
    text = ANNOTATION_RE.sub(lambda m: m.group("text"), text)
    text = re.sub(r"[^\w<>\s]", " ", text.lower())
    return " ".join(text.split())


def _plain(text: str) -> str:
    """Text with entity markup removed (what the model sees)."""
    return ANNOTATION_RE.sub(lambda m: m.group("text"), text)


def _load_training() -> dict[str, list[str]]:
    """Raw examples (with entity markup) per intent from every file in data/nlu/."""
    examples: dict[str, list[str]] = defaultdict(list)
    for path in sorted(NLU_DIR.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for block in doc["nlu"]:
            lines = block["examples"].splitlines()
            examples[block["intent"]].extend(line[2:].strip() for line in lines if line.startswith("- "))
    return dict(examples)


def _load_heldout() -> dict:
    return yaml.safe_load(HELDOUT_FILE.read_text(encoding="utf-8"))


def _heldout_texts() -> list[tuple[str, str]]:
    """(label, text) for every held-out message; vague messages are labelled ``clarify``."""
    doc = _load_heldout()
    pairs = [(intent, text) for intent, texts in doc["intents"].items() for text in texts]
    return pairs + [("clarify", text) for text in doc["clarify"]]


def _all_texts() -> list[tuple[str, str, str]]:
    """(source, label, plain text) for training and held-out examples."""
    rows = [("train", i, _plain(t)) for i, ts in _load_training().items() for t in ts]
    return rows + [("heldout", label, text) for label, text in _heldout_texts()]


def _is_english(text: str) -> bool:
    if re.search(r"[åäö]", text, re.I):
        return False
    tokens = re.findall(r"[a-z']+", _plain(text).lower())
    if not tokens:
        return False
    if any(t in ENGLISH_FUNCTION_WORDS for t in tokens):
        return True
    return sum(t in ENGLISH_VOCABULARY for t in tokens) / len(tokens) >= 0.5


def _token_edit_distance(a: list[str], b: list[str]) -> int:
    prev = list(range(len(b) + 1))
    for i, tok_a in enumerate(a, 1):
        cur = [i]
        for j, tok_b in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (tok_a != tok_b)))
        prev = cur
    return prev[-1]


def _near_duplicate(a: str, b: str) -> bool:
    """Same words in another order, nearly the same characters, or one word apart and close.

    The one-word rule needs three words or more: in two-word messages ("vattenmätare trasig" vs
    "vattenmätare avläsning") one word is half the meaning.
    """
    ta, tb = a.split(), b.split()
    if sorted(ta) == sorted(tb):
        return True
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < 0.8 or matcher.quick_ratio() < 0.8:
        return False
    ratio = matcher.ratio()
    if ratio >= 0.9:
        return True
    return ratio >= 0.8 and min(len(ta), len(tb)) >= 3 and _token_edit_distance(ta, tb) <= 1


# --- training data -----------------------------------------------------------------------------


def test_every_nlu_file_is_rasa_31_format() -> None:
    files = sorted(NLU_DIR.glob("*.yml"))
    assert files, "no training files in data/nlu/"
    for path in files:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert str(doc.get("version")) == "3.1", path.name
        assert set(doc) == {"version", "nlu"}, f"{path.name}: only NLU data belongs in data/nlu/"
        for block in doc["nlu"]:
            assert set(block) == {"intent", "examples"}, f"{path.name}: {block}"
            lines = [line for line in block["examples"].splitlines() if line.strip()]
            assert all(line.startswith("- ") for line in lines), f"{path.name}: {block['intent']}"


def test_training_has_exactly_the_intents_of_the_design() -> None:
    assert set(_load_training()) == set(ALL_INTENTS)


def test_each_intent_is_defined_in_one_file_only() -> None:
    seen: Counter[str] = Counter()
    for path in NLU_DIR.glob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        seen.update(block["intent"] for block in doc["nlu"])
    assert [intent for intent, n in seen.items() if n > 1] == []


@pytest.mark.parametrize("intent", ALL_INTENTS)
def test_intent_has_enough_training_examples(intent: str) -> None:
    minimum = MIN_TRAIN_OUT_OF_SCOPE if intent == "out_of_scope" else MIN_TRAIN
    assert len(_load_training().get(intent, [])) >= minimum


@pytest.mark.parametrize("intent", SERVICE_INTENTS + ("out_of_scope", "human_handoff"))
def test_intent_has_english_examples(intent: str) -> None:
    examples = _load_training()[intent]
    share = sum(_is_english(e) for e in examples) / len(examples)
    assert share >= MIN_ENGLISH_SHARE, f"{intent}: {share:.0%} English"


def test_no_example_is_repeated_in_training() -> None:
    owners: dict[str, list[str]] = defaultdict(list)
    for intent, examples in _load_training().items():
        for example in examples:
            owners[_normalise(example)].append(intent)
    assert {text: labels for text, labels in owners.items() if len(labels) > 1} == {}


def test_entity_annotations_are_valid_and_few() -> None:
    for intent, examples in _load_training().items():
        for example in examples:
            for match in ANNOTATION_RE.finditer(example):
                if match.group("json"):
                    spec = json.loads(match.group("json"))
                    entity = spec["entity"]
                else:
                    entity = match.group("type")
                assert entity in ALLOWED_ENTITIES, f"{intent}: {example}"
                assert intent == "waste_collection", f"waste_type outside waste_collection: {example}"


def test_waste_type_words_are_always_annotated() -> None:
    for intent, examples in _load_training().items():
        for example in examples:
            unannotated = ANNOTATION_RE.sub(" ", example).lower()
            found = [w for w in WASTE_TYPE_WORDS if w in unannotated]
            assert found == [], f"{intent}: unannotated {found} in {example!r}"


# --- held-out split ----------------------------------------------------------------------------


def test_heldout_is_not_rasa_training_format() -> None:
    """`rasa train --data data` reads every YAML with an `nlu:` key; this file must never be one."""
    doc = _load_heldout()
    assert "nlu" not in doc and "responses" not in doc
    assert set(doc) == {"version", "intents", "clarify"}


@pytest.mark.parametrize("intent", HELDOUT_INTENTS)
def test_heldout_covers_intent(intent: str) -> None:
    minimum = MIN_HELDOUT_OUT_OF_SCOPE if intent == "out_of_scope" else MIN_HELDOUT
    assert len(_load_heldout()["intents"].get(intent, [])) >= minimum


def test_heldout_has_only_known_intents_and_a_clarify_set() -> None:
    doc = _load_heldout()
    assert set(doc["intents"]) <= set(ALL_INTENTS)
    assert len(doc["clarify"]) >= MIN_CLARIFY
    assert all(isinstance(text, str) and text.strip() for _, text in _heldout_texts())


def test_heldout_has_no_internal_duplicates() -> None:
    counts = Counter(_normalise(text) for _, text in _heldout_texts())
    assert [text for text, n in counts.items() if n > 1] == []


def test_heldout_never_appears_in_training() -> None:
    train = {_normalise(e) for examples in _load_training().values() for e in examples}
    leaked = [text for _, text in _heldout_texts() if _normalise(text) in train]
    assert leaked == []


def test_heldout_has_no_near_duplicates_of_training_in_the_same_intent() -> None:
    train = {i: [_normalise(e) for e in es] for i, es in _load_training().items()}
    close = [
        (label, text, other)
        for label, text in _heldout_texts()
        for other in train.get(label, [])
        if _near_duplicate(_normalise(text), other)
    ]
    assert close == []


def test_heldout_is_not_in_knowledge_example_questions() -> None:
    """Article example questions may be used for training or retrieval; held-out must stay unseen.

    Compared with the articles that answer the same intent. The articles are owned by the content
    team: if this fails after they add questions, rephrase the held-out message (or ask them to
    rephrase theirs), never drop the check.
    """
    questions: dict[str, set[str]] = defaultdict(set)
    for path in KNOWLEDGE_DIR.glob("*/*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for texts in (doc.get("example_questions") or {}).values():
            for intent in doc.get("intents") or []:
                questions[intent].update(_normalise(t) for t in texts)
    if not questions:
        pytest.skip("no knowledge articles with example questions under data/knowledge/")
    close = [
        (label, text, question)
        for label, text in _heldout_texts()
        for question in questions.get(label, ())
        if _near_duplicate(_normalise(text), question)
    ]
    assert close == []


# --- privacy -----------------------------------------------------------------------------------


def test_placeholders_are_well_formed() -> None:
    for source, label, text in _all_texts():
        for match in PLACEHOLDER_RE.finditer(text):
            assert match.group("type") in PLACEHOLDER_TYPES, f"{source}/{label}: {text}"
        rest = PLACEHOLDER_RE.sub(" ", text)
        assert "<" not in rest and ">" not in rest, f"{source}/{label}: malformed placeholder in {text!r}"


@pytest.mark.parametrize("placeholder", ["PERSON", "ADDRESS", "PHONE", "EMAIL", "PERSONNUMMER"])
def test_placeholders_are_spread_over_intents(placeholder: str) -> None:
    """The gateway sends placeholders in every kind of message; if one type appeared in a single
    intent only, the model would learn "<PHONE_1> means human_handoff"."""
    pattern = re.compile(rf"<{placeholder}_\d+>")
    intents = {i for i, examples in _load_training().items() if any(pattern.search(e) for e in examples)}
    assert len(intents) >= 4, sorted(intents)


def test_no_raw_personal_data() -> None:
    for source, label, text in _all_texts():
        rest = PLACEHOLDER_RE.sub(" ", text)
        assert not DIGIT_RUN_RE.search(rest), f"{source}/{label}: digit run in {text!r}"
        assert not EMAIL_RE.search(rest), f"{source}/{label}: e-mail in {text!r}"
        assert not STREET_ADDRESS_RE.search(rest), f"{source}/{label}: street address in {text!r}"


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("mitt personnummer är 19121212-1212", True),
        ("ring 070-123 45 67", True),
        ("mejla anna.svensson@example.se", True),
        ("jag bor på Storgatan 12", True),
        ("ring mig på <PHONE_1>", False),
        ("1177", False),
        ("15 timmar förskola", False),
    ],
)
def test_personal_data_patterns_catch_what_they_should(text: str, leaks: bool) -> None:
    rest = PLACEHOLDER_RE.sub(" ", text)
    found = bool(DIGIT_RUN_RE.search(rest) or EMAIL_RE.search(rest) or STREET_ADDRESS_RE.search(rest))
    assert found is leaks
