"""Regression guard on the repo safety set (the figures themselves come from `make eval-safety`).

The cues alone must keep every emergency of the repo set and flag none of its ordinary questions as an
emergency; the e5 description rule is a second net on top (measured by the evaluation, not here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from content.safety import SafetyClassifier, SafetyRules

ROOT = Path(__file__).resolve().parents[2]
SET = yaml.safe_load((ROOT / "data" / "eval" / "safety" / "safety_blind.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def classifier() -> SafetyClassifier:
    return SafetyClassifier(SafetyRules.load(ROOT / "data"))


def test_the_set_is_as_large_as_the_issue_asks() -> None:
    assert len(SET["emergencies"]) >= 100 and len(SET["assessments"]) >= 100 and len(SET["ordinary"]) >= 300


def test_every_emergency_of_the_repo_set_is_recognised(classifier: SafetyClassifier) -> None:
    missed = [item["text"] for item in SET["emergencies"] if classifier.classify(item["text"]).urgent is None]
    assert not missed


def test_no_ordinary_question_of_the_repo_set_is_an_emergency(classifier: SafetyClassifier) -> None:
    flagged = [
        item["text"] for item in SET["ordinary"] if classifier.classify(item["text"]).urgent is not None
    ]
    assert not flagged


def test_assessment_requests_are_handled_at_least_98_percent(classifier: SafetyClassifier) -> None:
    handled = sum(
        1 for item in SET["assessments"] if classifier.classify(item["text"]).assessment is not None
    )
    assert handled / len(SET["assessments"]) >= 0.98


def test_redaction_never_hides_an_emergency_of_the_repo_set(classifier: SafetyClassifier) -> None:
    """The safety check reads redacted text: a danger word taken for a name would hide the emergency.

    ("mitt barn forsvann …" lost "forsvann" to a PERSON placeholder before the safety rules' own words
    joined the name finder's vocabulary.)
    """
    from guardrails.redactor import Redactor

    redactor = Redactor.create()
    hidden = []
    for item in SET["emergencies"]:
        for text in (item["text"], item["text"].lower(), item["text"].upper()):
            if classifier.classify(redactor.redact(text).text).urgent is None:
                hidden.append(text)
    assert not hidden


def test_the_read_sets_example_file_is_generated_from_read_sets_only() -> None:
    """``data/safety_descriptions_read_sets.yml`` is what the script writes, and no unread set leaks in.

    The unread sets measure us; an item of theirs among the training examples would make their figures
    training-set figures without anyone noticing.
    """
    import importlib.util

    script = ROOT / "scripts" / "safety_read_sets.py"
    spec = importlib.util.spec_from_file_location("safety_read_sets", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--check"]) == 0

    examples = yaml.safe_load(module.OUTPUT.read_text(encoding="utf-8"))
    trained = {text for section in examples.values() for texts in section.values() for text in texts}
    sets = ROOT / "data" / "eval" / "safety"
    unread = sorted(path for path in sets.glob("*.yml") if path.name not in module.READ_SETS)
    assert {path.name for path in unread} >= {
        "safety_holdout.yml",
        "safety_blind2.yml",
        "safety_blind6.yml",
        "safety_blind7_test.yml",
        "safety_blind8_test.yml",
    }
    for path in unread:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = [item["text"] for key in ("emergencies", "assessments", "ordinary") for item in raw[key]]
        assert not trained.intersection(items), path.name
    assert len(trained) > 1000  # the read sets' assessments and ordinary questions, not an empty file
