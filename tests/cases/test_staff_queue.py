"""The staff queue: who may see cases, every transition (with who and when), errors, outbox, review."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest


def _post(client, path, data=None):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff/cases").text).group(1)
    return client.post(path, data={"csrf_token": token, **(data or {})}, follow_redirects=False)


def _actions(env, case_id):
    return [(e.actor, e.action, e.detail) for e in env.store.events(case_id)]


@pytest.mark.parametrize(("user", "status"), [("staff", 200), ("admin", 200), ("auditor", 403)])
def test_only_staff_and_admins_see_the_queue(case_env, staff_client, new_case, user, status):
    case_id = new_case()
    client = staff_client(user)
    assert client.get("/staff/cases").status_code == status
    assert client.get(f"/staff/cases/{case_id}").status_code == status


def test_queue_lists_cases_with_deadlines_and_overdue_flags(case_env, staff_client, new_case):
    case_id = new_case()
    client = staff_client()
    page = client.get("/staff/cases")
    assert case_id in page.text
    assert "4 mars 2026" in page.text and "16 mars 2026" in page.text
    assert "Försenad" not in page.text
    case_env.clock.now = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)  # Thursday: acknowledgement is late
    late = client.get("/staff/cases?overdue=1")
    assert case_id in late.text and "Försenad" in late.text
    case_env.clock.now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert case_id not in client.get("/staff/cases?overdue=1").text


def test_queue_filters(case_env, staff_client, new_case):
    first, second = new_case(), new_case()
    client = staff_client()
    assert _post(client, f"/staff/cases/{first}/reassign", {"assignee": "sven"}).status_code == 303
    mine = client.get("/staff/cases?assignee=mine").text
    assert first in mine and second not in mine
    unassigned = client.get("/staff/cases?assignee=none").text
    assert second in unassigned and first not in unassigned
    assert first not in client.get("/staff/cases?kind=complaint").text
    assert first in client.get("/staff/cases?kind=contest").text


def test_case_view_shows_message_record_explanation_and_transcript(case_env, staff_client, new_case):
    case_id = new_case(message="Mitt personnummer är 811218-9876 och svaret var fel")
    client = staff_client()
    page = client.get(f"/staff/cases/{case_id}")
    assert page.status_code == 200
    case = case_env.store.get(case_id)
    assert case.audit_id in page.text
    assert "Förklaring av svaret" in page.text
    assert "Boten tolkade frågan som" in page.text  # audit.explain
    assert "När hämtas soporna?" in page.text  # the redacted transcript
    assert "811218" not in page.text and "&lt;PERSONNUMMER_1&gt; och svaret var fel" in page.text
    from audit.query import access_entries

    assert any(
        e["action"] == "case_view" and e["target"] == case_id for e in access_entries(case_env.audit_log)
    )


def test_every_transition_is_recorded_with_who_and_when(case_env, staff_client, new_case):
    case_id = new_case(contact={"email": "kalle@example.org"})
    sven, stina = staff_client("staff"), staff_client("staff2")
    assert (
        _post(sven, f"/staff/cases/{case_id}/acknowledge").headers["location"].endswith("done=acknowledged")
    )
    assert case_env.store.get(case_id).status == "acknowledged"
    assert _post(sven, f"/staff/cases/{case_id}/reassign", {"assignee": "stina"}).status_code == 303
    assert case_env.store.get(case_id).assignee == "stina"
    assert _post(stina, f"/staff/cases/{case_id}/reply", {"body": "Hej! Du har rätt."}).status_code == 303
    assert case_env.store.get(case_id).status == "replied"
    assert _post(stina, f"/staff/cases/{case_id}/resolve", {"outcome": "answer_wrong"}).status_code == 303
    case = case_env.store.get(case_id)
    assert case.status == "resolved" and case.outcome == "answer_wrong"
    actions = _actions(case_env, case_id)
    assert [(a, b) for a, b, _ in actions if b != "contact_used"] == [
        ("citizen", "created"),
        ("sven", "acknowledged"),
        ("sven", "reassigned"),
        ("stina", "replied"),
        ("stina", "outbox_sent"),
        ("stina", "resolved"),
    ]
    assert ("stina", "contact_used", {"purpose": "reply"}) in actions
    assert all(e.at.endswith("Z") for e in case_env.store.events(case_id))
    # The reply went out by (fake) SMTP to the decrypted address; the page shows the history.
    assert case_env.service.mailer.sent[0][0] == "kalle@example.org"
    assert case_id in case_env.service.mailer.sent[0][1]
    page = sven.get(f"/staff/cases/{case_id}").text
    assert "Svaret var fel" in page and "stina" in page and "Hej! Du har rätt." in page


def test_reply_to_a_new_case_acknowledges_it(case_env, staff_client, new_case):
    case_id = new_case()
    client = staff_client()
    assert _post(client, f"/staff/cases/{case_id}/reply", {"body": "Tack för synpunkten."}).status_code == 303
    case = case_env.store.get(case_id)
    assert case.status == "replied" and case.acknowledged_at is not None
    assert [a for _, a, _ in _actions(case_env, case_id)] == ["created", "acknowledged", "replied"]
    assert case_env.store.outbox() == []  # anonymous: nothing to send


def test_without_smtp_the_reply_waits_in_the_outbox(case_env, staff_client, new_case):
    from cases.mailer import OutboxOnly

    case_env.service.mailer = OutboxOnly()
    case_id = new_case(contact={"phone": "070-123 45 67"})
    client = staff_client()
    _post(client, f"/staff/cases/{case_id}/reply", {"body": "Vi ringer dig."})
    [item] = case_env.store.outbox()
    assert item.status == "stored" and item.channel == "phone" and item.recipient == "+46701234567"
    page = client.get("/staff/outbox").text
    assert "070-123 45 67" in page and "Markera som uppringd" in page
    assert _post(client, f"/staff/outbox/{item.id}", {"step": "sent"}).status_code == 303
    assert case_env.store.outbox_item(item.id).status == "sent"
    assert "outbox_sent" in [a for _, a, _ in _actions(case_env, case_id)]


def test_smtp_failure_is_recorded_and_can_be_retried(case_env, staff_client, new_case):
    case_env.service.mailer.fail = True
    case_id = new_case(contact={"email": "eva@example.org"})
    client = staff_client()
    _post(client, f"/staff/cases/{case_id}/reply", {"body": "Svar"})
    [item] = case_env.store.outbox()
    assert item.status == "failed" and item.error == "ConnectionRefusedError"
    case_env.service.mailer.fail = False
    assert _post(client, f"/staff/outbox/{item.id}", {"step": "retry"}).status_code == 303
    assert case_env.store.outbox_item(item.id).status == "sent"


@pytest.mark.parametrize(
    ("steps", "path", "data", "status"),
    [
        (["acknowledge"], "acknowledge", {}, 409),
        (["resolve"], "acknowledge", {}, 409),
        (["resolve"], "reply", {"body": "x"}, 409),
        (["resolve"], "reassign", {"assignee": "sven"}, 409),
        (["resolve"], "resolve", {"outcome": "other"}, 409),
        ([], "resolve", {"outcome": "maybe"}, 409),
        ([], "resolve", {}, 409),
        ([], "reply", {"body": "   "}, 422),
        ([], "reassign", {"assignee": "<script>"}, 409),
        ([], "reassign", {"assignee": "greta"}, 409),  # an auditor, not staff
        ([], "reassign", {"assignee": "nobody"}, 409),
    ],
)
def test_steps_that_do_not_fit_are_refused(case_env, staff_client, new_case, steps, path, data, status):
    case_id = new_case()
    client = staff_client()
    for step in steps:
        extra = {"outcome": "other"} if step == "resolve" else {}
        assert _post(client, f"/staff/cases/{case_id}/{step}", extra).status_code == 303
    before = len(case_env.store.events(case_id))
    assert _post(client, f"/staff/cases/{case_id}/{path}", data).status_code == status
    assert len(case_env.store.events(case_id)) == before


def test_unknown_case_is_404_and_csrf_is_required(case_env, staff_client, new_case):
    client = staff_client()
    assert client.get("/staff/cases/KS-2026-999999").status_code == 404
    assert _post(client, "/staff/cases/KS-2026-999999/acknowledge").status_code == 404
    case_id = new_case()
    no_token = client.post(f"/staff/cases/{case_id}/acknowledge", follow_redirects=False)
    assert no_token.status_code == 403
    assert case_env.store.get(case_id).status == "new"


def test_show_contact_is_logged_as_an_event(case_env, staff_client, new_case):
    case_id = new_case(contact={"email": "kontakt@example.org"})
    client = staff_client()
    assert "kontakt@example.org" not in client.get(f"/staff/cases/{case_id}").text
    page = _post(client, f"/staff/cases/{case_id}/contact")
    assert page.status_code == 200 and "kontakt@example.org" in page.text
    assert ("sven", "contact_used", {"purpose": "view"}) in _actions(case_env, case_id)


def test_wrong_answers_go_to_content_review_and_kpis(case_env, staff_client, new_case):
    wrong1, wrong2, right = new_case(), new_case(), new_case()
    client = staff_client()
    for case_id, outcome in ((wrong1, "answer_wrong"), (wrong2, "answer_wrong"), (right, "answer_correct")):
        _post(client, f"/staff/cases/{case_id}/resolve", {"outcome": outcome})
    case = case_env.store.get(wrong1)
    page = client.get("/staff/content-review")
    assert page.status_code == 200
    assert (
        case.article_id in page.text
        and wrong1 in page.text
        and wrong2 in page.text
        and right not in page.text
    )
    assert 'id="kpi-wrong">2<' in page.text
    other_owner = client.get("/staff/content-review", params={"owner": "Nobody"})
    assert wrong1 not in other_owner.text
    kpis = client.get("/api/staff/case-kpis").json()
    assert kpis["resolved"] == {"answer_correct": 1, "answer_wrong": 2, "other": 0}
    assert kpis["answers_resolved_wrong"] == 2
    assert kpis["contested_error_rate"] == pytest.approx(0.6667)
    assert len(case_env.store.events(wrong1)) == 2


def test_resolving_shortens_the_contact_retention_and_purge_deletes_it(case_env, staff_client, new_case):
    from cases import retention

    case_id = new_case(contact={"email": "kort@example.org"})
    assert case_env.store.get(case_id).contact_expires_at.startswith("2026-05-31")
    client = staff_client()
    _post(client, f"/staff/cases/{case_id}/resolve", {"outcome": "other"})
    assert case_env.store.get(case_id).contact_expires_at.startswith("2026-04-01")  # 30 days
    assert retention.purge(case_env.store, datetime(2026, 3, 31, tzinfo=UTC)).contacts_deleted == 0
    report = retention.purge(case_env.store, datetime(2026, 4, 2, tzinfo=UTC))
    assert report.contacts_deleted == 1
    case = case_env.store.get(case_id)
    assert not case.has_contact and case.contact_deleted_at
    assert case_env.store.contact(case_id, "sven", "view") is None
    report = retention.purge(case_env.store, datetime(2028, 4, 2, tzinfo=UTC))
    assert report.contents_deleted == 1 and case_env.store.get(case_id).message_redacted is None


def test_every_reveal_of_a_recipient_in_the_outbox_is_an_event_of_its_case(case_env, staff_client, new_case):
    from cases.mailer import OutboxOnly

    case_env.service.mailer = OutboxOnly()
    case_id = new_case(contact={"phone": "070-123 45 67"})
    client = staff_client()
    _post(client, f"/staff/cases/{case_id}/reply", {"body": "Vi ringer dig."})
    before = _actions(case_env, case_id).count(("sven", "contact_used", {"purpose": "outbox"}))
    assert "070-123 45 67" in client.get("/staff/outbox").text
    assert "070-123 45 67" not in client.get(f"/staff/cases/{case_id}").text  # subjects and states only
    after = _actions(case_env, case_id).count(("sven", "contact_used", {"purpose": "outbox"}))
    assert after == before + 1


def test_a_view_that_cannot_be_logged_is_not_shown(case_env, staff_client, new_case):
    from audit.errors import AuditStoreUnavailable

    case_id = new_case(contact={"phone": "070-123 45 67"})
    client = staff_client()

    def broken(*_args, **_kwargs):
        raise AuditStoreUnavailable("the access log cannot be written")

    case_env.audit_log.log_access = broken
    for path in (f"/staff/cases/{case_id}", "/staff/outbox"):
        response = client.get(path)
        assert response.status_code == 503, path
        assert "070-123" not in response.text and case_id not in response.text
