"""Map domain errors and validation failures to clear JSON answers; never a stack trace."""

from __future__ import annotations

import re
from typing import Any

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ImproperlyConfiguredException, ValidationException
from litestar.openapi.spec import Operation, Parameter
from litestar.status_codes import (
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from redis.exceptions import RedisError

from vetting.errors import Conflict, DomainError, Forbidden, Invalid, NotFound

log = structlog.get_logger("venue_hire.errors")


def _json(status: int, body: dict[str, Any]) -> Response[dict[str, Any]]:
    return Response(body, status_code=status, media_type=MediaType.JSON)


def domain_error_handler(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if isinstance(exc, NotFound):
        return _json(HTTP_404_NOT_FOUND, {"status_code": 404, "detail": exc.message})
    if isinstance(exc, Forbidden):
        return _json(HTTP_403_FORBIDDEN, {"status_code": 403, "detail": exc.message})
    if isinstance(exc, Invalid):
        return _json(
            HTTP_422_UNPROCESSABLE_ENTITY, {"status_code": 422, "detail": exc.message, "errors": exc.errors}
        )
    if isinstance(exc, Conflict):
        return _json(HTTP_409_CONFLICT, {"status_code": 409, "detail": exc.message, "conflicts": exc.details})
    return _json(HTTP_422_UNPROCESSABLE_ENTITY, {"status_code": 422, "detail": exc.message})


_MISSING = re.compile(r"^Missing required (?P<kind>query|header|cookie|path) parameter '(?P<name>[^']+)'")


def validation_error_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """Litestar answers 400 for body validation; the contract says 422 with field errors."""
    errors: dict[str, str] = {}
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            key = str(item.get("key") or item.get("source") or "body")
            errors[key] = str(item.get("message", "invalid"))
    missing = _MISSING.match(str(exc.detail))
    if missing and not errors:
        errors = _missing_parameters(request, missing["kind"], missing["name"])
    return _json(
        HTTP_422_UNPROCESSABLE_ENTITY,
        {"status_code": 422, "detail": "the request is not valid", "errors": errors},
    )


def _missing_parameters(request: Request[Any, Any, Any], kind: str, first: str) -> dict[str, str]:
    """Every required parameter of this kind the request lacks, not only the first Litestar met.

    Litestar stops at the first; the rest come from the operation's OpenAPI description.
    """
    message = f"required {kind} parameter: missing"
    errors = {first: message}
    if kind != "query":
        return errors
    try:
        paths = request.app.openapi_schema.paths or {}
    except ImproperlyConfiguredException:  # no OpenAPI description: naming the first is still right
        return errors
    path_item = paths.get(str(request.scope.get("path_template", "")))
    operation = getattr(path_item, request.method.lower(), None)
    params = (operation.parameters or []) if isinstance(operation, Operation) else []
    for param in params:
        if (
            isinstance(param, Parameter)
            and param.required
            and param.param_in == "query"
            and param.name not in request.query_params
        ):
            errors[param.name] = message
    return errors


def http_error_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.status_code == 404 and _wants_page(request):
        from api.web.common import web_not_found
        from api.web.i18n import chosen_language, set_language

        if request.scope.get("route_handler") is None:
            # No route has this address, so the language middleware (which runs on matched
            # routes) never chose: the page follows the reader's ?lang= or cookie all the same.
            set_language(chosen_language(request.scope))
        return web_not_found(request, exc)
    body: dict[str, Any] = {"status_code": exc.status_code, "detail": exc.detail}
    if exc.headers:
        return Response(body, status_code=exc.status_code, media_type=MediaType.JSON, headers=exc.headers)
    return _json(exc.status_code, body)


def _wants_page(request: Request[Any, Any, Any]) -> bool:
    """A browser asking for a page outside the JSON API gets an HTML answer."""
    return not request.url.path.startswith(("/api/", "/feeds/")) and "text/html" in request.headers.get(
        "accept", ""
    )


def shared_store_unavailable_handler(request: Request[Any, Any, Any], exc: RedisError) -> Response[Any]:
    """Redis (sessions, sign-in throttling) is configured but not answering: say so, and when to retry."""
    log.error("redis_unavailable", error=type(exc).__name__, route=request.scope.get("path_template"))
    message = "Signing in is unavailable for a moment. Please try again in a minute."
    if _wants_page(request):
        from api.web.common import web_service_unavailable

        response = web_service_unavailable(request, message)
    else:
        response = _json(HTTP_503_SERVICE_UNAVAILABLE, {"status_code": 503, "detail": message})
    response.headers["Retry-After"] = "60"
    return response


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.error("unhandled_error", error=type(exc).__name__, route=request.scope.get("path_template"))
    return _json(
        HTTP_500_INTERNAL_SERVER_ERROR, {"status_code": 500, "detail": "something went wrong on our side"}
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    RedisError: shared_store_unavailable_handler,
    Exception: internal_error_handler,
}
