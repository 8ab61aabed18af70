"""advanced-alchemy configuration shared by the app, the CLI and the migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advanced_alchemy.extensions.litestar import AlembicAsyncConfig, SQLAlchemyAsyncConfig
from advanced_alchemy.types import GUID, DateTimeUTC
from advanced_alchemy.types.file_object import StoredObject
from sqlalchemy import JSON
from sqlalchemy.ext.asyncio import AsyncEngine

# Imported for their tables: whoever uses this configuration (the app, the migrations, the
# model-versus-migration test) sees the shared metadata complete.
import api.models  # noqa: F401
import casework.alert_models  # noqa: F401
import venues.charges.models
import venues.models  # noqa: F401
import vetting.documents
import vetting.models
import vetting.outbox_models
import vetting.providers
import vetting.registers.models
import vetting.status_links  # noqa: F401
from api.db.engine import create_engine
from api.settings import Settings

UNSCOPED_SESSION_KEY = "db_session_unscoped"
MIGRATIONS_DIR = Path(__file__).parent.parent / "migrations"


def make_db_config(settings: Settings, engine: AsyncEngine | None = None) -> SQLAlchemyAsyncConfig:
    return SQLAlchemyAsyncConfig(
        engine_instance=engine or create_engine(settings.database_url, pool_size=settings.database_pool_size),
        # Pages answer successful posts with redirects; their audit records must be committed too.
        before_send_handler="autocommit_include_redirects",
        # Handlers are given `db_session` from api/deps.py: this one narrowed to the signed-in
        # member of staff's organisation (vetting/tenancy.py).
        session_dependency_key=UNSCOPED_SESSION_KEY,
        alembic_config=AlembicAsyncConfig(
            script_location=str(MIGRATIONS_DIR),
            version_table_name="alembic_version",
            render_as_batch=True,
            compare_type=True,
        ),
        create_all=False,
        # The listener inspected every flushed row for FileObject columns; the one there is
        # (case_document.file) is saved and deleted explicitly by casework/documents.py.
        enable_file_object_listener=False,
    )


def compare_type(
    context: object,
    inspected_column: object,
    metadata_column: Any,
    inspected_type: object,
    metadata_type: Any,
) -> bool | None:
    """Type comparison for autogenerate that understands advanced-alchemy's portable types.

    GUID, DateTimeUTC and JsonB render as different native types per database (BINARY/NUMERIC
    on SQLite, UUID/TIMESTAMPTZ/JSONB on PostgreSQL); reflection cannot tell them apart from
    their native form, so they are treated as equal. Everything else uses Alembic's default.
    """
    if isinstance(metadata_type, (GUID, DateTimeUTC, JSON, StoredObject)):
        return False
    return None
