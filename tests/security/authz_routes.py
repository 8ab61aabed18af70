"""Route-list helpers shared by the authorisation and audit tests."""

from __future__ import annotations

from litestar import Litestar
from litestar.routes import HTTPRoute

from api.auth.actor import PUBLIC


def officer_routes_touching_cases_or_the_list(app: Litestar) -> list[str]:
    """Operation ids of JSON API routes on cases, the hirer's link, screening or the flagged list."""
    prefixes = (
        "/api/v1/applications",
        "/api/v1/applicant/",
        "/api/v1/flagged-entries",
        "/api/v1/screening",
        "/api/v1/subject-access",
        "/api/v1/organisations",
        "/api/v1/documents",
    )
    out: list[str] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith(prefixes):
            continue
        for handler in route.route_handlers:
            roles = handler.opt.get("roles")
            if roles is None:
                continue
            if route.path == "/api/v1/applications" and "POST" in handler.http_methods and PUBLIC in roles:
                continue  # submission: recorded in the case's own history, the case id is not in the path
            if isinstance(handler.operation_id, str):
                out.append(handler.operation_id)
    return sorted(set(out))
