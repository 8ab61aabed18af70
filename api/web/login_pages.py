"""Sign-in pages: email and password, then the one-time code (or setting it up the first time)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from litestar import Controller, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.auth.failures import (
    account_id,
    audit_throttled,
    failures_since,
    forget_old_failures,
    record_failure,
)
from api.auth.login import (
    check_password,
    claim_totp_step,
    must_enrol,
    needs_second_factor,
    new_totp_secret,
    provisioning_uri,
    verify_totp,
)
from api.auth.throttle import LoginThrottle, Throttled, code_keys, password_keys
from api.models import User
from api.redis_client import redis_for
from api.web.common import (
    WEB_EXCEPTION_HANDLERS,
    AnyRequest,
    client_address,
    csrf_guard,
    page,
    redirect,
)
from api.web.i18n import gettext as _
from api.web.i18n import ngettext
from api.web.qr import qr_svg
from api.web.session_store import SessionRecord
from api.web.sessions import (
    COOKIE_NAME,
    end_session,
    expired_session_cookie,
    load_session,
    session_cookie,
    session_store,
    start_session,
)
from vetting.actors import Actor


def throttle(request: AnyRequest) -> LoginThrottle:
    state = request.app.state
    found: LoginThrottle | None = state.get("login_throttle")
    if found is None:
        found = LoginThrottle(redis=redis_for(state))
        state["login_throttle"] = found
    return found


def safe_next(value: Any) -> str | None:
    """Only a path on this site, so the sign-in page cannot send people elsewhere."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return None


def home_for(role: str) -> str:
    return "/manager" if role == "venue_manager" else "/officer"


def enrol_context(secret: str, email: str) -> dict[str, Any]:
    """The setup key, the otpauth link and its QR code, for the enrolment pages."""
    uri = provisioning_uri(secret, email)
    return {"secret": secret, "uri": uri, "qr": qr_svg(uri, title=_("QR code of the setup link"))}


async def note_failure(db_session: AsyncSession, throttled: list[Throttled], email: str, stage: str) -> None:
    """Record a failed attempt on an existing account, and any limit it engaged, and commit:
    the page that follows is an error, whose transaction would otherwise be rolled back."""
    user_id = await account_id(db_session, email)
    if user_id is not None:
        await record_failure(db_session, user_id, stage)
    await audit_throttled(db_session, throttled, user_id)
    await db_session.commit()


async def signed_in_data(db_session: AsyncSession, user: User, *, own_failures: int = 0) -> dict[str, Any]:
    """Session data for a full sign-in; notes failed attempts since the previous sign-in, less
    the codes mistyped in this very sign-in (`own_failures`)."""
    previous = user.last_sign_in_at
    summary = await failures_since(db_session, user.id, previous)
    await forget_old_failures(db_session, user.id)
    user.last_sign_in_at = dt.datetime.now(dt.UTC)
    return {
        "mfa_ok": True,
        "previous_sign_in": previous.isoformat() if previous else None,
        "failed_since": max(0, summary.count - own_failures),
    }


def after_sign_in(target: str, data: dict[str, Any]) -> str:
    """Straight to `target`, unless attempts failed since the previous sign-in: the account
    page shows them first, with a link on to `target`."""
    if data.get("failed_since"):
        return f"/account?signed_in=1&next={quote(target, safe='')}"
    return target


def _wait_message(seconds: int) -> str:
    return ngettext(
        "Too many attempts. Wait %(num)s second and try again.",
        "Too many attempts. Wait %(num)s seconds and try again.",
        seconds,
    ) % {"num": seconds}


class LoginController(Controller):
    path = "/"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @get("/login", opt=roles(PUBLIC), name="login")
    async def login_form(self, request: AnyRequest, actor: Actor | None) -> Template | Redirect:
        if actor is not None:
            return redirect(home_for(actor.role))
        return page(
            request,
            "login.html",
            {
                "next": safe_next(request.query_params.get("next")) or "",
                "values": {},
                "signed_out": request.query_params.get("signed_out") == "1",
            },
        )

    @post("/login", opt=roles(PUBLIC))
    async def login(self, request: AnyRequest, db_session: AsyncSession) -> Template | Redirect:
        form = await request.form()
        email = str(form.get("email") or "").strip()
        password = str(form.get("password") or "")
        next_path = safe_next(form.get("next"))
        errors: dict[str, str] = {}
        if not email:
            errors["email"] = _("Enter your email address")
        if not password:
            errors["password"] = _("Enter your password")
        keys = password_keys(email, client_address(request))
        guard = throttle(request)
        wait = await guard.wait_seconds(keys)
        if not errors and wait:
            errors["email"] = _wait_message(wait)
        user: User | None = None
        if not errors:
            user = await check_password(db_session, email, password)
            if user is None:
                await note_failure(db_session, await guard.failed(keys), email, "password")
                errors["email"] = _("Enter a correct email address and password")
        if errors or user is None:
            return page(
                request,
                "login.html",
                {"errors": errors, "values": {"email": email}, "next": next_path or ""},
                status_code=429 if wait else 400,
            )
        old = request.cookies.get(COOKIE_NAME)
        store = session_store(request, db_session)
        # The password was right: its (account, address) count starts again; the code step
        # has its own count.
        await guard.succeeded(keys)
        if needs_second_factor(user):
            stage = "enrol" if must_enrol(user) else "code"
            raw = await start_session(
                store, user, {"mfa_ok": False, "stage": stage, "next": next_path}, replace=old
            )
            await db_session.commit()
            return redirect(f"/login/{stage}", cookies=[session_cookie(raw)])
        data = await signed_in_data(db_session, user)
        raw = await start_session(store, user, data, replace=old)
        await db_session.commit()
        return redirect(after_sign_in(next_path or home_for(user.role), data), cookies=[session_cookie(raw)])

    async def _partial(
        self, request: AnyRequest, db_session: AsyncSession, stage: str
    ) -> tuple[SessionRecord, User] | None:
        row = await load_session(session_store(request, db_session), request.cookies.get(COOKIE_NAME))
        if row is None or row.user_id is None or row.data.get("mfa_ok") or row.data.get("stage") != stage:
            return None
        user = await db_session.get(User, row.user_id)
        if user is None or not user.active:
            return None
        return row, user

    @get("/login/code", opt=roles(PUBLIC))
    async def code_form(self, request: AnyRequest, db_session: AsyncSession) -> Template | Redirect:
        if await self._partial(request, db_session, "code") is None:
            return redirect("/login")
        return page(request, "login_code.html", {})

    @post("/login/code", opt=roles(PUBLIC))
    async def code(self, request: AnyRequest, db_session: AsyncSession) -> Template | Redirect:
        found = await self._partial(request, db_session, "code")
        if found is None:
            return redirect("/login")
        row, user = found
        assert user.totp_secret is not None
        form = await request.form()
        return await self._finish(
            request,
            db_session,
            row,
            user,
            user.totp_secret,
            str(form.get("code") or ""),
            "login_code.html",
            {},
        )

    async def _finish(
        self,
        request: AnyRequest,
        db_session: AsyncSession,
        row: SessionRecord,
        user: User,
        secret: str,
        code: str,
        template: str,
        context: dict[str, Any],
    ) -> Template | Redirect:
        keys = code_keys(user.email, client_address(request))
        guard = throttle(request)
        wait = await guard.wait_seconds(keys)
        if wait:
            return page(
                request, template, context | {"errors": {"code": _wait_message(wait)}}, status_code=429
            )
        if not code.strip():
            return page(
                request,
                template,
                context | {"errors": {"code": _("Enter the 6-digit code")}},
                status_code=400,
            )
        step = verify_totp(secret, code, last_step=user.totp_last_step)
        if step is None or not await claim_totp_step(db_session, user, step):
            # Counted for the account's owner to see, but not shown back to whoever mistyped it
            # here, in the very session that goes on to sign in.
            row.data = {**row.data, "own_failures": int(row.data.get("own_failures") or 0) + 1}
            await session_store(request, db_session).save(row)
            await note_failure(db_session, await guard.failed(keys), user.email, "code")
            return page(
                request,
                template,
                context | {"errors": {"code": _("The code is not right. Enter the code your app shows now")}},
                status_code=400,
            )
        await guard.succeeded(keys)
        if user.totp_secret != secret:
            user.totp_secret = secret
        target = safe_next(row.data.get("next")) or home_for(user.role)
        data = await signed_in_data(db_session, user, own_failures=int(row.data.get("own_failures") or 0))
        raw = await start_session(
            session_store(request, db_session), user, data, replace=request.cookies.get(COOKIE_NAME)
        )
        await db_session.commit()
        return redirect(after_sign_in(target, data), cookies=[session_cookie(raw)])

    async def _pending_secret(self, request: AnyRequest, db_session: AsyncSession, row: SessionRecord) -> str:
        secret = row.data.get("pending_secret")
        if not secret:
            secret = new_totp_secret()
            row.data = {**row.data, "pending_secret": secret}
            await session_store(request, db_session).save(row)
        return str(secret)

    @get("/login/enrol", opt=roles(PUBLIC))
    async def enrol_form(self, request: AnyRequest, db_session: AsyncSession) -> Template | Redirect:
        found = await self._partial(request, db_session, "enrol")
        if found is None:
            return redirect("/login")
        row, user = found
        secret = await self._pending_secret(request, db_session, row)
        return page(request, "login_enrol.html", enrol_context(secret, user.email))

    @post("/login/enrol", opt=roles(PUBLIC))
    async def enrol(self, request: AnyRequest, db_session: AsyncSession) -> Template | Redirect:
        found = await self._partial(request, db_session, "enrol")
        if found is None:
            return redirect("/login")
        row, user = found
        secret = await self._pending_secret(request, db_session, row)
        form = await request.form()
        context = enrol_context(secret, user.email)
        return await self._finish(
            request, db_session, row, user, secret, str(form.get("code") or ""), "login_enrol.html", context
        )

    @post("/logout", opt=roles(PUBLIC))
    async def logout(self, request: AnyRequest, db_session: AsyncSession) -> Redirect:
        await end_session(session_store(request, db_session), request.cookies.get(COOKIE_NAME))
        await db_session.commit()
        return redirect("/login?signed_out=1", cookies=[expired_session_cookie()])
