"""Security headers on every response (see issue 8); extended by the security work."""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp


def security_middleware() -> list[Any]:
    """Middleware the app installs, outermost first."""
    return []


_ = ASGIApp
