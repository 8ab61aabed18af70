"""The parent of `venue-hire serve --workers N` accepts the connections and hands each to the next
worker in turn (api/cli/prefork_dispatch.py): connections opened together go evenly between the
workers (with one shared socket, 16 went 10 and 6), and a worker that has gone is passed over."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from api.cli.prefork_dispatch import Dispatcher


@contextmanager
def _listening() -> Iterator[socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield sock
    finally:
        sock.close()


def _handed(channel: socket.socket) -> list[socket.socket]:
    """Every connection the parent has handed to the worker at the other end of `channel`."""
    channel.setblocking(False)
    got: list[socket.socket] = []
    while True:
        try:
            data, fds, _flags, _address = socket.recv_fds(channel, 64, 64)
        except BlockingIOError:
            return got
        assert data  # one byte beside each descriptor
        got += [socket.socket(fileno=fd) for fd in fds]


def _connect(stack: ExitStack, port: int, count: int) -> list[socket.socket]:
    return [stack.enter_context(socket.create_connection(("127.0.0.1", port))) for _ in range(count)]


def test_connections_go_to_each_worker_in_turn() -> None:
    with _listening() as sock, ExitStack() as stack:
        dispatcher = Dispatcher(sock)
        stack.callback(dispatcher.close)
        workers = [stack.enter_context(dispatcher.channel_for(slot)) for slot in range(3)]
        clients = _connect(stack, sock.getsockname()[1], 9)
        dispatcher.accept_ready()
        handed = [_handed(worker) for worker in workers]
        assert [len(h) for h in handed] == [3, 3, 3]
        # Each is the client's connection itself: what a client sends, its worker reads.
        ports = {h.getpeername()[1] for each in handed for h in each}
        assert ports == {c.getsockname()[1] for c in clients}
        clients[0].sendall(b"ping")
        (first,) = [h for each in handed for h in each if h.getpeername() == clients[0].getsockname()]
        assert first.recv(4) == b"ping"
        for each in handed:
            for h in each:
                h.close()


def test_a_worker_that_has_gone_is_passed_over() -> None:
    with _listening() as sock, ExitStack() as stack:
        dispatcher = Dispatcher(sock)
        stack.callback(dispatcher.close)
        alive = stack.enter_context(dispatcher.channel_for(0))
        dispatcher.channel_for(1).close()  # the worker in slot 1 died before the parent noticed
        _connect(stack, sock.getsockname()[1], 4)
        dispatcher.accept_ready()
        handed = _handed(alive)
        assert len(handed) == 4
        for h in handed:
            h.close()
        dispatcher.worker_gone(1)  # noticed: its channel is closed and it is no longer in turn
        _connect(stack, sock.getsockname()[1], 2)
        dispatcher.accept_ready()
        assert len(_handed(alive)) == 2


def test_once_stopped_nothing_more_is_accepted() -> None:
    with _listening() as sock, ExitStack() as stack:
        dispatcher = Dispatcher(sock)
        stack.callback(dispatcher.close)
        stack.enter_context(dispatcher.channel_for(0))
        port = sock.getsockname()[1]
        dispatcher.stop_accepting()
        dispatcher.accept_ready()  # nothing to do, no error
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except ConnectionRefusedError:
            return
        raise AssertionError("a connection was accepted after the parent stopped accepting")
