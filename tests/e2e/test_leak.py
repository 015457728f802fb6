"""Leak test: personal data sent through the running stack appears in no file the stack wrote.

Searches every file under the stack's ``var`` folder — Rasa's tracker database, the audit database,
the JSON logs and the captured console output of all three processes — for every value, also as digits
only (for numbers) and JSON-escaped (for non-ASCII names).

Then the same for what must go when a conversation is deleted on request or has passed retention:
afterwards none of its turns (the redacted input text, as Rasa stores it) nor its raw values are in any
file under ``var`` (WAL files included), in the tracker store, the audit content or the vault.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from audit.purge import ConversationStores, purge_expired
from audit.tracker import TrackerStore

pytestmark = pytest.mark.e2e


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for ``digits``."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def personnummer(rng: random.Random, samordning: bool = False) -> str:
    """A valid 10-digit personnummer (YYMMDD-NNNC) or samordningsnummer (day + 60)."""
    year, month, day = rng.randint(40, 99), rng.randint(1, 12), rng.randint(1, 28)
    day += 60 if samordning else 0
    body = f"{year:02d}{month:02d}{day:02d}{rng.randint(100, 999)}"
    return f"{body[:6]}-{body[6:]}{luhn_digit(body)}"


def iban_se(rng: random.Random) -> str:
    """A valid Swedish IBAN (mod-97), printed in groups of four."""
    bban = "5000" + "".join(str(rng.randint(0, 9)) for _ in range(16))
    numeric = int(bban + "2814" + "00")  # S=28, E=14
    check = 98 - numeric % 97
    raw = f"SE{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def card(rng: random.Random) -> str:
    """A Luhn-valid 16-digit card number in groups of four."""
    body = "4" + "".join(str(rng.randint(0, 9)) for _ in range(14))
    raw = body + luhn_digit(body)
    return " ".join(raw[i : i + 4] for i in range(0, 16, 4))


FIRST = [
    "Anna",
    "Erik",
    "Karin",
    "Lars",
    "Maria",
    "Johan",
    "Elin",
    "Mohammed",
    "Fatima",
    "Åsa",
    "Björn",
    "Sofia",
]
LAST = ["Svensson", "Johansson", "Karlsson", "Nilsson", "Lindqvist", "Öberg", "Hassan", "Andersson"]
STREETS = ["Storgatan", "Aspvägen", "Björkvägen", "Kyrkogatan", "Ringvägen", "Skolgatan"]

TEMPLATES = [
    "Hej, jag heter {name} och mitt personnummer är {pnr}. När hämtas soporna?",
    "Mitt personnummer är {pnr}, kan ni ringa mig på {phone}?",
    "Gatlampan utanför {street} {num} är trasig. Mejla mig på {email}",
    "Jag vill klaga. Ring mig på {phone} eller skriv till {email}. /{name}",
    "Min son {first} behöver förskoleplats, hans personnummer är {pnr}",
    "Betalningen från konto {iban} gick inte igenom för VA-fakturan",
    "Mitt samordningsnummer är {snr}, vem hjälper mig med ekonomiskt bistånd?",
    "Jag bor på {street} {num}, lgh 1102, och vattnet är avstängt. Tel {phone}",
    "Kortet {card} drogs två gånger för parkeringen",
    "Hej! {name} här, {email}, jag undrar om bygglov",
]


def leak_cases(count: int = 50, seed: int = 20261126) -> list[tuple[str, list[str]]]:
    """``count`` messages and, for each, the personal values it contains."""
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        values = {
            "name": f"{first} {last}",
            "first": first,
            "pnr": personnummer(rng),
            "snr": personnummer(rng, samordning=True),
            "phone": f"07{rng.choice([0, 2, 3, 6, 9])}-{rng.randint(100, 999)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
            "email": f"{first.lower().replace('å', 'a').replace('ö', 'o')}.{last.lower().replace('ö', 'o')}"
            f"{rng.randint(1, 99)}@example.se",
            "street": rng.choice(STREETS),
            "num": f"{rng.randint(2, 140)}{rng.choice(['', 'A', 'B'])}",
            "iban": iban_se(rng),
            "card": card(rng),
        }
        template = TEMPLATES[i % len(TEMPLATES)]
        message = template.format(**values)
        used = [values[key] for key in values if "{" + key + "}" in template]
        if "{street}" in template:
            used = [v for v in used if v not in (values["street"], values["num"])]
            used.append(f"{values['street']} {values['num']}")
        if "{name}" in template:
            used.append(last)  # the surname alone must not survive either
        cases.append((message, used))
    return cases


def _forms(value: str) -> set[bytes]:
    forms = {value, json.dumps(value)[1:-1]}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 6:
        forms.add(digits)
    return {form.encode("utf-8") for form in forms if form}


def _written_files(var_dir: Path) -> list[Path]:
    return [p for p in var_dir.rglob("*") if p.is_file()]


def test_no_personal_data_reaches_any_file(gateway, stack, stack_audit):
    cases = leak_cases()
    conversation = None
    for i, (message, _values) in enumerate(cases):
        if i % 5 == 0:
            conversation = None
        response = gateway.post("/api/chat", json={"conversation_id": conversation, "text": message})
        assert response.status_code == 200, response.text
        conversation = response.json()["conversation_id"]
        last = response.json()
        for value in _values:
            assert (
                value not in response.text
                or value in message
                and value not in json.dumps(response.json()["messages"], ensure_ascii=False)
            ), f"the reply repeats personal data: {value!r}"

    # Contest an answer: the case message is redacted, the contact kept only encrypted.
    contest_values = ["Karin Öberg", "811218-9876", "karin.oberg77@example.se", "karin.kontakt@example.se"]
    first = gateway.post("/api/chat", json={"text": "När hämtas soporna?"}).json()
    contest = gateway.post(
        "/api/cases",
        json={
            "audit_id": first["audit_id"],
            "contest_token": first["contest_token"],
            "message": "Svaret stämmer inte. Jag heter Karin Öberg, personnummer 811218-9876, "
            "mejla karin.oberg77@example.se",
            "contact": {"email": "karin.kontakt@example.se"},
        },
    )
    assert contest.status_code == 201, contest.text
    cases.append(("", contest_values))

    # An accessibility report from the statement's form (/tillganglighet): the text is redacted, the
    # contact kept only encrypted.
    name, pnr = "Göran Lindqvist", personnummer(random.Random(20261203))
    a11y_values = [name, pnr, "070-271 82 81", "goran.lindqvist12@example.se", "goran.svar@example.se"]
    report = gateway.post(
        "/tillganglighet",
        data={
            "message": f"Knappen Skicka går inte att nå med tangentbordet. Jag heter {name}, {pnr}, "
            f"ring {a11y_values[2]} eller mejla {a11y_values[3]}",
            "where": "Chattfönstret",
            "contact": a11y_values[4],
        },
        headers={"Origin": stack.gateway_url},
    )
    assert report.status_code == 303 and "skickat=KS-" in report.headers["location"], report.text
    cases.append(("", a11y_values))

    # Feedback on an answer to a message full of personal data: the vote and the rating store no text.
    # Free text smuggled in as a reason is refused (422), and neither stored nor logged.
    vote = {"audit_id": last["audit_id"], "contest_token": last["contest_token"]}
    voted = gateway.post("/api/feedback", json={**vote, "helpful": False, "reason": "wrong"})
    assert voted.status_code == 201, voted.text
    assert gateway.post("/api/feedback", json={**vote, "rating": 2}).status_code == 201
    smuggled = ["Lennart Grönqvist", "0731234567"]
    refused = gateway.post(
        "/api/feedback", json={**vote, "helpful": False, "reason": "Lennart Grönqvist ring 0731234567"}
    )
    assert refused.status_code == 422, refused.text
    cases.append(("", smuggled))

    # Pilot mode: a staff member approves a held answer in their own words, which name the citizen. The
    # words go to the citizen and into the encrypted audit record, never in clear into the pilot table.
    import time

    from bot.services.pilot import release
    from cases.pilot import PilotDesk
    from cases.store import CaseStore

    var = stack.config.var_dir
    store = CaseStore.open(f"sqlite:///{var / 'cases.db'}", key_path=var / "keys" / "case.key")
    desk = PilotDesk(store.engine)
    staff_values = ["Sixten Ålund", "0702345678"]
    try:
        desk.set_topic("library", True, "anna")
        time.sleep(5.5)  # the gateway re-reads the pilot topics every 5 seconds
        held = gateway.post("/api/chat", json={"text": "Hur lånar jag om en bok?"}).json()
        assert held.get("pending_review") is True, held
        release(desk, stack_audit, held["audit_id"], "sven", "Hej Sixten Ålund! Ring oss på 0702345678.")
        proof = {"audit_id": held["audit_id"], "contest_token": held["contest_token"]}
        released = gateway.post("/api/pilot/status", json=proof).json()
        assert released["messages"][0]["text"].startswith("Hej Sixten Ålund")  # the citizen gets the words
    finally:
        desk.set_topic("library", False, "anna")
        store.close()
        time.sleep(5.5)
    cases.append(("", staff_values))

    # The public pages built from the stores (the account of the AI, open data) show no personal data.
    for path in ("/om-tjansten", "/about-the-service", "/om-tjansten/register.json",
                 "/oppna-data/nyckeltal.json", "/oppna-data/nyckeltal.csv",
                 "/tillganglighet", "/accessibility"):  # fmt: skip
        public = gateway.get(path)
        assert public.status_code == 200, path
        shown = [v for _m, values in cases for v in values for f in _forms(v) if f in public.content]
        assert not shown, f"{path} shows personal data: {shown[:5]}"

    files = _written_files(stack.config.var_dir)
    names = {p.name for p in files}
    assert {
        "audit.db",
        "rasa-tracker.db",
        "cases.db",
        "gateway.log",
        "action_server.log",
        "rasa.log",
    } <= names, names
    assert any(name.startswith("rasa") and name.endswith(".log") for name in names)
    # Databases, logs and keys are the owner's alone (the runner sets umask 077 for every process).
    loose = [
        f"{p.relative_to(stack.config.var_dir)} {oct(p.stat().st_mode & 0o777)}"
        for p in files
        if p.stat().st_mode & 0o077
    ]
    assert not loose, f"readable by others: {loose}"
    leaks = []
    for path in files:
        data = path.read_bytes()
        for _message, values in cases:
            for value in values:
                for form in _forms(value):
                    if form in data:
                        leaks.append(f"{path.relative_to(stack.config.var_dir)}: {form.decode()!r}")
    assert not leaks, "personal data on disk:\n" + "\n".join(sorted(set(leaks))[:50])


# --- deletion on request and retention ---------------------------------------------------------------


def _internal(gateway, stack, path: str, body: dict[str, object]):
    """A call to the gateway's internal listener (the public port does not serve /internal at all)."""
    assert gateway.post(path, json=body).status_code == 404  # not on the public port
    url = f"http://127.0.0.1:{stack.config.internal_port}{path}"
    return httpx.post(url, json=body, headers={"Authorization": f"Bearer {stack.internal_token}"}, timeout=60)


def _conversation(gateway, turns: list[str]) -> list[dict[str, object]]:
    conversation, bodies = None, []
    for turn in turns:
        response = gateway.post("/api/chat", json={"conversation_id": conversation, "text": turn})
        assert response.status_code == 200, response.text
        bodies.append(response.json())
        conversation = bodies[-1]["conversation_id"]
    return bodies


def _tracker_rows(stack, sender: str) -> list[tuple[str, str | None, str]]:
    engine = create_engine(f"sqlite:///{stack.config.var_dir / 'rasa-tracker.db'}")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT type_name, action_name, data FROM events WHERE sender_id = :s ORDER BY id"),
            {"s": sender},
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]


def _leftovers(var_dir: Path, texts: list[str], values: list[str]) -> list[str]:
    """Every file under ``var_dir`` that still holds one of the turns or raw values, in any form."""
    forms = {form for t in texts for form in (t.encode(), json.dumps(t)[1:-1].encode())}
    forms |= {form for v in values for form in _forms(v)}
    found = []
    for path in _written_files(var_dir):
        data = path.read_bytes()
        found += [f"{path.relative_to(var_dir)}: {form.decode()!r}" for form in forms if form in data]
    return sorted(set(found))


def test_a_forgotten_conversation_leaves_nothing_behind(gateway, stack, stack_audit):
    rng = random.Random(20261201)
    pnr, phone = personnummer(rng), "070-314 15 92"
    email = "plommon.klagare@example.se"
    detail = (
        f"Soptunnan på Plommonvägen töms aldrig. Ring mig på {phone} eller mejla {email}, "
        f"personnummer {pnr}. Kvittonummer gallring-forget."
    )
    bodies = _conversation(gateway, ["Jag vill klaga på kommunen", detail, "avbryt"])
    records = [stack_audit.get(str(body["audit_id"])) for body in bodies]
    sender = str(records[0]["conversation"])
    redacted = str(records[1]["input_redacted"])
    assert pnr not in redacted and email not in redacted and "<EMAIL_1>" in redacted
    rows = _tracker_rows(stack, sender)
    # Before: the turn is in Rasa's tracker store, also in the form's case_message slot, and the vault
    # holds the e-mail address and the phone number (the personnummer was never kept).
    assert any("gallring-forget" in data for _, _, data in rows)
    assert any(
        kind == "slot" and name == "case_message" and "gallring-forget" in data for kind, name, data in rows
    )
    assert _leftovers(stack.config.var_dir, [redacted], [])  # the check sees it in the tracker store
    preview = _internal(
        gateway, stack, "/internal/privacy/forget", {"reference": bodies[0]["audit_id"], "dry_run": True}
    )
    assert preview.status_code == 200, preview.text
    assert preview.json()["vault"] == 2 and preview.json()["tracker"]["events_deleted"] == len(rows)

    response = _internal(gateway, stack, "/internal/privacy/forget", {"reference": bodies[1]["audit_id"]})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["conversation"] == sender and report["vault"] == 2
    assert report["tracker"]["events_deleted"] == len(rows) and report["audit"]["keys_shredded"] == 1

    assert _tracker_rows(stack, sender) == []
    assert all(stack_audit.get(str(body["audit_id"]))["content_shredded"] for body in bodies)
    again = _internal(
        gateway, stack, "/internal/privacy/forget", {"reference": sender, "dry_run": True}
    ).json()
    assert again["vault"] == 0 and again["tracker"]["events_deleted"] == 0
    contact = _internal(
        gateway,
        stack,
        "/internal/cases",
        {"conversation": sender, "kind": "complaint", "message": "x", "contact_placeholder": "<EMAIL_1>"},
    )
    assert contact.status_code == 422, contact.text  # the vault no longer has it
    leftovers = _leftovers(stack.config.var_dir, [redacted, "gallring-forget"], [pnr, phone, email])
    assert not leftovers, "a forgotten conversation is still on disk:\n" + "\n".join(leftovers)


def test_a_conversation_past_retention_leaves_nothing_behind(gateway, stack, stack_audit):
    rng = random.Random(20261202)
    pnr, iban, number = personnummer(rng), iban_se(rng), card(rng)
    detail = f"Jag är Åsa Lindqvist, {pnr}. Kortet {number} och kontot {iban} drogs för gallring-retention."
    bodies = _conversation(gateway, [detail, "När hämtas soporna?"])
    record = stack_audit.get(str(bodies[0]["audit_id"]))
    sender, redacted = str(record["conversation"]), str(record["input_redacted"])
    assert "gallring-retention" in redacted and pnr not in redacted
    assert any("gallring-retention" in data for _, _, data in _tracker_rows(stack, sender))
    # Personnummer, card and IBAN are never kept in the vault: no purpose can use them.
    preview = _internal(gateway, stack, "/internal/privacy/forget", {"reference": sender, "dry_run": True})
    assert preview.json()["vault"] == 0

    stores = ConversationStores(
        audit_log=stack_audit, tracker=TrackerStore(stack_audit.settings.resolved_tracker_url)
    )
    report = purge_expired(stores, now=datetime.now(UTC) + timedelta(days=100))
    assert stores.tracker is not None
    stores.tracker.close()
    assert report.tracker is not None and report.tracker.events_deleted > 0 and report.tracker.wal_truncated
    assert report.audit.content_deleted["conversation"] > 0 and report.audit.wal_truncated
    assert _tracker_rows(stack, sender) == []
    assert all(stack_audit.get(str(body["audit_id"]))["content_shredded"] for body in bodies)
    assert stack_audit.verify().ok
    leftovers = _leftovers(
        stack.config.var_dir, [redacted, "gallring-retention"], [pnr, iban, number, "Lindqvist"]
    )
    assert not leftovers, "a conversation past retention is still on disk:\n" + "\n".join(leftovers)
    # The stack keeps answering after the purge (Rasa starts the purged conversations afresh).
    assert _conversation(gateway, ["När hämtas soporna?"])[0]["messages"]
