"""A tiny training run end to end (needs ../shared): pipeline, lexicon and metadata are written."""

from __future__ import annotations

import json

import pytest

from guardrails.ner.corpus import DEFAULT_CORPUS_DIR, TRAIN_FILE
from guardrails.ner.person import PersonFinder
from guardrails.ner.train import main

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DEFAULT_CORPUS_DIR / TRAIN_FILE).exists(),
        reason=f"{DEFAULT_CORPUS_DIR} is absent (shared data is only in CI and dev checkouts)",
    ),
]


def test_training_writes_a_loadable_pipeline_with_credits_and_scores(tmp_path, capsys) -> None:
    pytest.importorskip("faker", reason="faker (dev extra) builds the name lexicon")
    out = tmp_path / "sv_ner"
    args = ["--output", str(out), "--limit", "150", "--templates", "50", "--max-epochs", "1"]
    assert main([*args, "--width", "32", "--depth", "1"]) == 0
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["sources"][0]["license"] == "CC BY 4.0"
    assert "klintan/swedish-ner-corpus" in meta["sources"][0]["url"]
    assert set(meta["performance"]["test"]) >= {"ents_f", "ents_per_type"}
    assert (out / "names.json").is_file()
    assert not list(out.rglob("*corpus*"))  # the corpus itself is never written next to the model
    printed = capsys.readouterr().out
    assert "epoch  1" in printed and "saved to" in printed
    finder = PersonFinder.load(out)
    assert finder.find("jag heter Björn")  # the strong cue works even with a barely trained model
