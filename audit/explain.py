"""Plain-Swedish explanation of one answer, rendered from its audit record alone.

The text follows klarspråk: short sentences, "du" to the reader, no codes without an explanation.
It never shows personal data: the input is already redacted and guardrail events carry types only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from audit.labels import (
    SAFETY_CATEGORY_LABELS,
    certainty_words,
    percent,
    pii_label,
    policy_label,
    understood_as,
)

_MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
_TZ = ZoneInfo("Europe/Stockholm")
_SKIPPED_ACTIONS = {"action_listen", "action_session_start", "action_restart"}
_POLICY_NOTICE_WHY = {
    "urgent_notice": "Det visas först när ett meddelande kan handla om fara för liv eller hälsa.",
    "caution_notice": (
        "Det visas först när ett meddelande liknar en nödsituation men inte säkert är en: 112 och en "
        "människa nämns, sedan kommer det vanliga svaret."
    ),
    "eligibility_notice": "Det visas när någon frågar om sin egen rätt till stöd: boten bedömer aldrig det.",
    "clarify_notice": "Det visas när ingen artikel passar klart bäst: du får välja.",
    "no_answer_notice": "Det visas när ingen godkänd artikel svarar på frågan: boten gissar inte.",
}
_SELECTION_RULE = {
    "answer": "en artikel passade klart bäst",
    "two_parts": "meddelandet innehöll två frågor och båda fick ett säkert svar",
    "clarify": "ingen artikel passade klart bäst, så boten lät dig välja",
    "abstain": "ingen artikel passade tillräckligt bra, så boten sa att den inte har något svar",
}


def _selection(record: Mapping[str, Any]) -> list[str]:
    """How the answer engine chose: the rule, the best article's score and the runner-up."""
    found = [a.get("selection") for a in record.get("answers") or [] if isinstance(a.get("selection"), dict)]
    if not found:
        return []
    sel = found[0]
    lines = ["Hur svaret valdes"]
    rule = _SELECTION_RULE.get(str(sel.get("rule")), str(sel.get("rule")))
    if isinstance(sel.get("site"), dict):
        rule = "ingen artikel passade tillräckligt bra"
    text = f"Boten jämförde frågan med alla godkända artiklar. Resultat: {rule}."
    candidates = sel.get("candidates") or []
    if candidates and sel.get("score") is not None:
        text += f" Bästa artikel var ”{candidates[0].get('article_id')}” med poängen {sel['score']:.2f}"
        runner_up = sel.get("runner_up") or {}
        if runner_up.get("article_id"):
            text += f", näst bästa ”{runner_up['article_id']}” med {float(runner_up.get('score') or 0):.2f}"
        text += "."
    thresholds = sel.get("thresholds") or {}
    if thresholds.get("answer_min_score") is not None:
        text += (
            f" Boten svarar bara när poängen är minst {thresholds['answer_min_score']} och ledningen minst "
            f"{thresholds.get('answer_min_margin')}. (Teknisk regel: {sel.get('reason')}.)"
        )
    lines.append(text)
    site = sel.get("site")
    if isinstance(site, dict) and isinstance(site.get("passage"), dict):
        lines.append(
            "Ingen artikel svarade säkert, så boten sökte i texterna från kommunens webbplats. Bästa stycket "
            f"fick poängen {float(site['passage'].get('score') or 0):.2f}. "
            f"(Teknisk regel: {site.get('reason')}.)"
        )
    return lines


def swedish_date(value: str | None, *, with_time: bool = False) -> str:
    """Format an ISO date or timestamp as e.g. ``1 september 2026`` (Swedish time)."""
    if not value:
        return "okänt datum"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(_TZ)
    day = f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    return f"{day} kl. {moment:%H.%M}" if with_time else day


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]


def _asked(record: Mapping[str, Any]) -> list[str]:
    lines = ["Vad du frågade"]
    text = record.get("input_redacted")
    if record.get("content_shredded") or text is None:
        lines.append("Texten i frågan är raderad enligt kommunens regler för gallring eller på din begäran.")
    else:
        lines.append(f"Du skrev: ”{text}”")
        lines.append("Personuppgifter är bortplockade och ersatta med en markering, till exempel <PERSON_1>.")
    return lines


def _understood(record: Mapping[str, Any]) -> list[str]:
    nlu = record.get("nlu") or {}
    lines = ["Hur boten förstod frågan"]
    intent, confidence = nlu.get("intent"), nlu.get("confidence")
    threshold = nlu.get("fallback_threshold")
    if intent is None or confidence is None:
        lines.append("Det finns ingen uppgift om hur boten tolkade frågan.")
        return lines
    lines.append(
        f"Boten tolkade frågan som {understood_as(intent)}. "
        f"Den var {certainty_words(confidence)} på det ({percent(confidence)})."
    )
    others = [
        f"{understood_as(r.get('name'))} ({percent(r['confidence'])})"
        for r in nlu.get("ranking") or []
        if r.get("name") != intent and r.get("confidence") is not None
    ][:2]
    if others:
        lines.append(f"Andra möjliga tolkningar var {_join(others)}.")
    if intent == "nlu_fallback" or (threshold is not None and confidence < threshold):
        limit = f" Gränsen är {percent(threshold)}." if threshold is not None else ""
        lines.append(
            "Boten var inte tillräckligt säker för att svara på sakfrågan och gav därför "
            f"ett allmänt svar i stället för att gissa.{limit}"
        )
    return lines


def _notice_why(name: str) -> str:
    """Why a policy notice is shown; a category's own notice (``urgent_notice_suicide``) shares its kind's."""
    for key, why in _POLICY_NOTICE_WHY.items():
        if name == key or name.startswith(f"{key}_"):
            return why
    return ""


def _safety(record: Mapping[str, Any]) -> list[str]:
    safety = record.get("safety") or {}
    urgent, assessment, caution = safety.get("urgent"), safety.get("assessment"), safety.get("caution")
    if not urgent and not assessment and not caution:
        return []
    lines = ["Säkerhetskontrollen"]
    finding: dict[str, Any] = urgent or assessment or {}
    how = {
        "cue": "på ord i meddelandet som ofta används i sådana situationer",
        "escalated": (
            "på att meddelandet liknade en sådan situation och också nämnde hur, var eller ett avsked"
        ),
    }.get(
        str(finding.get("rule")),
        "på att meddelandet liknade en beskrivning av en sådan situation mer än vanliga frågor",
    )
    if urgent:
        category = SAFETY_CATEGORY_LABELS.get(str(urgent.get("category")), "fara för liv eller hälsa")
        lines.append(
            f"Boten bedömde att meddelandet kunde handla om {category}. Den kände igen det {how}. "
            "Därför visades först uppmaningen att ringa 112 och erbjudandet att prata med en människa."
        )
    elif assessment:
        lines.append(
            f"Boten bedömde att du bad den pröva din egen rätt till stöd eller ett tillstånd. Den kände igen "
            f"det {how}. Boten gör aldrig sådana bedömningar, så du fick allmän information och en kontakt."
        )
    if caution and not urgent and caution.get("rule") == "language":
        lines.append(
            "Meddelandet var skrivet på ett annat språk än svenska eller engelska. Boten kan inte läsa det "
            "och kan därför inte veta om någon är i fara. Därför började svaret med en påminnelse om att "
            "ringa 112 och erbjudandet att prata med en människa. Sedan kom det vanliga svaret."
        )
    elif caution and not urgent:
        lines.append(
            "Meddelandet liknade något som kan handla om fara för liv eller hälsa, men boten var inte "
            "säker. Därför började svaret med en påminnelse om att ringa 112 och erbjudandet att prata "
            "med en människa. Sedan kom det vanliga svaret."
        )
    return lines


def _pilot(record: Mapping[str, Any]) -> list[str]:
    """Supervised pilot mode: the answer waited for a member of staff, who approved (or rewrote) it."""
    pilot = record.get("pilot") or {}
    status = pilot.get("status")
    if status == "held":
        return [
            "Granskning före svar",
            "Ämnet är i pilotläge: svaret visades inte direkt. "
            "Det väntade på att en handläggare godkände det.",
        ]
    if status not in ("approved", "edited"):
        return []
    minutes = float(pilot.get("seconds_to_approval") or 0) / 60
    how = "skrev om och godkände" if status == "edited" else "godkände"
    return [
        "Granskning före svar",
        f"Svaret godkändes av en handläggare innan du fick det: {pilot.get('approver')} {how} det efter "
        f"{minutes:.0f} minuter (Svar-ID för väntan: {pilot.get('held_audit_id')}).",
    ]


def _why(record: Mapping[str, Any]) -> list[str]:
    lines = ["Varför boten gav just det här svaret"]
    steps = [a for a in record.get("actions") or [] if a.get("name") not in _SKIPPED_ACTIONS]
    if not steps:
        lines.append("Det finns ingen uppgift om vilken regel som valde svaret.")
    for action in steps:
        sure = ""
        if action.get("confidence") is not None:
            sure = f" Säkerheten var {percent(action['confidence'])}."
        lines.append(
            f"Svaret valdes av {policy_label(action.get('policy'))}.{sure} "
            f"(Teknisk benämning på steget: {action.get('name')}.)"
        )
    return lines


def _source(record: Mapping[str, Any]) -> list[str]:
    lines = ["Var svaret kommer ifrån"]
    answers = record.get("answers") or []
    if not answers:
        lines.append("Boten skickade inget svar.")
    for answer in answers:
        source = answer.get("source")
        if source and source.get("policy"):
            lines.append(
                f"Svaret är ett meddelande ur kommunens svarspolicy (policy notice ”{source['policy']}”, "
                f"version {source.get('version')}). "
                f"{_notice_why(str(source['policy']))}".rstrip()
            )
        elif source and source.get("passage_id"):
            heading = f", under rubriken ”{source['heading']}”" if source.get("heading") else ""
            modified = (
                f" Sidan var senast ändrad {swedish_date(source.get('last_modified'))}."
                if source.get("last_modified")
                else ""
            )
            lines.append(
                f"Svaret är ett utdrag ur kommunens webbplats: sidan ”{source.get('page_title') or ''}” "
                f"({source.get('page_url')}){heading}. Texten hämtades i importen {source.get('import_id')} "
                f"och har kontrollsumman {str(source.get('content_hash'))[:16]}…, så att det går att visa "
                f"exakt vilken text svaret byggde på även om sidan har ändrats sedan dess.{modified}"
            )
        elif source and source.get("staff"):
            lines.append(
                f"Svaret skrevs av handläggaren {source['staff']} (pilotläge), inte av boten. "
                f"Kontrollsumma {str(source.get('content_hash'))[:16]}…."
            )
        elif source:
            owner = source.get("owner") or "okänd förvaltning"
            lines.append(
                f"Svaret kommer från kommunens kunskapsartikel ”{source.get('article_id')}”, "
                f"version {source.get('version')}. Ansvarig är {owner}. "
                f"Texten granskades senast {swedish_date(source.get('last_reviewed'))}."
            )
        elif answer.get("response"):
            lines.append(f"Svaret är ett färdigskrivet standardsvar från kommunen (”{answer['response']}”).")
        else:
            lines.append("Svaret är ett färdigskrivet standardsvar från kommunen.")
    return lines


def _guardrails(record: Mapping[str, Any]) -> list[str]:
    lines = ["Hur dina personuppgifter skyddades"]
    counts: dict[str, int] = (record.get("pii") or {}).get("counts") or {}
    if counts:
        found = [f"{n} {pii_label(kind)}" for kind, n in sorted(counts.items())]
        lines.append(
            f"Boten tog bort {_join(found)} ur frågan innan den tolkades. Uppgifterna sparas inte i loggen."
        )
    else:
        lines.append("Boten hittade inga personuppgifter i frågan.")
    guard = record.get("guardrails") or {}
    hits = guard.get("output_guard_hits") or []
    if hits:
        lines.append(
            f"Svarskontrollen stoppade eller ändrade {len(hits)} del(ar) av svaret innan det skickades."
        )
    for use in guard.get("vault_uses") or []:
        lines.append(
            f"En uppgift du lämnade ({pii_label(str(use.get('type')))}) användes för ett bestämt "
            f"ändamål: {use.get('purpose')}."
        )
    if guard.get("ai_disclosure_shown"):
        lines.append("Du fick veta att du chattar med en AI-assistent och inte med en människa.")
    if guard.get("handoff_offered"):
        lines.append("Boten erbjöd dig att få kontakt med en människa.")
    return lines


def explain(record: Mapping[str, Any]) -> str:
    """Render a plain-Swedish explanation of one audit record.

    Args:
        record: a stored record as returned by ``AuditLog.get`` (with ``audit_id`` and ``created_at``).

    Returns:
        Several short paragraphs, each starting with a heading line.
    """
    audit_id = record.get("audit_id") or "okänt Svar-ID"
    header = [
        f"Förklaring av svar {audit_id}",
        f"Svaret gavs {swedish_date(record.get('created_at'), with_time=True)}.",
    ]
    nature = [
        "Vad svaret betyder",
        "Svaret är information och vägledning från kommunens chatt. Det är inte ett beslut "
        "och det påverkar inte något ärende du har hos kommunen.",
    ]
    contest = [
        "Om du tycker att svaret är fel",
        f"Stämmer inte svaret? Klicka på ”Ifrågasätt svaret” i chatten eller kontakta kommunen och "
        f"uppge Svar-ID {audit_id}. En handläggare går då igenom svaret och hör av sig till dig.",
    ]
    if record.get("metadata_deleted"):
        gone = [
            "Uppgifterna är gallrade",
            "Uppgifterna om det här svaret har raderats enligt kommunens regler för hur länge uppgifter "
            "sparas (gallring). Loggen visar fortfarande att svaret fanns och att ingen har ändrat det.",
        ]
        return "\n\n".join("\n".join(part) for part in (header[:1], gone, contest)) + "\n"
    sections = [header, _asked(record), _safety(record), _pilot(record), _understood(record), _why(record),
                _selection(record), _source(record), _guardrails(record), nature, contest]  # fmt: skip
    sections = [section for section in sections if section]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
