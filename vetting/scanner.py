"""Virus scanning of documents: ClamAV's clamd over its unix socket, or none (an interface and a
null implementation chosen by settings, as for mail and registry look-ups).

clamd's INSTREAM command takes the file in length-prefixed chunks, so a file is never held in
memory whole; its answer is ``stream: OK`` or ``stream: <signature> FOUND``.
"""

from __future__ import annotations

import asyncio
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """The scanner could not give an answer (not running, timed out, said something unexpected)."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str | None = None


class Scanner(Protocol):
    configured: bool

    async def scan(self, path: Path) -> ScanResult: ...


class NoScanner:
    """No scanner configured: documents are accepted and marked "not scanned" for staff."""

    configured = False

    async def scan(self, path: Path) -> ScanResult:
        raise ScannerUnavailable("no scanner is configured")


class ClamdScanner:
    configured = True

    def __init__(self, socket_path: str | Path, *, timeout: float = 60.0) -> None:
        self.socket_path = str(socket_path)
        self.timeout = timeout

    async def scan(self, path: Path) -> ScanResult:
        try:
            return await asyncio.wait_for(self._scan(path), self.timeout)
        except (OSError, TimeoutError) as exc:
            raise ScannerUnavailable(f"clamd did not answer: {type(exc).__name__}") from exc

    async def _scan(self, path: Path) -> ScanResult:
        reader, writer = await asyncio.open_unix_connection(self.socket_path)
        try:
            writer.write(b"zINSTREAM\0")
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    writer.write(struct.pack("!L", len(chunk)) + chunk)
                    await writer.drain()
            writer.write(struct.pack("!L", 0))
            await writer.drain()
            answer = (await reader.readuntil(b"\0")).rstrip(b"\0").decode("utf-8", "replace")
        finally:
            writer.close()
        return parse_answer(answer)

    async def ping(self) -> bool:
        try:
            reader, writer = await asyncio.open_unix_connection(self.socket_path)
            writer.write(b"zPING\0")
            await writer.drain()
            answer = await asyncio.wait_for(reader.readuntil(b"\0"), 5)
            writer.close()
            return answer.rstrip(b"\0") == b"PONG"
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            return False


def parse_answer(answer: str) -> ScanResult:
    """clamd's one-line verdict on a stream."""
    verdict = answer.removeprefix("stream:").strip()
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict.removesuffix(" FOUND").strip()[:120])
    raise ScannerUnavailable(f"clamd answered: {verdict[:80]}")


def scanner_for(socket_path: str | None) -> Scanner:
    return ClamdScanner(socket_path) if socket_path else NoScanner()
