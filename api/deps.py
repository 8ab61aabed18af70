"""Dependencies shared by the controllers."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide
from sqlalchemy.ext.asyncio import AsyncSession

from api.db.replica import provide_read_session
from api.settings import Settings
from api.sharing_audit import audit_findings_shown
from casework.workflow import Workflow
from vetting.actors import Actor
from vetting.sharing_scope import scope_for_request
from vetting.tenancy import set_scope


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def provide_actor(request: Request[Any, Any, Any]) -> Actor | None:
    actor: Actor | None = request.scope.get("state", {}).get("actor")
    return actor


def provide_staff(request: Request[Any, Any, Any]) -> Actor:
    actor = provide_actor(request)
    # The roles guard has already refused anonymous callers on staff routes.
    assert actor is not None
    return actor


async def provide_db_session(
    db_session_unscoped: AsyncSession, request: Request[Any, Any, Any]
) -> AsyncSession:
    """The request's session, narrowed to the organisation of the member of staff signed in.

    Every handler gets its session here, so none has to remember to filter by organisation.
    """
    set_scope(db_session_unscoped, await scope_for_request(db_session_unscoped, provide_actor(request)))
    return db_session_unscoped


def provide_workflow(db_session: AsyncSession, state: State) -> Workflow:
    settings: Settings = state.settings
    return Workflow(
        session=db_session,
        mailer=state.mailer,
        registry_backend=settings.registry_backend,
        horizon_months=settings.booking_horizon_months,
        base_url=settings.base_url,
        findings_shown=audit_findings_shown,
        documents=state.documents,
        scanner=state.scanner,
    )


DEPENDENCIES = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
    "staff": Provide(provide_staff, sync_to_thread=False),
    "workflow": Provide(provide_workflow, sync_to_thread=False),
    "db_session": Provide(provide_db_session),
    "read_session": Provide(provide_read_session),
}
