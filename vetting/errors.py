"""Domain errors; the API maps each to one HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors domain code raises for callers to translate."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The object does not exist, or the actor may not know it exists."""


class Forbidden(DomainError):
    """The actor may see the object but not do this to it."""


class Invalid(DomainError):
    """Input the caller can correct; `errors` maps field paths to messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class Conflict(DomainError):
    """The request clashes with the current state (slot taken, case already moved on)."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.details = details or []
