"""Cross-site write protection for the JSON API (issue 14, item 1).

A browser sends the session cookie with any request to the service, including one a page on
another site (or a same-site subdomain, or an old browser that ignores SameSite) makes it send.
So a state-changing call under `/api/v1` (POST, PUT, PATCH, DELETE) that the session cookie
would authenticate must show that it comes from the service's own pages:

* an `Origin` (or, without one, a `Referer`) other than the service's own (`settings.base_url`)
  is refused with 403;
* the `X-CSRF-Token` header must carry the same signed double-submit token the forms carry
  (api/web/sessions.py: an HMAC of the `__Host-vh-csrf` cookie and the session cookie), else 403.

Bearer-token calls are not affected: a page on another site cannot make a browser add an
`Authorization` header without a CORS preflight, which the service does not grant.

Every write's body must be `application/json` (415 otherwise), so a cross-site `<form>` or
`text/plain` fetch can never be read as JSON. The one exception is the documented file upload
(`POST /api/v1/flagged-entries/import`), which takes the file in its own format; it is officer
only, so the cookie rules above still apply to it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from litestar.connection import ASGIConnection
from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from api.settings import Settings
from api.web.sessions import COOKIE_NAME, CSRF_COOKIE, csrf_ok

API_PREFIX = "/api/"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "x-csrf-token"
# Routes that take a body in another format than JSON (the path as the client sends it).
NON_JSON_BODY_PATHS = frozenset({"/api/v1/flagged-entries/import"})


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` with the scheme's default port left out, or None when not a URL."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        return None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    try:
        port = parts.port
    except ValueError:
        return None
    netloc = parts.hostname.lower() + (f":{port}" if port and port != default else "")
    return f"{parts.scheme.lower()}://{netloc}"


def is_json_media_type(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json"


def bearer_credential(headers: Headers) -> bool:
    """The same test `api.auth.actor.resolve_actor` uses to choose the bearer token over the cookie."""
    scheme, _, credential = headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(credential.strip())


def _has_body(headers: Headers) -> bool:
    length = headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in headers


def api_write_problem(scope: Scope, settings: Settings, secret: str) -> tuple[int, str] | None:
    """Why this API write must be refused (status, message), or None when it may go on."""
    headers = Headers.from_scope(scope)
    connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
    session_raw = connection.cookies.get(COOKIE_NAME)
    if session_raw and not bearer_credential(headers):
        own = origin_of(settings.base_url)
        claimed = headers.get("origin")
        if claimed is None and headers.get("referer"):
            claimed = origin_of(headers["referer"]) or "null"
        if claimed is not None and (own is None or origin_of(claimed) != own):
            return (
                403,
                "cross-origin request refused: the signed-in API accepts writes only from this service",
            )
        if not csrf_ok(secret, connection.cookies.get(CSRF_COOKIE), session_raw, headers.get(CSRF_HEADER)):
            return 403, (
                "a signed-in browser must send the page's CSRF token in the X-CSRF-Token header; "
                "API clients send a bearer token"
            )
    content_type = headers.get("content-type")
    if scope.get("path", "") in NON_JSON_BODY_PATHS:
        return None
    if (content_type is not None or _has_body(headers)) and not is_json_media_type(content_type or ""):
        return 415, "send the request body as application/json"
    return None


async def send_json_error(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"status_code": status, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def api_write_middleware(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    secret_cache: list[str] = []

    def secret() -> str:
        if not secret_cache:
            secret_cache.append(settings.resolved_secret_key())
        return secret_cache[0]

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if (
                scope["type"] == ScopeType.HTTP
                and scope.get("method") in WRITE_METHODS
                and scope.get("path", "").startswith(API_PREFIX)
            ):
                problem = api_write_problem(scope, settings, secret())
                if problem is not None:
                    await send_json_error(send, *problem)
                    return
            await app(scope, receive, send)

        return middleware

    return factory
