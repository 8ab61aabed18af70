"""Structured logging that records what happened, never who it happened to.

Access log lines carry the route *template* (``/feeds/{token:str}.ics``), never the raw path,
query string, body, headers or cookies: paths hold secrets (feed and applicant tokens) and
bodies hold personal data.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING

import structlog
from litestar.enums import ScopeType

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

_configured = False


class _CurrentStderr:
    """Whatever ``sys.stderr`` is when a line is written, not when logging was configured: a
    stream swapped in and closed since (a test runner's capture) must not break requests."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "INFO") -> None:
    global _configured
    if _configured:
        return
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level.upper())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level.upper()]),
        # structlog types the file as TextIO; it only calls write and flush.
        logger_factory=structlog.PrintLoggerFactory(file=_CurrentStderr()),  # type: ignore[arg-type]  # see above
        cache_logger_on_first_use=True,
    )
    _configured = True


def access_log_middleware(app: ASGIApp) -> ASGIApp:
    log = structlog.get_logger("venue_hire.access")

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        finally:
            route = scope.get("path_template") or "<unmatched>"
            log.info(
                "request",
                method=scope.get("method"),
                route=route,
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )

    return middleware
