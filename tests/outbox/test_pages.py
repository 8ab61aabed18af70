"""The admin's outbox page (dead letters, Retry with CSRF, own organisation only), `venue-hire
outbox list|retry`, and the message history on the officer's case page and the hirer's status
page (both engines; mail delivered by the service itself into its folder outbox)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from api.app import create_app
from api.db.migrate import upgrade
from api.settings import Settings
from tests import factories as f
from tests.factories import application_payload, bearer, next_weekday
from tests.web.sign_in import csrf_of, sign_in_as
from vetting.notify import Mail, send_after_commit
from vetting.outbox_models import DEAD, PENDING, SENT, OutboxMessage

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def web(settings: Settings) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=create_app(settings), base_url="https://testserver.local") as c:
        yield c


async def _messages(engine: AsyncEngine, **where: Any) -> list[OutboxMessage]:
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        query = select(OutboxMessage).filter_by(**where).order_by(OutboxMessage.created_at)
        return list((await s.execute(query)).scalars())


async def _wait_all_sent(engine: AsyncEngine, count: int) -> list[OutboxMessage]:
    deadline = time.monotonic() + 15  # delivered by the service's own deliverer, right after the commit
    while True:
        rows = await _messages(engine)
        if (len(rows) >= count and all(r.status == SENT for r in rows)) or time.monotonic() > deadline:
            assert len(rows) >= count and all(r.status == SENT for r in rows), [
                (r.template, r.status) for r in rows
            ]
            return rows
        await asyncio.sleep(0.05)


async def test_the_case_and_status_pages_list_the_messages_sent(
    web: Client, session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    officer = bearer(seeded["officer_token"])
    entry = {"kind": "person", "name": "Radomir Kestrel", "aliases": [], "source": "local", "reason": "x"}
    assert (await web.post("/api/v1/flagged-entries", json=entry, headers=officer)).status_code == 201
    created = await web.post(
        "/api/v1/applications",
        json=application_payload(
            seeded["hall_b"].id, next_weekday(2), people=[{"name": "Radomir Kestrel", "role": "speaker"}]
        ),
    )
    assert created.status_code == 201
    case_id, token = created.json()["id"], created.json()["applicant_token"]
    # The hirer's receipt; to each of two officers, the new request and the referral.
    rows = await _wait_all_sent(engine, 5)
    assert sorted((r.template, r.audience) for r in rows) == [
        ("alert_new_request", "staff"),
        ("alert_new_request", "staff"),
        ("referral", "staff"),
        ("referral", "staff"),
        ("submitted", "hirer"),
    ]
    assert all(r.case_id == UUID(case_id) for r in rows)
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 5

    await sign_in_as(web, session, seeded["officer"])
    page = await web.get(f"/officer/cases/{case_id}")
    assert page.status_code == 200
    history = page.text.split('id="messages"', 1)[1].split("</table>", 1)[0]
    assert "morgan@testtown.example" in history and "submitted" in history
    assert history.count("referral") == 2 and history.count("(staff)") == 4
    assert history.count("delivered") == 5

    status = await web.get(f"/status/{token}")
    assert status.status_code == 200
    mine = status.text.split('id="messages"', 1)[1].split("</table>", 1)[0]
    # The hirer reads the state in their language ("Delivered"; "Wedi cyrraedd" in Welsh).
    assert "We have your booking request" in mine and ">Delivered<" in mine
    # Only the hirer's own: never the officers' mail about the case.
    assert "referral" not in mine.lower() and "testshire.example" not in status.text


async def test_an_administrator_retries_a_dead_letter_of_their_organisation(
    session: AsyncSession, engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    own = await f.make_provider(session)
    other = await f.make_provider(session, "Elsewhere District Council", "district_council")
    org_admin, _ = await f.make_staff(session, "admin", provider=own)
    for provider, to in ((own, "dead@testtown.example"), (other, "elsewhere@testtown.example")):
        send_after_commit(session, None, Mail(to=to, subject="Decision", body="x", provider_id=provider.id))
    await session.commit()
    await session.execute(
        update(OutboxMessage).values(status=DEAD, attempts=8, last_error="smtp server refused 550")
    )
    await session.commit()
    mine = (await _messages(engine, to_address="dead@testtown.example"))[0]
    theirs = (await _messages(engine, to_address="elsewhere@testtown.example"))[0]

    quiet = settings.model_copy(update={"delivery": "off"})  # so the retried message stays visible
    async with AsyncTestClient(app=create_app(quiet), base_url="https://testserver.local") as web:
        await sign_in_as(web, session, org_admin)
        page = await web.get("/admin/outbox")
        assert page.status_code == 200
        assert "dead@testtown.example" in page.text and "smtp server refused 550" in page.text
        assert "elsewhere@testtown.example" not in page.text  # another organisation's
        no_token = await web.post(f"/admin/outbox/{mine.id}/retry", data={}, follow_redirects=False)
        assert no_token.status_code == 403
        assert (await _messages(engine, id=mine.id))[0].status == DEAD
        foreign = await web.post(
            f"/admin/outbox/{theirs.id}/retry",
            data={"csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )
        assert foreign.status_code == 404
        done = await web.post(
            f"/admin/outbox/{mine.id}/retry", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
        )
        assert done.status_code == 303 and done.headers["location"] == "/admin/outbox?done=retried"
        again = await web.post(
            f"/admin/outbox/{mine.id}/retry", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
        )
        assert again.status_code == 409  # no longer failed: nothing to retry
    row = (await _messages(engine, id=mine.id))[0]
    assert (row.status, row.attempts) == (PENDING, 0)
    assert (await _messages(engine, id=theirs.id))[0].status == DEAD


async def test_officers_do_not_get_the_outbox_page(
    web: Client, session: AsyncSession, seeded: dict[str, Any]
) -> None:
    await sign_in_as(web, session, seeded["officer"])
    assert (await web.get("/admin/outbox")).status_code == 403


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


async def test_the_command_line_lists_and_retries_failed_messages(cli_env: dict[str, str]) -> None:
    url = cli_env["VENUE_HIRE_DATABASE_URL"]
    await asyncio.to_thread(upgrade, url)
    from api.db.engine import create_engine

    engine = create_engine(url)
    try:
        async with async_sessionmaker(engine)() as s:
            send_after_commit(
                s, None, Mail(to="dead@testtown.example", subject="x", body="x", template="refused")
            )
            send_after_commit(s, None, Mail(to="fine@testtown.example", subject="y", body="y"))
            await s.commit()
            await s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.to_address == "dead@testtown.example")
                .values(status=DEAD)
            )
            await s.commit()
        (dead,) = await _messages(engine, status=DEAD)
        listed = await asyncio.to_thread(_cli, cli_env, "outbox", "list")
        assert listed.returncode == 0, listed.stderr
        assert str(dead.id) in listed.stdout and "refused" in listed.stdout
        assert "fine@testtown.example" not in listed.stdout  # pending, not failing
        everything = await asyncio.to_thread(_cli, cli_env, "outbox", "list", "--status", "pending")
        assert "fine@testtown.example" in everything.stdout
        retried = await asyncio.to_thread(_cli, cli_env, "outbox", "retry", str(dead.id))
        assert retried.returncode == 0, retried.stderr
        assert (await _messages(engine, id=dead.id))[0].status == PENDING
        again = await asyncio.to_thread(_cli, cli_env, "outbox", "retry", str(dead.id))
        assert again.returncode != 0 and "only a message that failed" in again.stderr
        assert "Traceback" not in again.stderr
    finally:
        await engine.dispose()


async def test_the_embedded_deliverer_is_woken_by_the_commit_not_by_its_poll(
    engine: AsyncEngine, seeded: dict[str, Any], settings: Settings
) -> None:
    # It looks for work on its own only every 10 minutes: delivery within seconds is the wake-up.
    slow_poll = settings.model_copy(update={"outbox_poll_seconds": 600.0})
    async with AsyncTestClient(app=create_app(slow_poll), base_url="http://testserver.local") as client:
        await asyncio.sleep(0.5)  # its first pass (at start) is over: it now waits
        created = await client.post(
            "/api/v1/applications", json=application_payload(seeded["hall_b"].id, next_weekday(3))
        )
        assert created.status_code == 201
        rows = await _wait_all_sent(engine, 3)  # the hirer's receipt, the two officers' alerts
    assert sorted(r.template or "" for r in rows) == ["alert_new_request", "alert_new_request", "submitted"]
