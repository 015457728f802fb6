"""The report form of the accessibility statement: its fields, their checks and the messages shown.

The form works without JavaScript: the server checks it and, when something is wrong, shows the form
again with what the person typed, an error summary linked to the fields and a message beside each field
(in Swedish or English). The values only ever go back into that page: they are neither logged nor stored
until the case service has redacted them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.contact import valid_email, valid_phone
from cases.errors import InvalidContact
from cases.models import Contact
from cases.service import A11Y_WHERE_MAX_CHARS

FIELD_IDS = {"message": "a11y-message", "where": "a11y-where", "contact": "a11y-contact"}

MESSAGES = {
    "sv": {
        "message_empty": "Skriv vad problemet är.",
        "message_too_long": "Skriv högst {limit} tecken. Nu är texten {length} tecken.",
        "where_too_long": "Skriv högst {limit} tecken om var i tjänsten det var.",
        "email_invalid": "E-postadressen ser inte ut att stämma. Skriv den som namn@exempel.se, "
        "eller lämna fältet tomt.",
        "phone_invalid": "Telefonnumret ser inte ut att stämma. Skriv det som 070-123 45 67, "
        "eller lämna fältet tomt.",
        "cross_origin": "Formuläret kunde inte skickas. Ladda om sidan och försök igen.",
        "rate_limited": "Du har skickat många rapporter på kort tid. Vänta {minutes} minuter och försök "
        "igen, eller ring {phone}.",
        "unavailable": "Vi kan inte ta emot rapporter just nu. Försök igen om en stund, eller mejla {email}.",
    },
    "en": {
        "message_empty": "Write what the problem is.",
        "message_too_long": "Write at most {limit} characters. The text is now {length} characters.",
        "where_too_long": "Write at most {limit} characters about where in the service it was.",
        "email_invalid": "The e-mail address does not look right. Write it as name@example.com, "
        "or leave the field empty.",
        "phone_invalid": "The phone number does not look right. Write it as 070-123 45 67, "
        "or leave the field empty.",
        "cross_origin": "The form could not be sent. Reload the page and try again.",
        "rate_limited": "You have sent many reports in a short time. Wait {minutes} minutes and try again, "
        "or call {phone}.",
        "unavailable": "We cannot take reports right now. Try again in a while, or e-mail {email}.",
    },
}

# The form's labels, hints and receipt ({limit}, {contact_days}, {case_id} … filled in by the template).
LABELS = {
    "sv": {
        "summary": "Det finns fel i formuläret",
        "message": "Vad är problemet?",
        "message_hint": "Beskriv vad som inte fungerar och vad du försökte göra. Högst {limit} tecken. "
        "Skriv inte personnummer eller andra känsliga uppgifter.",
        "where": "Var i tjänsten var det? (frivilligt)",
        "where_hint": "Till exempel ”knappen Skicka” eller ”svaret om sophämtning”. Högst {limit} tecken.",
        "contact": "E-post eller telefonnummer (frivilligt)",
        "contact_hint": "Fyll i om du vill ha svar. Vi sparar uppgiften krypterad i högst {days} dagar.",
        "submit": "Skicka rapporten",
        "error_prefix": "Fel:",
        "thanks": "Tack! Din rapport har ärendenummer {case_id}.",
        "deadlines": "Vi bekräftar senast {ack} och svarar senast {reply}.",
        "no_contact": "Du lämnade ingen kontaktuppgift. Vill du ha svar kan du ringa {phone} och uppge "
        "ärendenumret.",
        "again": "Rapportera en brist till",
    },
    "en": {
        "summary": "There is a problem with the form",
        "message": "What is the problem?",
        "message_hint": "Describe what does not work and what you were trying to do. At most {limit} "
        "characters. Do not write personal identity numbers or other sensitive details.",
        "where": "Where in the service was it? (optional)",
        "where_hint": "For example “the Send button” or “the answer about waste collection”. At most "
        "{limit} characters.",
        "contact": "E-mail or phone number (optional)",
        "contact_hint": "Fill in if you want a reply. We keep it encrypted for at most {days} days.",
        "submit": "Send the report",
        "error_prefix": "Error:",
        "thanks": "Thank you! Your report has case number {case_id}.",
        "deadlines": "We will confirm it by {ack} and reply by {reply}.",
        "no_contact": "You did not leave any contact details. If you want a reply, call {phone} and give "
        "the case number.",
        "again": "Report another problem",
    },
}


@dataclass
class ReportForm:
    """What the person typed, and what is wrong with it (field name -> message)."""

    message: str = ""
    where: str = ""
    contact: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> ReportForm:
        """The form from the posted fields (browsers send line breaks as CRLF; counted here as one)."""
        return cls(
            message=fields.get("message", "").replace("\r\n", "\n"),
            where=fields.get("where", "").replace("\r\n", "\n"),
            contact=fields.get("contact", ""),
        )

    def summary(self) -> list[dict[str, str]]:
        """The errors in the order of the fields, each with the id of its field."""
        return [
            {"id": FIELD_IDS[name], "text": self.errors[name]} for name in FIELD_IDS if name in self.errors
        ]


def check(form: ReportForm, max_chars: int, language: str) -> Contact | None:
    """Fill ``form.errors``; return the validated contact (None when none was given or it is wrong)."""
    texts = MESSAGES[language]
    if not form.message.strip():
        form.errors["message"] = texts["message_empty"]
    elif len(form.message) > max_chars:
        form.errors["message"] = texts["message_too_long"].format(limit=max_chars, length=len(form.message))
    if len(form.where) > A11Y_WHERE_MAX_CHARS:
        form.errors["where"] = texts["where_too_long"].format(limit=A11Y_WHERE_MAX_CHARS)
    value = form.contact.strip()
    if not value:
        return None
    try:
        return valid_email(value, "contact") if "@" in value else valid_phone(value, "contact")
    except InvalidContact as exc:
        form.errors["contact"] = texts["email_invalid" if exc.reason.startswith("email") else "phone_invalid"]
        return None
