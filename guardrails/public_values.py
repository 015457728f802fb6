"""The municipality's own public identifiers, which are never personal data.

The name, organisation number, switchboard and ``public_contacts`` of the municipality profile
(``data/municipality.yml``, read through ``content.municipality``) and the hand-off phone numbers and
functional e-mail addresses of ``data/topics.yml`` appear in citizens' messages and in the bot's own
answers; flagging them would make the bot misunderstand and the output guard complain.
Contact details printed in the approved knowledge articles (``data/knowledge``: the town hall's street
address, the recycling centre's phone number, the bankgiro for fees) are public in the same way; the
redactor adds them at start (:data:`KNOWLEDGE_PUBLIC_TYPES`), never names or personal identifiers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import yaml

from content.municipality import load_municipality
from guardrails.settings import GuardrailSettings
from guardrails.vault import PLACEHOLDER_LABELS, value_key

logger = logging.getLogger(__name__)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 10x faster

# Types whose values, when printed in an approved knowledge article, are the municipality's own.
KNOWLEDGE_PUBLIC_TYPES = frozenset(
    {"PHONE_NUMBER", "EMAIL_ADDRESS", "LOCATION", "SE_BANKGIRO", "IBAN_CODE", "SE_BANK_ACCOUNT"}
)


class PublicValues:
    """Answers whether a detected value is one of the municipality's public identifiers."""

    def __init__(self, values: Iterable[str]) -> None:
        """Index ``values`` under each entity type's notion of identity (digits, case-folded text)."""
        self._keys: dict[str, set[str]] = {}
        for value in values:
            value = value.strip()
            if not value:
                continue
            for entity_type in PLACEHOLDER_LABELS:
                self._keys.setdefault(entity_type, set()).add(value_key(entity_type, value))

    def add(self, entity_type: str, value: str) -> None:
        """Mark one detected value as public."""
        self._keys.setdefault(entity_type, set()).add(value_key(entity_type, value))

    def __contains__(self, item: tuple[str, str]) -> bool:
        """Return whether ``(entity_type, value)`` is a public value."""
        entity_type, value = item
        return value_key(entity_type, value) in self._keys.get(entity_type, ())

    @classmethod
    def from_settings(cls, settings: GuardrailSettings) -> PublicValues:
        """Collect the municipality profile's public values and the topics file's hand-off contacts.

        Raises:
            content.errors.MunicipalityError: the profile under ``settings.data_dir`` is missing or malformed.
        """
        values = load_municipality(settings.data_dir).public_values()
        values.extend(_topic_contacts(settings.topics_file))
        return cls(values)


def knowledge_texts(knowledge_dir: Path) -> list[str]:
    """Return the titles and answers (every language) of the knowledge articles under ``knowledge_dir``."""
    texts: list[str] = []
    for path in sorted(knowledge_dir.glob("*/*.yml")):
        try:
            article = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except (OSError, yaml.YAMLError):
            logger.info("guardrails.knowledge_file_unreadable", extra={"file": path.name})
            continue
        if not isinstance(article, dict):
            continue
        for field in ("title", "answer"):
            value = article.get(field)
            if isinstance(value, dict):
                texts.extend(text for text in value.values() if isinstance(text, str))
    return texts


def _topic_contacts(path: Path) -> list[str]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError):
        logger.info("guardrails.topics_file_unreadable")
        return []
    found: list[str] = []
    _collect_contacts(data, found)
    return found


def _collect_contacts(node: object, found: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in {"phone", "email"} and isinstance(value, str):
                found.append(value)
            else:
                _collect_contacts(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect_contacts(item, found)
