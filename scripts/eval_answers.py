"""Evaluate the answer engine on questions labelled with the article(s) that fully answer them.

Usage::

    .venv/bin/python scripts/eval_answers.py                       # dev and both blind sets, side by side
    .venv/bin/python scripts/eval_answers.py --set data/eval/answers_dev.yml --errors 40
    .venv/bin/python scripts/eval_answers.py --calibrate           # grid search on the read sets only

Each question in ``data/eval/answers_*.yml`` has ``accept``: the ids of articles that answer it fully, or
``none`` when no article does; a two-part question has ``parts``: one such list per part. The sets were
written blind (the writer never saw the articles' example questions or the code) and labelled from the
articles' titles and answers only. ``answers_dev.yml`` and ``answers_blind.yml`` are *read* sets: the
first blind set was read in full on 2026-12-05 (it stopped being blind), so since 2026-12-06 both are
used for calibration and their errors are listed. ``answers_blind2.yml``, written 2026-12-05 by a helper
who saw no file of this repository, is the blind set: it is never used to choose anything, and its
questions stay unread unless ``--read-blind`` is given (it then stops being blind).

What the user gets is judged, not a label:

* **right**: the engine answered, and every answered article is acceptable (a two-part question: both
  parts answered acceptably); for a question no article answers, an honest "no answer" is right;
* **safe**: the engine asked which article was meant ("Menar du …?") or said it has no answer, with a
  way to a person;
* **wrong** (confident-wrong): it answered with an article that does not answer the question.

Strict accuracy = right / all; accurate-or-safe = (right + safe) / all. Figures are printed, never
asserted. The coverage/accuracy curve varies ``answer_min_score`` with everything else as configured.

**Curated + site.** ``answers_*_site.yml`` label each question with the pages of the demo website
(``data/site``) that fully answer it (labelled blind from the page texts). The demo site is imported into
a temporary store, and the bot's full decision is judged: an article when one answers, else a website
passage when one is sure, else "no answer". A passage is right when its page is labelled for the
question, and confident-wrong otherwise; "no answer" is right only when neither an article nor a page
answers. ``--calibrate-site`` chooses the passage threshold on the read sets, keeping confident-wrong at
or below the curated-only rate.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from content.answering.engine import AnswerEngine, Candidate, Selection  # noqa: E402
from content.answering.settings import EngineSettings  # noqa: E402
from content.knowledge import KnowledgeBase  # noqa: E402

DEV = ROOT / "data" / "eval" / "answers_dev.yml"
BLIND = ROOT / "data" / "eval" / "answers_blind.yml"
BLIND2 = ROOT / "data" / "eval" / "answers_blind2.yml"  # written 2026-12-05; never read (errors not listed)
READ_SETS = (DEV, BLIND)  # used for calibration; their errors are listed
TARGETS = {"confident_wrong": 0.03}
TOPIC_BELOW_CLARIFY = 0.02  # an abstention names the likely topic's contact a little below the choice rule
MIN_CHOICE_PRECISION = 0.8  # calibration: at least 4 in 5 "Menar du …?" replies offer an article that answers


def _ids(value: Any) -> frozenset[str]:
    if value in (None, "none", [], ["none"]):
        return frozenset()
    return frozenset([value] if isinstance(value, str) else [str(v) for v in value])


def load_set(path: Path, known: set[str]) -> list[dict[str, Any]]:
    """Questions with their acceptable ids per part (an empty set: no article answers that part)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    questions = []
    for item in raw.get("questions") or []:
        parts = [_ids(p) for p in item["parts"]] if item.get("parts") else [_ids(item.get("accept"))]
        unknown = sorted({a for p in parts for a in p} - known)
        if unknown:
            raise SystemExit(f"{path.name}: unknown article id(s) {unknown} for {item['text']!r}")
        questions.append({**item, "accept_parts": parts})
    return questions


class CachedEngine(AnswerEngine):
    """The engine with each text's signals computed once (the grid search re-decides many times)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signals: dict[str, tuple[np.ndarray | None, np.ndarray]] = {}

    def with_settings(self, settings: EngineSettings) -> CachedEngine:
        clone = object.__new__(CachedEngine)
        clone.__dict__.update(self.__dict__)
        clone.settings = settings
        return clone

    def rank(
        self, text: str, *, intent_topic: str | None = None, confidence: float = 0.0, embed: Any = None
    ) -> list[Candidate]:
        if text not in self._signals:
            self._signals[text] = (self.semantic_scores(text), self.lexical.score_vector(text))
        semantic, lexical = self._signals[text]
        return self.combine(semantic, lexical, intent_topic, confidence)


def judge(selection: Selection, accept_parts: list[frozenset[str]]) -> str:
    """right, safe or wrong (see the module docstring)."""
    answerable = [p for p in accept_parts if p]
    if selection.rule in ("answer", "two_parts"):
        answered = set(selection.answer_ids)
        if not answerable:
            return "wrong"
        if any(not any(a in part for part in accept_parts) for a in answered):
            return "wrong"
        covered = sum(1 for part in answerable if answered & part)
        return "right" if covered == len(answerable) else "safe"  # a part left unanswered is not wrong
    if not answerable:
        return "right"  # an honest "no answer here" is the right reply
    return "safe"


def evaluate(engine: AnswerEngine, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Outcome counts, per-topic figures and the error list."""
    outcomes: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    per_topic: dict[str, Counter[str]] = defaultdict(Counter)
    errors = []
    answerable_right = answerable = none_total = none_answered = clarified_right = 0
    for q in questions:
        sel = engine.select(q["text"])
        verdict = judge(sel, q["accept_parts"])
        outcomes[verdict] += 1
        rules[sel.rule] += 1
        accept = set().union(*q["accept_parts"])
        topic = engine.knowledge.articles[sorted(accept)[0]].topic if accept else "(none)"
        per_topic[topic][verdict] += 1
        if accept:
            answerable += 1
            answerable_right += verdict == "right" and sel.rule != "clarify"
            clarified_right += sel.rule == "clarify" and bool(set(sel.offer_ids) & accept)
        else:
            none_total += 1
            none_answered += sel.rule in ("answer", "two_parts")
        if verdict != "right":
            errors.append((verdict, q, sel))
    n = max(len(questions), 1)
    return {
        "n": len(questions),
        "strict_accuracy": outcomes["right"] / n,
        "accurate_or_safe": (outcomes["right"] + outcomes["safe"]) / n,
        "confident_wrong": outcomes["wrong"] / n,
        "right_article": answerable_right / max(answerable, 1),
        "answerable": answerable,
        "clarify_offers_right": clarified_right / max(answerable, 1),
        # Of the "Menar du …?" replies, the share whose choices hold an article that answers the question.
        "choice_precision": clarified_right / max(rules.get("clarify", 0), 1),
        "none_answered": none_answered / max(none_total, 1),
        "none_total": none_total,
        "rules": dict(rules),
        "per_topic": per_topic,
        "errors": errors,
    }


def _row(name: str, result: dict[str, Any]) -> str:
    return (
        f"{name:<34} n={result['n']:>3}  strict {result['strict_accuracy']:6.1%}  "
        f"acc-or-safe {result['accurate_or_safe']:6.1%}  confident-wrong {result['confident_wrong']:5.1%} "
        f"(<= {wrong_bound(result):.1%} at 95 %)  "
        f"right article {result['right_article']:6.1%} (of {result['answerable']})  "
        f"no-article answered {result['none_answered']:5.1%} (of {result['none_total']})"
    )


def curve(engine: CachedEngine, questions: list[dict[str, Any]]) -> None:
    """Coverage (answered share) and accuracy over answer_min_score."""
    print("\n  answer_min_score  answered  right|answered  confident-wrong  strict")
    base = engine.settings
    start = base.answer_min_score - 0.16
    for threshold in np.arange(start, start + 0.32, 0.02):
        t = float(round(threshold, 2))
        settings = replace(base, answer_min_score=t, clarify_min_score=min(base.clarify_min_score, t))
        result = evaluate(engine.with_settings(settings), questions)
        answered = result["rules"].get("answer", 0) + result["rules"].get("two_parts", 0)
        right_answered = 1 - result["confident_wrong"] * result["n"] / max(answered, 1)
        bar = "#" * int(round(answered / result["n"] * 40))
        print(
            f"  {t:>16.2f}  {answered / result['n']:8.1%}  {right_answered:14.1%}  "
            f"{result['confident_wrong']:15.1%}  {result['strict_accuracy']:6.1%}  {bar}"
        )


def wilson_upper(wrong: int, n: int, z: float = 1.645) -> float:
    """The one-sided 95 % upper bound (Wilson score interval) of a rate of ``wrong`` in ``n``."""
    if n <= 0:
        return 1.0
    p = wrong / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return min(1.0, (centre + spread) / (1 + z * z / n))


def wrong_bound(result: dict[str, Any]) -> float:
    """The 95 % upper bound of a result's confident-wrong rate (what a set this size can promise)."""
    return wilson_upper(round(result["confident_wrong"] * result["n"]), result["n"])


def calibrate(engine: CachedEngine, questions: list[dict[str, Any]], max_wrong: float) -> EngineSettings:
    """The grid point with the best strict accuracy whose confident-wrong rate is, with 95 % confidence,
    at most ``max_wrong``: the Wilson upper bound of the rate on ``questions`` must stay within it.

    Why the bound and not the rate itself: picking the best of thousands of grid points on one set
    flatters that set. Calibrated on the dev set alone with its rate <= 2 %, the thresholds gave 4.6 %
    confident-wrong on the first blind set (and 6.2 % on blind set 2); the bound leaves room for the
    questions a set of a few hundred does not hold.

    Ties go to accurate-or-safe, then to the share of answerable questions whose "Menar du …?" choices
    hold an acceptable article (the citizen is one click from the answer), as long as at least
    ``MIN_CHOICE_PRECISION`` of the choice replies hold one: below that, "no answer" is the honest reply.
    """
    best: tuple[float, float, float, EngineSettings] | None = None
    grid = itertools.product(
        [0.1, 0.15, 0.2, 0.3],  # lexical_weight
        np.arange(1.2, 1.9, 0.01),  # answer_min_score
        [0.0, 0.01, 0.02, 0.03, 0.05],  # answer_min_margin
        [0.03, 0.05, 0.07, 0.09],  # answer - clarify gap
    )
    for lexical_weight, answer, margin, gap in grid:
        settings = replace(
            engine.settings,
            lexical_weight=lexical_weight,
            answer_min_score=float(round(answer, 3)),
            answer_min_margin=margin,
            clarify_min_score=float(round(answer - gap, 3)),
            topic_min_score=float(round(answer - gap - TOPIC_BELOW_CLARIFY, 3)),
        )
        result = evaluate(engine.with_settings(settings), questions)
        if wrong_bound(result) > max_wrong or result["choice_precision"] < MIN_CHOICE_PRECISION:
            continue
        key = (result["strict_accuracy"], result["accurate_or_safe"], result["clarify_offers_right"])
        if best is None or key > best[:3]:
            best = (*key, settings)
    if best is None:
        raise SystemExit("no grid point keeps confident-wrong within the limit")
    print(
        f"calibrated on {len(questions)} read questions: strict {best[0]:.1%}, "
        f"accurate-or-safe {best[1]:.1%}, choices that hold an acceptable article for {best[2]:.1%} "
        "of answerable questions"
    )
    for name, value in best[3].to_dict().items():
        print(f"  {name}: {value}")
    return best[3]


# --- curated + site -------------------------------------------------------------------------------------


def load_site_labels(path: Path, questions: list[dict[str, Any]]) -> None:
    """Add ``site_accept`` (a set of page URLs) to each question from ``answers_*_site.yml``."""
    site_path = path.with_name(path.stem + "_site.yml")
    raw = yaml.safe_load(site_path.read_text(encoding="utf-8")) if site_path.is_file() else None
    labels = {item["text"]: _ids(item.get("site_accept")) for item in (raw or {}).get("questions") or []}
    for q in questions:
        q["site_accept"] = labels.get(q["text"], frozenset())
    q_missing = sum(1 for q in questions if q["text"] not in labels)
    if raw is not None and q_missing:
        raise SystemExit(f"{site_path.name}: {q_missing} questions have no site label")


class SiteTier:
    """The demo site imported into a temporary store, with each question's passage signals cached."""

    def __init__(self, engine: CachedEngine) -> None:
        import tempfile

        from content.site.answer import SiteAnswerer
        from content.site.importer import import_site
        from content.site.store import SiteStore

        self._tmp = tempfile.TemporaryDirectory()
        self.store = SiteStore.open(f"sqlite:///{self._tmp.name}/site.db")
        pages = str(ROOT / "data" / "site" / "pages")
        report = import_site(pages, self.store, base_url="https://x", scan=None)
        index = engine.semantic
        self.embed = index.embed_query
        self.answerer = SiteAnswerer(self.store, index.embedder, engine.settings, cache_dir=index.cache_dir)
        built = self.answerer.index()
        # A large import is embedded in the background (the first run on a machine: minutes); wait for it.
        waited = 0
        while built is None:
            if waited % 30 == 0:
                print(f"site: embedding the demo site's passages ({waited} s) …", flush=True)
            time.sleep(1)
            waited += 1
            built = self.answerer.index()
        assert built.matrix is not None and built.lexical is not None
        self.passages = built.passages
        self.matrix = built.matrix
        self.lexical = built.lexical
        self._signals: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        print(f"site: {len(report.new)} pages, {len(self.passages)} passages (demo site, data/site)")

    def signals(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        if text not in self._signals:
            self._signals[text] = (self.matrix @ self.embed(text), self.lexical.score_vector(text))
        return self._signals[text]

    def decide(self, text: str, settings: EngineSettings) -> str | None:
        """The page URL of the passage that would answer ``text`` (the action server's rule), or None."""
        from content.site.answer import sure_enough
        from content.site.index import SEARCHED, PassageHit

        semantic, lexical = self.signals(text)
        score = semantic + settings.site_lexical_weight * lexical
        hits = [
            PassageHit(self.passages[i], float(score[i]), float(semantic[i]), float(lexical[i]))
            for i in np.argsort(-score, kind="stable")[:SEARCHED]
        ]
        decided = sure_enough(hits, settings)
        return decided[0].passage.url if decided is not None else None


def evaluate_with_site(
    engine: CachedEngine, site: SiteTier, questions: list[dict[str, Any]]
) -> dict[str, Any]:
    """What the citizen gets with the website tier: article, passage or no answer, judged strictly."""
    outcomes: Counter[str] = Counter()
    how: Counter[str] = Counter()
    errors = []
    for q in questions:
        sel = engine.select(q["text"])
        page = None
        if sel.rule not in ("answer", "two_parts") and not sel.degraded:
            page = site.decide(q["text"], engine.settings)
        articles = any(q["accept_parts"])
        if page is not None:
            verdict = "right" if page in q["site_accept"] else "wrong"
            how["site"] += 1
        else:
            verdict = judge(sel, q["accept_parts"])
            if verdict == "right" and not articles and q["site_accept"]:
                verdict = "safe"  # "no answer", though a page of the site would have answered
            how[sel.rule] += 1
        outcomes[verdict] += 1
        if verdict != "right":
            errors.append((verdict, q, sel, page))
    n = max(len(questions), 1)
    answered = how["answer"] + how["two_parts"] + how["site"]
    return {
        "n": len(questions),
        "strict_accuracy": outcomes["right"] / n,
        "accurate_or_safe": (outcomes["right"] + outcomes["safe"]) / n,
        "confident_wrong": outcomes["wrong"] / n,
        "coverage": answered / n,
        "site_answers": how["site"],
        "how": dict(how),
        "errors": errors,
    }


def calibrate_site(engine: CachedEngine, site: SiteTier, questions: list[dict[str, Any]]) -> None:
    """The passage threshold with the best strict accuracy whose confident-wrong stays at curated-only's."""
    limit = evaluate(engine, questions)["confident_wrong"]
    best: tuple[float, float, EngineSettings] | None = None
    for weight, threshold, margin in itertools.product(
        [0.0, 0.05, 0.1, 0.2], np.arange(0.80, 0.95, 0.005), [0.0, 0.005, 0.01, 0.02]
    ):
        settings = replace(
            engine.settings,
            site_lexical_weight=weight,
            site_min_score=float(round(threshold, 3)),
            site_min_margin=margin,
        )
        result = evaluate_with_site(engine.with_settings(settings), site, questions)
        if result["confident_wrong"] > limit + 1e-9:
            continue
        key = (result["strict_accuracy"], result["coverage"])
        if best is None or key > best[:2]:
            best = (*key, settings)
    if best is None:
        raise SystemExit("no passage threshold keeps confident-wrong at the curated-only rate")
    print(f"site calibrated on {len(questions)} read questions (confident-wrong <= {limit:.1%}):")
    print(f"  strict {best[0]:.1%}, coverage {best[1]:.1%}")
    for name in ("site_lexical_weight", "site_min_score", "site_min_margin"):
        print(f"  {name}: {getattr(best[2], name)}")


def _site_row(name: str, result: dict[str, Any]) -> str:
    return (
        f"{name:<34} n={result['n']:>3}  strict {result['strict_accuracy']:6.1%}  "
        f"acc-or-safe {result['accurate_or_safe']:6.1%}  confident-wrong {result['confident_wrong']:5.1%}  "
        f"coverage {result['coverage']:6.1%}  (website passages {result['site_answers']})"
    )


def build_engine() -> CachedEngine:
    """The engine as the action server builds it (same index, same settings)."""
    from content.semantic.search import load_default_index

    knowledge = KnowledgeBase.load(ROOT / "data")
    index = load_default_index()
    index.warm_up()
    return CachedEngine(knowledge, EngineSettings.load(ROOT / "data"), index)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", type=Path, action="append", help="a labelled set (default: dev and blind)")
    parser.add_argument("--errors", type=int, default=25, help="how many errors to list (read sets only)")
    parser.add_argument(
        "--read-blind", action="store_true", help="also list blind set 2's errors (it stops being blind)"
    )
    parser.add_argument(
        "--calibrate", action="store_true", help="grid-search the settings on the read sets (dev + blind 1)"
    )
    parser.add_argument(
        "--max-wrong",
        type=float,
        default=0.03,
        help="calibration: limit on the 95 %% upper bound of the confident-wrong rate",
    )
    parser.add_argument("--no-site", action="store_true", help="curated articles only (no website tier)")
    parser.add_argument(
        "--calibrate-site", action="store_true", help="choose the passage threshold on the read sets"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    engine = build_engine()
    known = set(engine.knowledge.articles)
    topics = len({a.topic for a in engine.articles})
    print(f"answer engine: {len(engine.articles)} answerable articles in {topics} topics")
    if args.calibrate:
        calibrate(engine, [q for path in READ_SETS for q in load_set(path, known)], args.max_wrong)
        return 0
    site = None if args.no_site else SiteTier(engine)
    if args.calibrate_site and site is not None:
        read = []
        for path in READ_SETS:
            questions = load_set(path, known)
            load_site_labels(path, questions)
            read.extend(questions)
        calibrate_site(engine, site, read)
        return 0
    sets = args.set or [p for p in (DEV, BLIND, BLIND2) if p.is_file()]
    print("settings: " + ", ".join(f"{k}={v}" for k, v in engine.settings.to_dict().items()))
    for path in sets:
        questions = load_set(path, known)
        result = evaluate(engine, questions)
        shown = args.errors if path.resolve() in READ_SETS or args.read_blind else 0
        print("\n" + _row(path.name, result))
        print(f"  rules: {result['rules']}  (target confident-wrong <= {TARGETS['confident_wrong']:.0%})")
        share = result["clarify_offers_right"]
        print(
            f"  clarify offers include an acceptable article for {share:.1%} of answerable "
            f"({result['choice_precision']:.1%} of the clarify replies hold one)"
        )
        print("  per topic (right/safe/wrong):")
        for topic, counts in sorted(result["per_topic"].items()):
            total = sum(counts.values())
            figures = f"{counts['right']:>3}/{counts['safe']:>3}/{counts['wrong']:>3}  of {total:>3}"
            print(f"    {topic:<26} {figures}  {'#' * counts['right']}")
        if site is not None:
            load_site_labels(path, questions)
            labelled = sum(1 for q in questions if q["site_accept"])
            print(f"\n  curated + website ({labelled} questions have a page that answers):")
            print("  " + _row("curated only", result))
            no_site = replace(engine.settings, site_min_score=float("inf"))
            alone = evaluate_with_site(engine.with_settings(no_site), site, questions)
            print("  " + _site_row("curated only, judged with site labels", alone))
            with_site = evaluate_with_site(engine, site, questions)
            print("  " + _site_row("curated + site", with_site))
            print(f"  decisions: {with_site['how']}")
            print("  site_min_score  coverage  confident-wrong  strict   (curated + site)")
            for t in np.arange(0.87, 0.935, 0.005):
                at = replace(engine.settings, site_min_score=float(round(t, 3)))
                r = evaluate_with_site(engine.with_settings(at), site, questions)
                bar = "#" * int(round(r["coverage"] * 40))
                print(
                    f"  {t:>14.3f}  {r['coverage']:8.1%}  {r['confident_wrong']:15.1%}  "
                    f"{r['strict_accuracy']:6.1%}  {bar}"
                )
            site_errors = [e for e in with_site["errors"] if e[3] is not None]
            for verdict, q, _, page in site_errors[:shown]:
                accept = ",".join(sorted(q["site_accept"])) or "none"
                print(f"    [{verdict}] {q['text'][:70]!r}: site {page}; accept {accept}")
        curve(engine, questions)
        print(f"\n  errors ({min(shown, len(result['errors']))} of {len(result['errors'])} listed):")
        for verdict, q, sel in result["errors"][:shown]:
            accept = " | ".join(",".join(sorted(p)) or "none" for p in q["accept_parts"])
            got = ",".join(sel.answer_ids or sel.offer_ids) or "-"
            top = sel.top.score if sel.top else 0.0
            print(f"    [{verdict}] {q['text'][:70]!r}: {sel.rule} {got} (score {top:.3f}); accept {accept}")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
