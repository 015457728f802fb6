"""The KPIs (``bot.kpi``): periods, intervals, and every figure against a hand count of the same records.

The conversations go through the gateway app (redactor, audit log, feedback and case stores are real;
Rasa is the test double of ``tests/bot/conftest.py``). The hand count reads the full audit records
(``export``), not the indexed columns the KPI code reads, so the two paths check each other.
"""

from __future__ import annotations

import math
import re
from datetime import date

import pytest

from audit.query import AuditQuery
from bot.kpi import (
    Period,
    error_rate,
    gather,
    mean_interval,
    parse_period,
    render_text,
    time_saved,
    user_experience,
    wilson,
)
from bot.settings import PROJECT_ROOT
from content.calendar import OpeningHours
from content.municipality import TimeSavedAssumptions
from tests.cases.conftest import with_token
from tests.municipal_day import municipal_today


@pytest.mark.parametrize(
    ("spec", "start", "end"),
    [
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-W48", date(2026, 11, 23), date(2026, 11, 29)),
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 4)),  # ISO week 1 starts in the year before
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-10-05..2026-10-11", date(2026, 10, 5), date(2026, 10, 11)),
    ],
)
def test_periods(spec, start, end):
    period = parse_period(spec)
    assert (period.start, period.end, period.label) == (start, end, spec)


@pytest.mark.parametrize("spec", ["2026-Q5", "2026-W54", "2026-13", "2026-12-31..2026-01-01", "förra veckan"])
def test_a_period_that_is_none_of_the_forms_names_the_accepted_ones(spec):
    with pytest.raises(ValueError, match="2026-Q4"):
        parse_period(spec)


def test_wilson_interval_known_values():
    low, high = wilson(0, 10)
    assert low == 0.0 and math.isclose(high, 0.2775, abs_tol=1e-4)
    low, high = wilson(73, 100)
    assert math.isclose(low, 0.6357, abs_tol=1e-3) and math.isclose(high, 0.8073, abs_tol=1e-3)
    assert wilson(0, 0) is None


def test_mean_interval_uses_the_t_distribution():
    mean, low, high = mean_interval([4, 5, 3, 4])
    # sd 0.8165, t(0.975, 3) = 3.1824: half-width 1.2993
    assert (
        mean == 4
        and math.isclose(high - mean, 1.2993, abs_tol=1e-3)
        and math.isclose(mean - low, 1.2993, abs_tol=1e-3)
    )
    assert mean_interval([5]) is None


def test_every_figure_matches_a_hand_count_of_the_same_records(case_env, fake_rasa):
    env = case_env
    client = env.client()
    conversations = []
    for i in range(30):
        fake_rasa.intent = "waste_collection"
        # Every tenth conversation the dialogue sends a text that is not approved: the guard replaces it.
        fake_rasa.reply_text = "Ring Lisa direkt på 070-123 45 67." if i % 10 == 3 else None
        first = env.chat(client, f"När hämtas soporna i område {i}?")
        fake_rasa.reply_text = None
        turns = [first]
        if i % 4 == 0:  # the citizen asks for a person
            fake_rasa.intent = "human_handoff"
            turns.append(env.chat(client, "Jag vill prata med en människa", first["conversation_id"]))
        conversations.append(turns)
        if i % 3 != 2:  # two in three vote on the first answer; every fifth of those says no
            helpful = i % 5 != 0
            vote = {"audit_id": first["audit_id"], "helpful": helpful}
            if not helpful:
                vote["reason"] = "outdated"
            assert client.post("/api/feedback", json=with_token(vote)).status_code == 201
        if i % 2 == 0:
            rating = {"audit_id": turns[-1]["audit_id"], "rating": 1 + i % 5}
            assert client.post("/api/feedback", json=with_token(rating)).status_code == 201
        if i % 7 == 0:  # a contest; staff find every other one wrong
            body = {"audit_id": first["audit_id"], "message": "Det stämmer inte."}
            case_id = client.post("/api/cases", json=with_token(body)).json()["case_id"]
            env.service.acknowledge(case_id, "sven")
            env.service.resolve(case_id, "sven", "answer_wrong" if i % 14 == 0 else "answer_correct")
    fake_rasa.intent = "waste_collection"

    today = municipal_today()
    period = Period("test", today, today)
    inputs = gather(env.audit_log, env.store, env.service.feedback, period)
    hours = OpeningHours.load(PROJECT_ROOT / "data")
    ux = user_experience(inputs, period, hours)
    errors = error_rate(inputs, period)

    # --- the hand count, from the full records -------------------------------------------------
    records = list(env.audit_log.export(AuditQuery(date_from=today, date_to=today)))
    assert len(records) == sum(len(turns) for turns in conversations) == ux["answers"] == errors["answers"]
    by_conversation: dict[str, list] = {}
    for record in records:
        by_conversation.setdefault(record["conversation"], []).append(record)
    assert ux["conversations"] == len(by_conversation) == 30
    votes = [i for i in range(30) if i % 3 != 2]
    no_votes = [i for i in votes if i % 5 == 0]
    assert ux["helpful"]["count"] == len(votes) - len(no_votes)
    assert ux["helpful"]["total"] == len(votes)
    ratings = [1 + i % 5 for i in range(30) if i % 2 == 0]
    assert ux["satisfaction"]["n"] == len(ratings)
    assert math.isclose(ux["satisfaction"]["mean"], sum(ratings) / len(ratings))
    contested = {conversations[i][0]["audit_id"] for i in range(30) if i % 7 == 0}
    escalated = set()
    for conversation, turns in by_conversation.items():
        if any(r["nlu"]["intent"] == "human_handoff" for r in turns) or any(
            r["audit_id"] in contested for r in turns
        ):
            escalated.add(conversation)
    assert ux["containment"]["count"] == 30 - len(escalated)
    assert len(escalated) == len({i for i in range(30) if i % 4 == 0 or i % 7 == 0})
    closed = sum(1 for r in records if not hours.state(_at(r["created_at"])).open_now)
    assert ux["after_hours"]["count"] == closed
    assert errors["not_helpful"]["count"] == len(no_votes)
    assert errors["contests_upheld"]["count"] == len([i for i in range(30) if i % 14 == 0])
    assert errors["fallbacks"]["count"] == sum(1 for r in records if r["nlu"]["intent"] == "nlu_fallback")
    replaced = [r for r in records if r["guardrails"]["output_guard_hits"]]
    assert len(replaced) == len([i for i in range(30) if i % 10 == 3])
    assert errors["output_guard"]["count"] == len(replaced)
    source = conversations[0][0]["messages"][0]["source"]["article_id"]
    assert errors["worst_sources"][0] == {
        "source": source,
        "count": len(no_votes) + len([i for i in range(30) if i % 14 == 0]),
    }
    # Every figure links to the audit browser, filtered to the period it was counted from.
    assert (
        ux["containment"]["audit_url"]
        == f"/admin/audit?date_from={today}&date_to={today}&intent=human_handoff"
    )
    assert errors["fallbacks"]["audit_url"].endswith("&fallback=ja")
    # Time saved: contained conversations × 4 minutes (waste collection), minus 8 per hand-off and 25 per
    # contest, with the assumptions given beside the figure.
    assumptions = TimeSavedAssumptions(
        contact_minutes={"default": 6.0, "waste_collection": 4.0}, handoff_minutes=8.0, case_minutes=25.0
    )
    saved = time_saved(inputs, period, assumptions)
    handoffs = len([i for i in range(30) if i % 4 == 0])
    contests = len([i for i in range(30) if i % 7 == 0])
    contained = 30 - len(escalated)
    assert saved["contained_service_conversations"] == contained
    assert saved["handoffs"] == handoffs and saved["cases"] == contests
    assert saved["net_hours"] == pytest.approx((contained * 4 - handoffs * 8 - contests * 25) / 60)
    assert saved["fte"] == pytest.approx(saved["net_hours"] / (140 * (1 / (365.25 / 12))))
    assert saved["assumptions"]["contact_minutes"]["waste_collection"] == 4.0
    text = render_text(ux, errors, saved)
    assert "Hjälpte svaret? ja:" in text and "Löstes i chatten" in text and "Antaganden:" in text


def _at(stamp):
    from datetime import UTC, datetime

    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_the_command_prints_the_figures_of_the_stores_it_is_configured_with(case_env, monkeypatch, capsys):
    from bot.kpi.__main__ import main

    client = case_env.client()
    answer = case_env.chat(client, "När hämtas soporna?")
    vote = {"audit_id": answer["audit_id"], "helpful": True}
    assert client.post("/api/feedback", json=with_token(vote)).status_code == 201
    monkeypatch.setenv("KOMMUNSVAR_VAR_DIR", str(case_env.tmp))
    monkeypatch.setenv("KOMMUNSVAR_AUDIT_DATABASE_URL", f"sqlite:///{case_env.tmp / 'audit.db'}")
    monkeypatch.setenv("KOMMUNSVAR_CASES_DATABASE_URL", f"sqlite:///{case_env.tmp / 'cases.db'}")
    monkeypatch.setenv("KOMMUNSVAR_CASES_KEY_PATH", str(case_env.tmp / "keys" / "case.key"))
    today = municipal_today().isoformat()
    assert main(["--period", f"{today}..{today}", "--json"]) == 0
    import json

    figures = json.loads(capsys.readouterr().out)
    assert figures["user_experience"]["answers"] == 1
    assert figures["user_experience"]["helpful"]["count"] == 1
    assert main(["--period", "förra veckan"]) == 2
    assert "2026-Q4" in capsys.readouterr().err


def test_the_dashboard_shows_each_figure_with_its_status_and_trend_charts(case_env, monkeypatch):
    from bot.admin.service import AdminConsole
    from tests.cases.conftest import USERS, login

    case_env.app.state.admin = AdminConsole.build(case_env.audit_log, PROJECT_ROOT / "data")
    client = case_env.client()
    for i in range(6):
        answer = case_env.chat(client, f"När hämtas soporna {i}?")
        vote = {"audit_id": answer["audit_id"], "helpful": i < 2}  # 2 of 6 helpful: below the red line
        assert client.post("/api/feedback", json=with_token(vote)).status_code == 201
    monkeypatch.setenv("KOMMUNSVAR_KPI_HELPFUL_RED", "0.5")
    staff = case_env.client()
    assert staff.get("/admin/kpi", follow_redirects=False).status_code in (303, 401)  # login first
    login(staff, USERS["staff"])
    assert staff.get("/admin/kpi").status_code == 403  # staff handle cases; KPIs are for admin and auditors
    auditor = case_env.client()
    login(auditor, USERS["auditor"])
    today = municipal_today().isoformat()
    page = auditor.get(f"/admin/kpi?period={today}..{today}")
    assert page.status_code == 200, page.text
    html = page.text
    row = re.search(r"Svar som hjälpte.*?</tr>", html, re.S).group(0)
    assert "33,3 %" in row and "2 av 6" in row and "Åtgärda" in row and "status--red" in row
    assert f"/admin/audit?date_from={today}&amp;date_to={today}" in row  # traceable to its records
    assert html.count("<svg") == 2 and "Andel svar som hjälpte, per vecka (%)" in html
    assert "Nyckeltal" in html and "heltidstjänster" in html and "Antagandena bakom talet" in html
    bad = auditor.get("/admin/kpi?period=igår")
    assert bad.status_code == 422 and "ingen period som går att läsa" in bad.text
    entries = case_env.audit_log.access_entries() if hasattr(case_env.audit_log, "access_entries") else None
    assert entries is None or any(e["action"] == "view_kpi" for e in entries)
