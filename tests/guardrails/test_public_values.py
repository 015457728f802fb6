"""The municipality's public values come from ``data/municipality.yml`` through ``content.municipality``."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from content.municipality import load_municipality
from content.paths import DEFAULT_DATA_DIR, PROJECT_ROOT
from guardrails.public_values import PublicValues
from guardrails.redactor import Redactor
from guardrails.settings import GuardrailSettings
from guardrails.vault import PLACEHOLDER_LABELS

PRIVATE_PHONE = "070-987 65 43"
PRIVATE_EMAIL = "stadsarkivet@exempelstad.se"
# Organisation numbers of public bodies (kommuner, regioner, myndigheter) start with 2.
PUBLIC_ORG_NUMBER = re.compile(r"\b2\d{5}-\d{4}\b")
PACKAGES = ("actions", "audit", "bot", "cases", "content", "guardrails")


def _data_dir_with(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    raw = yaml.safe_load((DEFAULT_DATA_DIR / "municipality.yml").read_text(encoding="utf-8"))
    edit(raw)
    (tmp_path / "municipality.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _add_contacts(raw: dict[str, Any]) -> None:
    raw["public_contacts"]["phones"].append(PRIVATE_PHONE)
    raw["public_contacts"]["emails"].append(PRIVATE_EMAIL)


def test_public_contacts_of_the_profile_decide_what_is_allowed(tmp_path: Path) -> None:
    default = PublicValues.from_settings(GuardrailSettings())
    assert ("PHONE_NUMBER", PRIVATE_PHONE) not in default
    assert ("EMAIL_ADDRESS", PRIVATE_EMAIL) not in default
    edited = PublicValues.from_settings(GuardrailSettings(data_dir=_data_dir_with(tmp_path, _add_contacts)))
    assert ("PHONE_NUMBER", PRIVATE_PHONE) in edited
    assert ("EMAIL_ADDRESS", PRIVATE_EMAIL) in edited


def test_every_public_contact_of_the_profile_is_allowed() -> None:
    public = PublicValues.from_settings(GuardrailSettings())
    contacts = load_municipality().public_contacts
    assert all(("PHONE_NUMBER", phone) in public for phone in contacts.phones)
    assert all(("EMAIL_ADDRESS", email) in public for email in contacts.emails)
    assert all(("LOCATION", address) in public for address in contacts.addresses)


def test_the_redactor_follows_an_edited_profile(tmp_path: Path, redactor: Redactor) -> None:
    text = f"Ring {PRIVATE_PHONE} eller mejla {PRIVATE_EMAIL}."
    assert {f.type for f in redactor.scan(text)} == {"PHONE_NUMBER", "EMAIL_ADDRESS"}
    edited = Redactor.create(GuardrailSettings(data_dir=_data_dir_with(tmp_path, _add_contacts)))
    assert edited.scan(text) == []


def test_the_organisation_number_has_one_value() -> None:
    profile = load_municipality()
    raw = yaml.safe_load((DEFAULT_DATA_DIR / "municipality.yml").read_text(encoding="utf-8"))
    assert profile.org_number == raw["org_number"]
    assert not [name for name in GuardrailSettings.model_fields if "municipality_" in name or "org" in name]
    public = PublicValues.from_settings(GuardrailSettings())
    assert all((entity_type, profile.org_number) in public for entity_type in PLACEHOLDER_LABELS)
    copies = {
        (str(path.relative_to(PROJECT_ROOT)), match)
        for package in PACKAGES
        for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
        for match in _string_literal_org_numbers(path)
    }
    assert {(where, value) for where, value in copies if value != profile.org_number} == set()


def _string_literal_org_numbers(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.extend(PUBLIC_ORG_NUMBER.findall(node.value))
    return found


@pytest.mark.parametrize("missing", ["municipality.yml"])
def test_a_missing_profile_stops_the_guardrails(tmp_path: Path, missing: str) -> None:
    from content.errors import MunicipalityError

    with pytest.raises(MunicipalityError, match=missing):
        PublicValues.from_settings(GuardrailSettings(data_dir=tmp_path))
