"""LOCATION: street addresses with a number and postcodes; street or town names alone are not flagged."""

from __future__ import annotations

import pytest
from recognizer_helpers import found

from guardrails.recognizers.se_address_recognizer import SeAddressRecognizer


@pytest.fixture(scope="module")
def recognizer() -> SeAddressRecognizer:
    return SeAddressRecognizer()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jag bor på Storgatan 12B", ["Storgatan 12B"]),
        ("aspvägen 136A, lgh 1102 i stan", ["aspvägen 136A, lgh 1102"]),
        ("Norra Kyrkogatan 3 B, 123 45 Exempelstad", ["Norra Kyrkogatan 3 B, 123 45 Exempelstad"]),
        ("Drottning Kristinas väg 4", ["Drottning Kristinas väg 4"]),
        ("lampan vid Björkallén 7 är trasig", ["Björkallén 7"]),
        ("SE-123 45", ["SE-123 45"]),
        ("123 45 Exempelstad", ["123 45 Exempelstad"]),
        ("postnummer 123 45", ["123 45"]),
        # not personal data: names alone, numbers that only look alike
        ("Storgatan", []),
        ("på vägen 2 gånger", []),
        ("Gatan 5", []),
        ("kostar 350 00", []),
        ("123 45", []),
        ("ring 0470-123 45", []),
        ("Exempelstad kommun", []),
    ],
)
def test_table(recognizer: SeAddressRecognizer, text: str, expected: list[str]) -> None:
    assert found(recognizer, text) == expected
