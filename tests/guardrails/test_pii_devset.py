"""The PII dev set is well-formed, matches its marked source, and the non-name targets hold on it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVSET = ROOT / "data" / "eval" / "pii" / "pii_devset.jsonl"
SCRIPT = ROOT / "scripts" / "eval_pii.py"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines()]


def test_size_languages_and_coverage(rows: list[dict]) -> None:
    assert len(rows) >= 300
    languages = Counter(row["lang"] for row in rows)
    assert languages["sv"] >= 250 and languages["en"] >= 20
    types = Counter(span["type"] for row in rows for span in row["spans"])
    for entity_type in (
        "PERSON",
        "LOCATION",
        "PHONE_NUMBER",
        "EMAIL_ADDRESS",
        "SE_PERSONNUMMER",
        "IBAN_CODE",
        "CREDIT_CARD",
        "SE_BANK_ACCOUNT",
        "SE_BANKGIRO",
        "SE_LICENSE_PLATE",
        "IP_ADDRESS",
    ):
        assert types[entity_type] >= 5, entity_type
    assert sum(1 for row in rows if not row["spans"] and not row["negatives"]) >= 100


def test_spans_are_inside_the_text_and_do_not_overlap(rows: list[dict]) -> None:
    for row in rows:
        marks = sorted(row["spans"] + row["negatives"], key=lambda s: s["start"])
        for mark in marks:
            assert 0 <= mark["start"] < mark["end"] <= len(row["text"]), row["id"]
            assert row["text"][mark["start"] : mark["end"]].strip(), row["id"]
        for left, right in zip(marks, marks[1:], strict=False):
            assert left["end"] <= right["start"], row["id"]


def test_jsonl_is_up_to_date_with_the_marked_source(tmp_path: Path) -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import eval_pii
    finally:
        sys.path.remove(str(SCRIPT.parent))
    rebuilt = tmp_path / "devset.jsonl"
    eval_pii.build_devset(out=rebuilt)
    assert rebuilt.read_text(encoding="utf-8") == DEVSET.read_text(encoding="utf-8")


@pytest.mark.slow
def test_evaluation_meets_the_targets_that_do_not_depend_on_names(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--json", str(out), "--repeats", "1"],
        capture_output=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["per_type"]["SE_PERSONNUMMER"]["recall"] == 1.0
    assert figures["invalid_personnummer_flagged"] == 0
    assert figures["clean_flagged_rate"] <= 0.05
    for entity_type, row in figures["per_type"].items():
        if entity_type != "PERSON":
            assert row["f2"] >= 0.95, entity_type


def test_a_name_is_not_counted_as_leaked_because_a_placeholder_contains_it() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        from pii_scoring import still_present
    finally:
        sys.path.remove(str(SCRIPT.parent))
    assert not still_present("PER", "PERSON", "HEJ! <PERSON_1> HÄR.")
    assert still_present("PER", "PERSON", "HEJ! PER HÄR, <PERSON_1>")
    assert not still_present("070-123 45 67", "PHONE_NUMBER", "ring <PHONE_1>")
