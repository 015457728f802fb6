"""Train the Swedish NER pipeline: ``python -m guardrails.ner.train [--corpus-dir DIR] [--output DIR]``.

Reads ``train_corpus.txt`` (and ``test_corpus.txt`` for the final scores) from the corpus directory
(default ``../shared/data/swedish-ner-corpus`` from the repo root), augments it for chat text, trains
with a time budget on one thread, keeps the epoch with the best held-out score and writes the pipeline,
``names.json`` and a ``meta.json`` with sources and scores to ``guardrails/models/sv_ner``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch  # type: ignore[attr-defined]

from guardrails.ner.augment import AugmentConfig, Names, corpus_docs, municipal_docs, template_docs
from guardrails.ner.corpus import (
    DEFAULT_CORPUS_DIR,
    LABELS,
    OUTSIDE,
    TEST_FILE,
    TRAIN_FILE,
    CorpusReport,
    read_corpus,
    sentence_to_doc,
)
from guardrails.ner.lexicon import build_lexicon, faker_names
from guardrails.ner.municipal import (
    DEFAULT_KNOWLEDGE_DIR,
    DEFAULT_NLU_DIR,
    read_knowledge_questions,
    read_nlu_examples,
)
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR, build_pipeline, make_example

CORPUS_SOURCE = {
    "name": "Webbnyheter 2012 (Språkbanken), NER annotation by klintan/swedish-ner-corpus",
    "url": "https://github.com/klintan/swedish-ner-corpus",
    "origin": "http://spraakbanken.gu.se/eng/resource/webbnyheter2012",
    "license": "CC BY 4.0",
    "author": "Språkbanken Text; annotation by the contributors of klintan/swedish-ner-corpus",
}
LEXICON_SOURCE = (
    "Faker sv_SE person provider (MIT): first names from Isof top-500 statistics, last names from the "
    "Swedish Tax Agency top-500 list; other-language names from Faker's person providers listed in "
    "guardrails/ner/lexicon.py (MIT); ambiguous-word lists curated in guardrails/ner/lexicon.py, "
    "lower-case words of the Webbnyheter 2012 NER corpus (CC BY 4.0), spaCy's stop words and Faker's "
    "English word list; names that are words of the Swedish Hunspell dictionary (Debian hunspell-sv, "
    "LGPL-3.0), English last names that are words of the English one (hunspell-en-us, SCOWL), or stop "
    "words of Spanish, Portuguese, Italian, French, Dutch, Icelandic and Vietnamese "
    "(spaCy) left out"
)


def _emit(line: str) -> None:
    """Write a progress line to stdout (counts and scores only, never text)."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _scores(nlp: Language, examples: Sequence[Example]) -> dict[str, Any]:
    """Entity precision/recall/F1, overall and per label, rounded for the metadata."""
    raw = nlp.evaluate(list(examples))
    per_type = {
        label: {k: round(float(v), 4) for k, v in values.items()}
        for label, values in sorted((raw.get("ents_per_type") or {}).items())
    }
    return {
        "ents_p": round(float(raw["ents_p"] or 0.0), 4),
        "ents_r": round(float(raw["ents_r"] or 0.0), 4),
        "ents_f": round(float(raw["ents_f"] or 0.0), 4),
        "ents_per_type": per_type,
    }


def _format(scores: dict[str, Any]) -> str:
    """One line with overall F1 and per-label F1."""
    per = " ".join(f"{k}={v['f']:.3f}" for k, v in scores["ents_per_type"].items())
    return f"F1={scores['ents_f']:.3f} ({per})"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus-dir", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--output", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--nlu-dir", type=Path, default=DEFAULT_NLU_DIR)
    parser.add_argument("--knowledge-dir", type=Path, default=DEFAULT_KNOWLEDGE_DIR)
    parser.add_argument("--max-epochs", type=int, default=30)
    parser.add_argument("--time-budget", type=float, default=12 * 60, help="seconds for the epochs")
    parser.add_argument("--patience", type=int, default=5, help="epochs without a better dev score")
    parser.add_argument("--dev-share", type=float, default=0.1)
    parser.add_argument("--templates", type=int, default=AugmentConfig.template_examples)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--dropout", type=float, default=0.15)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N sentences (smoke tests)")
    parser.add_argument(
        "--lexicon-only",
        action="store_true",
        help="rebuild names.json next to an existing pipeline without training",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Train, select the best epoch on held-out data, score on the test split and save."""
    args = parse_args(argv)
    fix_random_seed(args.seed)
    started = time.monotonic()

    report = CorpusReport()
    sentences = read_corpus(args.corpus_dir / TRAIN_FILE, report)
    test_sentences = read_corpus(args.corpus_dir / TEST_FILE)
    if args.limit:
        sentences, test_sentences = sentences[: args.limit], test_sentences[: args.limit]
    _emit(
        f"corpus: {report.sentences} sentences, {report.tokens} tokens, "
        f"{report.skipped_lines} malformed lines skipped, tags {dict(report.tags)}"
    )
    rng = random.Random(args.seed)
    order = list(range(len(sentences)))
    rng.shuffle(order)
    n_dev = int(len(order) * args.dev_share)
    dev_sentences = [sentences[i] for i in order[:n_dev]]
    train_sentences = [sentences[i] for i in order[n_dev:]]

    lowercase_words = {
        tok
        for s in train_sentences
        for tok, tag in zip(s.tokens, s.tags, strict=True)
        if tag == OUTSIDE and tok.islower()
    }
    lexicon = build_lexicon(lowercase_words, (args.nlu_dir, args.knowledge_dir))
    if args.lexicon_only:
        path = lexicon.save(args.output, LEXICON_SOURCE)
        _emit(f"wrote {path} ({len(lexicon.first_names)} first, {len(lexicon.last_names)} last, "
              f"{len(lexicon.other_names)} other-language names)")  # fmt: skip
        return 0
    first, last = faker_names()
    names = Names.from_lexicon(first, last, lexicon)
    config = AugmentConfig(template_examples=args.templates)

    nlp = build_pipeline(width=args.width, depth=args.depth)
    train_docs = corpus_docs(nlp, train_sentences, args.seed, config)
    train_docs += template_docs(nlp, names, config.template_examples, args.seed + 1, config)
    questions = read_nlu_examples(args.nlu_dir) + read_knowledge_questions(args.knowledge_dir)
    train_docs += municipal_docs(nlp, questions, names, args.seed + 3, config)
    _emit(f"municipal questions from the repository: {len(questions)}")
    dev_docs = [sentence_to_doc(nlp.vocab, s) for s in dev_sentences]
    dev_docs += [sentence_to_doc(nlp.vocab, s, lower=True) for s in dev_sentences]
    dev_docs += template_docs(nlp, names, 400, args.seed + 2, AugmentConfig(negative_repeats=1))
    train = [make_example(nlp, d) for d in train_docs]
    dev = [make_example(nlp, d) for d in dev_docs]
    test = [make_example(nlp, sentence_to_doc(nlp.vocab, s)) for s in test_sentences]
    _emit(f"examples: train {len(train)}, dev {len(dev)}, test {len(test)}")

    optimizer = nlp.initialize(lambda: train)
    best_f, best_epoch, best_bytes = -1.0, 0, b""
    epoch_seconds: list[float] = []
    for epoch in range(1, args.max_epochs + 1):
        elapsed = time.monotonic() - started
        if epoch_seconds and elapsed + max(epoch_seconds) > args.time_budget:
            _emit(f"time budget reached after {epoch - 1} epochs ({elapsed:.0f} s)")
            break
        if epoch - best_epoch > args.patience:
            _emit(f"no better dev score for {args.patience} epochs: stopping")
            break
        t0 = time.monotonic()
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=args.batch_size):  # type: ignore[no-untyped-call]
            nlp.update(batch, drop=args.dropout, sgd=optimizer, losses=losses)
        dev_scores = _scores(nlp, dev)
        epoch_seconds.append(time.monotonic() - t0)
        marker = ""
        if dev_scores["ents_f"] > best_f:
            best_f, best_epoch, best_bytes = dev_scores["ents_f"], epoch, nlp.to_bytes()
            marker = " *"
        _emit(
            f"epoch {epoch:2d}  loss {losses.get('ner', 0.0):9.1f}  dev {_format(dev_scores)}  "
            f"{epoch_seconds[-1]:.0f} s{marker}"
        )

    nlp.from_bytes(best_bytes)
    dev_scores = _scores(nlp, dev)
    test_scores = _scores(nlp, test)
    _emit(f"best epoch {best_epoch}: dev {_format(dev_scores)}")
    _emit(f"test split ({TEST_FILE}): {_format(test_scores)}")

    nlp.meta.update(
        {
            "name": "ner",
            "version": "0.1.0",
            "description": "Swedish NER (PER, ORG, LOC, MISC) for Kommunsvar's person recognizer, "
            "trained on news text augmented for chat messages",
            "author": "Kommunsvar",
            "license": "CC BY 4.0 (trained on CC BY 4.0 data; see sources)",
            "sources": [CORPUS_SOURCE],
            "labels": {"ner": list(LABELS)},
            "performance": {"dev": dev_scores, "test": test_scores},
            "training": {
                "command": "python -m guardrails.ner.train",
                "best_epoch": best_epoch,
                "epochs_run": len(epoch_seconds),
                "seconds": round(time.monotonic() - started),
                "train_examples": len(train),
                "municipal_questions": len(questions),
                "dev": "10% of train_corpus.txt (as written and lower-cased) + 400 template messages",
                "test": TEST_FILE,
                "seed": args.seed,
                "width": args.width,
                "depth": args.depth,
            },
            "name_lexicon": LEXICON_SOURCE,
        }
    )
    if (args.output / "meta.json").is_file():  # only ever replace a previous pipeline
        shutil.rmtree(args.output)
    # The vocabulary (every word of the corpus) is not needed: the hashed embeddings are computed from
    # the text at run time, so leaving it out changes no prediction and keeps the corpus words out.
    nlp.to_disk(args.output, exclude=["vocab"])
    lexicon.save(args.output, LEXICON_SOURCE)
    size = sum(p.stat().st_size for p in args.output.rglob("*") if p.is_file())
    _emit(f"saved to {args.output} ({size / 1e6:.1f} MB) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
