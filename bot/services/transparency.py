"""The public account of the AI (``/om-tjansten``), its register entry and the KPIs as open data.

All generated from configuration and data so that they are always current (``/about-the-service`` in
English, ``/om-tjansten/register.json``, ``/oppna-data/nyckeltal.json`` and ``.csv``).

Nothing here shows personal data: only configuration, content metadata and aggregates. Aggregates over
fewer than :data:`MIN_CELL` observations are suppressed (shown as ``null`` / "för få"), so that no small
group of conversations can be singled out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from audit.settings import AuditSettings
from bot.kpi import Period, error_rate, gather, user_experience, weeks
from bot.settings import Settings
from cases.settings import CasesSettings
from content.calendar import OpeningHours
from content.knowledge import KnowledgeBase
from content.municipality import load_municipality
from content.policy import AnswerPolicy
from guardrails.settings import GuardrailSettings

MIN_CELL = 5  # k: aggregates over fewer observations are not published
OPEN_DATA_WEEKS = 26
KPI_DAYS = 90
LICENCE = {
    "id": "CC0-1.0",
    "name": "Creative Commons Zero 1.0",
    "url": "https://creativecommons.org/publicdomain/zero/1.0/",
}
_TZ = ZoneInfo("Europe/Stockholm")

# What the bot never does (the policy's forbidden list, in plain words).
NEVER = {
    "sv": {
        "decision": "Beslut i ditt ärende",
        "eligibility_assessment": "Bedömningar av om du har rätt till stöd, bidrag eller tillstånd",
        "amount_calculation": "Beräkningar av belopp du kan få",
        "case_advice": "Råd om hur just ditt ärende ska drivas",
    },
    "en": {
        "decision": "make decisions in your case",
        "eligibility_assessment": "assess whether you are entitled to support, benefits or permits",
        "amount_calculation": "calculate amounts you might receive",
        "case_advice": "advise on how to pursue your particular case",
    },
}
REDACTED_TYPES = {
    "sv": ["personnummer och samordningsnummer", "namn", "telefonnummer", "adresser", "e-postadresser",
           "bankkonton, bankgiro, plusgiro, IBAN och kortnummer"],
    "en": ["personal identity and coordination numbers", "names", "phone numbers", "addresses",
           "e-mail addresses", "bank accounts, bankgiro, plusgiro, IBAN and card numbers"],
}  # fmt: skip


RISKS = (
    ("a wrong answer", "approved content only, an honest 'no answer', a contest on every answer"),
    ("an emergency answered as routine", "a safety check before the dialogue; 112 first"),
    ("personal data stored", "redaction before anything is logged or stored"),
    ("an assessment of a citizen's case", "detected; general information and a person instead"),
)


@dataclass(frozen=True)
class Retention:
    """How long each store keeps what, in days (from the settings the services run with)."""

    audit_content_days: int | None
    audit_metadata_days: int | None
    tracker_days: float
    vault_minutes: float
    case_contact_days: int
    case_text_days_after_resolution: int


def retention(settings: Settings) -> Retention:
    """The retention the running configuration applies (conversation records, tracker, vault, cases)."""
    audit = AuditSettings()
    conversation = audit.retention_classes.get("conversation")
    cases = CasesSettings(var_dir=settings.var_dir, data_dir=settings.data_dir)
    return Retention(
        audit_content_days=conversation.content_days if conversation else None,
        audit_metadata_days=conversation.metadata_days if conversation else None,
        tracker_days=audit.tracker_retention_days,
        vault_minutes=GuardrailSettings().vault_ttl_seconds / 60,
        case_contact_days=cases.contact_retention_days,
        case_text_days_after_resolution=cases.content_days_after_resolution,
    )


def suppressed(share: dict[str, Any]) -> dict[str, Any]:
    """A share as published: ``null`` (and ``suppressed: true``) when its base is under :data:`MIN_CELL`."""
    small = share["total"] < MIN_CELL
    return {
        "share": None if small else share["share"],
        "ci95": None if small else share["ci95"],
        "base": share["total"],
        "suppressed": small,
    }


def live_kpis(audit_log: Any, store: Any, feedback: Any, settings: Settings, today: date) -> dict[str, Any]:
    """The last :data:`KPI_DAYS` days' KPIs, aggregated and suppressed for publication."""
    period = Period(f"{KPI_DAYS} dagar", today - timedelta(days=KPI_DAYS - 1), today)
    inputs = gather(audit_log, store, feedback, period, guard_hits=False)
    ux = user_experience(inputs, period, OpeningHours.load(settings.data_dir))
    errors = error_rate(inputs, period)
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "answers": ux["answers"],
        "conversations": ux["conversations"],
        "helpful": suppressed(ux["helpful"]),
        "containment": suppressed(ux["containment"]),
        "fallbacks": suppressed(errors["fallbacks"]),
        "satisfaction": {
            "mean": ux["satisfaction"]["mean"] if ux["satisfaction"]["n"] >= MIN_CELL else None,
            "base": ux["satisfaction"]["n"],
            "suppressed": ux["satisfaction"]["n"] < MIN_CELL,
        },
    }


def content_review(settings: Settings, today: date) -> dict[str, Any]:
    """How current the approved articles are: count, oldest and newest review, overdue ones."""
    kb = KnowledgeBase.load(settings.data_dir)
    reviewed = sorted(a.last_reviewed for a in kb.articles.values())
    overdue = sum(1 for a in kb.articles.values() if a.is_stale(today, kb.review_period_days))
    return {
        "articles": len(reviewed),
        "oldest_review": reviewed[0].isoformat() if reviewed else None,
        "newest_review": reviewed[-1].isoformat() if reviewed else None,
        "review_period_days": kb.review_period_days,
        "overdue": overdue,
    }


def public_account(
    audit_log: Any, store: Any, feedback: Any, settings: Settings, language: str, now: datetime | None = None
) -> dict[str, Any]:
    """Everything ``/om-tjansten`` shows, in ``language`` (sv or en)."""
    now = now or datetime.now(_TZ)
    municipality = load_municipality(settings.data_dir)
    policy = AnswerPolicy.load(settings.data_dir)
    raw_policy = yaml.safe_load((settings.data_dir / "policy.yml").read_text(encoding="utf-8")) or {}
    codes = (raw_policy.get("high_risk") or {}).get("forbidden") or list(NEVER[language])
    cases = CasesSettings(var_dir=settings.var_dir, data_dir=settings.data_dir)
    forbidden = [NEVER[language].get(str(code), str(code)) for code in codes]
    return {
        "language": language,
        "generated": now.isoformat(timespec="minutes"),
        "municipality": {
            "name": municipality.name.get(language) or municipality.display_name,
            "org_number": municipality.org_number,
            "phone": municipality.switchboard,
            "email": municipality.email,
            "website": municipality.website,
        },
        "code_version": settings.code_version,
        "retention": retention(settings),
        "redacted_types": REDACTED_TYPES[language],
        "never": forbidden,
        "high_risk_topics": sorted(policy.high_risk_topics),
        "response_days": {"acknowledge": cases.ack_working_days, "reply": cases.reply_working_days},
        "kpis": live_kpis(audit_log, store, feedback, settings, now.date()),
        "content": content_review(settings, now.date()),
        "min_cell": MIN_CELL,
    }


def register_entry(account: dict[str, Any]) -> dict[str, Any]:
    """The account as a public AI-register record.

    Field names follow the Helsinki/Amsterdam AI register and the UK Algorithmic Transparency Recording
    Standard (tier 1 and the parts of tier 2 that this service can fill in from its configuration).
    """
    m, r, k = account["municipality"], account["retention"], account["kpis"]
    return {
        "schema": "kommunsvar-ai-register/1 (fields after the Helsinki AI register and UK ATRS)",
        "name": "Kommunsvar",
        "organisation": {"name": m["name"], "identifier": m["org_number"], "website": m["website"]},
        "contact": {"phone": m["phone"], "email": m["email"]},
        "status": "in_use",
        "description": (
            "A chatbot on the municipality's website that answers citizens' questions from approved "
            "articles and the municipality's own web pages. It never makes decisions or assesses anyone's "
            "case, puts 112 first in emergencies and offers a person when unsure."
        ),
        "purpose": "General information about municipal services, around the clock, in Swedish and English.",
        "human_oversight": (
            "Staff review the audit trail and KPIs; every answer carries an ID that citizens can contest; "
            "contests are answered by staff within the stated response times."
        ),
        "decision_making": "none: information only, never a decision or assessment",
        "data": {
            "input": "the citizen's message",
            "personal_data_removed_before_storage": account["redacted_types"],
            "retention_days": {
                "answer_record_content": r.audit_content_days,
                "answer_record_skeleton": r.audit_metadata_days,
                "dialogue_tracker": r.tracker_days,
                "case_contact": r.case_contact_days,
            },
            "vault_minutes": r.vault_minutes,
        },
        "model": {
            "dialogue": "Rasa Open Source 3.6 (NLU and dialogue policies trained on the municipality's data)",
            "retrieval": "multilingual e5-small sentence embeddings with character n-grams, run locally",
            "personal_data_detection": "Microsoft Presidio with Swedish recognizers and a Swedish NER model",
            "generative_model": None,
            "code_version": account["code_version"],
        },
        "performance": {
            "period": k["period"],
            "answers": k["answers"],
            "helpful_share": k["helpful"]["share"],
            "containment_share": k["containment"]["share"],
            "fallback_share": k["fallbacks"]["share"],
            "small_cells_suppressed_below": account["min_cell"],
        },
        "risks_and_mitigations": [{"risk": risk, "mitigation": how} for risk, how in RISKS],
        "content": account["content"],
        "last_updated": account["generated"],
        "licence": LICENCE,
    }


def open_data_rows(
    audit_log: Any, store: Any, feedback: Any, settings: Settings, today: date
) -> list[dict[str, Any]]:
    """The weekly KPI series of the last :data:`OPEN_DATA_WEEKS` full and current ISO weeks."""
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=OPEN_DATA_WEEKS - 1)
    everything = gather(audit_log, store, feedback, Period("open data", monday, today), guard_hits=False)
    hours = OpeningHours.load(settings.data_dir)
    rows = []
    for week in weeks(monday, today):
        inputs = everything.within(week.start, week.end)
        ux = user_experience(inputs, week, hours)
        errors = error_rate(inputs, week)
        helpful, contained, fallbacks = (
            suppressed(ux["helpful"]),
            suppressed(ux["containment"]),
            suppressed(errors["fallbacks"]),
        )
        small = ux["answers"] < MIN_CELL
        rows.append(
            {
                "week": week.label,
                "start": week.start.isoformat(),
                "answers": None if small else ux["answers"],
                "conversations": None if ux["conversations"] < MIN_CELL else ux["conversations"],
                "helpful_share": _round(helpful["share"]),
                "helpful_votes": None if helpful["suppressed"] else helpful["base"],
                "containment_share": _round(contained["share"]),
                "fallback_share": _round(fallbacks["share"]),
            }
        )
    return rows


def open_data_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV (UTF-8, comma, suppressed cells empty)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["week"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
