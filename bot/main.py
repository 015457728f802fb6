"""Builds the gateway's FastAPI app (citizen API, chat page); ``create_app`` is the uvicorn factory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from audit import ids as audit_ids
from audit.keys import load_or_create_token
from bot.admin.service import AdminConsole
from bot.api.errors import install_error_handlers
from bot.api.headers import install_embed_cors, install_security_headers
from bot.api.routes import (
    accessibility,
    admin,
    auth,
    cases,
    chat,
    feedback,
    health,
    kpi,
    pages,
    pilot,
    privacy,
    public,
    staff,
)
from bot.auth.setup import build_auth_store
from bot.internal_server import InternalServer
from bot.rasa_auth import RasaJwt
from bot.rasa_client import RasaClient
from bot.services.chat import ChatService
from bot.services.model_info import ModelInfo
from bot.services.rate_limit import RateLimits
from bot.services.store_health import StoreHealth
from bot.services.turn_locks import RedisTurnLocks
from bot.settings import PROJECT_ROOT, Settings, get_settings
from content.errors import SiteError
from content.knowledge import KnowledgeBase
from content.policy import AnswerPolicy
from content.safety import SafetyClassifier, SafetyRules
from content.site.settings import get_site_settings
from content.site.store import SiteStore
from guardrails.log_setup import configure_logging
from guardrails.ner.lexicon import NameLexicon
from guardrails.ner.pipeline import DEFAULT_MODEL_DIR as NER_MODEL_DIR
from guardrails.vault import VaultStore

logger = logging.getLogger("kommunsvar.gateway")


def pseudonym_key(settings: Settings) -> bytes:
    """The configured pseudonym key; in development a random key kept under ``var/keys/``."""
    if settings.pseudonym_key:
        return settings.pseudonym_key.encode()
    return load_or_create_token(settings.var_dir / "keys" / "pseudonym.key", settings.key_policy)


def build_vault(settings: Settings) -> VaultStore | None:
    """The Redis vault when ``KOMMUNSVAR_VAULT_URL`` is set (several workers); else None (in memory)."""
    if not settings.vault_url:
        return None
    from guardrails.redis_vault import RedisVault
    from guardrails.settings import GuardrailSettings

    guardrails = GuardrailSettings()
    key = load_or_create_token(
        settings.resolved_vault_key_path, settings.key_policy, "KOMMUNSVAR_VAULT_KEY_PATH"
    )
    return RedisVault.from_url(
        settings.vault_url,
        key,
        ttl_seconds=guardrails.vault_ttl_seconds,
        max_values=guardrails.vault_max_values_per_conversation,
    )


def build_turn_locks(settings: Settings) -> RedisTurnLocks | None:
    """Redis turn locks when ``KOMMUNSVAR_TURN_LOCK_URL`` is set (several workers); else None (in memory)."""
    if not settings.turn_lock_url:
        return None
    return RedisTurnLocks.from_url(
        settings.turn_lock_url,
        timeout_seconds=settings.turn_lock_timeout_seconds,
        wait_seconds=settings.turn_lock_wait_seconds,
    )


STARTUP_LOCK = "kommunsvar:gateway-startup"


def startup_lock(settings: Settings) -> contextlib.AbstractContextManager[Any]:
    """Held while a worker opens the stores (with ``KOMMUNSVAR_TURN_LOCK_URL``: several workers).

    Workers that start together would otherwise race to create the same tables (PostgreSQL refuses the
    second ``CREATE TABLE``; SQLite migrations run twice). One worker alone needs no lock.
    """
    if not settings.turn_lock_url:
        return contextlib.nullcontext()
    import redis

    client = redis.Redis.from_url(settings.turn_lock_url, socket_timeout=10, socket_connect_timeout=5)
    # Expires on its own if the worker holding it dies while opening the stores.
    lock: contextlib.AbstractContextManager[Any] = client.lock(
        STARTUP_LOCK, timeout=120, blocking_timeout=240
    )
    return lock


def build_internal_app(app: FastAPI) -> FastAPI:
    """The internal API as its own app on the public app's services (``app.state`` is shared)."""
    internal = FastAPI(title="Kommunsvar internal", docs_url=None, redoc_url=None, openapi_url=None)
    internal.state = app.state
    install_error_handlers(internal)
    install_security_headers(internal, "'none'")
    internal.include_router(cases.internal_router)
    internal.include_router(privacy.router)
    app.state.internal_app = internal
    return internal


def _site_store() -> SiteStore | None:
    """The imported website's store (None when the tier is off or the store cannot be opened)."""
    site_settings = get_site_settings()
    if not site_settings.enabled:
        return None
    try:
        return SiteStore.open(site_settings.resolved_url)
    except SiteError as exc:
        logger.warning("site_store_unavailable", extra={"error": type(exc).__name__})
        return None


def create_app(settings: Settings | None = None) -> FastAPI:
    """The gateway app; heavy parts (redactor, audit store, HTTP client) are built in the lifespan."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from guardrails.logging_filter import RedactingFilter
        from guardrails.redactor import Redactor

        redactor = Redactor.create(vault=build_vault(settings))
        configure_logging(
            "gateway", settings.log_dir, RedactingFilter(redactor, generated_ids=audit_ids.CANONICAL)
        )
        # Workers starting together would race to create the stores' tables: one at a time opens them.
        # Released once they are open (or when starting fails); closing it twice is harmless.
        with contextlib.ExitStack() as opening:
            opening.enter_context(startup_lock(settings))
            async with _serving(app, settings, redactor, opening) as started:
                yield started

    @asynccontextmanager
    async def _serving(
        app: FastAPI, settings: Settings, redactor: Any, opening: contextlib.ExitStack
    ) -> AsyncIterator[None]:
        from audit.log import open_audit_log

        audit_log = open_audit_log(settings.resolved_audit_url)
        app.state.audit_log = audit_log
        app.state.store_health = StoreHealth(  # /api/health: the audit database and Redis
            audit_log.engine,
            [settings.vault_url, settings.turn_lock_url, settings.rate_limit_storage_url],
            timeout_s=settings.health_timeout_seconds,
        )
        app.state.auth = build_auth_store(settings)  # users and sessions (admin console, staff queue)
        app.state.admin = AdminConsole.build(audit_log, settings.data_dir)
        timeout = httpx.Timeout(settings.rasa_timeout_seconds, connect=settings.health_timeout_seconds)
        turn_locks = build_turn_locks(settings)
        async with httpx.AsyncClient(timeout=timeout) as client:
            jwt = RasaJwt(settings.rasa_jwt_key) if settings.rasa_jwt_key else None
            rasa = RasaClient(client, settings.rasa_url, settings.action_url, settings.rasa_token, jwt)
            app.state.rasa = rasa
            app.state.chat_service = ChatService(
                redactor=redactor,
                audit_log=audit_log,
                rasa=rasa,
                knowledge=KnowledgeBase.load(settings.data_dir),
                policy=AnswerPolicy.load(settings.data_dir),
                safety=SafetyClassifier(SafetyRules.load(settings.data_dir)),
                model_info=ModelInfo(PROJECT_ROOT, settings.code_version),
                pseudonym_key=pseudonym_key(settings),
                max_chars=settings.max_message_chars,
                site=_site_store(),
                turn_locks=turn_locks,
                is_clear_name=NameLexicon.load(NER_MODEL_DIR).is_clear_name,
            )
            from cases.settings import CasesSettings
            from cases.setup import build_case_service
            from guardrails.normalise import normalise_input

            app.state.case_service = build_case_service(  # contested answers, complaints, call-backs
                CasesSettings(var_dir=settings.var_dir, data_dir=settings.data_dir),
                redactor=redactor,
                normalise=normalise_input,
                audit_log=audit_log,
                knowledge=app.state.chat_service.knowledge,
                pseudonym=app.state.chat_service.pseudonym,
                contest_token=app.state.chat_service.contest_token,
            )
            from bot.services.pilot import PilotGate
            from cases.pilot import PilotDesk

            app.state.pilot_desk = PilotDesk(app.state.case_service.store.engine)  # supervised pilot mode
            app.state.chat_service.pilot = PilotGate(
                app.state.pilot_desk, app.state.chat_service.policy.notices
            )
            from bot.services.privacy import build_privacy_service

            app.state.privacy = build_privacy_service(  # deletion and retention: audit, tracker, vault
                settings,
                audit_log=audit_log,
                vault=redactor.vault,
                internal_token=settings.internal_token,
                pseudonym=app.state.chat_service.pseudonym,
            )
            opening.close()  # the stores are open: the next worker may open them
            internal_server = InternalServer(internal, settings.internal_port, reuse_port=settings.reuse_port)
            await internal_server.start()
            logger.info(
                "gateway_started", extra={"port": settings.port, "internal_port": settings.internal_port}
            )
            yield
            await internal_server.stop()
            app.state.privacy.close()
            if app.state.chat_service.site is not None:
                app.state.chat_service.site.close()
            app.state.case_service.store.close()
        if turn_locks is not None:
            await turn_locks.close()
        await app.state.store_health.close()
        app.state.auth.close()
        close = getattr(audit_log, "close", None)
        if callable(close):
            close()

    # The API documentation is for developers: off in production.
    development = settings.environment == "development"
    app = FastAPI(
        title="Kommunsvar",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if development else None,
        redoc_url="/redoc" if development else None,
        openapi_url="/openapi.json" if development else None,
    )
    install_security_headers(app, settings.frame_ancestors, settings.embed_origin_list)
    install_embed_cors(app, settings.embed_origin_list)
    internal = build_internal_app(app)
    app.state.rate_limits = RateLimits(settings)  # abuse limits per address and conversation
    app.state.internal_token = settings.internal_token  # the loopback-only /internal API's bearer token
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(pages.router)
    app.include_router(public.router)
    app.include_router(accessibility.router)  # the accessibility statement and its report form
    app.include_router(auth.router)
    app.include_router(admin.router)
    app.include_router(kpi.router)
    app.include_router(cases.router)
    app.include_router(feedback.router)
    app.include_router(privacy.public_router)
    app.include_router(staff.router)
    app.include_router(pilot.router)
    app.include_router(pilot.staff_router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    return app
