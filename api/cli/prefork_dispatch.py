"""Connections handed to the forked workers in turn, by the parent that accepts them.

When every worker accepted from the one shared socket, whichever woke first took all the
connections waiting (uvloop accepts until the queue is empty): 16 keep-alive connections opened at
once went 10 and 6, or 9 and 7, between two workers, every time (wrk's, counted with `ss` by
`bench/connection_spread.py`), and the busier worker's requests waited longer for the whole life
of those connections. Here the parent accepts and passes each connection to the next worker in
turn over a Unix socket (SCM_RIGHTS), as Node's cluster module does on Linux for the same reason:
16 go 8 and 8. A worker serves what it is handed exactly as what it accepted; the parent only
accepts and passes (14 us of its CPU a connection, 200 at a time, while a test suite ran beside
it), never reads a byte of a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any

import structlog
import uvicorn

log = structlog.get_logger(__name__)

_MARK = b"c"  # one byte per message: SCM_RIGHTS needs some data beside the descriptor
_BATCH = 64  # descriptors read from the parent at a time


class Dispatcher:
    """The parent's side: the listening socket and one channel per worker slot."""

    def __init__(self, listening: socket.socket) -> None:
        listening.setblocking(False)
        self.listening: socket.socket | None = listening
        self._channels: dict[int, socket.socket] = {}
        self._turn = 0

    def channel_for(self, slot: int) -> socket.socket:
        """A new channel to the worker about to be forked into `slot`: the worker's end."""
        self.worker_gone(slot)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        ours.setblocking(False)  # a worker that stops reading is passed over, not waited for
        self._channels[slot] = ours
        return theirs

    def worker_gone(self, slot: int) -> None:
        channel = self._channels.pop(slot, None)
        if channel is not None:
            channel.close()

    def in_child(self, kept: socket.socket) -> None:
        """In a freshly forked worker: close what only the parent uses (the listening socket
        too, so that once the parent closes it no connection waits on a socket nobody accepts)."""
        if self.listening is not None:
            self.listening.close()
        for channel in self._channels.values():
            if channel is not kept:
                channel.close()

    def accept_ready(self) -> None:
        """Accept every connection waiting and hand each to the next worker in turn."""
        while self.listening is not None:
            try:
                connection, _address = self.listening.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:  # e.g. the process is out of descriptors: try again later
                log.warning("server.accept_failed", error=type(exc).__name__)
                return
            with connection:
                self._hand_over(connection)

    def _hand_over(self, connection: socket.socket) -> None:
        slots = sorted(self._channels)
        for step in range(len(slots)):
            slot = slots[(self._turn + step) % len(slots)]
            try:
                socket.send_fds(self._channels[slot], [_MARK], [connection.fileno()])
            except OSError:  # full (a stuck worker) or closed (a dead one): the next in turn
                continue
            self._turn = (self._turn + step + 1) % len(slots)
            return
        log.warning("server.no_worker_for_connection")  # the client sees the connection close

    def stop_accepting(self) -> None:
        if self.listening is not None:
            self.listening.close()
            self.listening = None

    def close(self) -> None:
        self.stop_accepting()
        for slot in list(self._channels):
            self.worker_gone(slot)


class HandedConnectionsServer(uvicorn.Server):
    """uvicorn serving the connections its parent hands it (`Dispatcher`) instead of accepting
    them: start-up, the request protocol, limits and graceful shutdown are uvicorn's own."""

    channel: socket.socket | None = None
    _starting: set[asyncio.Task[None]]

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=[])  # the app's start-up, listening on nothing
        self._starting = set()
        if self.channel is not None and self.started:
            self.channel.setblocking(False)
            loop = asyncio.get_running_loop()
            loop.add_reader(self.channel.fileno(), self._receive, loop)

    def _receive(self, loop: asyncio.AbstractEventLoop) -> None:
        assert self.channel is not None
        try:
            data, descriptors, _flags, _address = socket.recv_fds(self.channel, _BATCH, _BATCH)
        except (BlockingIOError, InterruptedError):
            return
        if not data:  # the parent has gone: nobody will hand this worker anything again
            loop.remove_reader(self.channel.fileno())
            self.should_exit = True
        for descriptor in descriptors:
            task = loop.create_task(self._take_up(loop, socket.socket(fileno=descriptor)))
            self._starting.add(task)  # the loop keeps only a weak reference to a task
            task.add_done_callback(self._starting.discard)

    async def _take_up(self, loop: asyncio.AbstractEventLoop, connection: socket.socket) -> None:
        try:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await loop.connect_accepted_socket(self._protocol, connection)
        except OSError:  # the client went away before the worker took the connection up
            connection.close()

    def _protocol(self) -> Any:
        # What uvicorn's own start-up gives the server it creates (uvicorn/server.py, startup).
        return self.config.http_protocol_class(  # type: ignore[call-arg]  # uvicorn's protocols take these
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.channel is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self.channel.fileno())
            self.channel.close()
        await super().shutdown(sockets=sockets)
