"""Builds the case service for the gateway's lifespan (store, key, calendar, mailer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cases.mailer import mailer_from_settings
from cases.service import CaseRedactor, CaseService
from cases.settings import CasesSettings
from cases.store import CaseStore
from content.calendar import OpeningHours
from content.knowledge import KnowledgeBase


def build_case_service(
    settings: CasesSettings,
    *,
    redactor: CaseRedactor,
    normalise: Callable[[str], str],
    audit_log: Any,
    knowledge: KnowledgeBase,
    pseudonym: Callable[[str], str] | None,
    contest_token: Callable[[str], str] | None = None,
) -> CaseService:
    """Open the case store the settings name (migrating it), wire the service and run retention once."""
    store = CaseStore.from_settings(settings)
    service = CaseService(
        store=store,
        audit_log=audit_log,
        redactor=redactor,
        normalise=normalise,
        knowledge=knowledge,
        settings=settings,
        opening_hours=OpeningHours.load(settings.data_dir),
        mailer=mailer_from_settings(settings),
        pseudonym=pseudonym,
        contest_token=contest_token,
    )
    service.purge()
    return service
