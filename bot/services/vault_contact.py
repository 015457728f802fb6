"""The contact of a chat-form case: the value behind ``<EMAIL_n>``/``<PHONE_n>``, from the gateway's vault.

The vault of raw values lives only in the gateway, so this is where a placeholder the action server
sent becomes a validated contact (``cases.contact``) for the case store to encrypt. The value leaves
the vault only here, for ``purpose``; the use (never the value) is recorded by the vault and, once the
case exists, in the case's events and the audit access log (``CaseService.from_chat``).
"""

from __future__ import annotations

from typing import Protocol

from cases.contact import valid_email, valid_phone
from cases.errors import VaultValueUnavailable
from cases.models import Contact
from guardrails.errors import GuardrailError


class ContactVault(Protocol):
    """The part of ``guardrails.vault.Vault`` a case needs."""

    def reveal(self, conversation_id: str, placeholder: str, purpose: str) -> str:
        """The raw value behind ``placeholder``, for a declared ``purpose``."""

    def placeholders(self, conversation_id: str) -> dict[str, str]:
        """The conversation's placeholders and their entity types."""


def contact_from_vault(
    vault: ContactVault, conversation: str, placeholder: str, purpose: str
) -> tuple[Contact, dict[str, str]]:
    """The raw contact behind the placeholder, validated; and the use to record with the case.

    Raises:
        VaultValueUnavailable: the vault no longer holds the value, or refuses it for ``purpose``.
        InvalidContact: the value is not a valid e-mail address or phone number.
    """
    try:
        value = vault.reveal(conversation, placeholder, purpose)
    except GuardrailError as exc:
        raise VaultValueUnavailable(type(exc).__name__) from exc
    entity_type = vault.placeholders(conversation).get(placeholder, "")
    if entity_type == "EMAIL_ADDRESS":
        contact = valid_email(value, field="contact")
    else:
        contact = valid_phone(value, field="contact")
    return contact, {"purpose": purpose, "type": entity_type, "placeholder": placeholder}
