"""The weekly KPI report: HTML and PDF from the same figures; the PDF is rendered to an image."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bot.kpi import parse_period
from bot.kpi.report import weekly_data, write_report
from bot.settings import PROJECT_ROOT, Settings
from tests.cases.conftest import with_token
from tests.municipal_day import municipal_today


def _this_week():
    iso = municipal_today().isocalendar()
    return parse_period(f"{iso.year}-W{iso.week:02d}")


def _with_votes(env, helpful_flags):
    client = env.client()
    for i, helpful in enumerate(helpful_flags):
        answer = env.chat(client, f"När hämtas soporna {i}?")
        vote = {"audit_id": answer["audit_id"], "helpful": helpful}
        if not helpful:
            vote["reason"] = "wrong"
        assert client.post("/api/feedback", json=with_token(vote)).status_code == 201
    return client


def test_the_weekly_report_as_html_and_a_pdf_that_renders(case_env, tmp_path):
    _with_votes(case_env, [True, True, True, False])
    settings = Settings(var_dir=case_env.tmp, data_dir=PROJECT_ROOT / "data")
    week = _this_week()
    data = weekly_data(case_env.audit_log, case_env.store, case_env.service.feedback, settings, week)
    assert data["ux"]["helpful"]["count"] == 3 and data["ux"]["helpful"]["total"] == 4
    assert len(data["trend"]) == 12 and data["trend"][-1].votes == 4
    assert data["trend"][-1].helpful == pytest.approx(0.75)
    html_path, pdf_path = write_report(data, tmp_path / "reports")
    html = html_path.read_text(encoding="utf-8")
    assert f"veckorapport {week.label}" in html and "75,0 % (3 av 4)" in html
    assert '<html lang="sv">' in html and html.count("<svg") == 2
    assert "Sparad tid" in html and "antaganden" in html
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (make browser-deps installs poppler-utils)")
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf_path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 2  # the figures, then the trend charts
    from PIL import Image

    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(1 for value in image.getdata() if value < 128)
        assert dark > 500, f"{page.name} looks blank"  # text and bars were drawn


def test_the_report_command_writes_both_files_and_refuses_what_is_not_a_week(case_env, monkeypatch, capsys):
    from bot.kpi.__main__ import main

    _with_votes(case_env, [True])
    monkeypatch.setenv("KOMMUNSVAR_VAR_DIR", str(case_env.tmp))
    monkeypatch.setenv("KOMMUNSVAR_AUDIT_DATABASE_URL", f"sqlite:///{case_env.tmp / 'audit.db'}")
    monkeypatch.setenv("KOMMUNSVAR_CASES_DATABASE_URL", f"sqlite:///{case_env.tmp / 'cases.db'}")
    monkeypatch.setenv("KOMMUNSVAR_CASES_KEY_PATH", str(case_env.tmp / "keys" / "case.key"))
    week = _this_week()
    assert main(["report", "--week", week.label]) == 0
    written = capsys.readouterr().out.split()
    assert written[0].endswith(f"kommunsvar-{week.label}.html") and written[1].endswith(".pdf")
    assert main(["report", "--week", "2026-Q4"]) == 2
    assert "ISO week" in capsys.readouterr().err
    assert main(["report", "--week", week.label, "--mail"]) == 1  # nobody to mail, and no SMTP
    assert "not mailed" in capsys.readouterr().err
