"""Swedish labels and row shapes for the staff pages (kept out of the routes and templates)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from audit.explain import explain, swedish_date
from cases.models import Case, CaseEvent

STATUS_LABELS = {"new": "Ny", "acknowledged": "Bekräftad", "replied": "Besvarad", "resolved": "Avslutad"}
KIND_LABELS = {
    "contest": "Ifrågasatt svar",
    "complaint": "Klagomål",
    "callback": "Vill bli kontaktad",
    "accessibility": "Tillgänglighet",
}
OUTCOME_LABELS = {
    "answer_correct": "Svaret var rätt",
    "answer_wrong": "Svaret var fel",
    "other": "Annat",
}
CONTACT_LABELS = {"email": "e-post", "phone": "telefon"}


def outcome_labels(kind: str) -> dict[str, str]:
    """The outcomes staff may choose for a case of ``kind``: only cases about an answer judge it."""
    if kind == "accessibility":
        return {"other": OUTCOME_LABELS["other"]}
    return OUTCOME_LABELS


ACTION_LABELS = {
    "created": "Ärendet skapades",
    "acknowledged": "Bekräftat",
    "replied": "Svar sparat",
    "reassigned": "Ny handläggare",
    "resolved": "Avslutat",
    "contact_used": "Kontaktuppgiften lästes",
    "contact_deleted": "Kontaktuppgiften raderades (gallring)",
    "content_deleted": "Texten raderades (gallring)",
    "vault_use": "Kontaktuppgift hämtad ur chattens tillfälliga förvaring",
    "outbox_sent": "Meddelandet skickat",
    "outbox_failed": "Meddelandet kunde inte skickas",
}
PURPOSE_LABELS = {"reply": "för att svara", "view": "visades", "case_contact": "för ärendets kontaktuppgift"}


def _day(value: date) -> str:
    return swedish_date(value.isoformat())


def case_row(case: Case, today: date) -> dict[str, Any]:
    """A case as the templates show it, with its flags computed for ``today``."""
    return {
        "case_id": case.case_id,
        "kind": KIND_LABELS.get(case.kind, case.kind),
        "kind_code": case.kind,
        "status": STATUS_LABELS.get(case.status, case.status),
        "status_code": case.status,
        "created": swedish_date(case.created_at, with_time=True),
        "ack_deadline": _day(case.ack_deadline),
        "reply_deadline": _day(case.reply_deadline),
        "ack_overdue": case.ack_overdue(today),
        "reply_overdue": case.reply_overdue(today),
        "assignee": case.assignee,
        "outcome": OUTCOME_LABELS.get(case.outcome or "", None),
        "topic": case.topic,
        "audit_id": case.audit_id,
        "linked_audit_ids": case.linked_audit_ids,
        "article_id": case.article_id,
        "article_version": case.article_version,
        "article_owner": case.article_owner,
        "message": case.message_redacted,
        "pii_counts": case.pii_counts,
        "contact_type": CONTACT_LABELS.get(case.contact_type or "", None),
        "has_contact": case.has_contact,
        "contact_deleted": case.contact_deleted_at is not None,
        "contact_expires": swedish_date(case.contact_expires_at) if case.contact_expires_at else None,
        "open": case.status != "resolved",
        "can_acknowledge": case.status == "new",
    }


def event_rows(events: list[CaseEvent]) -> list[dict[str, Any]]:
    """The case history in Swedish (detail values are codes chosen by the code, never citizen text)."""
    rows = []
    for event in events:
        detail = event.detail
        note = ""
        if event.action == "resolved":
            note = OUTCOME_LABELS.get(str(detail.get("outcome")), "")
        elif event.action == "reassigned":
            note = f"till {detail.get('assignee')}" if detail.get("assignee") else "till ingen"
        elif event.action in ("contact_used", "vault_use"):
            note = PURPOSE_LABELS.get(str(detail.get("purpose")), str(detail.get("purpose", "")))
        elif event.action == "created":
            note = KIND_LABELS.get(str(detail.get("kind")), "")
        elif event.action == "outbox_failed":
            note = str(detail.get("error") or "")
        rows.append(
            {
                "at": swedish_date(event.at, with_time=True),
                "at_iso": event.at,
                "actor": event.actor,
                "action": ACTION_LABELS.get(event.action, event.action),
                "note": note,
            }
        )
    return rows


def explain_record(record: dict[str, Any] | None) -> str | None:
    """The plain-Swedish explanation of the linked answer (None when there is no record)."""
    if not record:
        return None
    try:
        return explain(record)
    except (KeyError, TypeError, ValueError):
        return None


def format_stamp(value: str | None) -> str:
    """A stored UTC timestamp as Swedish local date and time."""
    if not value:
        return ""
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    return swedish_date(value, with_time=True)
