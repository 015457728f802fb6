"""Evaluate the redactor on the PII sets: per-type recall/precision/F2, leaks, false positives, latency.

Usage::

    .venv/bin/python scripts/eval_pii.py                 # evaluate, print the report
    .venv/bin/python scripts/eval_pii.py --json out.json # also write the figures as JSON
    .venv/bin/python scripts/eval_pii.py --build-devset  # rebuild the JSON lines from the marked file

Sets, printed side by side:

* the dev set (``data/eval/pii/pii_devset.jsonl``), built from the hand-written
  ``pii_devset.marked.txt`` (``[[value|TYPE]]`` marks personal data, ``{{value|KIND}}`` a look-alike that
  must not be flagged). The rules were tuned on it: its figures are optimistic.
* the generated blind set (``data/eval/pii/pii_generated.jsonl``, written by
  ``scripts/generate_pii_eval.py`` without seeing the rules), when present. Its figures are the ones to
  report; nothing may be tuned on its individual misses.
* the blind chat set: 450 chat messages with 634 values, hand-written on 2026-12-02 by a helper that saw
  only the marked format (no recognizer, no other set), names above all. It was measured whole once, then
  split message by message: half A (``pii_blind_chat_a.marked.txt``) was read to find classes of misses,
  half B (``pii_blind_chat_b.marked.txt``) never.
* blind chat set 3 (``pii_blind_chat3_{a,b}.marked.txt``): 300 messages typed as on a phone, mostly in
  lower case or capitals, 371 names among 488 values, written the same way later that day and split
  the same way.
* blind chat set 4 (``pii_blind_chat4_{a,b}.marked.txt``): 240 messages with 308 values (208 names) and
  136 look-alikes, written on 2026-12-04 by a fourth helper the same way (normal case, lower case and
  capitals mixed in the text itself), measured whole once, then split the same way.
* blind chat set 5 (``pii_blind_chat5_{a,b}.marked.txt``): 240 messages (216 Swedish, 24 English; 108 in lower
  case, 24 in capitals) with 364 values (289 names: names that are also words, less common names of many
  origins, third-person mentions, lists, genitives, signatures) and 118 look-alikes, written on
  2026-12-05 by a ninth helper the same way; measured whole once (66 of 364 values leaked as written, 63
  names and 3 of 6 bank accounts), then split the same way.
* blind chat set 6 (``pii_blind_chat6_{a,b}.marked.txt``): 300 messages (255 Swedish, 45 English; 122 in
  lower case, 24 in capitals) across sixteen service areas, with 407 values of every type (225 names, 49
  home addresses, 40 phone numbers, 38 personnummer, 28 e-mail addresses, 15 plates, 12 bank accounts)
  and 297 look-alikes (organisation names that hold a name, public numbers, streets named as places),
  written on 2026-12-05 by a tenth helper the same way; measured whole once at f637f81 (as written: 12 of
  407 values leaked, 8 names and 4 addresses; 32 of 297 look-alikes flagged), then split the same way.
* blind chat set 7 (``pii_blind_chat7_{a,b}.marked.txt``): 300 messages (255 Swedish, 45 English; 148 in
  lower case, typed as on a phone) across nineteen service areas, with 432 values (256 names of many
  origins in every position, 62 addresses, 38 phone numbers, 29 personnummer, 20 e-mail addresses, 15
  plates, 12 bank accounts) and 175 look-alikes, written on 2026-12-05 by an eleventh helper the same
  way; measured whole once at ffc43c0 (as written: 19 of 432 values leaked, 16 names and 3 addresses, no
  number; in capitals and in lower case 28), then split the same way.
* blind chat set 8 (``pii_blind_chat8_{a,b}.marked.txt``): 300 messages (250 Swedish, 50 English; 117 in
  lower case, 24 in capitals, 15 without å/ä/ö) across 23 service areas, with 408 values (244 names, names
  that are words and of many origins in every position; 47 addresses, 35 phone numbers, 31 personnummer, 25
  e-mail addresses, 12 plates, 10 bank accounts) and 161 look-alikes, written on 2026-12-06 by a twelfth
  helper the same way; measured whole once at 5eb08e4 (as written: 19 of 408 values leaked, 16 names and 3
  bank accounts), then split the same way.
* blind chat set 9 (``pii_blind_chat9_{a,b}.marked.txt``): 300 messages (247 Swedish, 53 English) across
  twenty service areas, with 597 values (320 names of every origin, in any case and often without a cue;
  79 addresses, 64 phone numbers, 48 e-mail addresses, 46 personnummer, 13 plates, 8 bank accounts, 5
  IBANs, 5 card numbers, 5 bankgiro numbers, 4 IP addresses) and 349 look-alikes, written on 2026-12-07 by
  a thirteenth helper the same way; measured whole once at 23410cc (as written: 23 of 597 values leaked,
  16 names, 4 addresses, 2 IBANs and 1 bank account; F2 0.968), then split the same way.
* blind chat set 10 (``pii_blind_chat10_{a,b}.marked.txt``): 305 messages (224 Swedish, 81 English) across
  the service catalogue, with 417 values (211 names of every origin and case, many that are also words; 62
  addresses, 58 phone numbers, 33 personnummer and samordningsnummer, 23 e-mail addresses, 12 plates, 6
  bank accounts, 6 cards, 6 IBANs) and 323 look-alikes, written on 2026-12-07 by another helper the
  same way; measured whole once at 6eaba81 (as written: 10 of 417 values leaked, 5 names, 2 addresses and
  3 plates; F2 0.969), then split the same way.
* blind chat set 11 (``pii_blind_chat11_{a,b}.marked.txt``): 302 messages (226 Swedish, 76 English) typed
  on a phone in a hurry (no capitals, little punctuation, typos, abbreviations, values run together), with
  445 values (187 names, 82 phone numbers, 55 addresses, 50 personnummer, 32 e-mail addresses, 19 plates,
  11 bank accounts, 5 IBANs, 4 cards) and 325 look-alikes (89 names of companies, clubs and venues),
  written on 2026-12-07 by another helper the same way; measured whole once at d4aec3d (as written: 15 of
  445 values leaked, 14 names and 1 address; F2 0.959; 38 of the 89 organisation names flagged), then
  split the same way. Two of its labels were renamed before measuring: the helper's plate type is our
  SE_LICENSE_PLATE, and a sole trader's organisation number (the owner's personnummer) is SE_PERSONNUMMER.
* blind chat set 12 (``pii_blind_chat12_{a,b}.marked.txt``): 300 messages (223 Swedish, 77 English) about
  other people (family, neighbours, teachers, carers, case officers, landlords) named in every case and
  from many origins, names that are also words, names in lists, greetings and signatures, with 763
  values (602 names, 55 addresses, 39 phone numbers, 22 personnummer, 19 plates, 17 e-mail addresses, 6
  bank accounts, 2 IBANs, 1 card) and 308 look-alikes (112 names of organisations, schools and care
  homes, 13 titles of books and films), written on 2026-12-07 by another helper the same way; measured
  whole once at ca704af (as written: 24 of 763 values leaked, 21 names and 3 addresses; F2 0.973; 32
  look-alikes flagged; in capitals 74 leaked, in lower case 70), then split the same way.
* blind chat set 13 (``pii_blind_chat13_{a,b}.marked.txt``): 295 messages (226 Swedish, 69 English) about
  where people live and where to send things: home addresses in every written form (flat and floor,
  abbreviations, c/o, postcode before or after the town, rural addresses, private boxes, over two lines,
  old and new when moving, foreign), with 423 values (198 addresses, 123 names, 38 phone numbers, 29
  personnummer, 20 e-mail addresses, 10 plates, 5 bank accounts) and 379 look-alikes (61 public streets,
  48 of the municipality's own addresses, boxes and numbers, 32 places, 22 property designations),
  written on 2026-12-07 by another helper the same way; measured whole once at 49421e9 (as written: 35 of
  423 values leaked, all of them addresses; F2 0.928; 52 look-alikes flagged, 31 of them public; in
  capitals 48 leaked, in lower case 43), then split the same way.
* blind numbers set (``pii_blind_numbers_{a,b}.marked.txt``): 271 chat messages with 547 values, above all
  the types that may never leak (157 personnummer, 152 phone numbers, 30 bank accounts, 12 cards, 11 IBANs,
  5 bankgiro numbers) in every form people type them, and 326 look-alikes (OCR and invoice numbers, case
  numbers, organisation numbers, postcodes, 26 personnummer with a wrong check digit), written on
  2026-12-04 by a fifth helper from its own knowledge of the numbering rules, the same way; measured
  whole once, then split the same way.
* blind numbers set 2 (``pii_blind_numbers2_{a,b}.marked.txt``): 227 long and messy chat messages (pasted
  forms, fields joined by slashes and colons, corrections) with 666 values (168 personnummer, 165 phone
  numbers, 174 names, 34 bank accounts) and 344 look-alikes, written the same day by a sixth helper the
  same way; measured whole once, then split the same way.
* blind numbers set 3 (``pii_blind_numbers3_{a,b}.marked.txt``): 260 chat messages with 253 values (73 phone
  numbers, 62 personnummer, 37 bank accounts, 15 bankgiro and plusgiro numbers, 12 cards, 12 IBANs) and
  161 look-alikes, written on 2026-12-04 by a seventh helper from the numbering plan, the banks'
  clearing ranges and the check-digit rules, the same way; measured whole once (2 of 253 values leaked
  as written), then split the same way.
* blind numbers set 4 (``pii_blind_numbers4_{a,b}.marked.txt``): 260 chat messages (220 Swedish, 40 English)
  with 527 values (156 phone numbers, 113 personnummer, 39 bank accounts, 17 cards, 16 IBANs, 130 names)
  and 191 look-alikes (20 personnummer with a wrong check digit, OCR, bankgiro and organisation numbers),
  written on 2026-12-06 by a thirteenth helper from the numbering plan, the clearing ranges and the check
  rules, the same way; measured whole once at aac231d (as written: 9 of 527 values leaked, 1 of them a bank
  account; in lower case one IBAN too), then split the same way.
* blind numbers set 5 (``pii_blind_numbers5_{a,b}.marked.txt``): 260 chat messages (195 Swedish, 65 English)
  with 383 values (93 phone numbers, 78 personnummer and samordningsnummer, 47 bank accounts, 30 cards,
  30 IBANs, 73 names) and 170 look-alikes (11 personnummer with a wrong check digit, bankgiro, plusgiro,
  OCR, case, organisation and property numbers, masked cards, ISBNs), written on 2026-12-06 by a fourteenth
  helper from the numbering plan, the clearing ranges and the check rules, the same way; measured whole
  once at 9169899 (as written: 2 of 383 values leaked, one of them a bank account; 22 of 170 look-alikes
  flagged; in lower case 5 leaked, two of them IBANs), then split the same way.
* blind numbers set 6 (``pii_blind_numbers6_{a,b}.marked.txt``): 260 chat messages (196 Swedish, 64 English)
  of text pasted into the chat (bills, bank screens, forms, signatures, member lists, CSV rows, contact
  cards) with 666 values (127 phone numbers, 105 personnummer, 42 bank accounts, 20 IBANs, 19 cards, 247
  names) and 489 look-alikes (bankgiro, OCR, invoice, organisation and case numbers, dates, amounts,
  public numbers, 7 personnummer with a wrong check digit), written on 2026-12-07 by a fifteenth helper
  the same way; measured whole once at 077b51e (as written: 26 of 666 values leaked, 21 of them names, 2
  personnummer and 1 bank account; 51 look-alikes flagged, 24 of them bankgiro numbers, which we redact
  on purpose), then split the same way.
* blind numbers set 7 (``pii_blind_numbers7_{a,b}.marked.txt``): 300 chat messages (222 Swedish, 78
  English) with phone and bank account numbers in every form people type them (every separator, country
  code forms, brackets, run together with their label, over a line break, several in one message; bank
  accounts of every clearing structure, Swedbank's five-digit clearing, Nordea personkonto) and 488 values
  (214 phone numbers, 130 bank accounts, 46 personnummer, 15 IBANs, 10 cards, 55 names) and 346
  look-alikes (amounts, dates, case, invoice, customer and OCR numbers, organisation numbers, 16 bankgiro
  and 4 plusgiro numbers, public numbers), written on 2026-12-07 by another helper the same way; measured
  whole once at 805da91 (as written: 2 of 488 values leaked, both bank accounts; F2 0.978; 27 look-alikes
  flagged, 18 of them bankgiro and plusgiro numbers, which we redact on purpose), then split the same way.
* blind languages set (``pii_blind_languages_{a,b}.marked.txt``): 200 chat messages in thirteen languages
  other than Swedish and English (Arabic, Persian, Somali, Finnish, Polish, Bosnian, Kurdish, Tigrinya,
  Turkish, Spanish, Ukrainian, Russian, German), most in their own scripts, with 349 values (224 names)
  and 183 look-alikes, written on 2026-12-04 by an eighth helper the same way; measured whole once (76 of
  349 values leaked as written, 74 of them names), then split the same way.
* each in ALL CAPS and in lower case (the text transformed character by character, so offsets stay).
* a small set of hostile forms generated here from the rules of the world (``pii_hostile.py``).

Matching is by overlap (``pii_scoring.py``). Latency is measured single-threaded on one CPU, per message
(messages of at most 500 characters) and for a 2,000-character message; the targets are checked on CPU
time (the work one core does). Wall-clock times are printed too; on a shared, busy machine they include
time spent waiting for other processes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_hostile import clean_rows, hostile_rows  # noqa: E402
from pii_scoring import Report, score_row, summarise  # noqa: E402

DEVSET_DIR = ROOT / "data" / "eval" / "pii"
MARKED = DEVSET_DIR / "pii_devset.marked.txt"
DEVSET = DEVSET_DIR / "pii_devset.jsonl"
GENERATED = DEVSET_DIR / "pii_generated.jsonl"
BLIND_CHAT = {
    "chat A": DEVSET_DIR / "pii_blind_chat_a.marked.txt",
    "chat B": DEVSET_DIR / "pii_blind_chat_b.marked.txt",
    "chat3 A": DEVSET_DIR / "pii_blind_chat3_a.marked.txt",
    "chat3 B": DEVSET_DIR / "pii_blind_chat3_b.marked.txt",
    "chat4 A": DEVSET_DIR / "pii_blind_chat4_a.marked.txt",
    "chat4 B": DEVSET_DIR / "pii_blind_chat4_b.marked.txt",
    "chat5 A": DEVSET_DIR / "pii_blind_chat5_a.marked.txt",
    "chat5 B": DEVSET_DIR / "pii_blind_chat5_b.marked.txt",
    "chat6 A": DEVSET_DIR / "pii_blind_chat6_a.marked.txt",
    "chat6 B": DEVSET_DIR / "pii_blind_chat6_b.marked.txt",
    "chat7 A": DEVSET_DIR / "pii_blind_chat7_a.marked.txt",
    "chat7 B": DEVSET_DIR / "pii_blind_chat7_b.marked.txt",
    "chat8 A": DEVSET_DIR / "pii_blind_chat8_a.marked.txt",
    "chat8 B": DEVSET_DIR / "pii_blind_chat8_b.marked.txt",
    "chat9 A": DEVSET_DIR / "pii_blind_chat9_a.marked.txt",
    "chat9 B": DEVSET_DIR / "pii_blind_chat9_b.marked.txt",
    "chat10 A": DEVSET_DIR / "pii_blind_chat10_a.marked.txt",
    "chat10 B": DEVSET_DIR / "pii_blind_chat10_b.marked.txt",
    "chat11 A": DEVSET_DIR / "pii_blind_chat11_a.marked.txt",
    "chat11 B": DEVSET_DIR / "pii_blind_chat11_b.marked.txt",
    "chat12 A": DEVSET_DIR / "pii_blind_chat12_a.marked.txt",
    "chat12 B": DEVSET_DIR / "pii_blind_chat12_b.marked.txt",
    "chat13 A": DEVSET_DIR / "pii_blind_chat13_a.marked.txt",
    "chat13 B": DEVSET_DIR / "pii_blind_chat13_b.marked.txt",
    "numbers A": DEVSET_DIR / "pii_blind_numbers_a.marked.txt",
    "numbers B": DEVSET_DIR / "pii_blind_numbers_b.marked.txt",
    "numbers2 A": DEVSET_DIR / "pii_blind_numbers2_a.marked.txt",
    "numbers2 B": DEVSET_DIR / "pii_blind_numbers2_b.marked.txt",
    "numbers3 A": DEVSET_DIR / "pii_blind_numbers3_a.marked.txt",
    "numbers3 B": DEVSET_DIR / "pii_blind_numbers3_b.marked.txt",
    "numbers4 A": DEVSET_DIR / "pii_blind_numbers4_a.marked.txt",
    "numbers4 B": DEVSET_DIR / "pii_blind_numbers4_b.marked.txt",
    "numbers5 A": DEVSET_DIR / "pii_blind_numbers5_a.marked.txt",
    "numbers5 B": DEVSET_DIR / "pii_blind_numbers5_b.marked.txt",
    "numbers6 A": DEVSET_DIR / "pii_blind_numbers6_a.marked.txt",
    "numbers6 B": DEVSET_DIR / "pii_blind_numbers6_b.marked.txt",
    "numbers7 A": DEVSET_DIR / "pii_blind_numbers7_a.marked.txt",
    "numbers7 B": DEVSET_DIR / "pii_blind_numbers7_b.marked.txt",
    "languages A": DEVSET_DIR / "pii_blind_languages_a.marked.txt",
    "languages B": DEVSET_DIR / "pii_blind_languages_b.marked.txt",
}
TARGETS = {
    "f2": 0.95,
    "personnummer_recall": 1.0,
    "leak_rate": 0.01,
    "clean_flagged": 0.03,
    "invalid_personnummer_flagged": 0,
    "p95_ms": 5.0,
    "long_ms": 20.0,
}
LONG_CHARS = 2000
_MARK = re.compile(
    r"\[\[(?P<pos>[^|\]]+)\|(?P<ptype>[A-Z_]+)\]\]|\{\{(?P<neg>[^|}]+)\|(?P<ntype>[A-Z_]+)\}\}"
)
_LINE = re.compile(r"^\[(?P<lang>[a-z]{2})\] (?P<body>.*)$")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\n")


def build_devset(marked: Path = MARKED, out: Path = DEVSET) -> int:
    """Convert the marked file into JSON lines with exact character spans; return the message count."""
    rows = parse_marked(marked)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return len(rows)


def parse_marked(marked: Path, prefix: str = "pii") -> list[dict[str, Any]]:
    """The rows of a marked file (``[[value|TYPE]]``, ``{{value|KIND}}``) with exact character spans."""
    rows: list[dict[str, Any]] = []
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
                "id": f"{prefix}-{len(rows) + 1:04d}",
                "lang": line.group("lang"),
                "section": section,
                "text": text,
                "spans": spans,
                "negatives": negatives,
            }
        )
    return rows


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


def load_rows(path: Path) -> list[dict[str, Any]]:
    """Read a JSON-lines set (one message per line)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def case_variant(text: str, mode: str) -> str:
    """``text`` in upper or lower case, character by character, so that every offset stays valid."""
    if mode == "as written":
        return text
    method = str.upper if mode == "UPPER" else str.lower
    return "".join(c if len(c := method(ch)) == 1 else ch for ch in text)


def score_set(redactor: Any, rows: list[dict[str, Any]], mode: str = "as written") -> dict[str, Any]:
    """Redact every row (in the given case variant) and return the figures."""
    report = Report()
    for row in rows:
        variant = dict(row, text=case_variant(row["text"], mode))
        result = redactor.redact(variant["text"])
        score_row(report, variant, result.findings, result.text)
    return summarise(report)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def long_message(rows: list[dict[str, Any]], chars: int = LONG_CHARS) -> str:
    """A message of ``chars`` characters made of the set's messages, one after another."""
    text = ""
    for row in rows:
        text += row["text"].replace("\n", " ") + " "
        if len(text) >= chars:
            break
    return text[:chars]


def time_messages(redactor: Any, texts: list[str], repeats: int) -> dict[str, float]:
    """p50/p95 wall-clock and CPU milliseconds of ``redact`` over ``texts``, ``repeats`` rounds."""
    wall_ms: list[float] = []
    cpu_ms: list[float] = []
    for _ in range(repeats):
        for text in texts:
            wall, cpu = time.perf_counter(), time.thread_time()
            redactor.redact(text)
            cpu_ms.append((time.thread_time() - cpu) * 1000)
            wall_ms.append((time.perf_counter() - wall) * 1000)
    return {
        "messages_timed": len(wall_ms),
        "p50": round(_percentile(wall_ms, 0.50), 3),
        "p95": round(_percentile(wall_ms, 0.95), 3),
        "mean": round(statistics.fmean(wall_ms), 3) if wall_ms else 0.0,
        "cpu_p50": round(_percentile(cpu_ms, 0.50), 3),
        "cpu_p95": round(_percentile(cpu_ms, 0.95), 3),
    }


def evaluate(sets: dict[str, list[dict[str, Any]]], repeats: int = 5) -> dict[str, Any]:
    """Figures of every set and case variant, hostile forms, and latency."""
    from guardrails.redactor import Redactor

    started = time.perf_counter()
    redactor = Redactor.create()
    figures: dict[str, Any] = {
        "create_seconds": round(time.perf_counter() - started, 3),
        "entity_types": redactor.entity_types,
        "sets": {},
        "latency_ms": {},
    }
    for name, rows in sets.items():
        for mode in ("as written", "UPPER", "lower"):
            figures["sets"][f"{name} {mode}"] = score_set(redactor, rows, mode)
    hostile = hostile_rows() + clean_rows()
    figures["hostile"] = score_set(redactor, hostile)
    for name, rows in sets.items():
        short = [row["text"] for row in rows if len(row["text"]) <= 500]
        figures["latency_ms"][f"{name} per message"] = time_messages(redactor, short, repeats)
        figures["latency_ms"][f"{name} {LONG_CHARS} chars"] = time_messages(
            redactor, [long_message(rows)], max(10, 4 * repeats)
        )
    return figures


def _table(title: str, columns: dict[str, dict[str, Any]], rows: list[str], cell: Any) -> None:
    """Print one block: a row per entry, a column per set/variant."""
    width = max(14, *(len(c) + 1 for c in columns))
    print(title)
    print(f"  {'':<18}" + "".join(f"{c:>{width}}" for c in columns))
    for row in rows:
        print(f"  {row:<18}" + "".join(f"{cell(fig, row):>{width}}" for fig in columns.values()))
    print()


def print_report(figures: dict[str, Any], targets: dict[str, float] = TARGETS) -> None:
    """Print the sets side by side, the hostile forms and the latency, with the issue's targets."""
    sets = figures["sets"]
    print(
        f"Redactor.create(): {figures['create_seconds']:.2f} s; types: {', '.join(figures['entity_types'])}"
    )
    print(
        "Sets: "
        + "; ".join(f"{n}: {f['messages']} messages, {f['gold_values']} values" for n, f in sets.items())
    )
    print()
    types = sorted({t for f in sets.values() for t in f["per_type"]})

    def metric(name: str) -> Any:
        def cell(fig: dict[str, Any], t: str) -> str:
            row = fig["per_type"].get(t)
            return "-" if row is None or (name != "precision" and not row["gold"]) else f"{row[name]:.3f}"

        return cell

    for name in ("recall", "precision", "f2", "leak_rate"):
        _table(f"{name} per type", sets, types, metric(name))
    summary_rows = ["micro P/R/F2", "all but PERSON", "leak rate", "clean flagged", "invalid pnr flagged"]

    def summary_cell(fig: dict[str, Any], row: str) -> str:
        if row == "micro P/R/F2":
            m = fig["micro"]
            return f"{m['precision']:.2f}/{m['recall']:.2f}/{m['f2']:.2f}"
        if row == "all but PERSON":
            m = fig["micro_without_person"]
            return f"{m['precision']:.2f}/{m['recall']:.2f}/{m['f2']:.2f}"
        if row == "leak rate":
            return f"{fig['leak_rate']:.4f}"
        if row == "clean flagged":
            return f"{fig['clean_flagged']}/{fig['clean_messages']}"
        return f"{fig['invalid_personnummer_flagged']}/{fig['invalid_personnummer_total']}"

    _table("overall", sets, summary_rows, summary_cell)
    kinds = sorted({k for f in sets.values() for k in f["negatives"]})
    _table(
        "look-alikes flagged (flagged/total)",
        sets,
        kinds,
        lambda fig, k: (
            f"{fig['negatives_flagged'].get(k, 0)}/{fig['negatives'][k]}" if k in fig["negatives"] else "-"
        ),
    )
    hostile = figures["hostile"]
    print("hostile forms (generated here from the numbering rules; recall = found with the right type)")
    for section, row in hostile["per_section"].items():
        print(f"  {section:<20} {row['gold']:>4} values  recall {row['recall']:.3f}  leaked {row['leaked']}")
    print(f"  clean look-alike messages flagged: {hostile['clean_flagged_by_section']}")
    print()
    print("latency (one thread, one core)")
    for name, lat in figures["latency_ms"].items():
        print(
            f"  {name:<34} CPU p50/p95 {lat['cpu_p50']:.2f}/{lat['cpu_p95']:.2f} ms   "
            f"wall p50/p95 {lat['p50']:.2f}/{lat['p95']:.2f} ms"
        )
    print()
    _print_checks(figures, targets)


def _print_checks(figures: dict[str, Any], targets: dict[str, float]) -> None:
    print("targets")
    for name, fig in figures["sets"].items():
        pnr = fig["per_type"].get("SE_PERSONNUMMER", {}).get("recall", 1.0)
        checks = [
            ("F2 (micro)", fig["micro"]["f2"], f">= {targets['f2']}", fig["micro"]["f2"] >= targets["f2"]),
            ("personnummer recall", pnr, "= 1.00", pnr >= targets["personnummer_recall"]),
            (
                "leak rate",
                fig["leak_rate"],
                f"<= {targets['leak_rate']}",
                fig["leak_rate"] <= targets["leak_rate"],
            ),
            (
                "clean flagged",
                fig["clean_flagged_rate"],
                f"<= {targets['clean_flagged']}",
                fig["clean_flagged_rate"] <= targets["clean_flagged"],
            ),
            (
                "invalid pnr flagged",
                fig["invalid_personnummer_flagged"],
                "= 0",
                fig["invalid_personnummer_flagged"] <= targets["invalid_personnummer_flagged"],
            ),
        ]
        missed = [f"{c} {v} (target {t})" for c, v, t, ok in checks if not ok]
        print(f"  {name:<28} {'ok' if not missed else 'MISSED: ' + '; '.join(missed)}")
    for name, lat in figures["latency_ms"].items():
        limit = targets["long_ms"] if name.endswith("chars") else targets["p95_ms"]
        print(
            f"  {name:<28} CPU p95 {lat['cpu_p95']:.2f} ms, target <= {limit}: "
            f"{'ok' if lat['cpu_p95'] <= limit else 'MISSED'}"
        )


def flat_dev_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """The dev set as written at the top level (the shape older callers read), everything else nested."""
    dev = dict(figures["sets"]["dev as written"])
    dev["latency_ms"] = figures["latency_ms"].get("dev per message", {})
    return {
        **dev,
        "create_seconds": figures["create_seconds"],
        "entity_types": figures["entity_types"],
        "all": figures,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation (or rebuild the dev set)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--build-devset", action="store_true", help="rebuild the JSON lines from the marked file"
    )
    parser.add_argument("--devset", type=Path, default=DEVSET)
    parser.add_argument("--generated", type=Path, default=GENERATED)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--repeats", type=int, default=5, help="timing rounds over each set")
    args = parser.parse_args(argv)
    if args.build_devset:
        print(f"wrote {build_devset()} messages to {DEVSET.relative_to(ROOT)}")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    sets = {"dev": load_rows(args.devset)}
    if args.generated.is_file():
        sets["generated"] = load_rows(args.generated)
    else:
        print(f"note: {args.generated.name} is not there; only the dev set is evaluated\n")
    for name, path in BLIND_CHAT.items():
        if path.is_file():
            sets[name] = parse_marked(path, prefix=name.replace(" ", "").lower())
    figures = evaluate(sets, repeats=args.repeats)
    print_report(figures)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(flat_dev_figures(figures), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
