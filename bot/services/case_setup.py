"""Builds the case service for the gateway's lifespan (store, key, calendar, mailer)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from audit.cases.store import CaseStore
from bot.holidays import OpeningHours
from bot.knowledge import KnowledgeBase
from bot.services.case_settings import CaseSettings
from bot.services.cases import CaseService
from bot.services.mailer import mailer_from_settings
from bot.settings import Settings


def build_case_service(
    settings: Settings,
    *,
    redactor: Any,
    audit_log: Any,
    knowledge: KnowledgeBase,
    pseudonym: Callable[[str], str] | None,
) -> CaseService:
    """Open the case store under the gateway's ``var_dir`` and wire the service."""
    case_settings = CaseSettings(var_dir=settings.var_dir, data_dir=settings.data_dir)
    store = CaseStore.open(case_settings.resolved_database_url, key_path=case_settings.resolved_key_path)
    service = CaseService(
        store=store,
        audit_log=audit_log,
        redactor=redactor,
        knowledge=knowledge,
        settings=case_settings,
        opening_hours=OpeningHours.load(case_settings.data_dir),
        mailer=mailer_from_settings(case_settings),
        pseudonym=pseudonym,
    )
    service.purge()
    return service
