"""The DPIA starting document (``python -m bot.governance dossier``): facts from this installation."""

from __future__ import annotations

import json

from bot.governance import main


def test_the_dossier_states_this_installations_facts_and_marks_what_the_municipality_decides(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("KOMMUNSVAR_VAR_DIR", str(tmp_path))
    monkeypatch.setenv(
        "KOMMUNSVAR_AUDIT_RETENTION_CLASSES", json.dumps({"conversation": {"content_days": 45}})
    )
    (tmp_path / "eval").mkdir()
    (tmp_path / "eval" / "safety.json").write_text(
        json.dumps({"safety_blind.yml": {"emergency_112_first": 1.0, "emergency_recall": 0.9,
                                         "assessment_handled": 0.97, "ordinary_flagged_urgent": 0.0}}),
        encoding="utf-8",
    )  # fmt: skip
    out = tmp_path / "dossier.md"
    assert main(["dossier", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Underlag för konsekvensbedömning: Kommunsvar hos Exempelstad kommun")
    assert "212000-9994" in text
    assert (
        "| svarsloggen, innehåll | rensad fråga och svar, krypterat per samtal | 45 dagar |" in text
    )  # settings
    assert "| safety_blind.yml | 100,0 % | 90,0 % | 97,0 % | 0,0 % |" in text  # the measured figures
    assert "Personuppgifter: inte mätt på den här installationen. Kör `make eval-pii`." in text
    assert "Ekonomiskt bistånd och socialtjänst (`social_assistance`)" in text  # high-risk topics, labelled
    assert "bedömningar av om du har rätt till stöd" in text
    assert text.count("**Att fylla i av kommunen.**") >= 5
    assert "{{" not in text and "{%" not in text
