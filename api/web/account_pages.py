"""A staff member's own account: failed sign-in attempts, changing the password and the
second factor (both need the current password and a current code; see api/auth/account_changes.py).

Changing the email address is left to administrators (there is no page for it); the account
page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import actor_label, append
from api.auth import account_changes as changes
from api.auth.actor import STAFF, roles
from api.auth.failures import failures_since
from api.auth.login import new_totp_secret, verify_totp
from api.auth.throttle import code_keys
from api.models import User
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, client_address, csrf_guard, page, redirect
from api.web.login_pages import _wait_message, enrol_context, note_failure, safe_next, throttle
from api.web.session_store import SessionRecord
from api.web.sessions import COOKIE_NAME, load_session, session_cookie, session_store, start_session
from vetting.actors import Actor


def _when(value: dt.datetime) -> str:
    return f"{value.astimezone(dt.UTC):%a %-d %b %Y %H:%M} UTC"


@dataclass(frozen=True)
class _PendingSecondFactor:
    row: SessionRecord
    user: User
    secret: str
    context: dict[str, Any]


class AccountController(Controller):
    path = "/account"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    async def _mine(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> tuple[SessionRecord, User] | None:
        """This browser's session and the user; None for API tokens, which have no session."""
        row = await load_session(session_store(request, db_session), request.cookies.get(COOKIE_NAME))
        user = await db_session.get(User, staff.id)
        if row is None or user is None or row.user_id != user.id:
            return None
        return row, user

    @get("/", opt=roles(*STAFF), name="account")
    async def overview(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        mine = await self._mine(request, staff, db_session)
        if mine is None:
            return redirect("/login")
        row, user = mine
        previous_raw = row.data.get("previous_sign_in")
        previous = dt.datetime.fromisoformat(previous_raw) if isinstance(previous_raw, str) else None
        since_previous = await failures_since(db_session, user.id, previous)
        return page(
            request,
            "account.html",
            {
                "user": user,
                "previous_sign_in": _when(previous) if previous else None,
                "failed_count": since_previous.count,
                "failed_times": [_when(at) for at in since_previous.latest],
                "signed_in": request.query_params.get("signed_in") == "1",
                "next": safe_next(request.query_params.get("next")),
                "done": request.query_params.get("done"),
            },
        )

    # ------------------------------------------------------------------ shared steps

    async def _reauthenticate(
        self, request: AnyRequest, db_session: AsyncSession, user: User, form: Any
    ) -> tuple[changes.Reauthentication, int]:
        """Password and current code, under the same throttle as signing in; (result, wait)."""
        keys = code_keys(user.email, client_address(request))
        guard = throttle(request)
        wait = await guard.wait_seconds(keys)
        if wait:
            return changes.Reauthentication({"current-password": _wait_message(wait)}), wait
        result = changes.reauthenticate(
            user, str(form.get("current_password") or ""), str(form.get("current_code") or "")
        )
        if result.errors:
            await note_failure(db_session, await guard.failed(keys), user.email, "reauth")
            await db_session.refresh(user)  # the commit that kept the failure expired it
        else:
            await guard.succeeded(keys)
        return result, 0

    async def _finish(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        staff: Actor,
        row: SessionRecord,
        user: User,
        change: str,
    ) -> Redirect:
        """End every session of the account, start a fresh one here, record, notify, commit."""
        store = session_store(request, db_session)
        await changes.end_all_sessions(db_session, store, user)
        raw = await start_session(
            store, user, {"mfa_ok": True, "previous_sign_in": row.data.get("previous_sign_in")}
        )
        await append(
            db_session,
            actor=actor_label(staff),
            action=f"{change}_changed",
            object_type="user",
            object_id=str(user.id),
        )
        settings = request.app.state.settings
        changes.send_notice(
            db_session,
            request.app.state.mailer,
            changes.notice(user, change, council_name=settings.council_name),
        )
        await db_session.commit()
        return redirect(f"/account?done={change}", cookies=[session_cookie(raw)])

    # ------------------------------------------------------------------ password

    @get("/password", opt=roles(*STAFF))
    async def password_form(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        mine = await self._mine(request, staff, db_session)
        if mine is None:
            return redirect("/login")
        return page(request, "account_password.html", {"has_factor": mine[1].totp_secret is not None})

    @post("/password", opt=roles(*STAFF))
    async def change_password(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        mine = await self._mine(request, staff, db_session)
        if mine is None:
            return redirect("/login")
        row, user = mine
        form = await request.form()
        context = {"has_factor": user.totp_secret is not None}
        new = str(form.get("new_password") or "")
        result, wait = await self._reauthenticate(request, db_session, user, form)
        errors = dict(result.errors)
        if not wait:
            council_words = tuple(request.app.state.settings.council_name.lower().split())
            problems = changes.new_password_problems(user, new, council_words) if new else []
            if not new:
                errors["new-password"] = "Enter a new password"  # a message
            elif problems:
                errors["new-password"] = "Your new password " + "; ".join(problems)
        if not errors and not await changes.claim_step(db_session, user, result.step):
            errors["current-code"] = changes.CODE_WRONG
        if errors:
            await db_session.rollback()
            return page(
                request,
                "account_password.html",
                context | {"errors": errors},
                status_code=429 if wait else 400,
            )
        changes.set_password(user, new)
        return await self._finish(request, db_session, staff, row, user, "password")

    # ------------------------------------------------------------------ second factor

    async def _pending_secret(self, request: AnyRequest, db_session: AsyncSession, row: SessionRecord) -> str:
        secret = row.data.get("pending_secret")
        if not secret:
            secret = new_totp_secret()
            row.data = {**row.data, "pending_secret": secret}
            await session_store(request, db_session).save(row)
        return str(secret)

    async def _pending_second_factor(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> _PendingSecondFactor | None:
        """This session's account, the new secret it is setting up, and the page's context."""
        mine = await self._mine(request, staff, db_session)
        if mine is None:
            return None
        row, user = mine
        secret = await self._pending_secret(request, db_session, row)
        context = enrol_context(secret, user.email) | {"has_factor": user.totp_secret is not None}
        return _PendingSecondFactor(row, user, secret, context)

    @get("/second-factor", opt=roles(*STAFF))
    async def second_factor_form(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        pending = await self._pending_second_factor(request, staff, db_session)
        if pending is None:
            return redirect("/login")
        return page(request, "account_second_factor.html", pending.context)

    @post("/second-factor", opt=roles(*STAFF))
    async def replace_second_factor(
        self, request: AnyRequest, staff: Actor, db_session: AsyncSession
    ) -> Template | Redirect:
        pending = await self._pending_second_factor(request, staff, db_session)
        if pending is None:
            return redirect("/login")
        row, user, secret, context = pending.row, pending.user, pending.secret, pending.context
        form = await request.form()
        result, wait = await self._reauthenticate(request, db_session, user, form)
        errors = dict(result.errors)
        new_step: int | None = None
        if not wait:
            new_code = str(form.get("code") or "")
            new_step = verify_totp(secret, new_code) if new_code.strip() else None
            if not new_code.strip():
                errors["code"] = "Enter the 6-digit code your app shows for the new setup"
            elif new_step is None:
                errors["code"] = changes.CODE_WRONG
        if not errors and not await changes.claim_step(db_session, user, result.step):
            errors["current-code"] = changes.CODE_WRONG
        if errors or new_step is None:
            await db_session.rollback()
            return page(
                request,
                "account_second_factor.html",
                context | {"errors": errors},
                status_code=429 if wait else 400,
            )
        user.totp_secret = secret
        # Steps of the new secret up to the one just shown are used: the same code cannot follow.
        user.totp_last_step = max(new_step, result.step or 0)
        return await self._finish(request, db_session, staff, row, user, "second_factor")
