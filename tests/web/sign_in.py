"""Signing in over HTTP (no browser): the login form's CSRF token, the password step, the code.

Shared by the tests of sessions, protections, API tokens and authorisation; the browser tests
sign in through tests/web/pages.py.
"""

from __future__ import annotations

import re
from typing import Any

import pyotp
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.models import User
from tests.web.conftest import PASSWORD

Client = AsyncTestClient[Litestar]
TOKEN_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_of(html: str) -> str:
    found = TOKEN_RE.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


async def password_step(web: Client, email: str, password: str = PASSWORD) -> Any:
    page = await web.get("/login")
    return await web.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


async def email_of(session: AsyncSession, actor: Any) -> str:
    email = str((await session.execute(select(User.email).where(User.id == actor.id))).scalar_one())
    # End the read: on SQLite every transaction takes the write lock, and the app needs it.
    await session.commit()
    return email


async def set_totp(session: AsyncSession, user_id: Any) -> str:
    secret = pyotp.random_base32()
    await session.execute(update(User).where(User.id == user_id).values(totp_secret=secret))
    await session.commit()
    return secret


async def sign_in_officer(web: Client, session: AsyncSession, seeded: dict[str, Any]) -> str:
    return await sign_in_as(web, session, seeded["officer"])


async def sign_in_as(web: Client, session: AsyncSession, actor: Any) -> str:
    """Password and code (every staff role has a second factor); returns the TOTP secret."""
    secret = await set_totp(session, actor.id)
    first = await password_step(web, await email_of(session, actor))
    assert first.status_code == 303 and first.headers["location"] == "/login/code"
    page = await web.get("/login/code")
    done = await web.post(
        "/login/code",
        data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return secret


__all__ = ["PASSWORD", "csrf_of", "email_of", "password_step", "set_totp", "sign_in_as", "sign_in_officer"]
