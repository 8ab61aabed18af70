"""Requests the pre-forking server's parent answers itself before it forks (api/cli/prefork.py),
so that the work every worker would otherwise do on its first requests is done once, in pages
the workers share (issue 22 item 4).

A worker's first requests import modules, build lazily made tables and caches, compile
templates, and make Python specialise the bytecode of every function they run (3.11 rewrites a
function's code in place as it warms up): each of those writes copies pages of the parent's
memory into the worker's own. The requests here only read: liveness and readiness, the booking
form, and a booking request that fails validation (it passes through routing, the middleware and
the body's decoding), and one screening of a name. Nothing is written to the database.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlsplit

import structlog

from api.redis_client import close_redis
from policies import default_declarations
from vetting.screener_cache import SCREENERS

log = structlog.get_logger(__name__)

_NO_ROOM = "00000000-0000-4000-8000-000000000000"


def _booking() -> bytes:
    """A booking request complete in every field, for a room that does not exist (refused)."""
    today = dt.datetime.now(dt.UTC).replace(hour=18, minute=0, second=0, microsecond=0)
    start = today + dt.timedelta(days=21)
    return json.dumps({
        "room_id": _NO_ROOM,
        "organisation": {"name": "Warm-up Society", "type": "club", "address": "1 Warm Lane"},
        "contact": {"name": "Warm Upton", "email": "warm@warm-up.example", "phone": "07700 900000"},
        "people": [{"name": "Warm Upton", "role": "officer"}],
        "event": {"title": "Warm-up", "description": "Never stored", "expected_attendance": 10,
                  "open_to_public": False, "under_18s": False, "adults_at_risk": False},
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(),
        "declarations": default_declarations(),
        "answers": {},
    }).encode()  # fmt: skip


def _requests() -> tuple[tuple[str, str, bytes], ...]:
    """Method, path, body: read-only, or refused before anything is stored."""
    return (
        ("GET", "/health", b""),
        ("GET", "/ready", b""),
        ("GET", "/book", b""),
        ("POST", "/api/v1/applications", _booking()),
    )


async def _request(app: Any, host: str, method: str, path: str, body: bytes) -> int:
    """One request through the whole ASGI app (middleware included), in this process."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", host.encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    await app(scope, receive, send)
    return status


async def warm(app: Any) -> dict[str, int]:
    """Answer the warm-up requests; each path's status (logged, never raised: a worker would
    only do the same work itself)."""
    host = urlsplit(app.state.settings.base_url).netloc or "localhost"
    # The session maker the database plugin puts in the app's state at start-up (which runs in
    # each worker, not here); a worker's start-up puts its own there again.
    app.state.db_config.update_app_state(app)
    found: dict[str, int] = {}
    try:
        for method, path, body in _requests():
            try:
                found[f"{method} {path}"] = await _request(app, host, method, path, body)
            except Exception as exc:
                log.warning("prefork.warm_failed", path=path, error=type(exc).__name__)
    finally:
        # No connection may cross the fork: each worker makes its own Redis client.
        await close_redis(app)
    # A booking's screening, which the refused booking above does not reach.
    SCREENERS.warm("Warm Upton")
    return found
