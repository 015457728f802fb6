"""The three KPIs a municipality steers a pilot by, computed from what is already stored.

Definitions (also in ``docs/kpi.md``):

- **User experience** (per quarter): the share of answers that citizens marked helpful ("Hjälpte
  svaret?", with its 95 % Wilson interval and the number of votes), the satisfaction score ("Hur nöjd
  är du?" 1–5: mean, 95 % t-interval, sample size), containment (conversations that ended without the
  citizen asking for a person, contesting an answer or leaving a complaint or call-back request) and
  the after-hours share (turns outside the contact centre's opening hours, ``data/municipality.yml``).
- **Error rate** (per week): each as a share of the period's answers: answers voted "not helpful",
  contests upheld as wrong by staff (the case outcome ``answer_wrong``, which also puts the article on
  the content review list), fallbacks (the bot was unsure) and answers the output guard replaced (a
  text that was not approved content). The week's worst sources (articles,
  notices, website passages, by id) come with their counts, so content owners know what to fix.

Inputs are the audit trail's indexed columns (:class:`audit.query.TurnFacts`), the records' output-guard
hits (read from the records: not an indexed column), the feedback tables and the cases. Every figure
names the audit browser filter it was counted from, so it can be traced to its records (``audit_url``).

- **Time saved** (per month): contained service conversations × the minutes a phone or e-mail contact
  on that topic costs, minus staff minutes per hand-off and per case (``time_saved`` in
  ``data/municipality.yml``, demo assumptions until a municipality measures its own), as hours and
  full-time equivalents, with the assumptions printed beside the figure.

Elsewhere: the dashboard (:mod:`bot.admin.kpi_view`), the weekly report (:mod:`bot.kpi.report`), the
public account and open data (:mod:`bot.services.transparency`).

Usage::

    python -m bot.kpi --period 2026-Q4      # also 2026-W48, 2026-11, 2026-10-01..2026-12-31
    python -m bot.kpi --period 2026-W48 --json
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from audit.query import AuditQuery, TurnFacts
from content.calendar import OpeningHours
from content.municipality import TimeSavedAssumptions

HANDOFF_INTENT = "human_handoff"
SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Period:
    """A reporting period: ``label`` and its first and last day (inclusive, local dates)."""

    label: str
    start: date
    end: date

    def audit_url(self, **filters: str) -> str:
        """The audit browser's list of the period's records, with more filters (``fallback="ja"``)."""
        params = {"date_from": self.start.isoformat(), "date_to": self.end.isoformat(), **filters}
        return "/admin/audit?" + urlencode(params)


def parse_period(spec: str) -> Period:
    """``2026-Q4``, ``2026-W48`` (ISO week), ``2026-11`` or ``2026-10-01..2026-12-31``.

    Raises:
        ValueError: the text is none of these forms (the message says which forms are accepted).
    """
    text = spec.strip()
    try:
        if found := re.fullmatch(r"(\d{4})-Q([1-4])", text):
            year, quarter = int(found[1]), int(found[2])
            start = date(year, 3 * quarter - 2, 1)
            end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(1)
            return Period(text, start, end)
        if found := re.fullmatch(r"(\d{4})-W(\d{2})", text):
            start = date.fromisocalendar(int(found[1]), int(found[2]), 1)
            return Period(text, start, start + timedelta(days=6))
        if found := re.fullmatch(r"(\d{4})-(\d{2})", text):
            year, month = int(found[1]), int(found[2])
            start = date(year, month, 1)
            end = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(1)
            return Period(text, start, end)
        if found := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})", text):
            start, end = date.fromisoformat(found[1]), date.fromisoformat(found[2])
            if start <= end:
                return Period(text, start, end)
    except ValueError:
        pass
    raise ValueError(
        f"unknown period {spec!r}: use a quarter (2026-Q4), an ISO week (2026-W48), a month (2026-11) "
        "or two dates (2026-10-01..2026-12-31)"
    )


def weeks(start: date, end: date) -> Iterator[Period]:
    """The ISO weeks (Monday–Sunday, labelled ``2026-W48``) from the week of ``start`` to that of ``end``."""
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        iso = monday.isocalendar()
        yield Period(f"{iso.year}-W{iso.week:02d}", monday, monday + timedelta(days=6))
        monday += timedelta(days=7)


def wilson(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (None without observations)."""
    if total <= 0:
        return None
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(values: Sequence[float]) -> tuple[float, float, float] | None:
    """(mean, low, high): the 95 % t-interval of the mean (None with fewer than two values)."""
    n = len(values)
    if n < 2:
        return None
    from scipy.stats import t

    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = float(t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


@dataclass(frozen=True)
class Share:
    """``count`` of ``total``, with its 95 % interval and the audit browser filter it came from."""

    count: int
    total: int
    audit_url: str | None = None

    @property
    def value(self) -> float | None:
        """The share (None when nothing was counted)."""
        return self.count / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        """JSON form, with the share and its interval."""
        interval = wilson(self.count, self.total)
        return {
            "count": self.count,
            "total": self.total,
            "share": self.value,
            "ci95": list(interval) if interval else None,
            "audit_url": self.audit_url,
        }


@dataclass(frozen=True)
class Inputs:
    """What the KPIs are counted from, for one period."""

    turns: list[TurnFacts]
    votes: list[Mapping[str, Any]] = field(default_factory=list)  # cases.feedback answers()
    ratings: list[Mapping[str, Any]] = field(default_factory=list)  # cases.feedback ratings()
    case_conversations: frozenset[str] = frozenset()  # conversations with a complaint or call-back case
    wrong_answers: Mapping[str, str] = field(default_factory=dict)  # audit id upheld as wrong → its source
    guard_replaced: frozenset[str] | None = None  # audit ids the output guard replaced (None: not read)

    def within(self, start: date, end: date) -> Inputs:
        """The same inputs with only the turns of the Swedish calendar days ``start``–``end``."""
        first, last = start.isoformat(), (end + timedelta(days=1)).isoformat()
        turns = [t for t in self.turns if first <= local_day(t.created_at) < last]
        return replace(self, turns=turns)


def user_experience(inputs: Inputs, period: Period, hours: OpeningHours) -> dict[str, Any]:
    """The quarter's user-experience figures (see the module's definitions)."""
    turn_ids = {t.audit_id for t in inputs.turns}
    votes = [v for v in inputs.votes if v["audit_id"] in turn_ids]
    helpful = sum(1 for v in votes if v["helpful"])
    ratings = [float(r["rating"]) for r in inputs.ratings if r["audit_id"] in turn_ids]
    conversations: dict[str, list[TurnFacts]] = {}
    for turn in inputs.turns:
        conversations.setdefault(turn.conversation or turn.audit_id, []).append(turn)
    escalated = {
        key
        for key, turns in conversations.items()
        if key in inputs.case_conversations or any(t.intent == HANDOFF_INTENT or t.contested for t in turns)
    }
    after_hours = sum(1 for t in inputs.turns if not hours.state(moment_of(t.created_at)).open_now)
    satisfaction = mean_interval(ratings)
    return {
        "period": asdict(period) | {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "answers": len(inputs.turns),
        "conversations": len(conversations),
        "helpful": Share(helpful, len(votes), period.audit_url()).to_dict(),
        "satisfaction": {
            "n": len(ratings),
            "mean": satisfaction[0] if satisfaction else (ratings[0] if ratings else None),
            "ci95": [satisfaction[1], satisfaction[2]] if satisfaction else None,
        },
        "containment": Share(
            len(conversations) - len(escalated), len(conversations), period.audit_url(intent=HANDOFF_INTENT)
        ).to_dict(),
        "after_hours": Share(after_hours, len(inputs.turns), period.audit_url()).to_dict(),
    }


def error_rate(inputs: Inputs, period: Period, worst: int = 5) -> dict[str, Any]:
    """The week's error figures, each a share of the period's answers, and the worst sources."""
    answers = len(inputs.turns)
    turn_ids = {t.audit_id for t in inputs.turns}
    not_helpful = [v for v in inputs.votes if v["audit_id"] in turn_ids and not v["helpful"]]
    upheld = sorted(turn_ids & set(inputs.wrong_answers))
    fallbacks = sum(1 for t in inputs.turns if t.fallback)
    blamed: Counter[str] = Counter()
    for vote in not_helpful:
        blamed[str(vote.get("source_id") or "")] += 1
    for audit_id in upheld:
        blamed[inputs.wrong_answers[audit_id]] += 1
    return {
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "answers": answers,
        "not_helpful": Share(len(not_helpful), answers, period.audit_url()).to_dict(),
        "contests_upheld": Share(len(upheld), answers, period.audit_url(contested="ja")).to_dict(),
        "fallbacks": Share(fallbacks, answers, period.audit_url(fallback="ja")).to_dict(),
        "output_guard": None
        if inputs.guard_replaced is None
        else Share(len(turn_ids & inputs.guard_replaced), answers, period.audit_url()).to_dict(),
        "worst_sources": [{"source": s, "count": c} for s, c in blamed.most_common(worst) if s],
    }


NOT_A_SERVICE_CONTACT = frozenset({"smalltalk", "emergency", "out_of_scope"})
DAYS_PER_MONTH = 365.25 / 12


def time_saved(inputs: Inputs, period: Period, assumptions: TimeSavedAssumptions) -> dict[str, Any]:
    """Staff time the chat saved in ``period``, in minutes, hours and full-time equivalents.

    Contained service conversations × the minutes a contact on their topic costs, minus the staff
    minutes spent on hand-offs and cases. Greetings, emergencies and out-of-scope questions count for
    nothing: they would not have been a contact with the municipality's services.
    """
    conversations: dict[str, list[TurnFacts]] = {}
    for turn in inputs.turns:
        conversations.setdefault(turn.conversation or turn.audit_id, []).append(turn)
    per_topic: Counter[str] = Counter()
    handoffs = contests = cases = 0
    for key, turns in conversations.items():
        asked_for_person = any(t.intent == HANDOFF_INTENT for t in turns)
        contested = sum(1 for t in turns if t.contested)
        has_case = key in inputs.case_conversations
        handoffs += asked_for_person
        contests += contested
        cases += has_case
        if asked_for_person or contested or has_case:
            continue
        topic = next((t.topic for t in turns if t.topic and t.topic not in NOT_A_SERVICE_CONTACT), None)
        if topic is not None:
            per_topic[topic] += 1
    saved = sum(assumptions.minutes_for(topic) * n for topic, n in per_topic.items())
    spent = handoffs * assumptions.handoff_minutes + (contests + cases) * assumptions.case_minutes
    hours = (saved - spent) / 60
    months = ((period.end - period.start).days + 1) / DAYS_PER_MONTH
    return {
        "period": {"label": period.label, "start": period.start.isoformat(), "end": period.end.isoformat()},
        "contained_service_conversations": sum(per_topic.values()),
        "minutes_saved": saved,
        "handoffs": handoffs,
        "cases": contests + cases,
        "minutes_spent": spent,
        "net_hours": hours,
        "fte": hours / (assumptions.fte_hours_per_month * months),
        "per_topic": [
            {"topic": topic, "conversations": n, "minutes_each": assumptions.minutes_for(topic)}
            for topic, n in per_topic.most_common()
        ],
        "assumptions": asdict(assumptions),
    }


def local_day(stamp: str) -> str:
    """The Swedish calendar day (ISO) of an audit stamp; the audit browser's date filters count the same."""
    return moment_of(stamp).astimezone(SWEDISH_TIME).date().isoformat()


def moment_of(stamp: str) -> datetime:
    """An audit stamp (UTC, ISO 8601) as an aware datetime."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def gather(audit_log: Any, store: Any, feedback: Any, period: Period, *, guard_hits: bool = True) -> Inputs:
    """Read the period's turns (indexed columns), the feedback and the cases (nothing is written).

    ``guard_hits`` also reads every record of the period for the output guard's replacements (not an
    indexed column: each record is decrypted). Pages that do not show that figure pass False.
    """
    from cases.models import CaseFilter

    query = AuditQuery(date_from=period.start, date_to=period.end)
    turns = audit_log.turn_facts(query)
    cases = store.find(CaseFilter(), limit=1_000_000)
    # The output guard's replacements are not an indexed column: read them from the records themselves.
    replaced = None
    if guard_hits:
        replaced = frozenset(
            str(r["audit_id"])
            for r in audit_log.export(query)
            if (r.get("guardrails") or {}).get("output_guard_hits")
        )
    return Inputs(
        turns=turns,
        votes=feedback.answers(),
        ratings=feedback.ratings(),
        case_conversations=frozenset(
            c.conversation for c in cases if c.kind in ("complaint", "callback") and c.conversation
        ),
        wrong_answers={
            c.audit_id: c.article_id or "" for c in cases if c.outcome == "answer_wrong" and c.audit_id
        },
        guard_replaced=replaced,
    )


def _percent(share: Mapping[str, Any] | None) -> str:
    if share is None or share["share"] is None:
        return "–"
    low, high = share["ci95"]
    return f"{share['share']:.1%} ({share['count']} av {share['total']}; 95 % {low:.0%}–{high:.0%})"


def render_text(
    ux: Mapping[str, Any], errors: Mapping[str, Any], saved: Mapping[str, Any] | None = None
) -> str:
    """The figures as plain Swedish lines (the command's default output)."""
    satisfaction = ux["satisfaction"]
    score = "–"
    if satisfaction["mean"] is not None:
        score = f"{satisfaction['mean']:.2f} av 5 (n = {satisfaction['n']})"
        if satisfaction["ci95"]:
            score += f", 95 % {satisfaction['ci95'][0]:.2f}–{satisfaction['ci95'][1]:.2f}"
    lines = [
        f"Period {ux['period']['label']}: {ux['answers']} svar i {ux['conversations']} samtal",
        "Användarupplevelse",
        f"  Hjälpte svaret? ja: {_percent(ux['helpful'])}",
        f"  Nöjdhet: {score}",
        f"  Löstes i chatten (utan människa, klagomål eller ifrågasatt svar): {_percent(ux['containment'])}",
        f"  Utanför kontaktcentrets öppettider: {_percent(ux['after_hours'])}",
        "Felfrekvens",
        f"  Svar som inte hjälpte: {_percent(errors['not_helpful'])}",
        f"  Ifrågasatta svar som var fel: {_percent(errors['contests_upheld'])}",
        f"  Osäkra svar (fallback): {_percent(errors['fallbacks'])}",
        f"  Svar som utgångskontrollen ersatte: {_percent(errors['output_guard'])}",
    ]
    if errors["worst_sources"]:
        lines.append(
            "  Källor med flest fel: "
            + ", ".join(f"{w['source']} ({w['count']})" for w in errors["worst_sources"])
        )
    if saved is not None:
        a = saved["assumptions"]
        lines += [
            "Sparad tid",
            f"  {saved['net_hours']:.1f} timmar netto, {saved['fte']:.2f} heltidstjänster "
            f"({saved['contained_service_conversations']} samtal lösta i chatten, "
            f"{saved['handoffs']} till en människa, {saved['cases']} ärenden)",
            f"  Antaganden: {a['contact_minutes'].get('default')} minuter per kontakt (per ämne i "
            f"municipality.yml), {a['handoff_minutes']} per överlämning, {a['case_minutes']} per ärende, "
            f"{a['fte_hours_per_month']} timmar per heltid och månad",
        ]
    return "\n".join(lines)


def _no_record(audit_id: str) -> dict[str, Any]:
    raise LookupError("the KPI command only reads feedback")


@contextmanager
def open_stores(settings: Any) -> Iterator[tuple[Any, Any, Any]]:
    """(audit log, case store, feedback) as the settings name them, read-only use, closed afterwards."""
    from audit.log import open_audit_log
    from cases.feedback import FeedbackService
    from cases.settings import CasesSettings
    from cases.store import CaseStore

    audit_log = open_audit_log(settings.resolved_audit_url)
    try:
        store = CaseStore.from_settings(CasesSettings(var_dir=settings.var_dir, data_dir=settings.data_dir))
        try:
            yield (
                audit_log,
                store,
                FeedbackService(store.engine, _no_record, contest_token=None, pseudonym=None),
            )
        finally:
            store.close()
    finally:
        audit_log.close()
