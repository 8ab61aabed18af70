"""Lost-link recovery: does the time of the answer tell whether a reference and email matched?

    .venv/bin/python bench/lost_link.py [--rounds N] [--json PATH]

On a fresh SQLite database (the service's migrations, a venue and one request made through the
service's code), the real app answers `POST /lost-link` in-process (litestar's test client, no
network) for three kinds of request, interleaved: the matching pair (a fresh link is minted,
recorded and mailed to a folder), a reference that does not exist, and the right reference with
another email. Each kind's median and 90th percentile are printed with the answer's floor
(`api.web.lost_link.MIN_ANSWER_SECONDS`) as the service runs, and beside a same-run baseline with
the floor set to 0, which shows the difference the floor hides. The limits are lifted for the run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import async_sessionmaker

import api.web.lost_link as lost_link
from api.app import create_app
from api.auth.throttle import LoginThrottle, Rule
from api.db.engine import create_engine
from api.db.migrate import upgrade
from api.settings import Settings
from bench._figures import Figure, write_json
from policies import default_declarations
from venues.venue_service import RoomInput, VenueAdmin, VenueInput
from vetting.actors import Actor

ADMIN = Actor(id=None, name="bench admin", role="admin")
EMAIL = "bench.hirer@benchtown.example"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


async def _seed(url: str) -> str:
    engine = create_engine(url)
    try:
        async with async_sessionmaker(engine, expire_on_commit=False)() as s:
            admin = VenueAdmin(s)
            venue = await admin.create_venue(
                ADMIN,
                VenueInput(
                    name="Bench Hall",
                    owner_kind="council",
                    owner_name="Benchshire Council",
                    address="1 Bench Road",
                ),
            )
            hours = {d: [["08:00", "23:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
            room = await admin.create_room(
                ADMIN, venue.id, RoomInput(name="Room 1", capacity=40, accessibility=[], opening_hours=hours)
            )
            await s.commit()
            return str(room.id)
    finally:
        await engine.dispose()


def _payload(room_id: str) -> dict[str, Any]:
    start = (dt.datetime.now(dt.UTC) + dt.timedelta(days=60)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return {
        "room_id": room_id,
        "organisation": {"name": "Bench Club", "type": "club", "address": "2 Bench Lane"},
        "contact": {"name": "Bench Hirer", "email": EMAIL},
        "people": [{"name": "Pat Benchley", "role": "officer"}],
        "event": {
            "title": "Meeting",
            "description": "A meeting",
            "expected_attendance": 10,
            "open_to_public": False,
            "under_18s": False,
            "adults_at_risk": False,
        },
        "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(),
        "declarations": default_declarations(),
        "answers": {},
    }


async def _measure(client: AsyncTestClient[Any], reference: str, rounds: int) -> dict[str, list[float]]:
    csrf = CSRF.search((await client.get("/")).text)
    assert csrf
    kinds = {
        "matching pair": (reference, EMAIL),
        "unknown reference": ("VH-ZZZZ-ZZZZ", EMAIL),
        "wrong email": (reference, "someone.else@benchtown.example"),
    }
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(rounds):
        for kind, (ref, email) in kinds.items():
            started = time.perf_counter()
            answer = await client.post(
                "/lost-link", data={"reference": ref, "email": email, "csrf_token": csrf.group(1)}
            )
            times[kind].append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, answer.status_code
    return times


def _p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


async def main(rounds: int) -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        await asyncio.to_thread(upgrade, url)
        room_id = await _seed(url)
        settings = Settings(
            database_url=url,
            secret_key="bench-secret-" + "z" * 40,
            environment="test",
            base_url="http://bench.local",
            outbox_dir=Path(folder) / "outbox",
        )
        app = create_app(settings)
        lifted = {k: Rule(free=10**9, window=3600.0, ceiling=True) for k in lost_link.LIMITS}
        app.state["lost_link_throttle"] = LoginThrottle(rules=lifted)
        floor = lost_link.MIN_ANSWER_SECONDS
        async with AsyncTestClient(app=app, base_url="https://bench.local") as client:
            made = await client.post("/api/v1/applications", json=_payload(room_id))
            assert made.status_code == 201, made.text
            reference = made.json()["reference"]
            await _measure(client, reference, 3)  # warm up
            lost_link.MIN_ANSWER_SECONDS = 0.0
            baseline = await _measure(client, reference, rounds)
            lost_link.MIN_ANSWER_SECONDS = floor
            ours = await _measure(client, reference, rounds)
    figures: list[Figure] = []
    print(f"POST /lost-link, {rounds} of each kind, interleaved (ms: median / p90)")
    print(f"{'kind':<20}{'floor ' + str(floor) + ' s':>22}{'baseline, no floor':>24}")
    for kind in ours:
        print(
            f"{kind:<20}{statistics.median(ours[kind]):>12.1f} /{_p90(ours[kind]):>7.1f}"
            f"{statistics.median(baseline[kind]):>14.1f} /{_p90(baseline[kind]):>7.1f}"
        )
    spread = max(statistics.median(v) for v in ours.values()) - min(
        statistics.median(v) for v in ours.values()
    )
    base_spread = max(statistics.median(v) for v in baseline.values()) - min(
        statistics.median(v) for v in baseline.values()
    )
    print(f"spread of the medians: {spread:.1f} ms with the floor, {base_spread:.1f} ms without")
    figures.append(
        Figure(
            "lost-link median spread",
            round(spread, 2),
            "ms",
            target=5.0,
            baseline=round(base_spread, 2),
            baseline_label="no floor",
            better="lower",
        )
    )
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = asyncio.run(main(args.rounds))
    if args.json:
        write_json(str(args.json), "lost_link", result)
