"""No personal data, passwords or tokens in any log: marked values go in, every log line is searched.

The service runs as it does in production (`venue-hire serve`, a separate process, logging at
its configured level) and the CLI runs as an operator would run it; everything both write to
stderr (structlog's JSON lines and the standard library's log records alike) is captured.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.factories import DECLARATIONS, next_weekday

MARK = "zqxjv"
NAME = "Sentinel Zqxjv"
EMAIL = "sentinel-zqxjv@example.org"
PHONE = "07700 913579"
ORGANISATION = "Zqxjv Sentinel Society"
SPEAKER = "Zqxjvina Sentinelle"
PASSWORD = "zqxjv-sentinel-passphrase-4417"
ADMIN_EMAIL = "admin-zqxjv@example.org"
OFFICER_EMAIL = "officer-zqxjv@example.org"


def _env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VENUE_HIRE_")}
    env |= {
        "VENUE_HIRE_DATABASE_URL": db_url,
        "VENUE_HIRE_SECRET_KEY": "sentinel-test-secret-" + "k" * 32,
        "VENUE_HIRE_ENVIRONMENT": "test",
        "VENUE_HIRE_OUTBOX_DIR": str(tmp_path / "outbox"),
        "VENUE_HIRE_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    return env


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_marked_values_never_reach_a_log(db_url: str, tmp_path: Path) -> None:
    env = _env(db_url, tmp_path)
    cli_streams: list[str] = []
    made = _cli(env, "organisations", "create", "--name", "Testshire Council", "--kind", "county_council")
    assert made.returncode == 0, made.stderr
    cli_streams.append(made.stderr)
    for email, role in ((ADMIN_EMAIL, "admin"), (OFFICER_EMAIL, "officer")):
        done = _cli(
            env,
            "users",
            "create",
            "--email",
            email,
            "--name",
            f"{NAME} {role}",
            "--role",
            role,
            *(("--organisation", "testshire-council") if role == "officer" else ()),
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        assert done.returncode == 0, done.stderr
        assert PASSWORD not in done.stdout
        cli_streams.append(done.stderr)  # stdout confirms the account to the operator who typed it
    weak = _cli(
        env,
        "users",
        "create",
        "--email",
        "weak-zqxjv@example.org",
        "--role",
        "officer",
        "--password-stdin",
        stdin="zqxjv12\n",
    )
    assert weak.returncode != 0
    assert "zqxjv12" not in weak.stderr + weak.stdout  # the refusal does not echo the password
    tokens = {}
    for email in (ADMIN_EMAIL, OFFICER_EMAIL):
        done = _cli(env, "api-token", "create", "--email", email)
        assert done.returncode == 0, done.stderr
        tokens[email] = done.stdout.strip().splitlines()[-1]
        cli_streams.append(done.stderr)  # stdout shows the token once, by design

    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            secrets = _exercise(f"http://127.0.0.1:{port}", tokens[ADMIN_EMAIL], tokens[OFFICER_EMAIL])
        finally:
            server.terminate()
            server.wait(timeout=30)
    server_log = log_path.read_text()
    assert server_log.count('"event": "request"') >= 15, server_log[:2000]  # the log did record requests

    marked = [
        MARK,
        NAME,
        EMAIL,
        PHONE,
        PHONE.replace(" ", ""),
        "913579",
        ORGANISATION,
        SPEAKER,
        PASSWORD,
        *tokens.values(),
        *secrets,
    ]
    for where, text in [("server", server_log), *(("cli", s) for s in cli_streams)]:
        lowered = text.lower()
        leaked = [m for m in marked if m.lower() in lowered]
        assert leaked == [], f"{where} log holds {leaked}:\n{text[:3000]}"


def _exercise(base: str, admin: str, officer: str) -> list[str]:
    """Drive the API with marked values; returns the secrets the server handed out."""
    with httpx.Client(base_url=base, timeout=30) as c:
        # Up to a minute for the server to start: a loaded CI machine takes more than ten seconds.
        for _ in range(600):
            try:
                if c.get("/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        a = {"Authorization": f"Bearer {admin}"}
        o = {"Authorization": f"Bearer {officer}"}
        venue = c.post(
            "/api/v1/venues",
            headers=a,
            json={
                "name": "Zqxjv Hall",
                "owner": {"kind": "council", "name": "Testshire Council"},
                "address": "1 Zqxjv Road",
            },
        )
        assert venue.status_code == 201, venue.text
        room = c.post(
            f"/api/v1/venues/{venue.json()['id']}/rooms",
            headers=a,
            json={
                "name": "Main",
                "capacity": 80,
                "opening_hours": {
                    d: [["08:00", "23:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                },
            },
        )
        assert room.status_code == 201, room.text
        start = next_weekday(2, weeks_ahead=5)
        body: dict[str, Any] = {
            "room_id": room.json()["id"],
            "organisation": {"name": ORGANISATION, "type": "club", "address": "9 Zqxjv Lane"},
            "contact": {"name": NAME, "email": EMAIL, "phone": PHONE},
            "people": [{"name": SPEAKER, "role": "speaker"}],
            "event": {"title": "Zqxjv talk", "description": "Zqxjv", "expected_attendance": 20},
            "start": start.isoformat(),
            "end": start.replace(hour=21).isoformat(),
            "declarations": DECLARATIONS,
            "answers": {},
        }
        flagged = c.post(
            "/api/v1/flagged-entries",
            headers=o,
            json={
                "kind": "person",
                "name": "Zqxjvina Sentinele",
                "source": "local",
                "reason": "Zqxjv invented",
            },
        )
        assert flagged.status_code == 201, flagged.text
        created = c.post("/api/v1/applications", json=body, headers={"Idempotency-Key": "zqxjv-key-000001"})
        assert created.status_code == 201, created.text
        token = created.json()["applicant_token"]
        case_id = created.json()["id"]
        bad = dict(body, contact={"name": NAME, "email": "zqxjv-not-an-email", "phone": PHONE})
        assert c.post("/api/v1/applications", json=bad).status_code == 422
        assert c.get(f"/api/v1/applicant/{token}").status_code == 200
        assert c.get(f"/api/v1/applicant/{token}x").status_code == 404
        case = c.get(f"/api/v1/applications/{case_id}", headers=o).json()
        for match in case["screening"]:
            c.post(
                f"/api/v1/screening-matches/{match['id']}/disposition",
                headers=o,
                json={"disposition": "cleared", "note": "Zqxjv different person"},
            )
        c.post("/api/v1/screening", headers=o, json={"names": [NAME, SPEAKER]})
        c.get("/api/v1/flagged-entries", headers=o, params={"q": SPEAKER})
        asked = c.post(
            f"/api/v1/applications/{case_id}/decision",
            headers=o,
            json={"outcome": "request_information", "reason": f"{NAME}: send the Zqxjv insurance"},
        )
        assert asked.status_code == 200, asked.text
        assert (
            c.post(
                f"/api/v1/applicant/{token}/information", json={"response": f"{NAME} here, {PHONE}"}
            ).status_code
            == 200
        )
        c.post(
            f"/api/v1/applications/{case_id}/contact",
            headers=o,
            json={"email": "sentinel-zqxjv@example.net", "reason": "Zqxjv typo"},
        )
        sar = c.post("/api/v1/subject-access", headers=a, json={"email": EMAIL})
        assert sar.status_code == 200, sar.text
        feed = c.post("/api/v1/feeds", headers=a, json={"venue_id": venue.json()["id"], "detail": "full"})
        assert feed.status_code == 201, feed.text
        feed_url = feed.json()["url"]
        feed_token = feed_url.rsplit("/feeds/", 1)[1].removesuffix(".ics")
        assert c.get(f"/feeds/{feed_token}.ics").status_code == 200
        wrong = "zqxjvWrongBearerToken0123456789"
        assert c.get("/api/v1/applications", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401
        assert c.get("/health", headers={"Cookie": "__Host-venue-hire=zqxjvcookievalue"}).status_code == 200
        return [token, feed_token, wrong, "zqxjvcookievalue", "zqxjv-key-000001"]
