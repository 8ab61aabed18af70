"""The start page's "lost your link?" form: a booking reference and the request's contact email;
when they match, a fresh private link is mailed to that address (casework/link_recovery.py).

The answer is the same page, with the same status, whether or not they matched, and it is not
given sooner than `MIN_ANSWER_SECONDS` after the request came in, so neither the page nor the
time it takes tells anyone which references exist. Every request counts towards the limits
(matched or not, so the limits say nothing either): per email address, per reference and per
network address, in Redis when configured and in the process otherwise (api/auth/throttle.py).
"""

from __future__ import annotations

import asyncio
import math
import time

from litestar import Controller, post
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from api.auth.actor import PUBLIC, roles
from api.auth.throttle import LoginThrottle, Rule
from api.redis_client import redis_for
from api.web.booking.controller import start_page
from api.web.common import WEB_EXCEPTION_HANDLERS, AnyRequest, client_address, csrf_guard, page
from api.web.i18n import gettext as _
from casework.link_recovery import MAX_EMAIL, MAX_REFERENCE, normal_reference
from casework.workflow import Workflow

MIN_ANSWER_SECONDS = 0.4
LIMITS = {
    "lostlink_email": Rule(free=3, window=3600.0, ceiling=True),
    "lostlink_ref": Rule(free=5, window=3600.0, ceiling=True),
    "lostlink_ip": Rule(free=30, window=3600.0, ceiling=True),
}
THROTTLE_KEY = "vh:lost-link-throttle:"


def lost_link_throttle(request: AnyRequest) -> LoginThrottle:
    state = request.app.state
    found: LoginThrottle | None = state.get("lost_link_throttle")
    if found is None:
        found = LoginThrottle(rules=dict(LIMITS), redis=redis_for(state), key_prefix=THROTTLE_KEY)
        state["lost_link_throttle"] = found
    return found


def limit_keys(reference: str, email: str, address: str) -> list[str]:
    return [
        f"lostlink_email:{email.strip().lower()}",
        f"lostlink_ref:{normal_reference(reference)}",
        f"lostlink_ip:{address}",
    ]


def _problems(reference: str, email: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = _("Enter the booking reference from the first email we sent you")
    elif len(reference) > MAX_REFERENCE:
        too_long = _("A booking reference is at most %(count)s characters")
        errors["reference"] = too_long % {"count": MAX_REFERENCE}
    if not email:
        errors["email"] = _("Enter the email address you gave on the request")
    elif len(email) > MAX_EMAIL or "@" not in email.strip(" @"):
        errors["email"] = _("Enter an email address like name@example.org")
    return errors


class LostLinkController(Controller):
    path = "/lost-link"
    guards = [csrf_guard]
    exception_handlers = WEB_EXCEPTION_HANDLERS
    include_in_schema = False

    @post("/", opt=roles(PUBLIC), name="lost_link")
    async def ask(self, request: AnyRequest, db_session: AsyncSession, workflow: Workflow) -> Template:
        started = time.monotonic()
        form = await request.form()
        reference = str(form.get("reference") or "").strip()
        email = str(form.get("email") or "").strip()
        errors = _problems(reference, email)
        if errors:
            values = {"reference": reference, "email": email}
            return await start_page(request, db_session, {"errors": errors, "values": values}, 400)
        throttle = lost_link_throttle(request)
        keys = limit_keys(reference, email, client_address(request))
        wait = await throttle.wait_seconds(keys)
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            return page(
                request, "lost_link_sent.html", {"throttled": True, "minutes": minutes}, status_code=429
            )
        await throttle.failed(keys)
        await workflow.recover_link(reference, email)
        await db_session.commit()
        # The same answer at the same time, whether or not anything was found and sent.
        await asyncio.sleep(max(0.0, MIN_ANSWER_SECONDS - (time.monotonic() - started)))
        return page(request, "lost_link_sent.html", {"throttled": False})
