"""A starting document for the DPIA and fundamental-rights assessment (``python -m bot.governance dossier``).

The municipality's data protection officer should start from facts, not a blank page. The dossier is
written from what this installation actually runs: the data flow, the personal data types the redactor
removes and where, the retention each store applies (the running settings), the latest measured privacy
and safety figures (``var/eval/*.json``, written by ``make eval-pii`` and ``make eval-safety``), the
high-risk topics and their policy, the oversight roles and how many users hold each, and the citizen's
rights in the service. What only the municipality can decide (legal basis, the purpose's wording, the
risk owner) is marked "Att fylla i". Swedish, Markdown, written to ``var/governance/``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.services.transparency import MIN_CELL, NEVER, REDACTED_TYPES, retention
from bot.settings import Settings, get_settings
from cases.settings import CasesSettings
from content.municipality import load_municipality
from content.topics import load_topics

_TZ = ZoneInfo("Europe/Stockholm")
TO_FILL = "**Att fylla i av kommunen.**"
ROLE_DUTIES = {
    "admin": "förvaltar tjänsten: användare, innehåll, inställningar; ser svarsloggen och åtkomstloggen",
    "auditor": "granskar svarsloggen, nyckeltalen och loggens oföränderlighet; ändrar inget",
    "staff": "handlägger ifrågasatta svar, klagomål och återuppringningar",
}


def _measured(var_dir: Path) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The latest privacy and safety figures on this installation (None where never measured)."""
    pii = safety = None
    pii_path, safety_path = var_dir / "eval" / "pii.json", var_dir / "eval" / "safety.json"
    if pii_path.is_file():
        data = json.loads(pii_path.read_text(encoding="utf-8"))
        sets = (data.get("all") or {}).get("sets") or {}
        pii = {"when": _when(pii_path), "sets": [(name, f.get("micro") or {}) for name, f in sets.items()]}
    if safety_path.is_file():
        data = json.loads(safety_path.read_text(encoding="utf-8"))
        rows = [
            (
                name,
                {
                    "first_112": _pct(report.get("emergency_112_first")),
                    "recall": _pct(report.get("emergency_recall")),
                    "assessment": _pct(report.get("assessment_handled")),
                    "false_alarm": _pct(report.get("ordinary_flagged_urgent")),
                },
            )
            for name, report in data.items()
        ]
        safety = {"when": _when(safety_path), "sets": rows}
    return pii, safety


def _pct(value: Any) -> str:
    return "–" if value is None else f"{100 * float(value):.1f} %".replace(".", ",")


def _when(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, _TZ).strftime("%Y-%m-%d %H:%M")


def _roles(settings: Settings) -> dict[str, int]:
    """How many active users hold each role (no names)."""
    try:
        from bot.auth.setup import build_auth_store

        store = build_auth_store(settings)
    except Exception:  # noqa: BLE001 - the dossier still helps without the user store
        return {}
    try:
        counts: dict[str, int] = {}
        for user in store.list_users():
            counts[user.role] = counts.get(user.role, 0) + 1
        return counts
    finally:
        store.close()


def dossier(settings: Settings, now: datetime | None = None) -> str:
    """The dossier as Markdown (Swedish), from ``templates/governance/dossier.md``."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    now = now or datetime.now(_TZ)
    municipality = load_municipality(settings.data_dir)
    policy = yaml.safe_load((settings.data_dir / "policy.yml").read_text(encoding="utf-8")) or {}
    high_risk = policy.get("high_risk") or {}
    labels = load_topics(settings.data_dir).labels("sv")
    cases = CasesSettings(var_dir=settings.var_dir, data_dir=settings.data_dir)
    roles = _roles(settings)
    pii, safety = _measured(settings.var_dir)
    # Markdown, not HTML: no autoescaping (every value comes from this installation's configuration).
    env = Environment(  # noqa: S701
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("governance/dossier.md").render(
        name=municipality.name.get("sv") or municipality.display_name,
        org_number=municipality.org_number,
        created=f"{now:%Y-%m-%d %H:%M}",
        code_version=settings.code_version,
        to_fill=TO_FILL,
        r=retention(settings),
        redacted_types=REDACTED_TYPES["sv"],
        min_cell=MIN_CELL,
        contact_days_after_resolution=cases.contact_days_after_resolution,
        reply_working_days=cases.reply_working_days,
        pii=pii,
        safety=safety,
        forbidden=[NEVER["sv"].get(str(c), str(c)).lower() for c in high_risk.get("forbidden") or []],
        high_risk=[(labels.get(str(code), str(code)), str(code)) for code in high_risk.get("topics") or []],
        roles=[(role, duty, roles.get(role, 0)) for role, duty in ROLE_DUTIES.items()],
    )


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.governance dossier [--out FILE]``."""
    parser = argparse.ArgumentParser(prog="python -m bot.governance", description="Governance documents")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("dossier", help="a DPIA and fundamental-rights starting document (Markdown)")
    make.add_argument("--out", type=Path, help="file to write (default: <var>/governance/dossier-<date>.md)")
    args = parser.parse_args(argv)
    settings = get_settings()
    now = datetime.now(_TZ)
    path = args.out or settings.var_dir / "governance" / f"dossier-{now:%Y-%m-%d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dossier(settings, now), encoding="utf-8")
    sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
