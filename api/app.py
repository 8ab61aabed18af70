"""The Litestar application factory."""

from __future__ import annotations

import gc
from typing import Any

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar, Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from sqlalchemy.ext.asyncio import AsyncEngine

from api.auth.actor import roles_guard
from api.dataprotection.routes import data_protection_handlers
from api.db.config import make_db_config
from api.db.replica import ReadReplica, close_read_replica
from api.deps import DEPENDENCIES
from api.errors import EXCEPTION_HANDLERS
from api.logging_setup import access_log_middleware, configure_logging
from api.outbox_runtime import start_outbox, stop_outbox
from api.readiness import Readiness
from api.redis_client import close_redis
from api.registry_setup import configure_registers
from api.routes.applications import ApplicantController, ApplicationController
from api.routes.assignment import AssignmentController
from api.routes.documents import DocumentsController
from api.routes.evidence import CheckEvidenceController
from api.routes.feeds import FeedController, serve_feed
from api.routes.finance import FinanceController
from api.routes.flagged_list import FlaggedListController
from api.routes.health import health, ready
from api.routes.oversight import OversightController
from api.routes.refunds import RefundsController
from api.routes.reports import ReportsController
from api.routes.venues import VenueController
from api.screening_warm_up import start_screening_warm_up, stop_screening_warm_up
from api.security.middleware import allowed_hosts, before_send_hooks, cors_config, security_middleware
from api.settings import Settings, get_settings
from api.web.i18n import language_middleware
from api.web.routes import template_config, web_handlers
from vetting.document_files import DocumentStore
from vetting.notify import NullMailer
from vetting.scanner import scanner_for
from vetting.screener_cache import SCREENERS


def route_handlers() -> list[Any]:
    return [
        health,
        ready,
        VenueController,
        ApplicationController,
        AssignmentController,
        ApplicantController,
        CheckEvidenceController,
        DocumentsController,
        FlaggedListController,
        FeedController,
        OversightController,
        ReportsController,
        FinanceController,
        RefundsController,
        serve_feed,
        *data_protection_handlers(),
        *web_handlers(),
    ]


async def _freeze_startup_heap(app: Litestar) -> None:
    # Everything made while starting (modules, routes, templates, policies) lives as long as the
    # process: out of the collector's reach, a full collection no longer walks it, which took a
    # queue or directory page from about 40 to over 200 ms once in every ten or twenty requests.
    # Garbage is collected first so that nothing already dead is kept for good.
    if app.state.settings.freeze_startup_heap:
        gc.collect()
        gc.freeze()


async def _stop_taking_traffic(app: Litestar) -> None:
    # First of the shutdown hooks: /ready answers 503 while the outbox finishes its last pass.
    app.state.readiness.shutting_down = True


def create_app(settings: Settings | None = None, *, engine: AsyncEngine | None = None) -> Litestar:
    """Build the app; tests pass their own settings and engine."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    db_config = make_db_config(settings, engine)
    app = Litestar(
        route_handlers=[Router(path="/", route_handlers=route_handlers(), guards=[roles_guard])],
        plugins=[SQLAlchemyPlugin(config=db_config)],
        middleware=[access_log_middleware, language_middleware, *security_middleware(settings)],
        before_send=before_send_hooks(),
        allowed_hosts=allowed_hosts(settings),
        cors_config=cors_config(settings),
        template_config=template_config(),
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=OpenAPIConfig(
            title="Venue hire and premises vetting",
            version="1.0.0",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        debug=False,
        on_startup=[_freeze_startup_heap, start_outbox, start_screening_warm_up],
        on_shutdown=[
            _stop_taking_traffic,
            stop_screening_warm_up,
            stop_outbox,
            close_redis,
            close_read_replica,
        ],
    )
    app.state.settings = settings
    # Built screeners are saved beside the database so a starting worker loads rather than rebuilds.
    SCREENERS.directory = settings.screening_index_dir
    SCREENERS.freeze_heap = settings.freeze_startup_heap
    configure_registers(settings)
    app.state.db_config = db_config
    app.state.read_replica = ReadReplica(settings.read_replica_url) if settings.read_replica_url else None
    app.state.readiness = Readiness()
    # Messages go through the outbox (vetting/outbox_write.py); use cases keep a mailer argument.
    app.state.mailer = NullMailer()
    app.state.documents = DocumentStore(settings.documents_store)
    app.state.scanner = scanner_for(settings.clamd_socket)
    return app
