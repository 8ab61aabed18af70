"""Security headers on every response, allowed hosts, CORS and the staff-only API schema (issue 8).

Headers are set by a *before send* hook rather than a route middleware: Litestar runs route
middleware only for matched routes, while the hook sees every response the app sends (404s of
unknown paths and error answers included).

Allowed hosts: `VENUE_HIRE_ALLOWED_HOSTS` (a JSON list, default `["*"]`). In production
(`VENUE_HIRE_ENVIRONMENT=production`) a `"*"` is not honoured: the host of `VENUE_HIRE_BASE_URL`
is then the only one accepted unless the operator lists more, so unknown Host headers get 400.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from litestar.config.allowed_hosts import AllowedHostsConfig
from litestar.config.cors import CORSConfig
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from api.settings import Settings

SCHEMA_PATH = "/schema"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)
# Swagger UI loads its bundle from jsDelivr and starts itself with an inline script; only
# signed-in staff reach it outside development, so the looser policy is confined to /schema.
_CDN = "https://cdn.jsdelivr.net"
SCHEMA_CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {_CDN}; style-src 'self' 'unsafe-inline' {_CDN}; "
    f"img-src 'self' data: {_CDN}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

STATIC_HEADERS: dict[str, str] = {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

# Paths whose answers describe one hirer's request: the path token is the credential, so
# shared caches and the browser's back-forward cache must not keep them.
NO_STORE_PREFIXES = ("/api/v1/applicant/", "/status/")


def _session_cookie_name() -> str:
    from api.web.sessions import COOKIE_NAME

    return COOKIE_NAME


def is_authenticated_request(scope: Scope) -> bool:
    """The request carried a credential: a bearer token or the browser session cookie."""
    cookie_name = _session_cookie_name().encode()
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value.strip():
            return True
        if name == b"cookie" and cookie_name + b"=" in value:
            return True
    return False


def _wants_no_store(scope: Scope) -> bool:
    path: str = scope.get("path", "")
    return is_authenticated_request(scope) or path.startswith(NO_STORE_PREFIXES)


async def security_headers_hook(message: Message, scope: Scope) -> None:
    """Add the security headers to the start of every HTTP response; a route's own value wins,
    except Cache-Control on answers to authenticated requests, which is always `no-store`."""
    if message["type"] != "http.response.start" or scope.get("type") != ScopeType.HTTP:
        return
    headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
    present = {name.lower() for name, _ in headers}
    wanted = dict(STATIC_HEADERS)
    path: str = scope.get("path", "")
    schema = path == SCHEMA_PATH or path.startswith(SCHEMA_PATH + "/")
    wanted["content-security-policy"] = SCHEMA_CONTENT_SECURITY_POLICY if schema else CONTENT_SECURITY_POLICY
    for name, value in wanted.items():
        if name.encode() not in present:
            headers.append((name.encode(), value.encode()))
    if _wants_no_store(scope):
        headers = [(n, v) for n, v in headers if n.lower() not in (b"cache-control", b"pragma")]
        headers.append((b"cache-control", b"no-store"))
        headers.append((b"pragma", b"no-cache"))
    message["headers"] = headers


def schema_guard_middleware(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    """Outside development the OpenAPI schema and its viewers answer 404 unless staff ask."""
    open_schema = settings.environment == "development"

    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            path: str = scope.get("path", "")
            if (
                open_schema
                or scope["type"] != ScopeType.HTTP
                or not (path == SCHEMA_PATH or path.startswith(SCHEMA_PATH + "/"))
            ):
                await app(scope, receive, send)
                return
            if await _is_staff(scope, receive, send):
                await app(scope, receive, send)
                return
            await _not_found(send)

        return middleware

    return factory


async def _is_staff(scope: Scope, receive: Receive, send: Send) -> bool:
    from api.auth.actor import resolve_actor

    try:
        actor = await resolve_actor(ASGIConnection(scope, receive=receive, send=send))
    except NotAuthorizedException:
        return False
    return actor is not None and actor.is_staff


async def _not_found(send: Send) -> None:
    body = b'{"status_code":404,"detail":"Not Found"}'
    await send(
        {
            "type": "http.response.start",
            "status": 404,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


def allowed_hosts(settings: Settings) -> AllowedHostsConfig:
    hosts = [h.strip() for h in settings.allowed_hosts if h.strip()]
    if settings.environment == "production" and (not hosts or "*" in hosts):
        base = urlsplit(settings.base_url)
        # The Host header carries the port when it is not the scheme's default, and Litestar
        # compares the whole header; the bare name stays allowed for proxies that drop it.
        from_base: list[str] = []
        if base.hostname:
            from_base = [base.hostname] + ([f"{base.hostname}:{base.port}"] if base.port else [])
        hosts = [h for h in hosts if h != "*"] or from_base
    return AllowedHostsConfig(allowed_hosts=hosts or ["*"])


def cors_config(settings: Settings) -> CORSConfig | None:
    """CORS stays off (no Access-Control headers at all) unless origins are configured."""
    if not settings.cors_origins:
        return None
    return CORSConfig(
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST", "PUT", "DELETE"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        allow_credentials=False,
    )


def security_middleware(settings: Settings | None = None) -> list[Any]:
    """Middleware the app installs, outermost first."""
    if settings is None:
        return []
    from api.security.api_writes import api_write_middleware
    from api.security.json_depth import json_depth_middleware

    return [schema_guard_middleware(settings), api_write_middleware(settings), json_depth_middleware()]


def before_send_hooks() -> list[Callable[[Message, Scope], Awaitable[None]]]:
    """Hooks run on every message the app sends, in order; the audit hook must run before the
    database plugin's autocommit so its record lands in the request's transaction."""
    from api.audit import audit_before_send

    return [audit_before_send, security_headers_hook]
