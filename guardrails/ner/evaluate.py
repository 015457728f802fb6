"""Evaluate the Swedish NER pipeline and the person rules: ``python -m guardrails.ner.evaluate``.

Prints precision/recall/F1 per label on the corpus's test split (when ``../shared`` is there), PERSON
precision/recall/F1 on the chat-style set ``data/eval/ner_chat.jsonl`` (model alone and model + rules),
the share of name-free chat messages that get a PERSON finding, load time, and per-message latency.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from guardrails.ner.corpus import (
    DEFAULT_CORPUS_DIR,
    LABELS,
    PROJECT_ROOT,
    TEST_FILE,
    read_corpus,
    sentence_to_doc,
)
from guardrails.ner.metrics import Counts, Span, exact_counts, overlap_counts
from guardrails.ner.person import PersonFinder
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR, make_example

DEFAULT_CHAT_SET = PROJECT_ROOT / "data" / "eval" / "ner_chat.jsonl"


@dataclass(frozen=True)
class ChatMessage:
    """One evaluation message with its gold PERSON spans."""

    id: str
    split: str
    lang: str
    text: str
    spans: tuple[Span, ...]


def read_chat_set(path: Path) -> list[ChatMessage]:
    """Read the chat-style PERSON set (JSON lines with ``id``, ``split``, ``lang``, ``text``, ``spans``).

    ``split`` is ``dev`` (messages the person rules were tuned on) or ``test`` (written afterwards and
    held out: its figures are the honest ones).
    """
    messages = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            spans = tuple((s["start"], s["end"]) for s in row["spans"] if s["type"] == "PERSON")
            messages.append(ChatMessage(row["id"], row["split"], row["lang"], row["text"], spans))
    return messages


def _emit(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def _row(name: str, c: Counts) -> str:
    scores = f"P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}"
    return f"  {name:<28} {scores}   (tp {c.tp}, fp {c.fp}, fn {c.fn})"


def corpus_report(finder: PersonFinder, corpus_dir: Path, threshold: float) -> None:
    """Per-label scores of the model on the test split, and PER through the full person rules."""
    path = corpus_dir / TEST_FILE
    if not path.is_file():
        _emit(f"corpus test split: skipped ({path} not found)")
        return
    sentences = read_corpus(path)
    nlp = finder.nlp
    examples = [make_example(nlp, sentence_to_doc(nlp.vocab, s)) for s in sentences]
    scores = nlp.evaluate(examples)
    _emit(f"corpus test split ({TEST_FILE}, {len(sentences)} sentences), model alone, exact spans:")
    per_type = scores.get("ents_per_type") or {}
    for label in LABELS:
        v = per_type.get(label, {"p": 0.0, "r": 0.0, "f": 0.0})
        _emit(f"  {label:<28} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f']:.3f}")
    _emit(
        f"  {'all labels':<28} P {scores['ents_p']:.3f}  R {scores['ents_r']:.3f}  F1 {scores['ents_f']:.3f}"
    )
    exact, overlap = Counts(), Counts()
    for example in examples:
        doc = example.reference
        gold = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PER"]
        found = [(s.start, s.end) for s in finder.find(doc.text) if s.score >= threshold]
        exact.add(exact_counts(gold, found))
        overlap.add(overlap_counts(gold, found))
    _emit(_row("PER via person rules", exact))
    _emit(_row("PER via rules (overlap)", overlap))


def chat_report(finder: PersonFinder, messages: Sequence[ChatMessage], threshold: float, split: str) -> None:
    """PERSON scores on the chat set: model alone and model + rules, and flagged name-free messages."""

    def model_only(text: str) -> list[Span]:
        return [(e.start_char, e.end_char) for e in finder.nlp(text).ents if e.label_ == "PER"]

    def with_rules(text: str) -> list[Span]:
        return [(s.start, s.end) for s in finder.find(text) if s.score >= threshold]

    n_pos = sum(1 for m in messages if m.spans)
    n_names = sum(len(m.spans) for m in messages)
    _emit(
        f"chat set, {split} ({len(messages)} messages: {n_pos} with {n_names} names, "
        f"{len(messages) - n_pos} without), PERSON, score >= {threshold}:"
    )
    systems: list[tuple[str, Callable[[str], list[Span]]]] = [
        ("model alone", model_only),
        ("model + rules", with_rules),
    ]
    for mode in ("UPPER", "lower"):
        systems.append((f"model + rules, {mode}", _in_case(with_rules, mode)))
    for name, predict in systems:
        by_lang: dict[str, Counts] = {}
        exact, overlap, flagged_clean = Counts(), Counts(), 0
        for m in messages:
            found = predict(m.text)
            c = exact_counts(m.spans, found)
            exact.add(c)
            by_lang.setdefault(m.lang, Counts()).add(c)
            overlap.add(overlap_counts(m.spans, found))
            flagged_clean += int(not m.spans and bool(found))
        _emit(_row(f"{name}, exact", exact))
        _emit(_row(f"{name}, overlap", overlap))
        for lang, c in sorted(by_lang.items()):
            _emit(_row(f"{name}, exact, {lang}", c))
        _emit(f"  {name}: name-free messages flagged {flagged_clean}/{len(messages) - n_pos}")


def _in_case(predict: Callable[[str], list[Span]], mode: str) -> Callable[[str], list[Span]]:
    """``predict`` on the text in upper or lower case, character by character (offsets stay)."""
    method = str.upper if mode == "UPPER" else str.lower

    def run(text: str) -> list[Span]:
        return predict("".join(c if len(c := method(ch)) == 1 else ch for ch in text))

    return run


def latency_report(model_dir: Path, messages: Sequence[ChatMessage], rounds: int) -> None:
    """Load time of the recognizer and per-message latency of ``analyze`` (one thread)."""
    from guardrails.recognizers.se_person_recognizer import SePersonRecognizer

    t0 = time.perf_counter()
    recognizer = SePersonRecognizer(model_dir=model_dir)
    load_ms = (time.perf_counter() - t0) * 1000
    texts = [m.text for m in messages]
    for text in texts[:20]:  # warm up
        recognizer.analyze(text, ["PERSON"])
    times, cpu = [], []
    for _ in range(rounds):
        for text in texts:
            t, c = time.perf_counter(), time.thread_time()
            recognizer.analyze(text, ["PERSON"])
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
    times.sort()
    cpu.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    mean_chars = statistics.mean(len(t) for t in texts)
    size = sum(p.stat().st_size for p in model_dir.rglob("*") if p.is_file())
    _emit(f"model: {model_dir} ({size / 1e6:.1f} MB on disk)")
    _emit(f"load (SePersonRecognizer()): {load_ms:.0f} ms")
    _emit(
        f"latency per message ({len(times)} calls, mean {mean_chars:.0f} chars): "
        f"p50 {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms"
    )
    cpu_p95 = cpu[int(0.95 * (len(cpu) - 1))]
    _emit(
        f"CPU time per message (unaffected by other load): p50 {statistics.median(cpu):.2f} ms, "
        f"p95 {cpu_p95:.2f} ms"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the three reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--chat-set", type=Path, default=DEFAULT_CHAT_SET)
    parser.add_argument("--threshold", type=float, default=0.5, help="the redactor's score threshold")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the chat set for latency")
    args = parser.parse_args(argv)

    finder = PersonFinder.load(args.model)
    corpus_report(finder, args.corpus_dir, args.threshold)
    _emit()
    messages = read_chat_set(args.chat_set)
    for split, label in (("dev", "dev: rules tuned on it"), ("test", "test: held out")):
        chat_report(finder, [m for m in messages if m.split == split], args.threshold, label)
        _emit()
    latency_report(args.model, messages, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
