"""Audit ids are short, readable aloud, and forgiving when typed back."""

from __future__ import annotations

import pytest

from audit.ids import ALPHABET, new_audit_id, normalise_audit_id


def test_shape_and_alphabet() -> None:
    ids = {new_audit_id() for _ in range(2000)}
    assert len(ids) == 2000
    for audit_id in ids:
        assert audit_id.startswith("KS-") and len(audit_id) == 13
        assert set(audit_id[3:]) <= set(ALPHABET)
    used = {ch for audit_id in ids for ch in audit_id[3:]}
    assert used == set(ALPHABET)  # every character occurs: the bits are spread over the alphabet


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("KS-7K3M9Q2X4B", "KS-7K3M9Q2X4B"),
        ("ks-7k3m9q2x4b", "KS-7K3M9Q2X4B"),
        ("7K3M 9Q2X 4B", "KS-7K3M9Q2X4B"),
        ("KS-7K3M9Q2X4O", "KS-7K3M9Q2X40"),  # O read as zero
        ("KS-IK3M9Q2XLB", "KS-1K3M9Q2X1B"),  # I and L read as one
        ("KS-7K3M9Q2X4", None),
        ("KS-7K3M9Q2X4U", None),  # U is not in the alphabet
        ("", None),
    ],
)
def test_normalise(typed: str, expected: str | None) -> None:
    assert normalise_audit_id(typed) == expected


def test_the_canonical_pattern_is_exactly_the_form_new_ids_take() -> None:
    from audit.ids import CANONICAL, new_audit_id

    assert all(CANONICAL.fullmatch(new_audit_id()) for _ in range(500))
    for other in ("ks-7k3m9q2x4b", "KS-7K3M9Q2X4", "KS-7K3M9Q2X4BB", "KS-7K3M9Q2X4I", "XS-7K3M9Q2X4B"):
        assert CANONICAL.fullmatch(other) is None
