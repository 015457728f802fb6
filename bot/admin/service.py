"""The admin console's service: what each page shows, built from the audit store (routes stay thin)."""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import yaml

from audit.bands import BANDS, band_of
from audit.errors import AuditError, ReceiptInvalid
from audit.explain import explain, swedish_date
from audit.labels import intent_label, pii_label, policy_label
from audit.query import AccessEntry, access_entries
from audit.receipt import verify_receipt
from audit.records import StoredRecord
from bot.admin.charts import Chart, daily_series, horizontal, short_date, vertical
from bot.admin.filters import AuditFilter
from bot.admin.queries import HISTOGRAM_BINS, AdminQueries, Stats
from bot.admin.verify_jobs import VerifyJobs

if TYPE_CHECKING:
    from audit.log import AuditLog

logger = logging.getLogger("kommunsvar.admin")
_TZ = ZoneInfo("Europe/Stockholm")
OVERVIEW_DAYS = 30


def b64(data: bytes | None) -> str:
    """Base64 text of a hash."""
    return base64.b64encode(data).decode() if data else ""


def load_topic_labels(data_dir: Path) -> dict[str, str]:
    """Swedish topic names from ``data/topics.yml`` (empty when the file is missing)."""
    path = data_dir / "topics.yml"
    if not path.exists():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    labels: dict[str, str] = {}
    for name, topic in (raw.get("topics") or {}).items():
        label = (topic or {}).get("label") or {}
        labels[str(name)] = str(label.get("sv") if isinstance(label, dict) else label or name)
    return labels


def explanation_sections(text: str) -> list[tuple[str, list[str]]]:
    """Split ``audit.explain`` output into (heading, paragraphs)."""
    sections = []
    for block in text.strip().split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip()]
        if lines:
            sections.append((lines[0], lines[1:]))
    return sections


@dataclass(frozen=True)
class ReceiptView:
    """A record's receipt and whether it verifies against the trusted keys."""

    ok: bool
    message: str
    tree_size: int | None = None
    checkpoint_time: str | None = None
    root_hash: str = ""
    leaf_hash: str = ""
    proof_length: int = 0
    checkpoint_note: str = ""
    data: dict[str, Any] | None = None


class AdminConsole:
    """Everything the console's pages need from one audit log."""

    def __init__(self, log: AuditLog, topic_labels: dict[str, str] | None = None) -> None:
        """Wrap the log; ``topic_labels`` maps topic codes to Swedish names."""
        self.log = log
        self.queries = AdminQueries(log)
        self.jobs = VerifyJobs(log)
        self.topic_labels = topic_labels or {}

    @classmethod
    def build(cls, log: AuditLog, data_dir: Path) -> AdminConsole:
        """The console for the gateway (topic names from the data folder)."""
        return cls(log, load_topic_labels(data_dir))

    # --- access log -----------------------------------------------------------------------------

    def record_access(self, actor: str, action: str, target: str | None = None) -> None:
        """Write who looked at or exported what (user name, action, filter or record id)."""
        self.log.log_access(actor, action, (target or "")[:512] or None)

    def access_entries(self, limit: int = 200) -> list[AccessEntry]:
        """Newest access-log entries."""
        return access_entries(self.log, limit)

    # --- labels and options ---------------------------------------------------------------------

    def topic_label(self, code: str | None) -> str:
        """Swedish name of a topic."""
        if not code:
            return "okänt ämne"
        return self.topic_labels.get(code) or intent_label(code)

    def filter_options(self) -> dict[str, Any]:
        """Choices for the filter form."""
        topics = sorted(set(self.topic_labels) | set(self.queries.distinct("topic")))
        intents = self.queries.distinct("intent")
        return {
            "topics": [(t, self.topic_label(t)) for t in sorted(topics, key=self.topic_label)],
            "intents": [(i, f"{intent_label(i)} ({i})") for i in intents],
            "bands": [(band.name, band.label) for band in BANDS.values()],
            "show_contested": self.queries.contested_clause() is not None,
        }

    def effective(self, flt: AuditFilter) -> AuditFilter:
        """The filter minus "contested" while cases are unknown."""
        return flt if self.queries.contested_clause() is not None else flt.without_contested()

    # --- overview -------------------------------------------------------------------------------

    def overview_filter(self, flt: AuditFilter, today: date | None = None) -> AuditFilter:
        """The overview shows the last 30 days unless a date range is chosen."""
        if flt.date_from or flt.date_to:
            return flt
        today = today or datetime.now(_TZ).date()
        return replace(flt, date_from=today - timedelta(days=OVERVIEW_DAYS - 1), date_to=today)

    def overview(self, flt: AuditFilter) -> tuple[Stats, list[Chart]]:
        """Figures and charts for the overview page."""
        stats = self.queries.stats(flt)
        return stats, [self._per_day(stats, flt), self._per_topic(stats, flt), self._histogram(stats, flt)]

    def _per_day(self, stats: Stats, flt: AuditFilter) -> Chart:
        days = daily_series(stats.per_day, flt.date_from, flt.date_to)
        items: list[tuple[str, int, str | None, str, str | None]] = []
        if len(days) > 92:  # group by week so bars stay readable
            weeks: dict[date, int] = {}
            for day, n in days:
                monday = day - timedelta(days=day.weekday())
                weeks[monday] = weeks.get(monday, 0) + n
            items = [
                (f"vecka {d.isocalendar().week} ({short_date(d)})", n, None, "bar", short_date(d))
                for d, n in sorted(weeks.items())
            ]
            title, unit = "Svar per vecka", "vecka"
        else:
            for day, n in days:
                href = "/admin/audit?" + replace(flt, date_from=day, date_to=day).query_string()
                items.append((swedish_date(day.isoformat()), n, href, "bar", short_date(day)))
            title, unit = "Svar per dag", "dag"
        every = max(1, len(items) // 8)
        total = sum(n for _, n, _, _, _ in items)
        return vertical(
            "chart-days", title, items, tick_every=every, description=f"{total} svar fördelade per {unit}."
        )

    def _per_topic(self, stats: Stats, flt: AuditFilter) -> Chart:
        items = [
            (self.topic_label(code), n, "/admin/audit?" + replace(flt, topic=code).query_string())
            for code, n in stats.per_topic[:15]
        ]
        return horizontal(
            "chart-topics", "Svar per ämne", items, description="Antal svar per ämne, flest först."
        )

    def _histogram(self, stats: Stats, flt: AuditFilter) -> Chart:
        items = []
        step = 1 / HISTOGRAM_BINS
        for i, n in enumerate(stats.histogram):
            low, high = i * step, (i + 1) * step
            band = band_of((low + high) / 2)  # the bins' edges include the bands' edges
            css = {"low": "bar bar--low", "medium": "bar bar--mid", "high": "bar bar--high"}[band]
            label = f"{low:.2f}–{high:.2f}".replace(".", ",")
            href = "/admin/audit?" + replace(flt, band=band).query_string()
            tick = f"{low:.1f}".replace(".", ",") if i % 4 == 0 else None
            items.append((label, n, href, css, tick))
        legend = [
            ("bar--low", BANDS["low"].label),
            ("bar--mid", BANDS["medium"].label),
            ("bar--high", BANDS["high"].label),
        ]
        return vertical(
            "chart-confidence",
            "Hur säker boten var",
            items,
            legend=legend,
            description="Antal svar per säkerhetsnivå från 0 till 1, i steg om 0,05.",
        )

    # --- list and export ------------------------------------------------------------------------

    def listing(self, flt: AuditFilter, page: int, size: int) -> tuple[list[Any], int]:
        """One page of records and the total count."""
        return self.queries.page(flt, page, size), self.queries.count(flt)

    # --- one record -----------------------------------------------------------------------------

    def record(self, audit_id: str) -> StoredRecord | None:
        """The stored record, or None."""
        return self.log.get(audit_id)

    def record_context(self, record: StoredRecord) -> dict[str, Any]:
        """What the record page shows besides the raw record."""
        nlu = record.get("nlu") or {}
        guard = record.get("guardrails") or {}
        pii_counts = (record.get("pii") or {}).get("counts") or {}
        return {
            "explanation": explanation_sections(explain(record)),
            "created": swedish_date(record.get("created_at"), with_time=True),
            "topic_label": self.topic_label(record.get("topic")),
            "intent_label": intent_label(nlu.get("intent")),
            "nlu": nlu,
            "answers": record.get("answers") or [],
            "actions": [
                {**a, "policy_label": policy_label(a.get("policy"))} for a in record.get("actions") or []
            ],
            "pii": [(pii_label(kind), n) for kind, n in sorted(pii_counts.items())],
            "guard": guard,
            "vault_uses": [
                (pii_label(str(u.get("type"))), u.get("purpose")) for u in guard.get("vault_uses") or []
            ],
            "cases": self.queries.cases_for(str(record.get("audit_id"))),
            "swedish_date": swedish_date,
        }

    def receipt(self, audit_id: str) -> ReceiptView:
        """The record's receipt (inclusion proof + signed checkpoint) and its verification."""
        try:
            receipt = self.log.receipt(audit_id)
        except AuditError as exc:
            return ReceiptView(ok=False, message=f"Kvittot kunde inte tas fram ({type(exc).__name__}).")
        data = receipt.to_dict()
        base: dict[str, Any] = {
            "tree_size": receipt.tree_size,
            "leaf_hash": b64(receipt.leaf_hash),
            "proof_length": len(receipt.inclusion_proof),
            "checkpoint_note": receipt.checkpoint,
            "data": data,
        }
        try:
            checkpoint = verify_receipt(receipt, self.log.public_keys(), origin=self.log.settings.log_origin)
        except ReceiptInvalid as exc:
            return ReceiptView(ok=False, message=f"Kvittot stämmer inte: {exc}.", **base)
        return ReceiptView(
            ok=True,
            message=(
                "Kvittot stämmer. Posten finns i loggen, och loggen är signerad med kommunens nyckel "
                f"vid {checkpoint.tree_size} poster."
            ),
            checkpoint_time=swedish_date(checkpoint.timestamp, with_time=True),
            root_hash=b64(checkpoint.root_hash),
            **base,
        )

    # --- integrity ------------------------------------------------------------------------------

    def integrity(self) -> dict[str, Any]:
        """Tree size, the latest signed checkpoint and the latest verification run."""
        checkpoint, problem = None, None
        try:
            checkpoint = self.log.latest_checkpoint()
        except ReceiptInvalid as exc:
            problem = f"Den senaste kontrollpunkten går inte att verifiera: {exc}."
        return {
            "size": self.log.size(),
            "checkpoint": checkpoint,
            "checkpoint_time": swedish_date(checkpoint.timestamp, with_time=True) if checkpoint else None,
            "root_hash": b64(checkpoint.root_hash) if checkpoint else "",
            "checkpoint_problem": problem,
            "latest_job": self.jobs.latest(),
        }
