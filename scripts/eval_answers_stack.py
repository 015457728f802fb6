"""What the citizen gets: the answer sets sent through the real stack, judged on the replies.

``scripts/eval_answers.py`` judges the answer engine on its own. A citizen's question passes more than
the engine: the gateway (normalise, redact, safety check), Rasa (which may read it as small talk, a
hand-off request, a form step or nothing it understood) and the engine with Rasa's topic as a prior, then
the website tier. This script starts the real processes (as ``make run`` does, on free loopback ports and
a temporary ``var`` folder, with the demo website imported unless ``--no-site``), sends every question of
the sets in a new conversation through ``POST /api/chat``, and judges the messages the citizen reads:

* an **article** answer is judged as in ``eval_answers.py`` (every article given must answer a part; all
  parts answered is right);
* a **website passage** is right when its page is labelled for the question (``answers_*_site.yml``);
* an **honest no-answer** (no article fits, "Menar du …?", "please rephrase", a person offered) is right
  for a question nothing answers, and safe otherwise;
* **anything else** (a greeting, a goodbye, a form step, an emergency notice alone) is counted as
  *diverted*: neither right nor safe, and reported apart;
* a reply other than 200, or one without an audit id, is an error.

Figures are printed, never asserted. ``--errors N`` lists up to N replies of a read set that are not
right, with Rasa's intent and confidence, so that a difference from the engine's own figures can be
traced to the layer that caused it (blind set 2's replies only with ``--read-blind``).

Run: ``make eval-answers-stack`` (or ``.venv/bin/python scripts/eval_answers_stack.py --set …``).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from eval_answers import (  # noqa: E402
    BLIND,
    BLIND2,
    DEV,
    READ_SETS,
    TARGETS,
    load_set,
    load_site_labels,
    wilson_upper,
)

from bot.runner import Stack, StackConfig, train_if_needed  # noqa: E402
from content.knowledge import KnowledgeBase  # noqa: E402

HONEST_NOTICES = frozenset({"no_answer_notice", "clarify_notice"})
HONEST_ARTICLES = frozenset({"fallback-unsure", "handoff-contact"})
SITE_WAIT_SECONDS = 300
ARTICLE_IN_PAYLOAD = re.compile(r'"article_id"\s*:\s*"([^"]+)"')


def reply_kind(body: dict[str, Any], kb: KnowledgeBase) -> tuple[str, list[str], list[str], list[str]]:
    """(kind, answered article ids, page URLs, notices) of one reply, from what the citizen reads.

    kind is ``answer`` (at least one answerable article), ``passage`` (a website passage and no
    article), ``honest`` (only a no-answer, a choice of articles or a way to a person) or ``other``.
    """
    articles, pages, notices, system = [], [], [], []
    for message in body.get("messages") or []:
        source = message.get("source") or {}
        if "passage_id" in source:
            pages.append(str(source.get("page_url") or ""))
        elif source.get("policy"):
            notices.append(str(source["policy"]))
        elif source.get("article_id"):
            article = kb.articles.get(str(source["article_id"]))
            if article is not None and article.answerable:
                articles.append(article.id)
            else:
                system.append(str(source["article_id"]))
    if articles:
        return "answer", articles, pages, notices
    if pages:
        return "passage", articles, pages, notices
    if (set(notices) & HONEST_NOTICES) or (set(system) & HONEST_ARTICLES):
        return "honest", articles, pages, notices
    return "other", articles, pages, notices + system


def offered_articles(body: dict[str, Any]) -> set[str]:
    """Articles the reply's "Menar du …?" buttons name (the citizen is one click from them)."""
    offered = set()
    for message in body.get("messages") or []:
        for button in message.get("buttons") or []:
            found = ARTICLE_IN_PAYLOAD.search(str(button.get("payload") or ""))
            if found:
                offered.add(found.group(1))
    return offered


def judge_reply(kind: str, articles: list[str], pages: list[str], q: dict[str, Any]) -> str:
    """right, safe, wrong or diverted (see the module docstring)."""
    parts: list[frozenset[str]] = q["accept_parts"]
    answerable = [p for p in parts if p]
    site_ok = q.get("site_accept") or frozenset()
    if kind == "answer":
        if not answerable or any(not any(a in p for p in parts) for a in articles):
            return "wrong"
        covered = sum(1 for p in answerable if set(articles) & p)
        return "right" if covered == len(answerable) else "safe"
    if kind == "passage":
        return "right" if any(page in site_ok for page in pages) else "wrong"
    if kind == "honest":
        return "safe" if answerable or site_ok else "right"
    return "diverted"


def wait_for_site(client: httpx.Client, gateway: str) -> None:
    """The first import is embedded in the background: wait until a website passage is given."""
    probe = "hur mycket kostar fyrverkeritillståndet"  # the e2e website test's question
    deadline = time.monotonic() + SITE_WAIT_SECONDS
    while time.monotonic() < deadline:
        body = client.post(f"{gateway}/api/chat", json={"text": probe}).json()
        if any("passage_id" in (m.get("source") or {}) for m in body.get("messages") or []):
            return
        time.sleep(3)
    print(f"warning: no website passage within {SITE_WAIT_SECONDS} s; the site tier may not be ready")


def run_set(client: httpx.Client, gateway: str, questions: list[dict[str, Any]], kb: KnowledgeBase) -> dict:
    """Send every question in a new conversation and judge the replies."""
    outcomes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    intents_diverted: Counter[str] = Counter()
    errors: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    answerable = answerable_right = answerable_offered = none_total = none_answered = failures = 0
    for i, q in enumerate(questions, 1):
        response = client.post(f"{gateway}/api/chat", json={"text": q["text"]})
        if response.status_code != 200 or not response.json().get("audit_id"):
            failures += 1
            outcomes["error"] += 1
            errors.append(("error", q, {"status": response.status_code, "body": response.text[:200]}))
            continue
        body = response.json()
        kind, articles, pages, notices = reply_kind(body, kb)
        verdict = judge_reply(kind, articles, pages, q)
        outcomes[verdict] += 1
        kinds[kind] += 1
        if kind == "other":
            intents_diverted[str(body.get("intent"))] += 1
        has_answer = any(q["accept_parts"]) or bool(q.get("site_accept"))
        if any(q["accept_parts"]):
            answerable += 1
            answerable_right += verdict == "right" and kind == "answer"
            accept = set().union(*q["accept_parts"])
            answerable_offered += kind != "answer" and bool(offered_articles(body) & accept)
        if not has_answer:
            none_total += 1
            none_answered += kind in ("answer", "passage")
        if verdict != "right":
            detail = {
                "kind": kind,
                "articles": articles,
                "pages": pages,
                "notices": notices,
                "intent": body.get("intent"),
                "confidence": body.get("confidence"),
            }
            errors.append((verdict, q, detail))
        if i % 25 == 0:
            print(f"  {i}/{len(questions)} questions", flush=True)
    n = max(len(questions), 1)
    return {
        "n": len(questions),
        "strict": outcomes["right"] / n,
        "acc_or_safe": (outcomes["right"] + outcomes["safe"]) / n,
        "wrong": outcomes["wrong"] / n,
        "diverted": outcomes["diverted"] / n,
        "failures": failures,
        "right_article": answerable_right / max(answerable, 1),
        "answerable": answerable,
        "offered": answerable_offered / max(answerable, 1),
        "none_answered": none_answered / max(none_total, 1),
        "none_total": none_total,
        "kinds": kinds,
        "intents_diverted": intents_diverted,
        "errors": errors,
    }


def print_result(name: str, result: dict[str, Any], show_errors: int) -> None:
    """One set's figures, its reply kinds and (optionally) the replies that were not right."""
    target = TARGETS["confident_wrong"]
    flag = "" if result["wrong"] <= target else f"  (above the {target:.0%} target)"
    print(
        f"\n{name}: n={result['n']}  strict {result['strict']:.1%}  accurate-or-safe "
        f"{result['acc_or_safe']:.1%}  confident-wrong {result['wrong']:.1%} "
        f"(<= {wilson_upper(round(result['wrong'] * result['n']), result['n']):.1%} at 95 %){flag}  diverted "
        f"{result['diverted']:.1%}  errors (non-200 or no audit id) {result['failures']}"
    )
    print(
        f"  right article where one exists {result['right_article']:.1%} (of {result['answerable']}); "
        f"nothing answers it, answered anyway {result['none_answered']:.1%} (of {result['none_total']})"
    )
    print(
        f"  not answered, but an acceptable article offered as a choice {result['offered']:.1%} "
        f"(of {result['answerable']})"
    )
    print("  replies: " + ", ".join(f"{k} {v}" for k, v in sorted(result["kinds"].items())))
    if result["intents_diverted"]:
        print(
            "  diverted by Rasa's intent: "
            + ", ".join(f"{k} {v}" for k, v in result["intents_diverted"].most_common())
        )
    for verdict, q, detail in result["errors"][:show_errors]:
        accept = sorted(set().union(*q["accept_parts"])) or ["none"]
        conf = detail.get("confidence")
        print(
            f"  [{verdict}] {q['text']!r} accept={accept} got {detail.get('kind')} "
            f"{detail.get('articles') or detail.get('pages') or detail.get('notices') or detail.get('body')} "
            f"intent={detail.get('intent')} ({conf if conf is None else round(float(conf), 2)})"
        )


def main() -> int:
    """Start the stack, run the sets, print the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", action="append", type=Path, help="answer set(s) (default: dev and blind)")
    parser.add_argument("--no-site", action="store_true", help="curated articles only (no website import)")
    parser.add_argument("--errors", type=int, default=0, help="list up to N replies that are not right (dev)")
    parser.add_argument(
        "--read-blind", action="store_true", help="also list blind set 2's errors (it stops being blind)"
    )
    args = parser.parse_args()
    sets = args.set or [p for p in (DEV, BLIND, BLIND2) if p.is_file()]
    kb = KnowledgeBase.load(ROOT / "data")
    known = {a.id for a in kb.articles.values() if a.answerable}
    loaded = []
    for path in sets:
        questions = load_set(path, known)
        load_site_labels(path, questions)
        loaded.append((path, questions))
    train_if_needed()
    with tempfile.TemporaryDirectory(prefix="kommunsvar-eval-") as tmp:
        var_dir = Path(tmp)
        if not args.no_site:
            from content.site.importer import import_site
            from content.site.store import SiteStore

            store = SiteStore.open(f"sqlite:///{var_dir / 'site.db'}")
            import_site(
                str(ROOT / "data" / "site" / "pages"), store, base_url="https://www.exempelstad.se", scan=None
            )
            store.close()
        config = StackConfig.on_free_ports(
            var_dir,
            extra_env={"KOMMUNSVAR_RATE_LIMIT_ENABLED": "false", "KOMMUNSVAR_SITE_REFRESH_SECONDS": "0"},
        )
        stack = Stack(config)
        print("starting the stack …", flush=True)
        stack.start()
        try:
            stack.wait_healthy(timeout=400, progress=False)
            with httpx.Client(timeout=60) as client:
                if not args.no_site:
                    wait_for_site(client, stack.gateway_url)
                for path, questions in loaded:
                    print(f"{path.name}: {len(questions)} questions", flush=True)
                    result = run_set(client, stack.gateway_url, questions, kb)
                    shown = args.errors if path.resolve() in READ_SETS or args.read_blind else 0
                    print_result(path.name + (" (articles only)" if args.no_site else ""), result, shown)
        finally:
            stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
