"""Evaluate the redactor on the PII dev set: precision, recall, F2, leaks, false positives, latency.

Usage::

    .venv/bin/python scripts/eval_pii.py                 # evaluate, print the report
    .venv/bin/python scripts/eval_pii.py --json out.json # also write the figures as JSON
    .venv/bin/python scripts/eval_pii.py --build-devset  # rebuild the JSON lines from the marked file

The dev set (``data/eval/pii/pii_devset.jsonl``) is built from the hand-written
``pii_devset.marked.txt``: ``[[value|TYPE]]`` marks personal data that must be found, ``{{value|KIND}}`` a
look-alike that must not be flagged. Matching is by overlap: a gold span is found when a finding of the
same type overlaps it; a finding is correct when it overlaps a gold span of its type.
Latency is measured single-threaded on one CPU, over messages of at most 500 characters. The target is
checked on CPU time per message (the work one core does); wall-clock p50/p95 are printed too, and on a
shared, busy machine they include time spent waiting for other processes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEVSET_DIR = ROOT / "data" / "eval" / "pii"
MARKED = DEVSET_DIR / "pii_devset.marked.txt"
DEVSET = DEVSET_DIR / "pii_devset.jsonl"
TARGETS = {
    "f2": 0.95,
    "personnummer_recall": 1.0,
    "leak_rate": 0.01,
    "clean_flagged": 0.05,
    "invalid_personnummer_flagged": 0,
    "p95_ms": 5.0,
}
_MARK = re.compile(
    r"\[\[(?P<pos>[^|\]]+)\|(?P<ptype>[A-Z_]+)\]\]|\{\{(?P<neg>[^|}]+)\|(?P<ntype>[A-Z_]+)\}\}"
)
_LINE = re.compile(r"^\[(?P<lang>[a-z]{2})\] (?P<body>.*)$")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\n")
NUMERIC_TYPES = {
    "SE_PERSONNUMMER",
    "PHONE_NUMBER",
    "IBAN_CODE",
    "CREDIT_CARD",
    "SE_BANK_ACCOUNT",
    "SE_BANKGIRO",
    "IP_ADDRESS",
}


def build_devset(marked: Path = MARKED, out: Path = DEVSET) -> int:
    """Convert the marked file into JSON lines with exact character spans; return the message count."""
    rows = []
    section = ""
    for number, raw in enumerate(marked.read_text(encoding="utf-8").splitlines(), start=1):
        if raw.startswith("## "):
            section = raw[3:].strip()
            continue
        if not raw.strip() or raw.startswith("#"):
            continue
        line = _LINE.match(raw)
        if not line:
            raise SystemExit(f"{marked.name}:{number}: expected '[lang] text'")
        body = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\n", line.group("body"))
        text, spans, negatives = _unmark(body)
        rows.append(
            {
                "id": f"pii-{len(rows) + 1:04d}",
                "lang": line.group("lang"),
                "section": section,
                "text": text,
                "spans": spans,
                "negatives": negatives,
            }
        )
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def _unmark(body: str) -> tuple[str, list[dict], list[dict]]:
    text, spans, negatives, position = "", [], [], 0
    for match in _MARK.finditer(body):
        text += body[position : match.start()]
        value = match.group("pos") or match.group("neg")
        start = len(text)
        text += value
        if match.group("pos"):
            spans.append({"start": start, "end": len(text), "type": match.group("ptype")})
        else:
            negatives.append({"start": start, "end": len(text), "kind": match.group("ntype")})
        position = match.end()
    return text + body[position:], spans, negatives


@dataclass
class Tally:
    """Counts for one entity type."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0
    exact: int = 0

    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def f2(self) -> float:
        p, r = self.precision(), self.recall()
        return 5 * p * r / (4 * p + r) if p + r else 0.0


@dataclass
class Report:
    """Everything the evaluation measures."""

    per_type: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    messages: int = 0
    gold_values: int = 0
    leaked: int = 0
    leaked_by_type: Counter = field(default_factory=Counter)
    partially_covered: int = 0
    redacted_any_type: int = 0
    clean_messages: int = 0
    clean_flagged: int = 0
    negatives: Counter = field(default_factory=Counter)
    negatives_flagged: Counter = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    create_seconds: float = 0.0
    entity_types: list[str] = field(default_factory=list)


def evaluate(rows: list[dict], repeats: int = 5) -> Report:
    """Run the redactor over every row and tally the results."""
    from guardrails.redactor import Redactor

    started = time.perf_counter()
    redactor = Redactor.create()
    report = Report(create_seconds=time.perf_counter() - started, entity_types=redactor.entity_types)
    for row in rows:
        text = row["text"]
        result = redactor.redact(text)
        _score_row(report, row, result.findings, result.text)
    for _ in range(repeats):
        for row in rows:
            if len(row["text"]) > 500:
                continue
            wall, cpu = time.perf_counter(), time.thread_time()
            redactor.redact(row["text"])
            report.cpu_ms.append((time.thread_time() - cpu) * 1000)
            report.latencies_ms.append((time.perf_counter() - wall) * 1000)
    return report


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _score_row(report: Report, row: dict, findings: list, redacted: str) -> None:
    text, spans, negatives = row["text"], row["spans"], row["negatives"]
    report.messages += 1
    for span in spans:
        tally = report.per_type[span["type"]]
        tally.gold += 1
        same = [
            f
            for f in findings
            if f.type == span["type"] and _overlaps(f.start, f.end, span["start"], span["end"])
        ]
        if same:
            tally.found += 1
            if any(f.start == span["start"] and f.end == span["end"] for f in same):
                tally.exact += 1
        if any(_overlaps(f.start, f.end, span["start"], span["end"]) for f in findings):
            report.redacted_any_type += 1
        report.gold_values += 1
        value = text[span["start"] : span["end"]]
        if _still_present(value, span["type"], redacted):
            report.leaked += 1
            report.leaked_by_type[span["type"]] += 1
        covered = set()
        for f in findings:
            covered.update(range(max(f.start, span["start"]), min(f.end, span["end"])))
        if any(
            not value[i - span["start"]].isspace() and i not in covered
            for i in range(span["start"], span["end"])
        ):
            report.partially_covered += 1
    for finding in findings:
        tally = report.per_type[finding.type]
        tally.predicted += 1
        if any(
            s["type"] == finding.type and _overlaps(finding.start, finding.end, s["start"], s["end"])
            for s in spans
        ):
            tally.correct += 1
    for negative in negatives:
        report.negatives[negative["kind"]] += 1
        if any(_overlaps(f.start, f.end, negative["start"], negative["end"]) for f in findings):
            report.negatives_flagged[negative["kind"]] += 1
    if not spans and not negatives:
        report.clean_messages += 1
        report.clean_flagged += bool(findings)


def _still_present(value: str, entity_type: str, redacted: str) -> bool:
    """Whether the value (or, for numbers, its digits; for names, any name word) is still in the output."""
    if value in redacted:
        return True
    if entity_type in NUMERIC_TYPES:
        digits = "".join(str(int(ch)) for ch in value if ch.isdecimal())
        return len(digits) >= 5 and digits in "".join(ch for ch in redacted if ch.isdecimal())
    if entity_type not in {"PERSON", "LOCATION"}:
        return False
    words = [w for w in re.findall(r"\w+", value) if len(w) >= 3 and not w.isdigit()]
    if entity_type == "LOCATION":
        words = [w for w in words if w[0].isupper() or len(w) > 4][:1]  # the street name
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", redacted, re.IGNORECASE) for w in words)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def summarise(report: Report) -> dict:
    """Return the figures as a JSON-ready dict."""
    total, without_person = Tally(), Tally()
    for entity_type, tally in report.per_type.items():
        for name in ("gold", "found", "predicted", "correct", "exact"):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
            if entity_type != "PERSON":
                setattr(without_person, name, getattr(without_person, name) + getattr(tally, name))
    per_type = {
        t: {
            "gold": v.gold,
            "predicted": v.predicted,
            "precision": round(v.precision(), 4),
            "recall": round(v.recall(), 4),
            "f2": round(v.f2(), 4),
            "exact_span_share": round(v.exact / v.found, 4) if v.found else None,
        }
        for t, v in sorted(report.per_type.items())
    }
    return {
        "messages": report.messages,
        "gold_values": report.gold_values,
        "per_type": per_type,
        "micro": {
            "precision": round(total.precision(), 4),
            "recall": round(total.recall(), 4),
            "f2": round(total.f2(), 4),
        },
        "micro_without_person": {
            "precision": round(without_person.precision(), 4),
            "recall": round(without_person.recall(), 4),
            "f2": round(without_person.f2(), 4),
        },
        "redacted_any_type_share": round(report.redacted_any_type / report.gold_values, 4),
        "leak_rate": round(report.leaked / report.gold_values, 4),
        "leaked_by_type": dict(report.leaked_by_type),
        "partially_covered_rate": round(report.partially_covered / report.gold_values, 4),
        "clean_messages": report.clean_messages,
        "clean_flagged_rate": round(report.clean_flagged / report.clean_messages, 4)
        if report.clean_messages
        else 0,
        "negatives": dict(report.negatives),
        "negatives_flagged": dict(report.negatives_flagged),
        "invalid_personnummer_flagged": report.negatives_flagged.get("INVALID_PNR", 0),
        "latency_ms": {
            "messages_timed": len(report.latencies_ms),
            "p50": round(_percentile(report.latencies_ms, 0.50), 3),
            "p95": round(_percentile(report.latencies_ms, 0.95), 3),
            "mean": round(statistics.fmean(report.latencies_ms), 3) if report.latencies_ms else 0,
            "cpu_p50": round(_percentile(report.cpu_ms, 0.50), 3),
            "cpu_p95": round(_percentile(report.cpu_ms, 0.95), 3),
        },
        "create_seconds": round(report.create_seconds, 3),
        "entity_types": report.entity_types,
    }


def print_summary(summary: dict) -> None:
    """Print the report as a table with the issue's targets."""
    print(f"PII dev set: {summary['messages']} messages, {summary['gold_values']} personal-data values")
    print(
        f"Redactor.create(): {summary['create_seconds']:.2f} s; types: {', '.join(summary['entity_types'])}"
    )
    print()
    print(f"{'type':<18}{'gold':>6}{'pred':>6}{'prec':>8}{'recall':>8}{'F2':>8}{'exact':>8}")
    for name, row in summary["per_type"].items():
        exact = "-" if row["exact_span_share"] is None else f"{row['exact_span_share']:.2f}"
        print(
            f"{name:<18}{row['gold']:>6}{row['predicted']:>6}{row['precision']:>8.3f}"
            f"{row['recall']:>8.3f}{row['f2']:>8.3f}{exact:>8}"
        )
    micro = summary["micro"]
    print(f"{'ALL (micro)':<18}{'':>12}{micro['precision']:>8.3f}{micro['recall']:>8.3f}{micro['f2']:>8.3f}")
    rest = summary["micro_without_person"]
    print(f"{'ALL but PERSON':<18}{'':>12}{rest['precision']:>8.3f}{rest['recall']:>8.3f}{rest['f2']:>8.3f}")
    print()
    pnr_recall = summary["per_type"].get("SE_PERSONNUMMER", {}).get("recall", 1.0)
    latency = summary["latency_ms"]
    checks = [
        ("F2 (micro)", micro["f2"], f">= {TARGETS['f2']}", micro["f2"] >= TARGETS["f2"]),
        ("personnummer recall", pnr_recall, "= 1.00", pnr_recall >= TARGETS["personnummer_recall"]),
        (
            "leak rate",
            summary["leak_rate"],
            f"<= {TARGETS['leak_rate']}",
            summary["leak_rate"] <= TARGETS["leak_rate"],
        ),
        (
            "clean messages flagged",
            summary["clean_flagged_rate"],
            f"<= {TARGETS['clean_flagged']}",
            summary["clean_flagged_rate"] <= TARGETS["clean_flagged"],
        ),
        (
            "invalid personnummer flagged",
            summary["invalid_personnummer_flagged"],
            "= 0",
            summary["invalid_personnummer_flagged"] <= TARGETS["invalid_personnummer_flagged"],
        ),
        (
            "p95 CPU ms/message (1 core)",
            latency["cpu_p95"],
            f"<= {TARGETS['p95_ms']}",
            latency["cpu_p95"] <= TARGETS["p95_ms"],
        ),
    ]
    for name, value, target, ok in checks:
        print(f"{name:<32}{value!s:>10}   target {target:<8} {'ok' if ok else 'MISSED'}")
    print()
    print(
        f"redacted under any type: {summary['redacted_any_type_share']:.3f}; "
        f"values not fully covered: {summary['partially_covered_rate']:.3f}; "
        f"clean messages: {summary['clean_messages']}"
    )
    print(
        f"wall-clock p50/p95 {latency['p50']}/{latency['p95']} ms, mean {latency['mean']} ms, "
        f"CPU p50/p95 {latency['cpu_p50']}/{latency['cpu_p95']} ms"
    )
    flagged = {
        k: f"{summary['negatives_flagged'].get(k, 0)}/{v}" for k, v in sorted(summary["negatives"].items())
    }
    print(f"leaked values by type: {summary['leaked_by_type'] or 'none'}")
    print(f"look-alikes flagged (kind: flagged/total): {flagged}")


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation (or rebuild the dev set)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build-devset", action="store_true", help="rebuild the JSON lines from the marked file"
    )
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--repeats", type=int, default=5, help="timing rounds over the dev set")
    args = parser.parse_args(argv)
    if args.build_devset:
        print(f"wrote {build_devset()} messages to {DEVSET.relative_to(ROOT)}")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rows = [json.loads(line) for line in args.devset.read_text(encoding="utf-8").splitlines() if line.strip()]
    summary = summarise(evaluate(rows, repeats=args.repeats))
    print_summary(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
