"""Plain-Swedish names for the codes found in audit records (intents, topics, policies, data types).

A topic's name is its Swedish label in ``data/topics.yml`` (read through ``content.topics``); the labels
below cover only the intents that are not topics of their own.
"""

from __future__ import annotations

from content.errors import KnowledgeError
from content.topics import topic_labels

INTENT_LABELS: dict[str, str] = {
    "greet": "en hälsning",
    "goodbye": "ett avsked",
    "thanks": "ett tack",
    "bot_challenge": "en fråga om du pratar med en människa eller en dator",
    "human_handoff": "att du vill prata med en människa",
    "nlu_fallback": "en fråga som boten inte kunde tolka säkert",
    "urgent_help": "ett meddelande som kan handla om fara för liv eller hälsa",
    "emergency": "akut fara",
}

SAFETY_CATEGORY_LABELS: dict[str, str] = {
    "fire": "brand",
    "violence_threat": "våld eller hot",
    "suicide_self_harm": "självmordstankar eller självskada",
    "medical": "akut sjukdom eller skada",
    "child_at_risk": "ett barn som far illa",
    "gas": "gaslukt eller gasläcka",
    "flooding": "översvämning",
    "missing_person": "en försvunnen person",
}

POLICY_LABELS: dict[str, str] = {
    "RulePolicy": ("en fast regel som kommunen har skrivit. Samma fråga ger alltid samma svar"),
    "MemoizationPolicy": ("ett samtalsmönster som boten känner igen från kommunens exempelsamtal"),
    "TEDPolicy": ("en inlärd modell som väljer nästa steg utifrån hur samtalet har gått hittills"),
    "UnexpecTEDIntentPolicy": "en inlärd modell som kontrollerar om frågan passar in i samtalet",
}

PII_LABELS: dict[str, str] = {
    "SE_PERSONNUMMER": "personnummer",
    "PERSON": "namn",
    "PHONE_NUMBER": "telefonnummer",
    "EMAIL_ADDRESS": "e-postadress",
    "LOCATION": "adress",
    "IBAN_CODE": "IBAN-nummer",
    "CREDIT_CARD": "kortnummer",
    "SE_BANK_ACCOUNT": "bankkontonummer",
    "SE_BANKGIRO": "bankgiro- eller plusgironummer",
    "SE_LICENSE_PLATE": "registreringsnummer",
    "IP_ADDRESS": "IP-adress",
}

CHANNEL_LABELS: dict[str, str] = {"web": "chatten på webbplatsen"}


def topic_label(name: str | None) -> str | None:
    """The Swedish label of topic ``name`` in ``data/topics.yml`` (None when it is no topic there)."""
    if not name:
        return None
    try:
        return topic_labels().get(name)
    except KnowledgeError:  # an explanation must render even where the topics file cannot be read
        return None


def intent_label(name: str | None) -> str:
    """Swedish name of an intent or topic: a topic's label, else the intent's (the raw name when unknown)."""
    if not name:
        return "okänt ämne"
    return topic_label(name) or INTENT_LABELS.get(name, name.replace("_", " "))


def understood_as(name: str | None) -> str:
    """What a message was understood as, for a sentence: ``ämnet ”Bibliotek”`` or ``en hälsning``."""
    label = topic_label(name)
    return f"ämnet ”{label}”" if label else intent_label(name)


def policy_label(policy: str | None) -> str:
    """Swedish description of a Rasa policy; handles names like ``policy_2_RulePolicy``."""
    if not policy:
        return "ett fast standardsteg"
    for key, label in POLICY_LABELS.items():
        if policy == key or policy.endswith("_" + key):
            return label
    return f"regeln {policy}"


def pii_label(kind: str) -> str:
    """Swedish name of a personal-data type."""
    return PII_LABELS.get(kind, kind.lower().replace("_", " "))


def certainty_words(confidence: float) -> str:
    """Describe a confidence between 0 and 1 in words."""
    if confidence >= 0.9:
        return "mycket säker"
    if confidence >= 0.7:
        return "ganska säker"
    if confidence >= 0.5:
        return "osäker"
    return "mycket osäker"


def percent(confidence: float) -> str:
    """Format a confidence as a whole Swedish percentage, e.g. ``87 procent``."""
    return f"{round(confidence * 100)} procent"
