"""Scoring of the redactor on a PII set: per-type recall/precision/F2, leaks, false positives.

A row is ``{"text", "spans": [{"start", "end", "type"}], "negatives": [{"start", "end", "kind"}]}``.
Matching is by overlap: a gold span is found when a finding of the same type overlaps it; a finding is
correct when it overlaps a gold span of its type. A value *leaks* when it (or, for numbers, its digits;
for names, any name word) is still in the redacted text.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from guardrails.vault import PLACEHOLDER_PATTERN

NUMERIC_TYPES = {
    "SE_PERSONNUMMER",
    "PHONE_NUMBER",
    "IBAN_CODE",
    "CREDIT_CARD",
    "SE_BANK_ACCOUNT",
    "SE_BANKGIRO",
    "IP_ADDRESS",
}
_SPELLED = re.compile(
    r"(?i)\b(?:noll|ett|en|två|tre|fyra|fem|sex|sju|åtta|nio|zero|oh|one|two|three|four|five|six|seven|"
    r"eight|nine)\b"
)


@dataclass
class Tally:
    """Counts for one entity type."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    exact: int = 0
    leaked: int = 0

    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def f2(self) -> float:
        p, r = self.precision(), self.recall()
        return 5 * p * r / (4 * p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        for name in ("gold", "found", "predicted", "correct", "exact", "leaked"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Report:
    """Everything measured on one set (one case variant)."""

    per_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    per_section: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    messages: int = 0
    gold_values: int = 0
    leaked: int = 0
    partially_covered: int = 0
    redacted_any_type: int = 0
    clean_messages: int = 0
    clean_flagged: int = 0
    clean_flagged_by_section: Counter = field(default_factory=Counter)
    clean_by_section: Counter = field(default_factory=Counter)
    negatives: Counter = field(default_factory=Counter)
    negatives_flagged: Counter = field(default_factory=Counter)


def span_type(span: dict[str, Any]) -> str:
    """The entity type of a gold span (tolerates ``entity_type``/``label`` spellings)."""
    return str(span.get("type") or span.get("entity_type") or span.get("label") or "")


def negative_kind(negative: dict[str, Any]) -> str:
    """The kind of a look-alike mark."""
    return str(negative.get("kind") or negative.get("type") or negative.get("label") or "OTHER")


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score_row(report: Report, row: dict[str, Any], findings: list[Any], redacted: str) -> None:
    """Add one redacted row to ``report``."""
    text = row["text"]
    spans = row.get("spans") or []
    negatives = row.get("negatives") or []
    section = str(row.get("section") or "")
    report.messages += 1
    for span in spans:
        kind = span_type(span)
        start, end = span["start"], span["end"]
        tally, section_tally = report.per_type[kind], report.per_section[section]
        tally.gold += 1
        section_tally.gold += 1
        same = [f for f in findings if f.type == kind and overlaps(f.start, f.end, start, end)]
        if same:
            tally.found += 1
            section_tally.found += 1
            if any(f.start == start and f.end == end for f in same):
                tally.exact += 1
        if any(overlaps(f.start, f.end, start, end) for f in findings):
            report.redacted_any_type += 1
        report.gold_values += 1
        if still_present(text[start:end], kind, redacted):
            report.leaked += 1
            tally.leaked += 1
            section_tally.leaked += 1
        covered = set()
        for f in findings:
            covered.update(range(max(f.start, start), min(f.end, end)))
        if any(not text[i].isspace() and i not in covered for i in range(start, end)):
            report.partially_covered += 1
    for finding in findings:
        tally = report.per_type[finding.type]
        tally.predicted += 1
        if any(
            span_type(s) == finding.type and overlaps(finding.start, finding.end, s["start"], s["end"])
            for s in spans
        ):
            tally.correct += 1
    for negative in negatives:
        kind = negative_kind(negative)
        report.negatives[kind] += 1
        if any(overlaps(f.start, f.end, negative["start"], negative["end"]) for f in findings):
            report.negatives_flagged[kind] += 1
    if not spans and not negatives:
        report.clean_messages += 1
        report.clean_by_section[section] += 1
        if findings:
            report.clean_flagged += 1
            report.clean_flagged_by_section[section] += 1


def still_present(value: str, entity_type: str, redacted: str) -> bool:
    """Whether the value (or, for numbers, its digits; for names, any name word) is still in the output.

    The placeholders are taken out first: "PER" is not left in "<PERSON_1>" (blind numbers set 5, in
    capitals, counted a redacted name as leaked).
    """
    redacted = PLACEHOLDER_PATTERN.sub(" ", redacted)
    if value in redacted:
        return True
    if entity_type in NUMERIC_TYPES:
        digits = "".join(str(int(ch)) for ch in value if ch.isdecimal())
        if len(digits) >= 5 and digits in "".join(str(int(ch)) for ch in redacted if ch.isdecimal()):
            return True
        # A number in words: the same run of number words still in the output.
        words = " ".join(m.group().lower() for m in _SPELLED.finditer(value))
        return len(words.split()) >= 5 and words in " ".join(
            m.group().lower() for m in _SPELLED.finditer(redacted)
        )
    if entity_type not in {"PERSON", "LOCATION"}:
        return False
    words = [w for w in re.findall(r"\w+", value) if len(w) >= 3 and not w.isdigit()]
    if entity_type == "LOCATION":
        words = [w for w in words if w[0].isupper() or len(w) > 4][:1]  # the street name
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", redacted, re.IGNORECASE) for w in words)


def invalid_personnummer_flagged(report: Report) -> int:
    """Look-alikes of the invalid-personnummer kind that were flagged."""
    return sum(n for kind, n in report.negatives_flagged.items() if _is_invalid_pnr_kind(kind))


def invalid_personnummer_total(report: Report) -> int:
    return sum(n for kind, n in report.negatives.items() if _is_invalid_pnr_kind(kind))


def _is_invalid_pnr_kind(kind: str) -> bool:
    upper = kind.upper()
    return "INVALID" in upper and ("PNR" in upper or "PERSONNUMMER" in upper)


def summarise(report: Report) -> dict[str, Any]:
    """Return the figures of one report as a JSON-ready dict."""
    total, without_person = Tally(), Tally()
    for entity_type, tally in report.per_type.items():
        total.add(tally)
        if entity_type != "PERSON":
            without_person.add(tally)
    per_type = {
        t: {
            "gold": v.gold,
            "predicted": v.predicted,
            "precision": round(v.precision(), 4),
            "recall": round(v.recall(), 4),
            "f2": round(v.f2(), 4),
            "leak_rate": round(v.leaked / v.gold, 4) if v.gold else 0.0,
            "exact_span_share": round(v.exact / v.found, 4) if v.found else None,
        }
        for t, v in sorted(report.per_type.items())
    }
    gold = report.gold_values
    return {
        "messages": report.messages,
        "gold_values": gold,
        "per_type": per_type,
        "per_section": {
            s: {"gold": v.gold, "recall": round(v.recall(), 4), "leaked": v.leaked}
            for s, v in sorted(report.per_section.items())
            if v.gold
        },
        "micro": _prf(total),
        "micro_without_person": _prf(without_person),
        "redacted_any_type_share": round(report.redacted_any_type / gold, 4) if gold else 1.0,
        "leak_rate": round(report.leaked / gold, 4) if gold else 0.0,
        "leaked_by_type": {t: v.leaked for t, v in sorted(report.per_type.items()) if v.leaked},
        "partially_covered_rate": round(report.partially_covered / gold, 4) if gold else 0.0,
        "clean_messages": report.clean_messages,
        "clean_flagged": report.clean_flagged,
        "clean_flagged_rate": round(report.clean_flagged / report.clean_messages, 4)
        if report.clean_messages
        else 0.0,
        "clean_flagged_by_section": {
            s: f"{report.clean_flagged_by_section[s]}/{n}" for s, n in sorted(report.clean_by_section.items())
        },
        "negatives": dict(report.negatives),
        "negatives_flagged": dict(report.negatives_flagged),
        "invalid_personnummer_flagged": invalid_personnummer_flagged(report),
        "invalid_personnummer_total": invalid_personnummer_total(report),
    }


def _prf(tally: Tally) -> dict[str, float]:
    return {
        "precision": round(tally.precision(), 4),
        "recall": round(tally.recall(), 4),
        "f2": round(tally.f2(), 4),
    }
