"""Sign-in, sessions, CSRF and double submission, through the real app over HTTP (no browser).

Secure cookies are only sent over https, so the client talks to https://testserver.local.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pyotp
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.audit import verify_chain
from api.models import AuditRecord, User, WebSession
from api.settings import Settings
from api.web.sessions import COOKIE_NAME
from policies import default_declarations
from tests import factories as f
from tests.factories import application_payload, bearer, next_weekday
from tests.web.pages import booking_form_steps
from tests.web.sign_in import csrf_of, email_of, password_step, set_totp, sign_in_as, sign_in_officer
from vetting.models import VettingCase

Client = AsyncTestClient[Litestar]
STATE_RE = re.compile(r'name="state" value="([^"]+)"')


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def test_officer_needs_the_second_factor_and_gets_a_new_session_id(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await set_totp(session, seeded["officer"].id)
    await password_step(web, await email_of(session, seeded["officer"]))
    partial = web.cookies.get(COOKIE_NAME)
    assert partial
    # The password alone opens nothing.
    blocked = await web.get("/officer", follow_redirects=False)
    assert blocked.status_code == 303 and blocked.headers["location"].startswith("/login?next=")
    api = await web.get("/api/v1/applications")
    assert api.status_code == 401


async def test_full_sign_in_rotates_the_session_and_sign_out_deletes_it(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await set_totp(session, seeded["officer"].id)
    await password_step(web, await email_of(session, seeded["officer"]))
    partial = web.cookies.get(COOKIE_NAME)
    secret = (
        await session.execute(select(User.totp_secret).where(User.id == seeded["officer"].id))
    ).scalar_one()
    await session.commit()
    assert secret is not None
    page = await web.get("/login/code")
    await web.post("/login/code", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)})
    full = web.cookies.get(COOKIE_NAME)
    assert full and full != partial
    queue = await web.get("/officer")
    assert queue.status_code == 200 and "Booking requests" in queue.text
    rows = (await session.execute(select(func.count()).select_from(WebSession))).scalar_one()
    await session.commit()
    assert rows == 1  # the partial session was replaced, not kept
    out = await web.post("/logout", data={"csrf_token": csrf_of(queue.text)}, follow_redirects=False)
    assert out.status_code == 303
    left = (await session.execute(select(func.count()).select_from(WebSession))).scalar_one()
    await session.commit()
    assert left == 0
    web.cookies.set(COOKIE_NAME, full, domain="testserver.local")
    assert (await web.get("/officer", follow_redirects=False)).status_code == 303


async def test_a_code_cannot_be_replayed(web: Client, session: AsyncSession, seeded: dict[str, Any]) -> None:
    secret = await sign_in_officer(web, session, seeded)
    code = pyotp.TOTP(secret).now()
    web.cookies.clear()
    # The code that was just used does not work again.
    await password_step(web, await email_of(session, seeded["officer"]))
    page = await web.get("/login/code")
    again = await web.post("/login/code", data={"code": code, "csrf_token": csrf_of(page.text)})
    assert again.status_code == 400 and "The code is not right" in again.text


async def test_a_code_used_in_one_process_is_refused_by_another(
    web: Client, settings: Settings, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    secret = await sign_in_officer(web, session, seeded)
    step = (
        await session.execute(select(User.totp_last_step).where(User.id == seeded["officer"].id))
    ).scalar_one()
    await session.commit()
    assert step is not None
    used = pyotp.TOTP(secret).at(step * 30)
    # A second app instance over the same database stands for another worker process.
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as other:
        await password_step(other, await email_of(session, seeded["officer"]))
        page = await other.get("/login/code")
        again = await other.post("/login/code", data={"code": used, "csrf_token": csrf_of(page.text)})
    assert again.status_code == 400 and "The code is not right" in again.text


async def test_idle_and_absolute_timeouts_end_the_session(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_officer(web, session, seeded)
    assert (await web.get("/officer")).status_code == 200
    now = dt.datetime.now(dt.UTC)
    await session.execute(update(WebSession).values(last_seen=now - dt.timedelta(minutes=31)))
    await session.commit()
    assert (await web.get("/officer", follow_redirects=False)).status_code == 303
    await session.execute(update(WebSession).values(last_seen=now, expires_at=now - dt.timedelta(seconds=1)))
    await session.commit()
    assert (await web.get("/officer", follow_redirects=False)).status_code == 303
    await session.execute(update(WebSession).values(expires_at=now + dt.timedelta(hours=1)))
    await session.commit()
    assert (await web.get("/officer", follow_redirects=False)).status_code == 200


async def test_failed_passwords_slow_down_that_account_and_address_without_locking_it(
    web: Client, session: AsyncSession, seeded: dict[str, Any], app: Litestar
) -> None:
    email = await email_of(session, seeded["manager"])
    for _ in range(5):
        wrong = await password_step(web, email, "not the password")
        assert wrong.status_code == 400
    slowed = await password_step(web, email)
    assert slowed.status_code == 429 and "Too many attempts" in slowed.text
    # The delay passes; then the right password works and clears the count.
    throttle = app.state["login_throttle"]
    for counter in throttle._counters.values():
        counter.last -= 3600 - 1
    ok = await password_step(web, email)
    assert ok.status_code == 303 and ok.headers["location"] == "/login/enrol"


async def test_forms_refuse_a_post_without_the_token(web: Client, seeded: dict[str, Any]) -> None:
    page = await web.get("/book")
    state = STATE_RE.search(page.text)
    assert state
    form = {"state": state.group(1), "step": "room", "nav": "continue"}
    missing = await web.post("/book", data=form, headers={"accept": "text/html"})
    assert missing.status_code == 403 and "This form has expired" in missing.text
    forged = await web.post("/book", data=form | {"csrf_token": "0" * 64})
    assert forged.status_code == 403
    good = await web.post("/book", data=form | {"csrf_token": csrf_of(page.text)})
    assert good.status_code == 400 and "Select a venue" in good.text
    # A token from another browser (another CSRF cookie) does not fit this one.
    mine = dict(web.cookies.items())
    web.cookies.clear()
    stolen_token = csrf_of((await web.get("/book")).text)
    web.cookies.clear()
    for name, value in mine.items():
        web.cookies.set(name, value, domain="testserver.local")
    stolen = await web.post("/book", data=form | {"csrf_token": stolen_token})
    assert stolen.status_code == 403
    assert (await web.post("/book", data=form | {"csrf_token": csrf_of(page.text)})).status_code == 400
    assert (await web.post("/login", data={"email": "x@example.com", "password": "x"})).status_code == 403


async def test_bearer_api_calls_need_no_csrf_token(web: Client, seeded: dict[str, Any]) -> None:
    response = await web.get(
        "/api/v1/applications", headers={"Authorization": f"Bearer {seeded['officer_token']}"}
    )
    assert response.status_code == 200


async def test_api_writes_with_the_session_cookie_need_own_origin_and_the_token(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """Issue 14, item 1 (more in tests/security/test_api_cookie_writes.py)."""
    feed = {"venue_id": str(seeded["venue"].id)}
    await sign_in_officer(web, session, seeded)
    token = csrf_of((await web.get("/officer")).text)
    plain = await web.post(
        "/api/v1/feeds",
        content=json.dumps(feed),
        headers={"Content-Type": "text/plain", "Origin": "https://evil.example"},
    )
    assert plain.status_code == 403
    assert (await web.post("/api/v1/feeds", json=feed)).status_code == 403
    foreign = await web.post(
        "/api/v1/feeds", json=feed, headers={"X-CSRF-Token": token, "Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    own = await web.post(
        "/api/v1/feeds", json=feed, headers={"X-CSRF-Token": token, "Origin": "http://testserver.local"}
    )
    assert own.status_code == 201, own.text


async def test_page_forms_with_a_nul_byte_answer_400(web: Client, seeded: dict[str, Any]) -> None:
    """Issue 14, item 8: never stored, never a 500 (PostgreSQL refuses NUL in text)."""
    page = await web.get("/book")
    form = {"csrf_token": csrf_of(page.text), "step": "room", "nav": "continue", "attendance": "1\x002"}
    refused = await web.post("/book", data=form)
    assert refused.status_code == 400 and "cannot be stored" in refused.text


async def _walk_to_check(web: Client, seeded: dict[str, Any]) -> tuple[str, str]:
    page = await web.get("/book")
    token = csrf_of(page.text)
    steps: list[dict[str, Any]] = [
        *booking_form_steps(seeded, 3),
        {"step": "questions", "q_alcohol": "no"},
        {
            "step": "declarations",
            "declarations": default_declarations(),
        },
    ]
    html = page.text
    for fields in steps:
        state = STATE_RE.search(html)
        assert state, html[:2000]
        response = await web.post(
            "/book", data={"state": state.group(1), "csrf_token": token, "nav": "continue", **fields}
        )
        assert response.status_code == 200, response.text[:3000]
        html = response.text
    assert "Check your answers" in html
    state = STATE_RE.search(html)
    assert state
    return state.group(1), token


async def test_pressing_send_twice_makes_one_application(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    state, token = await _walk_to_check(web, seeded)
    form = {"state": state, "csrf_token": token, "step": "check", "nav": "continue"}
    first = await web.post("/book", data=form, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/status/")
    second = await web.post("/book", data=form, follow_redirects=False)
    assert second.status_code == 200 and "Your request was already sent" in second.text
    count = (await session.execute(select(func.count()).select_from(VettingCase))).scalar_one()
    await session.commit()
    assert count == 1
    status = await web.get(first.headers["location"])
    assert status.status_code == 200 and "Request sent" in status.text


async def test_tampered_state_is_refused(web: Client, seeded: dict[str, Any]) -> None:
    state, token = await _walk_to_check(web, seeded)
    body, _, mac = state.rpartition(".")
    data = json.loads(base64.urlsafe_b64decode(body))
    data["room_id"] = str(seeded["main"].id)  # a room the hirer was never offered
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode() + "." + mac
    response = await web.post(
        "/book",
        data={"state": forged, "csrf_token": token, "step": "check", "nav": "continue"},
        follow_redirects=False,
    )
    assert response.status_code == 400 and "could not be read" in response.text


async def test_a_manager_sees_only_their_venues(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    other = await f.make_venue(session, "Elsewhere Hall")
    await session.commit()
    await sign_in_as(web, session, seeded["manager"])
    week = await web.get("/manager")
    assert (
        week.status_code == 200 and "Testtown Civic Hall" in week.text and "Elsewhere Hall" not in week.text
    )
    feeds = await web.get("/manager/feeds")
    assert "Elsewhere Hall" not in feeds.text
    refused = await web.post(
        "/manager/feeds",
        data={"target": f"venue:{other.id}", "detail": "busy", "csrf_token": csrf_of(feeds.text)},
    )
    assert refused.status_code == 400 and "no such venue" in refused.text
    officer_page = await web.get("/officer", follow_redirects=False)
    assert officer_page.status_code == 403


async def test_officer_pages_write_the_audit_log(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    # Sent before signing in: a signed-in browser's API writes need the page's CSRF token (issue 14).
    created = await web.post(
        "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(2))
    )
    await sign_in_officer(web, session, seeded)
    case_id = created.json()["id"]
    page = await web.get(f"/officer/cases/{case_id}")
    assert page.status_code == 200
    records = (
        (await session.execute(select(AuditRecord).where(AuditRecord.object_id == case_id))).scalars().all()
    )
    assert [(r.object_type, r.action) for r in records] == [("case", "view")]
    assert "Demo" not in (records[0].detail or "")
    assert (await verify_chain(session)).ok


async def test_countersigning_a_refusal_in_the_console(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    refusal = {
        "outcome": "refuse",
        "reason": "The fire officer's report rules the stage out",
        "reason_code": "public_safety",
        "options_considered": "A capacity limit would not make the stage safe",
    }
    cases = []
    for proposer, weeks in ((seeded["officer_token"], 5), (seeded["officer2_token"], 6)):
        created = await web.post(
            "/api/v1/applications",
            json=application_payload(seeded["hall_b"].id, next_weekday(2, weeks_ahead=weeks)),
        )
        case_id = created.json()["id"]
        proposed = await web.post(
            f"/api/v1/applications/{case_id}/decision", json=refusal, headers=bearer(proposer)
        )
        assert proposed.status_code == 200, proposed.text
        cases.append(case_id)
    await sign_in_officer(web, session, seeded)
    for case_id, expected in ((cases[0], 403), (cases[1], 303)):
        page = await web.get(f"/officer/cases/{case_id}")
        answer = await web.post(
            f"/officer/cases/{case_id}/countersign",
            data={"agree": "yes", "note": "", "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert answer.status_code == expected, answer.text[:300]
        if expected == 403:
            assert "different person" in answer.text  # the case page again, with the reason
    refused = await web.get(f"/api/v1/applications/{cases[1]}", headers=bearer(seeded["admin_token"]))
    assert refused.json()["status"] == "refused"
    still_open = await web.get(f"/api/v1/applications/{cases[0]}", headers=bearer(seeded["admin_token"]))
    assert still_open.json()["status"] == "under_review"
