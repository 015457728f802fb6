"""Case numbers, the case-number token of approved texts, field encryption and the rules for its key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cases.crypto import FieldCipher
from cases.errors import ContactKeyError
from cases.ids import format_case_id, parse_case_id
from cases.settings import CasesSettings
from cases.store import CaseStore
from content.case_numbers import CASE_NUMBER_TOKEN, fill_case_number, to_template


def test_case_numbers():
    assert format_case_id(2026, 123) == "KS-2026-000123"
    assert parse_case_id(" ks-2026-000123 ") == (2026, 123)
    assert parse_case_id("KS-26-1") is None and parse_case_id("KS-7K3M9Q2X4B") is None
    text = fill_case_number(f"Ärendenummer {CASE_NUMBER_TOKEN}.", "KS-2026-000007")
    assert (
        text == "Ärendenummer KS-2026-000007." and to_template(text) == f"Ärendenummer {CASE_NUMBER_TOKEN}."
    )
    assert to_template("Ring 0123-45 00 00") == "Ring 0123-45 00 00"


def test_field_cipher(tmp_path: Path):
    key_path = tmp_path / "keys" / "case.key"
    cipher = FieldCipher.from_file(key_path)
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    blob = cipher.encrypt("anna@example.com", "KS-2026-000001/contact")
    assert b"anna" not in blob
    assert cipher.decrypt(blob, "KS-2026-000001/contact") == "anna@example.com"
    with pytest.raises(ContactKeyError):
        cipher.decrypt(blob, "KS-2026-000002/contact")  # moved to another case
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(ContactKeyError):
        cipher.decrypt(tampered, "KS-2026-000001/contact")
    new_key = os.urandom(32)
    rotated = FieldCipher(new_key, old_keys=(key_path.read_bytes(),))
    assert rotated.decrypt(blob, "KS-2026-000001/contact") == "anna@example.com"
    with pytest.raises(ContactKeyError):
        FieldCipher(new_key).decrypt(blob, "KS-2026-000001/contact")
    with pytest.raises(ContactKeyError):
        FieldCipher(b"short")


def test_case_key_follows_the_same_rules_as_the_audit_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'cases.db'}"
    policy = CasesSettings(environment="production", var_dir=tmp_path / "var", database_url=url).key_policy()
    with pytest.raises(ContactKeyError, match="KOMMUNSVAR_CASES_KEY_PATH"):
        CaseStore.open(url, key_path=tmp_path / "var" / "keys" / "case_contact.key", key_policy=policy)
    CaseStore.open(url, key_path=tmp_path / "etc" / "case_contact.key", key_policy=policy).close()
