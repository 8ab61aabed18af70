"""What every page shares: rendering with the CSRF token, the CSRF guard, signed state, HTML errors."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from litestar import MediaType, Request, Response
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Redirect, Template

from api.auth.actor import PUBLIC
from api.settings import Settings
from api.web.i18n import HTML_LANG, N_, current_language
from api.web.i18n import gettext as _
from api.web.sessions import (
    COOKIE_NAME,
    CSRF_COOKIE,
    CSRF_FIELD,
    csrf_cookie,
    csrf_ok,
    csrf_token,
    new_csrf_secret,
)
from vetting.actors import Actor
from vetting.clean_text import control_character
from vetting.errors import Conflict, DomainError, Forbidden, Invalid, NotFound

AnyRequest = Request[Any, Any, Any]

STATUS_LABELS = {
    "under_review": N_("Being reviewed"),
    "awaiting_information": N_("Waiting for information from you"),
    "awaiting_acceptance": N_("Approved: waiting for you to accept the conditions"),
    "confirmed": N_("Confirmed"),
    "refused": N_("Refused"),
    "withdrawn": N_("Withdrawn"),
    "cancelled": N_("Cancelled"),
    "lapsed": N_("Lapsed: the information asked for did not come"),
}
STAFF_STATUS_LABELS = STATUS_LABELS | {
    "awaiting_information": "Waiting for information",
    "awaiting_acceptance": "Waiting for the hirer to accept conditions",
}


def settings_of(request: ASGIConnection[Any, Any, Any, Any]) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def secret_key(request: ASGIConnection[Any, Any, Any, Any]) -> str:
    cache = request.app.state
    key: str | None = cache.get("web_secret_key")
    if key is None:
        key = settings_of(request).resolved_secret_key()
        cache["web_secret_key"] = key
    return key


def _csrf_cookie_value(request: AnyRequest) -> tuple[str, bool]:
    existing = request.cookies.get(CSRF_COOKIE)
    if existing:
        return existing, False
    fresh: str | None = request.scope.get("state", {}).get("csrf_fresh")
    if fresh is None:
        fresh = new_csrf_secret()
        request.scope.setdefault("state", {})["csrf_fresh"] = fresh
    return fresh, True


def form_token(request: AnyRequest, session_raw: str | None = None) -> str:
    value, _ = _csrf_cookie_value(request)
    raw = session_raw if session_raw is not None else request.cookies.get(COOKIE_NAME)
    return csrf_token(secret_key(request), value, raw)


def _is_public_route(request: AnyRequest) -> bool:
    handler = request.scope.get("route_handler")
    return PUBLIC in ((getattr(handler, "opt", None) or {}).get("roles") or ())


def _switch_href(request: AnyRequest) -> str:
    """This page's address in the other language (its query kept, so filters survive)."""
    other = "en" if current_language() == "cy" else "cy"
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] + [("lang", other)]
    return f"{request.url.path}?{urlencode(query)}"


def page(
    request: AnyRequest,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    cookies: list[Cookie] | None = None,
    session_raw: str | None = None,
) -> Template:
    """Render a page with what every layout needs, setting the CSRF cookie when the browser has none."""
    value, fresh = _csrf_cookie_value(request)
    actor: Actor | None = request.scope.get("state", {}).get("actor")
    settings = settings_of(request)
    ctx: dict[str, Any] = {
        "actor": actor,
        "csrf_field": CSRF_FIELD,
        "csrf_token": form_token(request, session_raw),
        "council_name": settings.council_name,
        "council_logo_url": settings.council_logo_url,
        "path": request.url.path,
        "status_labels": STATUS_LABELS,
        "staff_status_labels": STAFF_STATUS_LABELS,
        "errors": {},
        "lang": current_language(),
        "html_lang": HTML_LANG[current_language()],
        "public_page": _is_public_route(request),
        "switch_href": _switch_href(request),
    }
    ctx.update(context or {})
    all_cookies = list(cookies or [])
    if fresh:
        all_cookies.append(csrf_cookie(value))
    return Template(
        template_name=template,
        context=ctx,
        status_code=status_code,
        cookies=all_cookies,
        # Pages hold personal data and private links: never cached, never leaked in a Referer.
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def redirect(path: str, *, cookies: list[Cookie] | None = None) -> Redirect:
    return Redirect(path=path, status_code=303, cookies=cookies or [])


async def csrf_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Refuse a form POST whose token does not match this browser's CSRF cookie (and session)."""
    if connection.scope.get("method") != "POST":
        return
    request: AnyRequest = Request(connection.scope, connection.receive)
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not csrf_ok(
        secret_key(connection),
        connection.cookies.get(CSRF_COOKIE),
        connection.cookies.get(COOKIE_NAME),
        submitted if isinstance(submitted, str) else None,
    ):
        raise PermissionDeniedException(detail="csrf")
    # Text with control characters cannot be stored (PostgreSQL refuses NUL): refuse the whole
    # form with the field named, before any page handler sees it. Textareas send tabs and CRLF.
    for name, value in form.multi_items():
        bad = control_character(name, multiline=False) or (
            control_character(value, multiline=True) if isinstance(value, str) else None
        )
        if bad is not None:
            shown = "".join(ch for ch in name[:40] if ch.isprintable())
            raise ClientException(
                detail=_(
                    "The field ‘%(field)s’ contains a character that cannot be stored (%(character)s)."
                    " Remove it and send the form again."
                )
                % {"field": shown, "character": bad}
            )


def sign_blob(request: ASGIConnection[Any, Any, Any, Any], purpose: str, data: Any) -> str:
    """Data the browser carries between steps, signed so it comes back as we sent it."""
    body = base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()
    mac = hmac.new(secret_key(request).encode(), f"{purpose}|{body}".encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def unsign_blob(request: ASGIConnection[Any, Any, Any, Any], purpose: str, blob: str | None) -> Any:
    if not blob or "." not in blob:
        return None
    body, _, mac = blob.rpartition(".")
    expected = hmac.new(
        secret_key(request).encode(), f"{purpose}|{body}".encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError:
        return None


def field_errors(errors: Mapping[str, str], aliases: Mapping[str, str] | None = None) -> dict[str, str]:
    """Domain error keys (dotted) turned into the ids of the fields on the page."""
    out: dict[str, str] = {}
    for key, message in errors.items():
        name = (aliases or {}).get(key, key.replace(".", "-").replace("_", "-"))
        out.setdefault(name, message)
    return out


def client_address(request: ASGIConnection[Any, Any, Any, Any]) -> str:
    client = request.scope.get("client")
    return str(client[0]) if client else "unknown"


# ---------------------------------------------------------------------------------- HTML errors


def _error_page(request: AnyRequest, status: int, title: str, message: str) -> Response[Any]:
    accepts_html = "text/html" in request.headers.get("accept", "") or not request.headers.get("accept")
    if not accepts_html:
        return Response(
            {"status_code": status, "detail": message}, status_code=status, media_type=MediaType.JSON
        )
    return page(request, "error.html", {"title": title, "message": message}, status_code=status)


def web_not_authorized(request: AnyRequest, exc: NotAuthorizedException) -> Response[Any]:
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path=f"/login?next={quote(target, safe='')}", status_code=303)
    return _error_page(
        request, 401, _("Sign in again"), _("Your session has ended. Sign in again and repeat the last step.")
    )


def web_forbidden(request: AnyRequest, exc: Exception) -> Response[Any]:
    detail = getattr(exc, "detail", "") or getattr(exc, "message", "")
    if detail == "csrf":
        return _error_page(
            request,
            403,
            _("This form has expired"),
            _("For your security the form could not be accepted. Go back, reload the page and try again."),
        )
    return _error_page(
        request, 403, _("You cannot open this page"), _("Your account does not give access to this page.")
    )


def web_not_found(request: AnyRequest, exc: Exception) -> Response[Any]:
    return _error_page(request, 404, _("Page not found"), _("Check the address, or use the links above."))


def web_service_unavailable(request: AnyRequest, message: str) -> Response[Any]:
    return _error_page(request, 503, _("Try again in a minute"), message)


def web_domain_error(request: AnyRequest, exc: DomainError) -> Response[Any]:
    if isinstance(exc, NotFound):
        return web_not_found(request, exc)
    if isinstance(exc, Forbidden):
        return web_forbidden(request, exc)
    status = 409 if isinstance(exc, Conflict) else 422
    return _error_page(request, status, _("That could not be done"), exc.message)


def web_http_error(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    return _error_page(request, exc.status_code, _("Something is not right"), str(exc.detail))


WEB_EXCEPTION_HANDLERS: dict[Any, Any] = {
    NotAuthorizedException: web_not_authorized,
    PermissionDeniedException: web_forbidden,
    NotFoundException: web_not_found,
    DomainError: web_domain_error,
    HTTPException: web_http_error,
}

__all__ = ["WEB_EXCEPTION_HANDLERS", "Invalid", "csrf_guard", "page", "redirect"]
