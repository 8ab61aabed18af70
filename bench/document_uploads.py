"""Benchmark: 20 concurrent 10 MB document uploads; the server's memory must grow by <= 2 MB.

    .venv/bin/python bench/document_uploads.py [--uploads N] [--mb M]

Runs the real app under uvicorn in a child process (SQLite under a temporary directory, the
documents store and spool beside it), sends N uploads of an M MB PDF at once to the hirer's
status-page upload route (after a warm-up batch of N small uploads at the same concurrency, so
the figure is what the files' size adds, not what N concurrent requests cost), and samples
the server's resident memory (VmRSS) every 10 ms. Beside it, in the same run, a baseline
server whose route reads the form the ordinary way (Litestar's `request.form()`, which holds
the whole body in memory) takes the same uploads. Figures: RSS
before, peak during, growth; the wall time of the batch. Target: growth <= 2 MB for the app.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BOUNDARY = "benchboundary7MA4YWxkTrZu0gW"

SERVER = """
import asyncio, sys
import uvicorn
from api.app import create_app
from api.settings import Settings
settings = Settings(database_url=sys.argv[1], secret_key="bench-secret-" + "z" * 32, environment="test",
    base_url="http://127.0.0.1", outbox_dir=sys.argv[3] + "/outbox", scheduler_enabled=False, delivery="off",
    documents_store=sys.argv[3] + "/store", documents_spool_dir=sys.argv[3] + "/spool", log_level="WARNING")
uvicorn.run(create_app(settings), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""

BASELINE = """
import sys
import uvicorn
from litestar import Litestar, Request, post
@post("/status/{token:str}/documents", request_max_body_size=101 * 1024 * 1024, status_code=303)
async def naive(request: Request, token: str) -> None:
    form = await request.form()  # the whole body, then each file, in memory
    upload = form.get("file")
    data = await upload.read()
    with open(sys.argv[3] + "/" + token[:8] + str(id(data)), "wb") as out:
        out.write(data)
uvicorn.run(Litestar([naive]), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def start(code: str, args: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", code, args[0], str(port), *args[1:]], cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/health", timeout=1)
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


async def body(fields: dict[str, str], size: int) -> AsyncIterator[bytes]:
    for name, value in fields.items():
        yield f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="certificate.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    yield b"%PDF-1.4\n"
    left = size - 9 - 6
    block = b"%" + b"x" * (64 * 1024 - 2) + b"\n"
    while left > 0:
        piece = block[: min(left, len(block))]
        left -= len(piece)
        yield piece
    yield b"%%EOF\n" + f"\r\n--{BOUNDARY}--\r\n".encode()


async def run_batch(
    url: str, tokens: list[str], cookies: list[dict[str, str]], size: int, pid: int
) -> dict[str, float]:
    before = rss_kb(pid)
    peak = before
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kb(pid))
            await asyncio.sleep(0.01)

    async def one(client: httpx.AsyncClient, token: str, jar: dict[str, str]) -> int:
        fields = {
            "csrf_token": jar.pop("_csrf_field", ""),
            "kind": "insurance_certificate",
            "insurer": "Testshire Mutual",
            "cover_gbp": "5000000",
            "expires_on": "2099-03-31",
        }
        headers = {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        }
        response = await client.post(
            f"{url}/status/{token}/documents", content=body(fields, size), headers=headers
        )
        return response.status_code

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=300) as client:
        statuses = await asyncio.gather(
            *(one(client, t, dict(c)) for t, c in zip(tokens, cookies, strict=True))
        )
    elapsed = time.perf_counter() - started
    done.set()
    await sampler
    bad = [s for s in statuses if s not in (302, 303)]
    if bad:
        raise RuntimeError(f"uploads answered {bad[:5]}")
    return {
        "before_mb": before / 1024,
        "peak_mb": peak / 1024,
        "growth_mb": (peak - before) / 1024,
        "seconds": elapsed,
    }


def prepare(url: str, count: int) -> tuple[list[str], list[dict[str, str]]]:
    """Booking requests through the API, and each status page's CSRF cookie and token."""
    from tests.factories import application_payload, next_weekday

    room = os.environ["BENCH_ROOM_ID"]
    tokens: list[str] = []
    jars: list[dict[str, str]] = []
    for i in range(count):
        payload = application_payload(room, next_weekday(i % 7, weeks_ahead=3 + i))
        created = httpx.post(f"{url}/api/v1/applications", json=payload, timeout=60)
        created.raise_for_status()
        token = created.json()["applicant_token"]
        page = httpx.get(f"{url}/status/{token}", timeout=60)
        jar = dict(page.cookies.items())
        jar["_csrf_field"] = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text).group(1)  # type: ignore[union-attr]
        tokens.append(token)
        jars.append(jar)
    return tokens, jars


async def seed(db_url: str) -> str:
    from sqlalchemy.ext.asyncio import async_sessionmaker

    from api.db.engine import create_engine
    from tests import factories as f

    engine = create_engine(db_url)
    async with async_sessionmaker(engine, expire_on_commit=False)() as s:
        venue = await f.make_venue(s, "Benchtown Hall")
        room = await f.make_room(s, venue, "Main Room", capacity=100)
        await s.commit()
    await engine.dispose()
    return str(room.id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--mb", type=float, default=10.0)
    args = parser.parse_args()
    size = int(args.mb * 1024 * 1024) - 1024  # under the policy's limit with the form around it

    from api.db.migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite+aiosqlite:///{tmp}/bench.sqlite3"
        upgrade(db_url)
        os.environ["BENCH_ROOM_ID"] = asyncio.run(seed(db_url))
        server, url = start(SERVER, [db_url, tmp])
        naive_dir = Path(tmp) / "naive"
        naive_dir.mkdir()
        baseline, baseline_url = start(BASELINE, ["unused", str(naive_dir)])
        try:
            tokens, jars = prepare(url, 2 * args.uploads)
            # A first batch of small uploads at the same concurrency, so what any N concurrent
            # requests cost (code loaded on first use, database connections and their caches) is
            # not counted: the figure is what the files' size adds.
            asyncio.run(run_batch(url, tokens[: args.uploads], jars[: args.uploads], 100 * 1024, server.pid))
            tokens, jars = tokens[args.uploads :], jars[args.uploads :]
            app = asyncio.run(run_batch(url, tokens, jars, size, server.pid))
            stored = len(list((Path(tmp) / "store").iterdir())) - args.uploads
            warm = [{"_csrf_field": ""} for _ in tokens]
            asyncio.run(run_batch(baseline_url, tokens, warm, 100 * 1024, baseline.pid))
            naive = asyncio.run(
                run_batch(baseline_url, tokens, [{"_csrf_field": ""} for _ in tokens], size, baseline.pid)
            )
        finally:
            server.terminate()
            baseline.terminate()
            server.wait(30)
            baseline.wait(30)
    print(f"{args.uploads} concurrent uploads of {args.mb:g} MB each")
    print(
        f"  app (streaming):   RSS {app['before_mb']:.1f} MB -> peak {app['peak_mb']:.1f} MB, "
        f"growth {app['growth_mb']:.2f} MB, {app['seconds']:.2f} s, {stored} files stored"
    )
    print(
        f"  baseline (form()): RSS {naive['before_mb']:.1f} MB -> peak {naive['peak_mb']:.1f} MB, "
        f"growth {naive['growth_mb']:.2f} MB, {naive['seconds']:.2f} s"
    )
    ratio = naive["growth_mb"] / app["growth_mb"] if app["growth_mb"] > 0 else float("inf")
    print(f"  baseline growth / app growth: {ratio:.1f}x")
    ok = app["growth_mb"] <= 2.0 and stored == args.uploads
    print("  target (growth <= 2 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
