"""Pydantic's findings on the API's input models, in the words the booking pages use.

The pages validate with the same `*In` models as `POST /api/v1/applications`; each page names,
for each model field, the form field to point at and what to tell the hirer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class FieldRule:
    """How one model field shows its problems on a page."""

    anchor: str  # the id the error summary links to (the form field, or its first radio)
    label: str  # the field's label, for problems no message below covers
    missing: str  # left blank
    invalid: str | None = None  # given but refused (None: the label and pydantic's words)
    by_type: Mapping[str, str] = field(default_factory=dict)  # pydantic error type -> message

    def message(self, error_type: str, pydantic_message: str, *, blank: bool) -> str:
        if blank and self.missing:
            return self.missing
        if error_type in self.by_type:
            return self.by_type[error_type]
        return self.invalid or f"{self.label}: {pydantic_message}"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check(
    model: type[Model], data: Mapping[str, Any], rules: Mapping[str, FieldRule]
) -> tuple[Model | None, dict[str, str]]:
    """The model built from `data`, or None and one message per form field that is wrong."""
    try:
        return model.model_validate(dict(data)), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            rule = rules.get(name) or FieldRule(
                anchor=name, label=name.replace("_", " ").capitalize(), missing=""
            )
            if rule.anchor not in errors:
                errors[rule.anchor] = rule.message(error["type"], error["msg"], blank=_blank(data.get(name)))
        return None, errors


def in_order(errors: Mapping[str, str], anchors: Iterable[str]) -> dict[str, str]:
    """Errors in the order the fields appear on the page (the summary lists them so)."""
    order = {anchor: i for i, anchor in enumerate(anchors)}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))
