"""The accessibility statement (``/tillganglighet``, ``/accessibility``) and its report form.

In-process against the real gateway app with the real redactor and a real SQLite case store
(``case_env``): the page in DIGG's structure from ``data/municipality.yml``, a report becoming a case in
the staff queue with nothing raw stored, the form shown again with its errors, the same-origin check and
the per-address case limit.
"""

from __future__ import annotations

import html
import re
import sqlite3
from typing import Any

import pytest
import yaml
from limits import parse

from bot.settings import PROJECT_ROOT
from cases.errors import CaseStepNotAllowed
from content.municipality import load_municipality

ORIGIN = {"Origin": "http://127.0.0.1"}
PNR, PHONE, EMAIL = "811218-9876", "070-123 45 67", "anna.svensson@example.com"
CONTACT = "svar.till.mig@example.se"
REPORT = f"Knappen Skicka går inte att nå med tangentbordet. Jag heter Anna Svensson, {PNR}, ring {PHONE} eller mejla {EMAIL}."  # noqa: E501

HEADINGS_SV = [
    "Tillgänglighet för Kommunsvar – Exempelstad kommun",
    "Hur tillgänglig är tjänsten?",
    "Vad kan du göra om du inte kan använda delar av tjänsten?",
    "Rapportera brister i tjänstens tillgänglighet",
    "Tillsyn",
    "Teknisk information om tjänstens tillgänglighet",
    "Innehåll som inte är tillgängligt",
    "Hur vi testat tjänsten",
]
HEADINGS_EN = [
    "Accessibility of Kommunsvar – Exempelstad municipality",
    "How accessible is the service?",
    "What can you do if you cannot use parts of the service?",
    "Report accessibility problems",
    "Enforcement",
    "Technical information about the service's accessibility",
    "Content that is not accessible",
    "How we tested the service",
]


def _headings(page: str) -> list[tuple[int, str]]:
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    found = re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", main, flags=re.S)
    return [(int(level), html.unescape(re.sub(r"\s+", " ", text)).strip()) for level, text in found]


def _text(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _report(client: Any, path: str = "/tillganglighet", headers: dict[str, str] | None = None, **fields):
    data = {"message": REPORT, "where": "Knappen Skicka", "contact": "", **fields}
    headers = ORIGIN if headers is None else headers
    return client.post(path, data=data, headers=headers, follow_redirects=False)


def _rows(env: Any) -> list[sqlite3.Row]:
    with sqlite3.connect(env.tmp / "cases.db") as conn:
        conn.row_factory = sqlite3.Row
        return list(conn.execute("SELECT * FROM case_record ORDER BY id"))


# --- the page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang", "headings"),
    [("/tillganglighet", "sv", HEADINGS_SV), ("/accessibility", "en", HEADINGS_EN)],
)
def test_the_statement_has_digg_headings_in_order(case_env, path, lang, headings):
    page = case_env.client().get(path)
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text
    found = _headings(page.text)
    assert [text for _level, text in found] == headings
    assert [level for level, _text in found].count(1) == 1 and found[0][0] == 1
    assert "content-security-policy" in page.headers and "<script" not in page.text
    form = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert form and form.group(1) == f"{path}#rapportera"
    for name in ("message", "where", "contact"):
        assert f'name="{name}"' in page.text
    textarea = r'<textarea id="a11y-message" name="message" rows="6" maxlength="2000" required'
    assert re.search(textarea, page.text)


def test_the_swedish_statement_shows_the_settings(case_env):
    a11y = load_municipality().accessibility
    text = _text(case_env.client().get("/tillganglighet").text)
    intro = (
        "Exempelstad kommun står bakom den här tjänsten. Vi vill att så många som möjligt ska kunna använda "
        "den. Här beskriver vi hur chatten uppfyller lagen om tillgänglighet till digital offentlig service, "
        "vilka kända brister som finns och hur du kan rapportera brister till oss så att vi kan åtgärda dem."
    )
    assert intro in text
    assert "Tjänsten är delvis förenlig med lagen om tillgänglighet till digital offentlig service" in text
    assert "WCAG 2.1 nivå AA (EN 301 549)" in text
    assert a11y.known_issues and a11y.known_issues[0].sv in text
    assert a11y.method["sv"] in text and "Den senaste bedömningen gjordes den 30 november 2026." in text
    assert "Tjänsten publicerades den 2 december 2026." in text
    assert "Redogörelsen uppdaterades senast den 2 december 2026." in text
    assert "Ring 0123-45 00 00 (måndag–torsdag 8.00–17.00, fredag 8.00–16.00)." in text
    assert "kontaktcenter@exempelstad.se" in text
    assert "Vi bekräftar inom 2 arbetsdagar och svarar inom 10 arbetsdagar." in text
    assert f'href="{a11y.supervision_url}"' in case_env.client().get("/tillganglighet").text
    assert a11y.supervision_url.startswith("https://www.digg.se/")


def test_the_english_statement_shows_the_settings(case_env):
    text = _text(case_env.client().get("/accessibility").text)
    assert "Exempelstad municipality is responsible for this service." in text
    assert "The service is partially compliant with the Swedish law" in text
    assert "WCAG 2.1 level AA (EN 301 549)" in text
    assert "We have not yet tested the chat with screen readers on mobile phones" in text
    assert "The service was published on 2 December 2026." in text
    assert "This statement was last updated on 2 December 2026." in text
    assert "Monday–Thursday 08:00–17:00, Friday 08:00–16:00" in text


def test_other_settings_change_the_page(case_env, tmp_path):
    """Compliance, known issues and contacts come from municipality.yml, not from the template."""
    data = tmp_path / "data"
    data.mkdir()
    raw = yaml.safe_load((PROJECT_ROOT / "data" / "municipality.yml").read_text(encoding="utf-8"))
    raw["accessibility"] = {"compliance": "full", "known_issues": [], "updated_on": "2027-01-15",
                            "contact": {"email": "tillganglighet@exempelstad.se"}}  # fmt: skip
    (data / "municipality.yml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    service = case_env.service
    service.settings = service.settings.model_copy(update={"data_dir": data})
    text = _text(case_env.client().get("/tillganglighet").text)
    assert "Tjänsten är helt förenlig med lagen om tillgänglighet till digital offentlig service." in text
    assert "Vi känner inte till några brister just nu." in text
    assert "Redogörelsen uppdaterades senast den 15 januari 2027." in text
    assert "Tjänsten publicerades" not in text  # no date set
    assert "tillganglighet@exempelstad.se eller ringa 0123-45 00 00" in text  # the phone defaults


def test_the_public_account_links_to_the_statement(case_env):
    client = case_env.client()
    assert 'href="/tillganglighet">Tillgänglighetsredogörelse</a>' in client.get("/om-tjansten").text
    assert 'href="/accessibility">Accessibility statement</a>' in client.get("/about-the-service").text


# --- a report becomes a case --------------------------------------------------------------------------


def test_a_report_becomes_a_redacted_case_in_the_staff_queue(case_env, staff_client):
    client = case_env.client()
    response = _report(client, contact=CONTACT)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/tillganglighet\?skickat=KS-2026-000001&kvitto=[\w-]{20,}#rapportera", location)

    [row] = _rows(case_env)
    assert (row["kind"], row["channel"], row["topic"], row["language"]) == (
        "accessibility", "web_a11y", "accessibility", "sv"
    )  # fmt: skip
    assert row["audit_id"] is None and row["conversation"] is None
    # Monday 2 March: acknowledged within 2 working days, answered within 10.
    assert (row["ack_deadline"], row["reply_deadline"]) == ("2026-03-04", "2026-03-16")
    stored = row["message_redacted"]
    for value in (PNR, PHONE, EMAIL, "Svensson", "0701234567"):
        assert value not in stored
    assert "Knappen Skicka går inte att nå med tangentbordet." in stored
    assert stored.endswith("Var i tjänsten: Knappen Skicka")
    assert "<EMAIL_1>" in stored and "<PHONE_1>" in stored
    assert row["contact_type"] == "email" and row["contact_sealed"] is not None
    assert CONTACT.encode() not in row["contact_sealed"]
    on_disk = b"".join(p.read_bytes() for p in case_env.tmp.glob("cases.db*"))
    for value in (PNR, PHONE, EMAIL, CONTACT):
        assert value.encode() not in on_disk
    assert case_env.service.store.contact("KS-2026-000001", "sven", "view").value == CONTACT

    receipt = _text(client.get(location).text)
    assert "Tack! Din rapport har ärendenummer KS-2026-000001." in receipt
    assert "Vi bekräftar senast 4 mars 2026 och svarar senast 16 mars 2026." in receipt
    assert "Du lämnade ingen kontaktuppgift" not in receipt

    staff = staff_client("staff")
    queue = staff.get("/staff/cases?kind=accessibility")
    assert queue.status_code == 200 and "KS-2026-000001" in queue.text
    assert "<td>Tillgänglighet</td>" in queue.text
    view = staff.get("/staff/cases/KS-2026-000001")
    assert "<dt>Typ</dt><dd>Tillgänglighet</dd>" in view.text
    assert 'value="other"' in view.text and 'value="answer_wrong"' not in view.text


def test_an_english_report_without_contact_gets_an_english_receipt(case_env):
    client = case_env.client()
    response = _report(client, "/accessibility", message="The chat is hard to read when zoomed.", where="")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/accessibility?skickat=KS-2026-000001&kvitto=")
    [row] = _rows(case_env)
    assert row["language"] == "en" and row["contact_sealed"] is None
    assert row["message_redacted"] == "The chat is hard to read when zoomed."  # no empty "where" line
    text = _text(client.get(response.headers["location"]).text)
    assert "Thank you! Your report has case number KS-2026-000001." in text
    assert "We will confirm it by 4 March 2026 and reply by 16 March 2026." in text
    assert "You did not leave any contact details." in text


def test_the_receipt_needs_its_signature(case_env):
    client = case_env.client()
    location = _report(client).headers["location"]
    forged = re.sub(r"kvitto=[^#]+", "kvitto=AAAAAAAAAAAAAAAAAAAAAA", location)
    for path in (forged, "/tillganglighet?skickat=KS-2026-000001"):
        page = client.get(path)
        assert page.status_code == 200 and "KS-2026-000001" not in page.text and "Tack!" not in page.text


def test_the_same_form_sent_twice_makes_one_case(case_env):
    client = case_env.client()
    first = _report(client, idempotency_key="a11y-key-0123456789")
    again = _report(client, idempotency_key="a11y-key-0123456789")
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == again.headers["location"]
    assert len(_rows(case_env)) == 1


def test_an_accessibility_case_is_never_judged_as_an_answer(case_env):
    client = case_env.client()
    _report(client)
    service = case_env.service
    with pytest.raises(CaseStepNotAllowed):
        service.resolve("KS-2026-000001", "sven", "answer_wrong")
    assert service.resolve("KS-2026-000001", "sven", "other").outcome == "other"
    kpis = service.kpis()
    assert kpis["answers_resolved_wrong"] == 0 and kpis["contested_error_rate"] is None


# --- bad input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "error", "kept"),
    [
        ({"message": ""}, "a11y-message", "Skriv vad problemet är.", "Knappen Skicka"),
        ({"message": " \n\t "}, "a11y-message", "Skriv vad problemet är.", "Knappen Skicka"),
        ({"message": "x" * 2001}, "a11y-message", "Skriv högst 2000 tecken. Nu är texten 2001 tecken.",
         "x" * 2001),
        ({"where": "y" * 301}, "a11y-where", "Skriv högst 300 tecken om var i tjänsten det var.", "y" * 301),
        ({"contact": "inte-en-adress@"}, "a11y-contact", "E-postadressen ser inte ut att stämma.",
         'value="inte-en-adress@"'),
        ({"contact": "12"}, "a11y-contact", "Telefonnumret ser inte ut att stämma.", 'value="12"'),
    ],
)  # fmt: skip
def test_bad_input_shows_the_form_again_with_the_error_and_the_text(case_env, fields, field, error, kept):
    response = _report(case_env.client(), **fields)
    assert response.status_code == 422
    page = response.text
    assert page.count("<h1>") == 1 and "<title>Fel: " in page
    summary = page.split('id="a11y-errors"', 1)[1].split("</div>", 1)[0]
    assert f'<a href="#{field}">' in summary and error in html.unescape(summary)
    control = re.search(rf'<(?:textarea|input)[^>]*id="{field}"[^>]*>', page, flags=re.S)
    assert control, field
    assert 'aria-invalid="true"' in control.group(0)
    assert re.search(rf'aria-describedby="{field}-hint {field}-error"', control.group(0))
    assert f'id="{field}-error"' in page
    assert kept in page  # what the person typed is still there
    assert _rows(case_env) == []


def test_typed_text_is_escaped_when_shown_again(case_env):
    response = _report(case_env.client(), message="<script>alert(1)</script>", contact="nej")
    assert response.status_code == 422
    assert "<script>" not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_english_errors_are_in_english(case_env):
    response = _report(case_env.client(), "/accessibility", message="")
    assert response.status_code == 422
    assert "<title>Error: " in response.text and "Write what the problem is." in response.text


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://annan-sajt.example"},
        {"Origin": "null", "Referer": "http://127.0.0.1/tillganglighet"},
        {"Referer": "https://annan-sajt.example/sida"},
        {"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "cross-site"},
        {},  # neither Origin nor Referer
    ],
)
def test_a_post_from_another_site_is_refused(case_env, headers):
    response = _report(case_env.client(), headers=headers)
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas. Ladda om sidan och försök igen." in response.text
    assert _rows(case_env) == []


def test_a_post_with_only_a_same_origin_referer_is_taken(case_env):
    response = _report(case_env.client(), headers={"Referer": "http://127.0.0.1/tillganglighet"})
    assert response.status_code == 303 and len(_rows(case_env)) == 1


def test_only_form_posts_are_read(case_env):
    response = case_env.client().post("/tillganglighet", json={"message": "hej"}, headers=ORIGIN)
    assert response.status_code == 415 and _rows(case_env) == []


def test_the_per_address_case_limit_applies(case_env):
    case_env.app.state.rate_limits.cases_per_address = parse("2 per hour")
    client = case_env.client()
    assert [_report(client).status_code for _ in range(2)] == [303, 303]
    limited = _report(client, where="Tredje gången")
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0
    assert "Du har skickat många rapporter på kort tid." in limited.text
    assert 'value="Tredje gången"' in limited.text  # nothing typed is lost
    assert len(_rows(case_env)) == 2
    contest = client.post("/api/cases", json={"audit_id": "KS-7K3M9Q2X4B", "message": "x"})
    assert contest.status_code == 429  # the same limit as contests
