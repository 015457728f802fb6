"""Precision rules: case numbers, dates, amounts, references and the municipality's own numbers stay."""

from __future__ import annotations

import pytest

from guardrails.precision import is_protected, protected_spans
from guardrails.redactor import Redactor


@pytest.mark.parametrize(
    "text",
    [
        "Mitt ärende har Dnr 2024-123.",
        "Gäller KS 2023/145 och BN 2024-1234.",
        "Beslutet kom 20240315, alltså 2024-03-15.",
        "Avgiften är 1 500 kr, eller 35 000 kronor per år.",
        "OCR 1234567890128 på fakturan.",
        "Ordernummer 4111111111111111 gäller boken.",
        "Boken har ISBN 978-91-27-15686-1.",
        "Enligt SFS 2010:900, 9 kap. 2 §.",
        "Buss 4 går kl 14.30 från centrum.",
        "Kommunens org.nr är 212000-0142 och växeln 0123-45 00 00.",
        "Företaget har org.nr 556036-0793.",
        "bankgiro Dnr 2024-1234",
    ],
)
def test_not_personal_data(redactor: Redactor, text: str) -> None:
    assert redactor.scan(text) == []


def test_personnummer_is_never_suppressed_by_a_rule(redactor: Redactor) -> None:
    text = "kundnummer 19900101-1239"
    assert [(text[f.start : f.end], f.type) for f in redactor.scan(text)] == [
        ("19900101-1239", "SE_PERSONNUMMER")
    ]


def test_containment_not_overlap() -> None:
    spans = protected_spans("20240315-1234 Dnr 2024-123")
    assert is_protected(18, 26, spans)
    assert not is_protected(0, 13, spans)
