"""The municipality profile of ``data/municipality.yml``: the one source of its own public details.

Name, organisation number, switchboard, e-mail, addresses, the contact centre's opening hours and the
``public_contacts`` a municipality edits (README, "Replacing the content") are read here and nowhere
else: the guardrails allow-list the public values, the call-back action uses the opening hours. The
accessibility statement's settings are parsed by :mod:`content.accessibility`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from content.accessibility import AccessibilityStatement, parse_accessibility
from content.errors import MunicipalityError
from content.paths import DEFAULT_DATA_DIR

PROFILE_FILE = "municipality.yml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_TIME_ZONE = "Europe/Stockholm"
_ORG_NUMBER = re.compile(r"^\d{6}-\d{4}$")


@dataclass(frozen=True)
class PublicContacts:
    """The municipality's own phone numbers, e-mail addresses and street addresses (never personal data)."""

    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()

    def values(self) -> tuple[str, ...]:
        """Every phone number, e-mail address and street address, in that order."""
        return (*self.phones, *self.emails, *self.addresses)


@dataclass(frozen=True)
class TimeSavedAssumptions:
    """Staff minutes per contact (by topic), per hand-off and per case, and an FTE's hours a month."""

    contact_minutes: dict[str, float] = field(default_factory=lambda: {"default": 6.0})
    handoff_minutes: float = 8.0
    case_minutes: float = 25.0
    fte_hours_per_month: float = 140.0

    def minutes_for(self, topic: str | None) -> float:
        """Minutes a contact on ``topic`` costs (the default for topics without their own figure)."""
        return self.contact_minutes.get(topic or "", self.contact_minutes.get("default", 6.0))


@dataclass(frozen=True)
class Municipality:
    """The profile of one municipality."""

    name: dict[str, str]
    short_name: str
    org_number: str
    switchboard: str
    email: str
    visiting_address: dict[str, Any] = field(default_factory=dict)
    postal_address: str = ""
    website: str = ""
    time_zone: str = DEFAULT_TIME_ZONE
    # Weekday (0 = Monday) -> (opens, closes) in local time; None when closed all day.
    opening_hours: dict[int, tuple[time, time] | None] = field(default_factory=dict)
    day_before_holiday_close: time | None = None
    public_contacts: PublicContacts = PublicContacts()
    national_numbers: dict[str, dict[str, str]] = field(default_factory=dict)
    time_saved: TimeSavedAssumptions = TimeSavedAssumptions()
    accessibility: AccessibilityStatement = AccessibilityStatement()

    @property
    def display_name(self) -> str:
        """The Swedish name, e.g. ``Exempelstad kommun``."""
        return self.name.get("sv") or next(iter(self.name.values()), self.short_name)

    @property
    def zone(self) -> ZoneInfo:
        """The municipality's time zone."""
        return ZoneInfo(self.time_zone)

    def public_values(self) -> list[str]:
        """Every value of the profile that identifies the municipality itself (for the guardrails)."""
        values = [*self.name.values(), self.short_name, self.org_number, self.switchboard, self.email]
        street = self.visiting_address.get("street")
        if street:
            values.append(str(street))
        values.extend(self.public_contacts.values())
        return [value for value in dict.fromkeys(values) if value]


def org_number_is_valid(value: str) -> bool:
    """True for ``NNNNNN-NNNN`` with a valid Luhn check digit (Swedish organisation numbers)."""
    if not _ORG_NUMBER.match(value):
        return False
    total = 0
    for index, char in enumerate(value.replace("-", "")):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def _text_map(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v}
    return {"sv": str(value)} if value else {}


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in value or () if item)


def _clock(value: Any, where: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError as exc:
        raise MunicipalityError(f"{where}: {value!r} is not a time (HH:MM)") from exc


def _opening_hours(raw: dict[str, Any]) -> dict[int, tuple[time, time] | None]:
    hours: dict[int, tuple[time, time] | None] = {}
    for index, day in enumerate(WEEKDAYS):
        spec = raw.get(day)
        if not spec:
            hours[index] = None
            continue
        try:
            opens, closes = spec["open"], spec["close"]
        except (KeyError, TypeError) as exc:
            raise MunicipalityError(f"opening_hours.{day} needs 'open' and 'close'") from exc
        hours[index] = (_clock(opens, f"opening_hours.{day}"), _clock(closes, f"opening_hours.{day}"))
    return hours


def parse_municipality(raw: dict[str, Any]) -> Municipality:
    """Build the profile from the parsed contents of ``municipality.yml``.

    Raises:
        MunicipalityError: the name is missing, the organisation number or a time is malformed, or the
            accessibility settings are (see :func:`content.accessibility.parse_accessibility`).
    """
    name = _text_map(raw.get("name"))
    if not name:
        raise MunicipalityError("the municipality has no name")
    org_number = str(raw.get("org_number") or "")
    if not org_number_is_valid(org_number):
        raise MunicipalityError(f"org_number {org_number!r} is not NNNNNN-NNNN with a valid check digit")
    centre = raw.get("contact_centre") or {}
    contacts = raw.get("public_contacts") or {}
    early = centre.get("day_before_holiday_close")
    time_zone = str(raw.get("time_zone") or DEFAULT_TIME_ZONE)
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise MunicipalityError(f"unknown time_zone {time_zone!r}") from exc
    display = name.get("sv") or next(iter(name.values()))
    switchboard, email = str(centre.get("phone") or ""), str(centre.get("email") or "")
    return Municipality(
        name=name,
        short_name=str(raw.get("short_name") or display.split(" ")[0]),
        org_number=org_number,
        switchboard=switchboard,
        email=email,
        visiting_address=dict(centre.get("visiting_address") or {}),
        postal_address=str(centre.get("postal_address") or ""),
        website=str(raw.get("website") or ""),
        time_zone=time_zone,
        opening_hours=_opening_hours(centre.get("opening_hours") or {}),
        day_before_holiday_close=_clock(early, "day_before_holiday_close") if early else None,
        public_contacts=PublicContacts(
            phones=_strings(contacts.get("phones")),
            emails=_strings(contacts.get("emails")),
            addresses=_strings(contacts.get("addresses")),
        ),
        national_numbers={str(k): _text_map(v) for k, v in (raw.get("national_numbers") or {}).items()},
        time_saved=_time_saved(raw.get("time_saved") or {}),
        accessibility=parse_accessibility(raw.get("accessibility"), email, switchboard),
    )


def _time_saved(raw: dict[str, Any]) -> TimeSavedAssumptions:
    """The time-saved assumptions; every figure must be a positive number."""
    defaults = TimeSavedAssumptions()

    def minutes(value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise MunicipalityError(f"time_saved.{where} must be a positive number, not {value!r}")
        return float(value)

    contact = raw.get("contact_minutes") or {}
    if not isinstance(contact, dict):
        raise MunicipalityError("time_saved.contact_minutes must map topics to minutes")
    per_topic = {str(k): minutes(v, f"contact_minutes.{k}") for k, v in contact.items()}
    per_topic.setdefault("default", defaults.contact_minutes["default"])
    return TimeSavedAssumptions(
        contact_minutes=per_topic,
        handoff_minutes=minutes(raw.get("handoff_minutes", defaults.handoff_minutes), "handoff_minutes"),
        case_minutes=minutes(raw.get("case_minutes", defaults.case_minutes), "case_minutes"),
        fte_hours_per_month=minutes(
            raw.get("fte_hours_per_month", defaults.fte_hours_per_month), "fte_hours_per_month"
        ),
    )


def load_municipality(data_dir: Path = DEFAULT_DATA_DIR) -> Municipality:
    """Read ``data_dir/municipality.yml``.

    Raises:
        MunicipalityError: the file is missing, unreadable or malformed.
    """
    path = data_dir / PROFILE_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise MunicipalityError(f"{path}: unreadable ({type(exc).__name__})") from exc
    if not isinstance(raw, dict):
        raise MunicipalityError(f"{path}: not a YAML mapping")
    try:
        return parse_municipality(raw)
    except MunicipalityError as exc:
        raise MunicipalityError(f"{path}: {exc}") from None
