"""Run one recognizer the way the analyzer does (scores below the redactor's threshold dropped)."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer

THRESHOLD = 0.5


def found(recognizer: EntityRecognizer, text: str) -> list[str]:
    """Return the matched substrings the redactor would act on, in text order."""
    entity = recognizer.supported_entities[0]
    results = [r for r in recognizer.analyze(text, [entity], None) if r.score >= THRESHOLD]
    return [text[r.start : r.end] for r in sorted(results, key=lambda r: r.start)]
