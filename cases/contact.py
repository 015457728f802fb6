"""Validation of the contact details a citizen gives (e-mail or Swedish/international phone number)."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from cases.errors import InvalidContact
from cases.models import Contact

MAX_EMAIL = 254
MAX_PHONE = 32


def valid_email(value: str, field: str = "contact.email") -> Contact:
    """Return the normalised e-mail contact, or raise ``InvalidContact`` naming ``field``."""
    text = value.strip()
    if not text or len(text) > MAX_EMAIL:
        raise InvalidContact(field, "email_missing")
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidContact(field, "email_invalid") from None
    return Contact("email", result.normalized)


def valid_phone(value: str, field: str = "contact.phone") -> Contact:
    """Return the phone contact in E.164 form (Swedish numbers by default), or raise ``InvalidContact``."""
    text = value.strip()
    if not text or len(text) > MAX_PHONE:
        raise InvalidContact(field, "phone_missing")
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidContact(field, "phone_invalid")
    return Contact("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def display_phone(e164: str) -> str:
    """A phone number in the national format staff dial (``070-123 45 67``); other text unchanged."""
    if not e164.startswith("+"):
        return e164
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 46
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)
