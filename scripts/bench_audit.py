"""Benchmark the audit log: append rate (SQLite, PostgreSQL with concurrent writers), verify rate, and
inclusion/consistency proof time at a million records.

Usage: .venv/bin/python scripts/bench_audit.py [--quick] [--skip-postgres] [--workdir DIR]

Targets (issue 4): append >= 1,000/s SQLite; >= 500/s with 4 concurrent writers on PostgreSQL;
verify >= 50,000 records/s; inclusion proof <= 1 ms at 1,000,000 records.
"""

from __future__ import annotations

import argparse
import copy
import multiprocessing
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, text  # noqa: E402

from audit import merkle, tree  # noqa: E402
from audit.log import AuditLog, open_audit_log  # noqa: E402
from audit.settings import AuditSettings  # noqa: E402
from audit.tables import entries, tree_nodes  # noqa: E402

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

RECORD: dict[str, Any] = {
    "schema_version": 1,
    "channel": "web",
    "language": "sv",
    "conversation": "bench",
    "turn": 1,
    "input_redacted": "Hej, jag heter <PERSON_1>. När hämtas soporna på <ADDRESS_1>? Ring <PHONE_1>.",
    "pii": {
        "findings": [
            {"type": "PERSON", "start": 16, "end": 29, "score": 0.85},
            {"type": "LOCATION", "start": 50, "end": 66, "score": 0.9},
            {"type": "PHONE_NUMBER", "start": 82, "end": 95, "score": 0.75},
        ],
        "counts": {"PERSON": 1, "LOCATION": 1, "PHONE_NUMBER": 1},
    },
    "nlu": {
        "intent": "waste_collection",
        "confidence": 0.9312,
        "ranking": [
            {"name": "waste_collection", "confidence": 0.9312},
            {"name": "water_sewage", "confidence": 0.0311},
            {"name": "report_fault", "confidence": 0.0104},
        ],
        "entities": [{"entity": "address", "value": "<ADDRESS_1>", "start": 50, "end": 61}],
        "fallback_threshold": 0.6,
    },
    "actions": [
        {"name": "action_answer_article", "policy": "policy_0_RulePolicy", "confidence": 1.0},
        {"name": "action_listen", "policy": "policy_0_RulePolicy", "confidence": 1.0},
    ],
    "answers": [
        {
            "text": "Soporna hämtas varannan vecka. Du ser din hämtdag på Mina sidor eller i appen.",
            "source": {
                "article_id": "waste-collection-schedule",
                "version": 3,
                "content_hash": "9f2c" * 16,
                "owner": "Miljö- och tekniska förvaltningen",
                "last_reviewed": "2026-09-01",
            },
            "response": None,
        }
    ],
    "topic": "waste_collection",
    "model": {
        "fingerprint": "a1b2" * 8,
        "model_file": "models/20261126-101010-kommunsvar.tar.gz",
        "config_hash": "c0ff" * 8,
        "domain_hash": "d0d0" * 8,
        "code_version": "0.1.0+g1234567",
    },
    "guardrails": {
        "redacted_types": ["LOCATION", "PERSON", "PHONE_NUMBER"],
        "output_guard_hits": [],
        "ai_disclosure_shown": False,
        "handoff_offered": False,
        "vault_uses": [],
    },
    "latency_ms": {"normalise": 0.2, "redact": 14.1, "rasa": 61.0, "tracker": 6.3, "total": 84.0},
    "legal_nature": "information och vägledning, inte ett beslut",
    "retention_class": "conversation",
}


def _record(i: int) -> dict[str, Any]:
    record = copy.deepcopy(RECORD)
    record["conversation"] = f"conv-{i // 5:08d}"  # five turns per conversation
    record["turn"] = i % 5
    return record


def _settings(workdir: Path, **extra: Any) -> AuditSettings:
    return AuditSettings(
        key_path=workdir / "keys" / "audit_ed25519.pem",
        content_key_path=workdir / "keys" / "audit_content.key",
        **extra,
    )


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def bench_append_sqlite(workdir: Path, n: int, synchronous: str, threads: int) -> float:
    url = f"sqlite:///{workdir / f'append-{synchronous}-{threads}.db'}"
    log = open_audit_log(url, settings=_settings(workdir, sqlite_synchronous=synchronous))
    records = [_record(i) for i in range(n)]
    per_thread = n // threads

    def work(k: int) -> None:
        for record in records[k * per_thread : (k + 1) * per_thread]:
            log.append(record)

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    assert log.verify().ok
    log.close()
    return per_thread * threads / elapsed


def _pg_writer(url: str, workdir: str, count: int, offset: int, start: Any, done: Any) -> None:
    log = open_audit_log(url, settings=_settings(Path(workdir)))
    records = [_record(offset + i) for i in range(count)]
    start.wait()
    for record in records:
        log.append(record)
    log.close()
    done.put(time.perf_counter())


def bench_append_postgres(workdir: Path, n: int, writers: int) -> tuple[float, bool] | str:
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3).close()
    except Exception as exc:
        return f"skipped: PostgreSQL not reachable ({type(exc).__name__})"
    schema = f"audit_bench_{secrets.token_hex(4)}"
    admin = create_engine(PG_SERVER)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{PG_SERVER}?options=-csearch_path%3D{schema}"
    try:
        open_audit_log(url, settings=_settings(workdir)).close()  # migrate once
        context = multiprocessing.get_context("spawn")
        start, done = context.Event(), context.Queue()
        per = n // writers
        procs = [
            context.Process(target=_pg_writer, args=(url, str(workdir), per, k * per, start, done))
            for k in range(writers)
        ]
        for proc in procs:
            proc.start()
        time.sleep(3.0)  # let every writer import, connect and build its records
        began = time.perf_counter()
        start.set()
        finished = max(done.get(timeout=600) for _ in procs)
        for proc in procs:
            proc.join()
        log = open_audit_log(url, settings=_settings(workdir))
        ok = log.verify().ok and log.count() == per * writers
        log.close()
        return per * writers / (finished - began), ok
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def bench_verify(workdir: Path, n: int) -> tuple[float, float]:
    url = f"sqlite:///{workdir / 'verify.db'}"
    log = open_audit_log(url, settings=_settings(workdir, sqlite_synchronous="NORMAL", checkpoint_every=1000))
    started = time.perf_counter()
    for chunk in range(0, n, 500):
        log.append_many([_record(i) for i in range(chunk, min(n, chunk + 500))])
    build = time.perf_counter() - started
    started = time.perf_counter()
    report = log.verify()
    elapsed = time.perf_counter() - started
    assert report.ok and report.checked == n and report.seals_checked, report
    log.close()
    return n / elapsed, n / build


def build_proof_tree(log: AuditLog, n: int) -> None:
    """Fill a log with ``n`` leaves whose data has expired (leaf hash only), as retention leaves them."""
    compact = merkle.CompactRange()
    chunk = 50_000
    with log.engine.begin() as conn:
        for start in range(0, n, chunk):
            rows, nodes = [], []
            for seq in range(start, min(n, start + chunk)):
                leaf = merkle.leaf_hash(seq.to_bytes(8, "big"))
                rows.append(
                    {
                        "seq": seq,
                        "audit_id": f"KS-{seq:010d}",
                        "created_at": "2020-01-01T00:00:00.000000Z",
                        "schema_version": 1,
                        "retention_class": "conversation",
                        "leaf_hash": leaf,
                        "metadata_deleted_at": "2022-01-01T00:00:00.000000Z",
                        "content_deleted_at": "2020-04-01T00:00:00.000000Z",
                    }
                )
                nodes.extend(tree.node_rows(compact.append(leaf)))
            conn.execute(entries.insert(), rows)
            conn.execute(tree_nodes.insert(), nodes)
    log.checkpoint()


def _timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def bench_proofs(workdir: Path, n: int, rounds: int) -> dict[str, list[float]]:
    url = f"sqlite:///{workdir / 'proofs.db'}"
    log = open_audit_log(url, settings=_settings(workdir, sqlite_synchronous="NORMAL"))
    build_proof_tree(log, n)
    checkpoint = log.checkpoint()
    rng = random.Random(7)
    indexes = [rng.randrange(n) for _ in range(rounds)]
    olds = [rng.randrange(1, n) for _ in range(rounds)]
    for index in indexes[:20]:  # the proofs are right, not just fast
        proof = log.inclusion_proof(index, n)
        leaf = merkle.leaf_hash(index.to_bytes(8, "big"))
        assert merkle.verify_inclusion(leaf, index, n, proof, checkpoint.root_hash)
    it = iter(indexes)
    inclusion = _timed(lambda: log.inclusion_proof(next(it), n), rounds)
    it_old = iter(olds)
    consistency = _timed(lambda: log.consistency_proof(next(it_old), n), rounds)
    ids = iter(f"KS-{i:010d}" for i in indexes)
    receipts = _timed(lambda: log.receipt(next(ids)), min(rounds, 500))
    log.close()
    return {"inclusion": inclusion, "consistency": consistency, "receipt": receipts}


def _stats(values: list[float]) -> str:
    q = statistics.quantiles(values, n=100)
    return (
        f"mean {statistics.mean(values):.3f} ms, p50 {q[49]:.3f} ms, p95 {q[94]:.3f} ms, p99 {q[98]:.3f} ms"
    )


def main() -> int:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--workdir", type=Path, help="where the benchmark databases go (default: a temp dir)")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    append_n = 300 if args.quick else 3000
    verify_n = 5000 if args.quick else 200_000
    proof_n = 20_000 if args.quick else 1_000_000
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-audit-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"workdir: {workdir}  cpus: {os.cpu_count()}  load: {os.getloadavg()[0]:.1f}")

    for sync, threads in (("FULL", 1), ("NORMAL", 1), ("FULL", 4)):
        rate = bench_append_sqlite(workdir, append_n, sync, threads)
        label = f"append SQLite  synchronous={sync:<6} {threads} thread(s)"
        print(f"{label}: {rate:,.0f} records/s  (target >= 1,000)")

    if args.skip_postgres:
        print("append PostgreSQL 4 writers: skipped (--skip-postgres)")
    else:
        result = bench_append_postgres(workdir, append_n, 4)
        if isinstance(result, str):
            print(f"append PostgreSQL 4 writers: {result}")
        else:
            rate, ok = result
            label = "append PostgreSQL 4 processes"
            print(f"{label}: {rate:,.0f} records/s, one log verified: {ok}  (target >= 500)")

    verify_rate, build_rate = bench_verify(workdir, verify_n)
    print(f"verify SQLite  {verify_n:,} full records: {verify_rate:,.0f} records/s  (target >= 50,000)")
    print(f"  (append_many building it: {build_rate:,.0f} records/s)")

    started = time.perf_counter()
    proofs = bench_proofs(workdir, proof_n, 200 if args.quick else 2000)
    print(f"proofs at {proof_n:,} leaves (tree built in {time.perf_counter() - started:.0f} s incl. timing):")
    for name, values in proofs.items():
        print(f"  {name:<11} {_stats(values)}")
    print(f"  (target: inclusion proof <= 1 ms)  databases left in {workdir}; delete when done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
