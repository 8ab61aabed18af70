"""Several server processes forked from one that has already imported the app and loaded the
screening index (issue 22 item 4: four workers in at most 1.2 times the memory of one).

uvicorn's own ``--workers`` starts each worker with ``spawn``: a fresh interpreter that imports
everything again (about 150 MB of Python objects per worker, measured with smaps) and maps the
index again. Here the parent imports the app, builds it, loads the screening index of the current
list (memory-mapped, vetting/names/store.py), moves every object it made into the garbage
collector's permanent generation (``gc.freeze``: a collection in a worker then never writes to
those pages) and only then forks. The workers share those pages copy-on-write; each one's own
memory is what it allocates while serving.

The parent binds the socket, forks the workers, accepts the connections and hands each to the
next worker in turn (api/cli/prefork_dispatch.py), restarts a worker that dies, and on SIGTERM or
SIGINT stops accepting, passes the signal on and waits: each worker's uvicorn then finishes its
requests in flight (the grace period) and runs the app's shutdown hooks, as a single process does.
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import importlib
import os
import selectors
import signal
import socket
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import structlog
from sqlalchemy.orm import configure_mappers

from api.cli.prefork_dispatch import Dispatcher
from api.cli.prefork_warm import warm
from api.outbox_runtime import EMBEDDED_HERE
from venues.closures import load_bank_holidays

log = structlog.get_logger(__name__)

# Modules a worker would otherwise import on its first requests or at start-up (found by
# comparing sys.modules in a worker after 40 bookings with the parent's).
_IMPORTED_LATER = ("anyio._backends._asyncio", "api.jobs", "numpy.ma")
_RESTART_PAUSE = 1.0  # seconds between restarts of a worker that keeps dying
_POLL_SECONDS = 0.2  # how long the parent waits for a connection before it looks at its workers


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
    # The parent accepts and hands each connection to the next worker (api/cli/prefork_dispatch.py).
    dispatcher = Dispatcher(sock)

    def start(slot: int) -> None:
        channel = dispatcher.channel_for(slot)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for sig in (signal.SIGTERM, signal.SIGINT):
                    signal.signal(sig, signal.SIG_DFL)
                dispatcher.in_child(channel)
                # One embedded outbox runner for all the workers: each one started its own (its
                # engine, its polling, the scheduled jobs), about 11 MB of copied pages per worker
                # when ready. The others' messages wait for its next poll (outbox_poll_seconds).
                app.state[EMBEDDED_HERE] = slot == 0
                server.channel = channel
                server.run(sockets=[])
                code = 0
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        channel.close()
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
    _supervise(dispatcher, children, stopping, start)
    return 0


def _supervise(
    dispatcher: Dispatcher, children: dict[int, int], stopping: list[int], start: Callable[[int], None]
) -> None:
    """Hand out connections until stopped; replace a worker that dies (after a pause, if one
    keeps dying, while the others go on serving); once stopped, wait for the workers to finish."""
    selector = selectors.DefaultSelector()
    assert dispatcher.listening is not None
    selector.register(dispatcher.listening, selectors.EVENT_READ)
    restarts: list[tuple[float, int]] = []  # (when, slot)
    last_restart = 0.0
    while children or (restarts and not stopping):
        if stopping and dispatcher.listening is not None:
            selector.unregister(dispatcher.listening)
            dispatcher.stop_accepting()  # new connections are refused; the workers finish theirs
        if dispatcher.listening is not None:
            if selector.select(timeout=_POLL_SECONDS):
                dispatcher.accept_ready()
        else:
            time.sleep(_POLL_SECONDS)
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            slot = children.pop(pid, 0)
            dispatcher.worker_gone(slot)
            if not stopping:
                log.warning("server.worker_exited", pid=pid, status=os.waitstatus_to_exitcode(status))
                last_restart = max(time.monotonic(), last_restart + _RESTART_PAUSE)
                # The same slot: a dead deliverer is replaced by a deliverer.
                restarts.append((last_restart, slot))
        now = time.monotonic()
        for due in [r for r in restarts if r[0] <= now and not stopping]:
            restarts.remove(due)
            start(due[1])
    selector.close()
    dispatcher.close()
