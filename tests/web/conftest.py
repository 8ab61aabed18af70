"""A real server on 127.0.0.1 over a fresh, migrated and seeded SQLite database, and Chromium.

The browser tests are marked `browser`. Without /usr/bin/chromium they are skipped with the
reason, unless CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest
import uvicorn
from sqlalchemy.ext.asyncio import async_sessionmaker

from api.app import create_app
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.models import User
from api.settings import Settings
from tests import factories as f
from vetting.flagged import add_entry

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE = ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery staple"


@dataclass
class LiveSite:
    url: str
    settings: Settings
    data: dict[str, Any]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _seed(db_url: str) -> dict[str, Any]:
    engine = create_engine(db_url)
    maker = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with maker() as s:
            venue = await f.make_venue(s, "Testtown Civic Hall")
            hall_a = await f.make_room(
                s, venue, "Hall A", capacity=60, buffer_after=15, accessibility=["step_free", "hearing_loop"]
            )
            hall_b = await f.make_room(s, venue, "Hall B", capacity=60, buffer_after=15)
            main = await f.make_room(
                s, venue, "Main Hall", capacity=150, buffer_after=15, parts=[hall_a.id, hall_b.id]
            )
            other = await f.make_venue(s, "Othertown Library")
            other_room = await f.make_room(s, other, "Reading Room", capacity=30)
            admin, _ = await f.make_staff(s, "admin", email="admin@testshire.example")
            officer, _ = await f.make_staff(s, "officer", email="officer@testshire.example")
            manager, _ = await f.make_staff(
                s, "venue_manager", email="manager@testshire.example", venue_ids=[venue.id]
            )
            secret = pyotp.random_base32()
            user = await s.get(User, officer.id)
            assert user is not None
            user.totp_secret = secret
            # Venue managers use a second factor too (issue 14, item 5).
            manager_secret = pyotp.random_base32()
            manager_user = await s.get(User, manager.id)
            assert manager_user is not None
            manager_user.totp_secret = manager_secret
            # An account of its own for the account-page test: a code used there cannot be
            # refused as a replay in another test signing the manager in within the same minute.
            account_holder, _ = await f.make_staff(
                s, "venue_manager", email="manager2@testshire.example", venue_ids=[venue.id]
            )
            account_secret = pyotp.random_base32()
            holder = await s.get(User, account_holder.id)
            assert holder is not None
            holder.totp_secret = account_secret
            # And one for the alert choices page, for the same reason.
            alerts_holder, _ = await f.make_staff(
                s, "venue_manager", email="manager3@testshire.example", venue_ids=[venue.id]
            )
            alerts_secret = pyotp.random_base32()
            alerts_user = await s.get(User, alerts_holder.id)
            assert alerts_user is not None
            alerts_user.totp_secret = alerts_secret
            await add_entry(
                s,
                f.ADMIN,
                kind="person",
                name="Yevgeny Testarov",
                aliases=[],
                source="local",
                reason="invented entry for the browser tests",
            )
            await s.commit()
    finally:
        await engine.dispose()
    return {
        "venue": venue,
        "other_venue": other,
        "hall_a": hall_a,
        "hall_b": hall_b,
        "main": main,
        "other_room": other_room,
        "admin": admin,
        "officer": officer,
        "manager": manager,
        "officer_totp": secret,
        "manager_totp": manager_secret,
        "manager2_totp": account_secret,
        "manager3_totp": alerts_secret,
    }


@pytest.fixture(scope="session")
def live_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    db_path = tmp_path_factory.mktemp("web") / "web.sqlite3"
    db_url = f"sqlite+aiosqlite:///{db_path}"
    upgrade(db_url)
    data = asyncio.run(_seed(db_url))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        database_url=db_url,
        secret_key="browser-test-secret-" + "y" * 32,
        environment="test",
        base_url=url,
        outbox_dir=db_path.parent / "outbox",
        scheduler_enabled=False,  # no re-screening or purge behind the browser tests' backs
        documents_store=str(db_path.parent / "documents"),
        documents_spool_dir=db_path.parent / "uploads",
    )
    app = create_app(settings)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield LiveSite(url, settings, data)
    server.should_exit = True
    thread.join(timeout=10)


# Module scope: sync Playwright keeps an event loop running in this thread while it is open,
# which would stop the async tests of other modules from starting theirs.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run npm ci --prefix tests/js")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


def new_context(browser: Any) -> Any:
    """A browser profile of its own; CSP is bypassed only so the audit can inject axe-core."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB", bypass_csp=True)
    ctx.set_default_timeout(15_000)
    return ctx


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = new_context(browser)
    yield ctx
    ctx.close()
