"""Guardrail settings, read from the environment (prefix ``KOMMUNSVAR_GUARDRAILS_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Findings below this score are not redacted (validated checksums score 1.0); the person finder's list
# anchor follows the same threshold.
DEFAULT_SCORE_THRESHOLD = 0.5


class GuardrailSettings(BaseSettings):
    """Settings of the redactor, the vault and the output guard."""

    model_config = SettingsConfigDict(env_prefix="KOMMUNSVAR_GUARDRAILS_", extra="ignore")

    score_threshold: float = Field(default=DEFAULT_SCORE_THRESHOLD, ge=0.0, le=1.0)
    # Vault: raw values live this long after the conversation's last redaction or use.
    vault_ttl_seconds: float = Field(default=1800.0, gt=0)
    vault_max_conversations: int = Field(default=100_000, gt=0)
    vault_max_values_per_conversation: int = Field(default=500, gt=0)
    # CLI: longer input lines are answered with an error line (the gateway caps messages far lower).
    cli_max_chars: int = Field(default=1_000_000, gt=0)
    # The municipality profile (content.municipality): its name, organisation number, switchboard and
    # public_contacts are the municipality's own public identifiers, never personal data, never redacted.
    data_dir: Path = PROJECT_ROOT / "data"
    # The topics file whose hand-off phone numbers and e-mail addresses are public contacts.
    topics_file: Path = PROJECT_ROOT / "data" / "topics.yml"
    # Approved knowledge articles: contact details printed in them are public (see public_values.py).
    knowledge_dir: Path = PROJECT_ROOT / "data" / "knowledge"
    # Whether to run the PERSON recognizer (the trained Swedish NER component) when it is installed.
    enable_person_ner: bool = True
