"""API tokens (issue 14, item 7): named, expiring, listed and revoked one by one.

Through the real app (bearer calls, the admin users page with its CSRF token) and the real
command line (`venue-hire api-token create|list|revoke`, as a process).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.app import create_app
from api.models import ApiToken, User
from api.settings import Settings
from api.users import create_api_token
from tests.web.sign_in import csrf_of, sign_in_as

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def web(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as c:
        yield c


async def call(web: Client, token: str) -> int:
    response = await web.get(
        "/api/v1/applications", headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}
    )
    return response.status_code


async def officer_tokens(session: AsyncSession, seeded: dict[str, Any]) -> tuple[str, str]:
    user = await session.get(User, seeded["officer"].id)
    assert user is not None
    first = await create_api_token(session, user, name="Case export script")
    second = await create_api_token(session, user, name="Reporting dashboard", expires_in_days=7)
    await session.commit()
    return first, second


async def test_an_admin_lists_and_revokes_one_token_and_it_answers_401(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    first, second = await officer_tokens(session, seeded)
    assert await call(web, first) == 200 and await call(web, second) == 200
    await sign_in_as(web, session, seeded["admin"])
    users = await web.get("/officer/users")
    assert users.status_code == 200
    assert "Case export script" in users.text and "Reporting dashboard" in users.text
    assert first not in users.text and second not in users.text
    token_id = (
        await session.execute(select(ApiToken.id).where(ApiToken.name == "Case export script"))
    ).scalar_one()
    await session.commit()
    assert f"/officer/tokens/{token_id}/revoke" in users.text
    # Without the form's CSRF token, nothing is revoked.
    forged = await web.post(f"/officer/tokens/{token_id}/revoke", data={})
    assert forged.status_code == 403 and await call(web, first) == 200
    revoked = await web.post(
        f"/officer/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(users.text)}, follow_redirects=False
    )
    assert revoked.status_code == 303
    assert await call(web, first) == 401
    assert await call(web, second) == 200  # only that one
    again = await web.get("/officer/users")
    assert "Revoked" in again.text


async def test_an_expired_token_answers_401(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    first, second = await officer_tokens(session, seeded)
    expiry = (
        await session.execute(select(ApiToken.expires_at).where(ApiToken.name == "Reporting dashboard"))
    ).scalar_one()
    await session.commit()
    days = (expiry - dt.datetime.now(dt.UTC)).total_seconds() / 86400
    assert 6.9 < days <= 7
    await session.execute(
        update(ApiToken)
        .where(ApiToken.name == "Reporting dashboard")
        .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    )
    await session.commit()
    assert await call(web, second) == 401
    assert await call(web, first) == 200
    # A token made without a name or a period gets a dated name and 90 days.
    user = await session.get(User, seeded["officer"].id)
    assert user is not None
    await create_api_token(session, user)
    await session.commit()
    default = (
        await session.execute(select(ApiToken).order_by(ApiToken.created_at.desc()).limit(1))
    ).scalar_one()
    await session.commit()
    assert default.name.startswith("API token ")
    assert 89.9 < (default.expires_at - dt.datetime.now(dt.UTC)).total_seconds() / 86400 <= 90


async def test_last_used_is_written_at_most_once_a_minute(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    first, _ = await officer_tokens(session, seeded)
    where = ApiToken.name == "Case export script"
    assert (await session.execute(select(ApiToken.last_used_at).where(where))).scalar_one() is None
    await session.commit()
    assert await call(web, first) == 200
    used = (await session.execute(select(ApiToken.last_used_at).where(where))).scalar_one()
    await session.commit()
    assert used is not None
    assert await call(web, first) == 200
    assert (await session.execute(select(ApiToken.last_used_at).where(where))).scalar_one() == used
    await session.commit()
    earlier = used - dt.timedelta(minutes=2)
    await session.execute(update(ApiToken).where(where).values(last_used_at=earlier))
    await session.commit()
    assert await call(web, first) == 200
    later = (await session.execute(select(ApiToken.last_used_at).where(where))).scalar_one()
    await session.commit()
    assert later is not None and later > earlier + dt.timedelta(minutes=1)


# ------------------------------------------------------------------ the command line


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_command_line_creates_lists_and_revokes_tokens(cli_env: dict[str, str]) -> None:
    env = cli_env
    assert run(env, "db", "upgrade").returncode == 0
    org = run(env, "organisations", "create", "--name", "Testshire Council", "--kind", "county_council")
    assert org.returncode == 0, org.stderr
    made = run(
        env,
        "users", "create", "--email", "t@testshire.example", "--role", "officer", "--password-stdin",
        "--organisation", "testshire-council", stdin="a long and uncommon passphrase\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    plain = run(env, "api-token", "create", "--email", "t@testshire.example")  # as the design fixes it
    assert plain.returncode == 0, plain.stderr
    named = run(
        env, "api-token", "create", "--email", "t@testshire.example", "--name", "Nightly export",
        "--expires-in-days", "30",
    )  # fmt: skip
    assert named.returncode == 0, named.stderr
    token = named.stdout.strip().splitlines()[-1]
    bad_days = run(env, "api-token", "create", "--email", "t@testshire.example", "--expires-in-days", "0")
    assert bad_days.returncode == 2 and "between 1 and" in bad_days.stderr
    listed = run(env, "api-token", "list", "--email", "t@testshire.example")
    assert listed.returncode == 0, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if "t@testshire.example" in line]
    assert len(rows) == 2 and all(" active " in row for row in rows)
    nightly = next(row for row in rows if row.endswith("Nightly export"))
    assert token not in listed.stdout
    settings = Settings(
        database_url=env["VENUE_HIRE_DATABASE_URL"],
        secret_key=env["VENUE_HIRE_SECRET_KEY"],
        environment="test",
    )
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as web:
        assert await call(web, token) == 200
        revoked = run(env, "api-token", "revoke", nightly.split()[0])
        assert revoked.returncode == 0, revoked.stderr
        assert await call(web, token) == 401
    after = run(env, "api-token", "list")
    assert any(" revoked " in line and line.endswith("Nightly export") for line in after.stdout.splitlines())
    missing = run(env, "api-token", "revoke", "not-an-id")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    unknown = run(env, "api-token", "revoke", "00000000-0000-0000-0000-000000000000")
    assert unknown.returncode == 1 and "no API token" in unknown.stderr
