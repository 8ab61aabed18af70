"""Administrators' preview of every message the service sends: subject, plain text and HTML,
rendered with invented sample data in the words of the administrator's own organisation (its
`message_templates`, name and web address), or the defaults for a service administrator.

The HTML is shown in a frame loaded from its own address, with a policy of its own that allows
the message's inline styles and nothing else (no scripts, no requests, a sandbox).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, MediaType, Response, get
from litestar.exceptions import NotFoundException
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import ADMIN, roles
from api.settings import Settings
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page
from casework.deps import CaseDeps
from casework.message_catalogue import BY_NAME, HIRER, KINDS, Kind, samples_for
from casework.message_render import Rendered
from casework.message_wording import Message, compose
from casework.messages import Sender, sender_of
from vetting.actors import Actor

PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; sandbox"
)
AUDIENCES = {HIRER: "To the hirer", "staff": "To staff"}


@dataclass(frozen=True)
class Preview:
    kind: Kind
    rendered: Rendered
    own_words: bool  # the organisation words this message its own way


async def _sender(db_session: AsyncSession, staff: Actor, settings: Settings) -> Sender:
    return await sender_of(CaseDeps(db_session, base_url=settings.base_url), staff.provider_id)


def preview(kind: Kind, sender: Sender) -> Preview:
    values = samples_for(kind.name) | {
        "organisation": sender.organisation,
        "status_url": f"{sender.base_url}/status/SAMPLE-LINK-NOT-REAL",
    }
    if values.get("case_url"):
        values["case_url"] = f"{sender.base_url}/officer/cases/00000000-0000-4000-8000-000000000000"
    own = sender.templates.get(kind.name)
    return Preview(kind, compose(Message(kind.name, values), sender.templates), bool(own))


class AdminMessagesController(Controller):
    path = "/admin/messages"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/", opt=roles(*ADMIN), name="admin_messages")
    async def messages(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession, settings: Settings
    ) -> Template:
        sender = await _sender(db_session, staff, settings)
        previews = [preview(kind, sender) for kind in KINDS]
        groups: dict[str, list[Preview]] = {}
        for p in previews:
            groups.setdefault(AUDIENCES[p.kind.audience], []).append(p)
        context: dict[str, Any] = {
            "groups": groups,
            "organisation": sender.organisation,
            "service_admin": staff.is_service_admin,
        }
        return page(request, "admin_messages.html", context)

    @get("/preview", opt=roles(*ADMIN), name="admin_message_preview")
    async def preview_html(
        self,
        staff: Actor,
        db_session: AsyncSession,
        settings: Settings,
        name: str | None = None,
    ) -> Response[str]:
        kind = BY_NAME.get(name or "")
        if kind is None:
            raise NotFoundException()
        shown = preview(kind, await _sender(db_session, staff, settings))
        return Response(
            shown.rendered.html,
            media_type=MediaType.HTML,
            headers={
                "Content-Security-Policy": PREVIEW_POLICY,
                "X-Frame-Options": "SAMEORIGIN",
                "Cache-Control": "no-store",
            },
        )
