"""The Litestar application factory."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from sqlalchemy.ext.asyncio import AsyncEngine

from api.db_config import make_db_config
from api.logging_setup import access_log_middleware, configure_logging
from api.routes.health import health
from api.settings import Settings, get_settings


def create_app(settings: Settings | None = None, *, engine: AsyncEngine | None = None) -> Litestar:
    """Build the app; tests pass their own settings and engine."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    db_config = make_db_config(settings, engine)
    app = Litestar(
        route_handlers=[health],
        plugins=[SQLAlchemyPlugin(config=db_config)],
        middleware=[access_log_middleware],
        openapi_config=OpenAPIConfig(
            title="Venue hire and premises vetting",
            version="1.0.0",
            path="/schema",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        debug=False,
    )
    app.state.settings = settings
    app.state.db_config = db_config
    return app
