"""Server-rendered pages (booking form, status page, officer console, venue manager pages)."""

from __future__ import annotations

from typing import Any


def web_handlers() -> list[Any]:
    """Route handlers and controllers of the pages; all carry a roles declaration."""
    return []


def template_config() -> Any | None:
    """The Jinja template configuration, or None while there are no pages."""
    return None
