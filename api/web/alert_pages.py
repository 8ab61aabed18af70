"""A member of staff's alert choices: per kind of alert, immediately, in the daily digest or off,
and the time of the digest (casework/alert_preferences.py decides what is allowed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import STAFF, roles
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, csrf_guard, page, redirect
from casework.alert_preferences import (
    DELIVERIES,
    DIGEST,
    IMMEDIATELY,
    KINDS,
    MANDATORY,
    OFF,
    AlertSettings,
    alert_settings,
    parse_digest_time,
    save_alert_settings,
)
from vetting.actors import Actor
from vetting.errors import Invalid

LABELS = {IMMEDIATELY: "Immediately", DIGEST: "In my daily digest", OFF: "Off"}


def _rows(choices: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "kind": kind,
            "label": label,
            "value": choices.get(kind, IMMEDIATELY),
            "options": [(d, LABELS[d]) for d in DELIVERIES if not (d == OFF and kind in MANDATORY)],
            "mandatory": kind in MANDATORY,
        }
        for kind, label in KINDS.items()
    ]


class AlertPreferencesController(Controller):
    path = "/account/alerts"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    def _page(
        self,
        request: AnyRequest,
        settings: AlertSettings | None,
        *,
        choices: dict[str, str] | None = None,
        digest_at: str | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        shown = choices if choices is not None else (settings.choices if settings else {})
        at = digest_at if digest_at is not None else (f"{settings.digest_at:%H:%M}" if settings else "08:00")
        return page(
            request,
            "account_alerts.html",
            {
                "rows": _rows(shown),
                "digest_at": at,
                "errors": errors or {},
                "done": request.query_params.get("done"),
            },
            status_code=status_code,
        )

    @get("/", opt=roles(*STAFF), name="account_alerts")
    async def show(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template | Redirect:
        if staff.id is None:
            return redirect("/login")
        return self._page(request, await alert_settings(db_session, staff.id))

    @post("/", opt=roles(*STAFF))
    async def save(self, request: AnyRequest, staff: Actor, db_session: AsyncSession) -> Template | Redirect:
        if staff.id is None:
            return redirect("/login")
        form = await request.form()
        choices = {kind: str(form.get(kind) or IMMEDIATELY) for kind in KINDS}
        raw_time = str(form.get("digest_at") or "").strip()
        try:
            digest_at: dt.time = parse_digest_time(raw_time or "08:00")
            await save_alert_settings(db_session, staff, choices, digest_at)
        except Invalid as exc:
            await db_session.rollback()
            # The radios' fieldsets have the kinds as ids; the time field is "digest-at".
            errors = {(k if k in KINDS else k.replace("_", "-")): v for k, v in exc.errors.items()}
            return self._page(
                request, None, choices=choices, digest_at=raw_time, errors=errors, status_code=400
            )
        await db_session.commit()
        return redirect("/account/alerts?done=saved")
