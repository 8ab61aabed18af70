"""Refuse JSON bodies nested deeper than MAX_JSON_DEPTH before anything decodes them (issue 14, item 3).

The decoders (msgspec, then pydantic) recurse once per level: a 2 KB body of `[[[[...` raised
RecursionError, a 500, on every JSON endpoint. No request the service takes nests more than a
handful of levels, so a JSON body nested deeper than 32 answers 400 with a clear message.

The check scans the raw bytes (strings skipped) and runs only when the body has more brackets
than the limit, so ordinary requests pay one `bytes.count`. The body is buffered up to the
app's own size limit and handed on unchanged; a larger body is passed through untouched for
Litestar to refuse (413).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from api.security.api_writes import send_json_error

MAX_JSON_DEPTH = 32
# Litestar's default request_max_body_size; above it the app answers 413 by itself.
MAX_SCANNED_BYTES = 10_000_000
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset(b"[{")
DEPTH_MESSAGE = f"the JSON body is nested too deeply (more than {MAX_JSON_DEPTH} levels)"


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text opens more than `limit` arrays or objects inside one another."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth = 0
    for match in _TOKENS.finditer(body):
        token = match.group()
        if len(token) != 1:
            continue  # a string: brackets inside it do not count
        if token[0] in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _is_json(headers: Headers) -> bool:
    media_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def json_depth_middleware() -> Callable[[ASGIApp], ASGIApp]:
    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP or not _is_json(Headers.from_scope(scope)):
                await app(scope, receive, send)
                return
            buffered: list[ReceiveMessage] = []
            chunks: list[bytes] = []
            size = 0
            complete = False
            while True:
                message = await receive()
                buffered.append(message)
                if message["type"] != "http.request":
                    break  # the client went away: let the app see it
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                if not message.get("more_body", False):
                    complete = True
                    break
                if size > MAX_SCANNED_BYTES:
                    break
            if complete and json_depth_exceeds(b"".join(chunks)):
                await send_json_error(send, 400, DEPTH_MESSAGE)
                return

            async def replay() -> ReceiveMessage:
                if buffered:
                    return buffered.pop(0)
                return await receive()

            await app(scope, replay, send)

        return middleware

    return factory
