"""Deletion requests and retention runs for the running gateway: audit content, tracker store and vault.

The vault of raw values lives in this process (one worker) or in Redis (several workers, reached only
through a gateway), so the gateway is the one place where all three stores can be purged together
(:mod:`audit.purge`); with the Redis vault any worker's purge reaches every worker's values.
``POST /internal/privacy/forget`` and ``POST /internal/privacy/retention`` call this service;
``python -m audit forget|retention --gateway`` reaches them from a shell.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from typing import Any

from audit.errors import AuditError, RecordNotFound
from audit.purge import ConversationStores, ConversationVault, forget, purge_expired
from audit.tracker import TrackerStore
from bot.errors import InternalAccessDenied, ReferenceNotFound, UpstreamUnavailable
from bot.settings import Settings
from guardrails.errors import VaultUnavailable

logger = logging.getLogger("kommunsvar.privacy")


class PrivacyService:
    """Runs :func:`audit.purge.forget` and :func:`audit.purge.purge_expired` with the gateway's vault."""

    def __init__(
        self, stores: ConversationStores, *, internal_token: str, pseudonym: Callable[[str], str]
    ) -> None:
        """Keep the stores, the internal API token and the conversation-id pseudonymiser."""
        self.stores = stores
        self._token = internal_token
        self._pseudonym = pseudonym

    def authorise(self, authorization: str, loopback: bool) -> None:
        """Refuse callers that are not on loopback or do not present the internal token."""
        expected = f"Bearer {self._token}".encode()
        if not self._token or not loopback or not hmac.compare_digest(authorization.encode(), expected):
            raise InternalAccessDenied("internal API refused")

    def forget(self, reference: str | None, conversation_id: str | None, dry_run: bool) -> dict[str, Any]:
        """Delete a conversation everywhere; named by an audit id, its pseudonym, or the browser's id."""
        target = self._pseudonym(conversation_id) if conversation_id else reference
        if not target:
            raise ReferenceNotFound("no reference")
        try:
            report = forget(self.stores, target, dry_run=dry_run)
        except RecordNotFound as exc:
            raise ReferenceNotFound("unknown conversation") from exc
        except AuditError as exc:
            raise UpstreamUnavailable("audit", type(exc).__name__) from exc
        except VaultUnavailable as exc:
            raise UpstreamUnavailable("vault", type(exc).__name__) from exc
        if not dry_run:
            self._log("privacy_forget", report.conversation)
        logger.info("privacy_forget", extra={"dry_run": dry_run, "vault_values": report.vault})
        return report.to_dict()

    def retention(self, dry_run: bool) -> dict[str, Any]:
        """Apply retention to the audit trail and the tracker store; drop idle vault entries."""
        try:
            report = purge_expired(self.stores, dry_run=dry_run)
        except AuditError as exc:
            raise UpstreamUnavailable("audit", type(exc).__name__) from exc
        if not dry_run:
            self._log("privacy_retention", None)
        logger.info("privacy_retention", extra={"dry_run": dry_run})
        return report.to_dict()

    def _log(self, action: str, target: str | None) -> None:
        try:
            self.stores.audit_log.log_access("internal", action, target)
        except AuditError as exc:
            logger.warning("privacy_access_not_logged", extra={"error": type(exc).__name__})

    def close(self) -> None:
        """Release the tracker store's connections."""
        if self.stores.tracker is not None:
            self.stores.tracker.close()


def build_privacy_service(
    settings: Settings,
    *,
    audit_log: Any,
    vault: ConversationVault,
    internal_token: str,
    pseudonym: Callable[[str], str],
) -> PrivacyService:
    """Wire the stores of this gateway (the tracker store is opened on first use)."""
    stores = ConversationStores(
        audit_log=audit_log, tracker=TrackerStore(settings.resolved_tracker_url), vault=vault
    )
    return PrivacyService(stores, internal_token=internal_token, pseudonym=pseudonym)
