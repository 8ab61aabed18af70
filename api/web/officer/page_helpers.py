"""Small helpers the officer pages share: reading a form field, field errors (times and dates are
shown with `api.web.readable`)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from vetting.errors import Invalid

FormModel = TypeVar("FormModel", bound=BaseModel)


def form_text(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def errors_from(exc: Invalid) -> dict[str, str]:
    return {key.replace(".", "-").replace("_", "-"): msg for key, msg in exc.errors.items()} or {
        "form": exc.message
    }


def validate_form(model: type[FormModel], data: dict[str, Any]) -> tuple[FormModel | None, dict[str, str]]:
    """The form as the JSON API's input model, or its problems keyed by field path
    (``conditions.0.rationale``) as the domain's `Invalid` errors are, so a page maps both alike."""
    try:
        return model.model_validate(data), {}
    except ValidationError as exc:
        problems: dict[str, str] = {}
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            problems.setdefault(key, str(error["msg"]).removeprefix("Value error, "))
        return None, problems


def problem_text(problems: dict[str, str]) -> str:
    """Problems in one line, for a page that shows a message rather than field errors."""
    return "; ".join(f"{key.replace('_', ' ')}: {msg}" for key, msg in problems.items())
