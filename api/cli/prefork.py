"""Several server processes forked from one that has already imported the app and loaded the
screening index (issue 22 item 4: four workers in at most 1.2 times the memory of one).

uvicorn's own ``--workers`` starts each worker with ``spawn``: a fresh interpreter that imports
everything again (about 150 MB of Python objects per worker, measured with smaps) and maps the
index again. Here the parent imports the app, builds it, loads the screening index of the current
list (memory-mapped, vetting/names/store.py), moves every object it made into the garbage
collector's permanent generation (``gc.freeze``: a collection in a worker then never writes to
those pages) and only then forks. The workers share those pages copy-on-write; each one's own
memory is what it allocates while serving.

The parent binds the socket, forks the workers, restarts one that dies, and on SIGTERM or SIGINT
passes the signal on and waits: each worker's uvicorn then finishes its requests in flight (the
grace period) and runs the app's shutdown hooks, as a single process does.
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import importlib
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import structlog
from sqlalchemy.orm import configure_mappers

from api.cli.prefork_warm import warm
from api.outbox_runtime import EMBEDDED_HERE
from venues.closures import load_bank_holidays

log = structlog.get_logger(__name__)

# Modules a worker would otherwise import on its first requests or at start-up (found by
# comparing sys.modules in a worker after 40 bookings with the parent's).
_IMPORTED_LATER = ("anyio._backends._asyncio", "api.jobs", "numpy.ma")
_RESTART_PAUSE = 1.0  # seconds between restarts of a worker that keeps dying


def _preload(app: Any) -> None:
    """Load the current screening index in the parent, so every worker inherits it."""
    from api.screening_warm_up import load_screening_index

    async def load() -> None:
        engine = app.state.db_config.get_engine()
        try:
            await load_screening_index(engine)
            # The first requests' work, done once here for every worker (api/cli/prefork_warm.py).
            log.info("prefork.warmed", statuses=await warm(app))
        finally:
            # No connection may cross the fork: each worker opens its own in its own event loop.
            await engine.dispose()

    try:
        asyncio.run(load())
    except Exception as exc:  # a worker's own warm-up loads it instead (api/screening_warm_up.py)
        log.warning("screening.preload_failed", error=type(exc).__name__)


def serve_forked(workers: int, make_server: Callable[[Any], Any], make_app: Callable[[], Any],
                 host: str, port: int) -> int:  # fmt: skip
    """Run ``workers`` forked copies of the server built by ``make_server(app)`` on one socket."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    app = make_app()
    _preload(app)
    server = make_server(app)
    # What a worker would otherwise make for itself on its first request or at start: the ORM's
    # mapper configuration, uvicorn's protocol classes, event loop module and middleware, and the
    # bank holiday tables every booking request reads (imported on first use).
    configure_mappers()
    server.config.load()
    server.config.get_loop_factory()  # imports the event loop's modules, nothing more
    for module in _IMPORTED_LATER:
        importlib.import_module(module)
    load_bank_holidays(datetime.date.today())
    gc.collect()
    gc.freeze()

    children: dict[int, int] = {}  # pid -> slot; slot 0 delivers the outbox
    stopping: list[int] = []

    def start(slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, signal.SIG_DFL)
                # One embedded outbox runner for all the workers: each one started its own (its
                # engine, its polling, the scheduled jobs), about 11 MB of copied pages per worker
                # when ready. The others' messages wait for its next poll (outbox_poll_seconds).
                app.state[EMBEDDED_HERE] = slot == 0
                server.run(sockets=[sock])
                code = 0
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = slot

    def stop(sig: int, _frame: FrameType | None) -> None:
        stopping.append(sig)
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                children.pop(pid, None)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        start(slot)
    last_restart = 0.0
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        slot = children.pop(pid, 0)
        if not stopping:
            log.warning("server.worker_exited", pid=pid, status=os.waitstatus_to_exitcode(status))
            time.sleep(max(0.0, last_restart + _RESTART_PAUSE - time.monotonic()))
            last_restart = time.monotonic()
            start(slot)  # the same slot: a dead deliverer is replaced by a deliverer
    sock.close()
    return 0
