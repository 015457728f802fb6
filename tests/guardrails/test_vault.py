"""The vault: typed numbered placeholders per conversation, TTL, reveal with recorded purpose."""

from __future__ import annotations

import pytest

from guardrails.errors import PlaceholderNotFound, VaultError
from guardrails.vault import Vault


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_same_value_keeps_its_placeholder_and_types_are_numbered_separately() -> None:
    vault = Vault()
    assert vault.placeholder_for("c1", "PHONE_NUMBER", "070-123 45 67") == "<PHONE_1>"
    assert vault.placeholder_for("c1", "EMAIL_ADDRESS", "a@b.se") == "<EMAIL_1>"
    assert vault.placeholder_for("c1", "PHONE_NUMBER", "08-123 456 78") == "<PHONE_2>"
    # Spelling variants of one value share the placeholder.
    assert vault.placeholder_for("c1", "PHONE_NUMBER", "+46 70 123 45 67") == "<PHONE_1>"
    assert vault.placeholder_for("c1", "SE_PERSONNUMMER", "19900101-1239") == "<PERSONNUMMER_1>"
    assert vault.placeholder_for("c1", "SE_PERSONNUMMER", "9001011239") == "<PERSONNUMMER_1>"
    assert vault.placeholder_for("c1", "EMAIL_ADDRESS", "A@B.SE") == "<EMAIL_1>"


def test_conversations_are_independent() -> None:
    vault = Vault()
    assert vault.placeholder_for("c1", "PERSON", "Anna") == "<PERSON_1>"
    assert vault.placeholder_for("c2", "PERSON", "Björn") == "<PERSON_1>"
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c2", "<PERSON_2>", "reply")
    assert vault.reveal("c2", "<PERSON_1>", "reply") == "Björn"


def test_reveal_records_purpose_and_type_but_never_the_value() -> None:
    vault = Vault()
    vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se")
    assert vault.reveal("c1", "<EMAIL_1>", "complaint_reply") == "anna@example.se"
    uses = vault.uses("c1")
    assert [(u.placeholder, u.entity_type, u.purpose) for u in uses] == [
        ("<EMAIL_1>", "EMAIL_ADDRESS", "complaint_reply")
    ]
    assert "anna@example.se" not in repr(uses) and "anna@example.se" not in str(uses[0].to_dict())
    assert vault.drain_uses("c1") == uses
    assert vault.uses("c1") == []


def test_reveal_requires_a_purpose() -> None:
    vault = Vault()
    vault.placeholder_for("c1", "PERSON", "Anna")
    with pytest.raises(VaultError):
        vault.reveal("c1", "<PERSON_1>", "  ")


def test_values_expire_after_idle_ttl_and_activity_extends_it() -> None:
    clock = FakeClock()
    vault = Vault(ttl_seconds=60, clock=clock)
    vault.placeholder_for("c1", "PERSON", "Anna")
    clock.now += 50
    assert vault.reveal("c1", "<PERSON_1>", "reply") == "Anna"  # use counts as activity
    clock.now += 50
    assert vault.reveal("c1", "<PERSON_1>", "reply") == "Anna"
    clock.now += 61
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c1", "<PERSON_1>", "reply")
    assert len(vault) == 0
    # Numbering starts again in an expired conversation.
    assert vault.placeholder_for("c1", "PERSON", "Bo") == "<PERSON_1>"


def test_oldest_conversations_are_dropped_beyond_the_limit() -> None:
    vault = Vault(max_conversations=2)
    for conversation in ("a", "b", "c"):
        vault.placeholder_for(conversation, "PERSON", "Anna")
    assert vault.placeholders("a") == {}
    assert vault.placeholders("c") == {"<PERSON_1>": "PERSON"}


def test_values_beyond_the_per_conversation_limit_get_placeholders_but_are_not_stored() -> None:
    vault = Vault(max_values=1)
    assert vault.placeholder_for("c", "PERSON", "Anna") == "<PERSON_1>"
    assert vault.placeholder_for("c", "PERSON", "Bo") == "<PERSON_2>"
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c", "<PERSON_2>", "reply")


def test_forget_drops_the_conversation() -> None:
    vault = Vault()
    vault.placeholder_for("c", "PERSON", "Anna")
    vault.forget("c")
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c", "<PERSON_1>", "reply")
