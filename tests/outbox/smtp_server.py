"""A real SMTP server (aiosmtpd) on loopback that counts what it accepts, and can be told to
refuse (a 4xx or 5xx reply) or to be slow. Used in-process and, for the crash test, as a child
process of its own (``python -m tests.outbox.smtp_server PORT LOGFILE DELAY``)."""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.mail_parsing import parse


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.reply = "250 OK"  # set to "451 ..." or "550 ..." to refuse
        self.delay = 0.0
        self.log: Path | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            # A client that goes away meanwhile cancels this (aiosmtpd), so nothing is counted.
            await asyncio.sleep(self.delay)
        if not self.reply.startswith("250"):
            return self.reply
        message = parse(envelope.content)
        self.messages.append(message)
        if self.log is not None:
            with self.log.open("a") as out:
                out.write(f"{message['Message-ID']}\t{message['To']}\n")
        return "250 OK"

    def message_ids(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(inbox: Inbox | None = None, port: int | None = None) -> Iterator[tuple[Inbox, int]]:
    inbox = inbox or Inbox()
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _main() -> None:
    port, log, delay = int(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    inbox = Inbox()
    inbox.log, inbox.delay = log, delay
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    _main()
