"""Staff accounts (issue 14, items 4 to 6), through the real app with real forms and CSRF tokens.

* changing the second factor or the password needs the current password and a current code,
  ends the account's other sessions and mails a notice;
* every staff role, venue managers included, enrols a second factor (with a QR code);
* throttling is per (account, address): an attacker elsewhere cannot lock an officer out; it is
  audited, and the officer sees failed attempts after signing in.

The address a request comes from is set by the `X-Test-Address` header (the test client always
connects from one address); everything else is the real app over a real database.
"""

from __future__ import annotations

import asyncio
import contextlib
import email
import importlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.audit import verify_chain
from api.auth.passwords import verify_password
from api.models import AuditRecord, User, WebSession
from api.settings import Settings
from tests.web.sign_in import PASSWORD, csrf_of, email_of, password_step, set_totp

Client = AsyncTestClient[Litestar]
NEW_PASSWORD = "a different and rather long passphrase"


@pytest.fixture(autouse=True)
def _address_from_header(monkeypatch: pytest.MonkeyPatch) -> None:
    def address(request: Any) -> str:
        return str(request.headers.get("x-test-address") or "198.51.100.1")

    # Imported here and by name so that this file also runs (and fails) on the code before.
    for module in ("api.web.login_pages", "api.web.account_pages"):
        with contextlib.suppress(ImportError):
            monkeypatch.setattr(importlib.import_module(module), "client_address", address)


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def totp_of(session: AsyncSession, actor: Any) -> tuple[str | None, int | None]:
    row = (
        await session.execute(select(User.totp_secret, User.totp_last_step).where(User.id == actor.id))
    ).one()
    await session.commit()
    return row[0], row[1]


def next_code(secret: str, last_step: int | None) -> str:
    """A code for a time step not used yet: the service accepts one step of clock drift either
    way, so the next step's code is good now; waits only when that one is used too."""
    totp = pyotp.TOTP(secret)
    while True:
        now_step = int(time.time()) // 30
        step = max(now_step - 1, (last_step or 0) + 1)
        if step <= now_step + 1:
            return totp.at(step * 30)
        time.sleep(0.5)


async def mails_to(outbox: Path, address: str, *, expect: int = 1, wait: float = 5.0) -> list[Any]:
    deadline = time.monotonic() + wait
    while True:
        found = []
        for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
            message = email.message_from_bytes(path.read_bytes())
            if message["To"] == address:
                found.append(message)
        if len(found) >= expect or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.1)


async def sessions_of(session: AsyncSession, actor: Any) -> int:
    count = (
        await session.execute(
            select(func.count()).select_from(WebSession).where(WebSession.user_id == actor.id)
        )
    ).scalar_one()
    await session.commit()
    return int(count)


# ------------------------------------------------------------------ item 4: re-authentication


async def test_replacing_the_second_factor_needs_password_and_current_code(
    web: Client, app: Litestar, session: AsyncSession, seeded: dict[str, Any], settings: Settings
) -> None:
    officer = seeded["officer"]
    await sign_in_as(web, session, officer)
    # Another browser of the same officer, signed in meanwhile.
    # Another browser, served by another app instance (one client per app: each runs its own loop).
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as elsewhere:
        await sign_in_as(elsewhere, session, officer)
        assert (await elsewhere.get("/officer")).status_code == 200
        old_secret, _ = await totp_of(session, officer)
        assert old_secret is not None
        form = await web.get("/account/second-factor")
        assert form.status_code == 200
        new_secret = form.text.split('id="totp-secret">', 1)[1].split("</p>", 1)[0].replace(" ", "").strip()
        # The session alone (a stolen cookie) cannot replace the factor: no password, no code.
        _, last = await totp_of(session, officer)
        bare = await web.post(
            "/account/second-factor",
            data={"code": next_code(new_secret, last), "csrf_token": csrf_of(form.text)},
        )
        assert bare.status_code == 400 and "Enter your current password" in bare.text
        wrong = await web.post(
            "/account/second-factor",
            data={
                "current_password": "not the password",
                "current_code": "000000",
                "code": pyotp.TOTP(new_secret).now(),
                "csrf_token": csrf_of(form.text),
            },
        )
        assert wrong.status_code == 400 and "current password is not right" in wrong.text
        no_code = await web.post(
            "/account/second-factor",
            data={
                "current_password": PASSWORD,
                "code": pyotp.TOTP(new_secret).now(),
                "csrf_token": csrf_of(form.text),
            },
        )
        assert no_code.status_code == 400 and "Enter the 6-digit code your app shows now" in no_code.text
        assert (await totp_of(session, officer))[0] == old_secret
        # Password and a current code from the old app: replaced.
        _, last = await totp_of(session, officer)
        done = await web.post(
            "/account/second-factor",
            data={
                "current_password": PASSWORD,
                "current_code": next_code(old_secret, last),
                "code": pyotp.TOTP(new_secret).now(),
                "csrf_token": csrf_of(form.text),
            },
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        assert done.headers["location"] == "/account?done=second_factor"
        assert (await totp_of(session, officer))[0] == new_secret
        # The other browser is signed out; this one carries on with a fresh session.
        assert (await elsewhere.get("/officer", follow_redirects=False)).status_code == 303
        assert (await web.get("/officer")).status_code == 200
        assert await sessions_of(session, officer) == 1
    address = await email_of(session, officer)
    mails = await mails_to(settings.outbox_dir, address)
    assert len(mails) == 1 and "security code" in mails[0]["Subject"]
    audit = (
        await session.execute(select(AuditRecord).where(AuditRecord.action == "second_factor_changed"))
    ).scalar_one()
    await session.commit()
    assert audit.object_id == str(officer.id) and address not in (audit.detail or "")


async def test_changing_the_password_needs_reauthentication_ends_other_sessions_and_notifies(
    web: Client, app: Litestar, session: AsyncSession, seeded: dict[str, Any], settings: Settings
) -> None:
    manager = seeded["manager"]
    secret = await sign_in_as(web, session, manager)
    # Another browser, served by another app instance (one client per app: each runs its own loop).
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as elsewhere:
        await sign_in_as(elsewhere, session, manager)
        assert (await elsewhere.get("/manager")).status_code == 200
        form = await web.get("/account/password")
        assert form.status_code == 200
        bare = await web.post(
            "/account/password", data={"new_password": NEW_PASSWORD, "csrf_token": csrf_of(form.text)}
        )
        assert bare.status_code == 400 and "Enter your current password" in bare.text
        _, last = await totp_of(session, manager)
        weak = await web.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "current_code": next_code(secret, last),
                "new_password": "password1",
                "csrf_token": csrf_of(form.text),
            },
        )
        assert weak.status_code == 400 and "too common" in weak.text
        _, last = await totp_of(session, manager)
        done = await web.post(
            "/account/password",
            data={
                "current_password": PASSWORD,
                "current_code": next_code(secret, last),
                "new_password": NEW_PASSWORD,
                "csrf_token": csrf_of(form.text),
            },
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        assert (await elsewhere.get("/manager", follow_redirects=False)).status_code == 303
        assert (await web.get("/manager")).status_code == 200
    stored = (await session.execute(select(User.password_hash).where(User.id == manager.id))).scalar_one()
    await session.commit()
    assert verify_password(stored, NEW_PASSWORD) and not verify_password(stored, PASSWORD)
    mails = await mails_to(settings.outbox_dir, await email_of(session, manager))
    assert len(mails) == 1 and "password" in mails[0]["Subject"]


# ------------------------------------------------------------------ item 5: every role enrols


async def test_a_venue_manager_must_enrol_a_second_factor_shown_as_a_qr_code(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    first = await password_step(web, await email_of(session, seeded["manager"]))
    assert first.status_code == 303 and first.headers["location"] == "/login/enrol"
    # The password alone opens neither the pages nor the feeds' API.
    assert (await web.get("/manager", follow_redirects=False)).status_code == 303
    enrol = await web.get("/login/enrol")
    assert enrol.status_code == 200
    assert '<svg role="img"' in enrol.text and "QR code of the setup link" in enrol.text
    secret = enrol.text.split('id="totp-secret">', 1)[1].split("</p>", 1)[0].replace(" ", "").strip()
    typo = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    mistyped = await web.post("/login/enrol", data={"code": typo, "csrf_token": csrf_of(enrol.text)})
    assert mistyped.status_code == 400 and "The code is not right" in mistyped.text
    # Their own typo in this sign-in is not reported back to them as a failed attempt.
    done = await web.post(
        "/login/enrol",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(enrol.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/manager"
    assert (await totp_of(session, seeded["manager"]))[0] == secret
    assert (await web.get("/manager")).status_code == 200


# ------------------------------------------------------------------ item 6: throttling


async def attempt(web: Client, email_address: str, password: str, address: str) -> Any:
    page = await web.get("/login")
    return await web.post(
        "/login",
        data={"email": email_address, "password": password, "csrf_token": csrf_of(page.text)},
        headers={"X-Test-Address": address},
        follow_redirects=False,
    )


async def test_failures_from_elsewhere_do_not_lock_out_the_officer(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    officer = await email_of(session, seeded["officer"])
    for _ in range(12):
        await attempt(web, officer, "a guess", "203.0.113.66")
    # The attacker's own address is slowed for this account...
    slowed = await attempt(web, officer, PASSWORD, "203.0.113.66")
    assert slowed.status_code == 429 and "Too many attempts" in slowed.text
    # ...the officer, at their own address, is not.
    mine = await attempt(web, officer, PASSWORD, "198.51.100.7")
    assert mine.status_code == 303 and mine.headers["location"] in ("/login/enrol", "/login/code")


async def test_throttling_is_recorded_in_the_audit_log_without_email_or_address(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    officer = await email_of(session, seeded["officer"])
    for _ in range(6):
        await attempt(web, officer, "a guess", "203.0.113.66")
    records = list(
        (await session.execute(select(AuditRecord).where(AuditRecord.action == "login_throttled"))).scalars()
    )
    check = await verify_chain(session)
    await session.commit()
    assert records and records[0].object_id == str(seeded["officer"].id)
    assert all(officer not in (r.detail or "") and "203.0.113" not in (r.detail or "") for r in records)
    assert check.ok


async def test_one_address_has_a_much_higher_ceiling_across_accounts(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """Behind one NAT, many people's mistakes (here 60 on 60 accounts) slow no one else there;
    100 failures in 15 minutes from one address stop that address only."""
    manager = await email_of(session, seeded["manager"])
    for n in range(60):
        await attempt(web, f"someone{n}@testshire.example", "a guess", "192.0.2.10")
    colleague = await attempt(web, manager, PASSWORD, "192.0.2.10")
    assert colleague.status_code == 303, colleague.text
    for n in range(60, 100):
        await attempt(web, f"someone{n}@testshire.example", "a guess", "192.0.2.10")
    stopped = await attempt(web, manager, PASSWORD, "192.0.2.10")
    assert stopped.status_code == 429
    elsewhere = await attempt(web, manager, PASSWORD, "198.51.100.7")
    assert elsewhere.status_code == 303


async def test_the_officer_sees_failed_attempts_after_signing_in(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    officer = await email_of(session, seeded["officer"])
    for _ in range(3):
        await attempt(web, officer, "a guess", "203.0.113.66")
    secret = await sign_in_as_with_location(web, session, seeded["officer"], expect="/account?signed_in=1")
    assert secret
    report = await web.get("/account?signed_in=1&next=%2Fofficer")
    assert report.status_code == 200
    assert "3 failed attempts to sign in to your account" in report.text
    assert 'href="/officer"' in report.text
    assert "203.0.113" not in report.text
    # Shown for what happened since the previous sign-in: the next sign-in goes straight on.
    web.cookies.clear()
    await sign_in_as_with_location(web, session, seeded["officer"], expect="/officer")


async def sign_in_as_with_location(web: Client, session: AsyncSession, actor: Any, *, expect: str) -> str:
    secret, last = await totp_of(session, actor)
    if secret is None:
        secret, last = await set_totp(session, actor.id), None
    first = await password_step(web, await email_of(session, actor))
    assert first.headers["location"] == "/login/code"
    page = await web.get("/login/code")
    done = await web.post(
        "/login/code",
        data={"code": next_code(secret, last), "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith(expect), done.headers
    return secret


async def sign_in_as(web: Client, session: AsyncSession, actor: Any) -> str:
    return await sign_in_as_with_location(web, session, actor, expect="/")


async def test_a_session_from_before_second_factors_were_required_ends(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    """A venue manager signed in with a password alone, before this change, is signed out."""
    import datetime as dt

    from api.auth.tokens import token_hash

    now = dt.datetime.now(dt.UTC)
    raw = "a-session-cookie-from-before-" + "z" * 20
    session.add(
        WebSession(
            session_hash=token_hash(raw),
            user_id=seeded["manager"].id,
            data={"mfa_ok": True},
            last_seen=now,
            expires_at=now + dt.timedelta(hours=1),
        )
    )
    await session.commit()
    web.cookies.set("__Host-venue-hire", raw, domain="testserver.local")
    answer = await web.get("/manager", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
