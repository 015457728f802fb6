"""The vault: typed numbered placeholders per conversation; only what a purpose can use is kept."""

from __future__ import annotations

import gc
import sys

import pytest

from guardrails.errors import PlaceholderNotFound, VaultError
from guardrails.vault import PLACEHOLDER_LABELS, PURPOSES, Vault

CONTACT = "case_contact"


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
    assert vault.placeholder_for("c1", "SE_PERSONNUMMER", "19850505-1234") == "<PERSONNUMMER_2>"
    assert vault.placeholder_for("c1", "EMAIL_ADDRESS", "A@B.SE") == "<EMAIL_1>"


def test_only_types_a_purpose_can_use_are_kept() -> None:
    assert PURPOSES == {CONTACT: frozenset({"EMAIL_ADDRESS", "PHONE_NUMBER"})}
    vault = Vault()
    assert vault.kept_types == {"EMAIL_ADDRESS", "PHONE_NUMBER"}
    dropped = {
        "SE_PERSONNUMMER": "19900101-1239",
        "CREDIT_CARD": "4111 1111 1111 1111",
        "IBAN_CODE": "SE45 5000 0000 0583 9825 7466",
        "PERSON": "Karin Öberg",
        "LOCATION": "Storgatan 12",
        "SE_BANK_ACCOUNT": "8327-9 123 456 789-0",
        "SE_BANKGIRO": "5050-1055",
        "SE_LICENSE_PLATE": "ABC 123",
        "IP_ADDRESS": "192.168.1.20",
    }
    assert set(dropped) | vault.kept_types == set(PLACEHOLDER_LABELS)
    for entity_type, value in dropped.items():
        vault.placeholder_for("c1", entity_type, value)
    vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se")
    vault.placeholder_for("c1", "PHONE_NUMBER", "070-123 45 67")
    assert vault.placeholders("c1") == {"<EMAIL_1>": "EMAIL_ADDRESS", "<PHONE_1>": "PHONE_NUMBER"}
    assert vault.holds("c1") == 2
    for placeholder in ("<PERSONNUMMER_1>", "<CARD_1>", "<IBAN_1>", "<PERSON_1>"):
        with pytest.raises(PlaceholderNotFound):
            vault.reveal("c1", placeholder, CONTACT)
    # Nothing of a dropped value is held: not the value, not its digits (only a keyed hash).
    held = repr(vars(vault._conversations["c1"]))
    for value in dropped.values():
        assert value not in held
    assert "199001011239" not in held and "9001011239" not in held


def test_dropped_values_leave_no_reference_behind() -> None:
    vault = Vault()
    value = "".join(["19900101", "-", "1239"])  # a fresh string object, not an interned constant
    before = sys.getrefcount(value)
    vault.placeholder_for("c1", "SE_PERSONNUMMER", value)
    gc.collect()
    assert sys.getrefcount(value) == before


def test_conversations_are_independent() -> None:
    vault = Vault()
    assert vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se") == "<EMAIL_1>"
    assert vault.placeholder_for("c2", "EMAIL_ADDRESS", "bjorn@example.se") == "<EMAIL_1>"
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c2", "<EMAIL_2>", CONTACT)
    assert vault.reveal("c2", "<EMAIL_1>", CONTACT) == "bjorn@example.se"


def test_reveal_records_purpose_and_type_but_never_the_value() -> None:
    vault = Vault()
    vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se")
    assert vault.reveal("c1", "<EMAIL_1>", " case_contact ") == "anna@example.se"
    uses = vault.uses("c1")
    assert [(u.placeholder, u.entity_type, u.purpose) for u in uses] == [
        ("<EMAIL_1>", "EMAIL_ADDRESS", CONTACT)
    ]
    assert "anna@example.se" not in repr(uses) and "anna@example.se" not in str(uses[0].to_dict())
    assert vault.drain_uses("c1") == uses
    assert vault.uses("c1") == []


@pytest.mark.parametrize("purpose", ["", "  ", "complaint_reply", "marketing"])
def test_reveal_requires_a_declared_purpose(purpose: str) -> None:
    vault = Vault()
    vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se")
    with pytest.raises(VaultError):
        vault.reveal("c1", "<EMAIL_1>", purpose)
    assert vault.uses("c1") == []


def test_a_purpose_reveals_only_its_own_types() -> None:
    vault = Vault(
        purposes={"case_contact": frozenset({"EMAIL_ADDRESS"}), "callback": frozenset({"PHONE_NUMBER"})}
    )
    vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se")
    vault.placeholder_for("c1", "PHONE_NUMBER", "070-123 45 67")
    with pytest.raises(VaultError, match="may not use"):
        vault.reveal("c1", "<PHONE_1>", "case_contact")
    assert vault.reveal("c1", "<PHONE_1>", "callback") == "070-123 45 67"


def test_values_expire_after_idle_ttl_and_activity_extends_it() -> None:
    clock = FakeClock()
    vault = Vault(ttl_seconds=60, clock=clock)
    vault.placeholder_for("c1", "EMAIL_ADDRESS", "anna@example.se")
    clock.now += 50
    assert vault.reveal("c1", "<EMAIL_1>", CONTACT) == "anna@example.se"  # use counts as activity
    clock.now += 50
    assert vault.reveal("c1", "<EMAIL_1>", CONTACT) == "anna@example.se"
    clock.now += 61
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c1", "<EMAIL_1>", CONTACT)
    assert len(vault) == 0 and vault.holds("c1") == 0
    # Numbering starts again in an expired conversation.
    assert vault.placeholder_for("c1", "PERSON", "Bo") == "<PERSON_1>"


def test_purge_expired_counts_dropped_conversations() -> None:
    clock = FakeClock()
    vault = Vault(ttl_seconds=60, clock=clock)
    vault.placeholder_for("a", "EMAIL_ADDRESS", "a@example.se")
    clock.now += 30
    vault.placeholder_for("b", "EMAIL_ADDRESS", "b@example.se")
    clock.now += 31
    assert vault.purge_expired() == 1
    assert vault.holds("a") == 0 and vault.holds("b") == 1


def test_oldest_conversations_are_dropped_beyond_the_limit() -> None:
    vault = Vault(max_conversations=2)
    for conversation in ("a", "b", "c"):
        vault.placeholder_for(conversation, "EMAIL_ADDRESS", "anna@example.se")
    assert vault.placeholders("a") == {}
    assert vault.placeholders("c") == {"<EMAIL_1>": "EMAIL_ADDRESS"}


def test_values_beyond_the_per_conversation_limit_get_placeholders_but_are_not_stored() -> None:
    vault = Vault(max_values=1)
    assert vault.placeholder_for("c", "EMAIL_ADDRESS", "anna@example.se") == "<EMAIL_1>"
    assert vault.placeholder_for("c", "EMAIL_ADDRESS", "bo@example.se") == "<EMAIL_2>"
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c", "<EMAIL_2>", CONTACT)


def test_forget_drops_the_conversation_and_says_how_much() -> None:
    vault = Vault()
    vault.placeholder_for("c", "EMAIL_ADDRESS", "anna@example.se")
    vault.placeholder_for("c", "PHONE_NUMBER", "070-123 45 67")
    vault.placeholder_for("c", "SE_PERSONNUMMER", "19900101-1239")
    vault.placeholder_for("other", "EMAIL_ADDRESS", "bo@example.se")
    assert vault.holds("c") == 2
    assert vault.forget("c") == 2
    assert vault.forget("c") == 0
    assert vault.holds("c") == 0 and vault.placeholders("c") == {}
    with pytest.raises(PlaceholderNotFound):
        vault.reveal("c", "<EMAIL_1>", CONTACT)
    assert vault.reveal("other", "<EMAIL_1>", CONTACT) == "bo@example.se"
    # A new turn after the deletion starts afresh.
    assert vault.placeholder_for("c", "EMAIL_ADDRESS", "anna@example.se") == "<EMAIL_1>"
