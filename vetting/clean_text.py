"""No control characters in text that people send (issue 14, item 8).

A NUL byte was stored (and PostgreSQL refuses it in text, so the same request failed there);
other control characters hide text from officers or break the CSV and calendar output. Every
input model derives from `CleanTextModel`: each text value in it (in lists and dictionaries too,
keys included) is refused with a field error when it holds a control character (Unicode
category Cc: U+0000-U+001F, U+007F-U+009F). Tab, newline and carriage return are allowed only
in multi-line fields, marked with `MULTILINE` in their annotation:

    LongText = Annotated[str, StringConstraints(max_length=5000), MULTILINE]

Format characters (zero-width joiner and non-joiner, direction marks) are not control
characters: names in several scripts need them, so they pass.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ValidationInfo, field_validator


class _MultiLine:
    """Marker: this text field may hold tabs and line breaks."""

    def __repr__(self) -> str:
        return "MULTILINE"


MULTILINE = _MultiLine()

_SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_MULTI_LINE_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(value: str, *, multiline: bool) -> str | None:
    """The first character `value` may not hold, as `U+XXXX`, or None when it is clean."""
    found = (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(value)
    return None if found is None else f"U+{ord(found.group()):04X}"


def _marked(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        base, *extras = get_args(annotation)
        return any(extra is MULTILINE for extra in extras) or _marked(base)
    return any(_marked(arg) for arg in get_args(annotation))


@cache
def _multiline_field(model: type[BaseModel], name: str) -> bool:
    field = model.model_fields.get(name)
    if field is None:
        return False
    return any(extra is MULTILINE for extra in field.metadata) or _marked(field.annotation)


def _check(value: Any, multiline: bool) -> None:
    if isinstance(value, str):
        bad = control_character(value, multiline=multiline)
        if bad is not None:
            allowed = " (tabs and line breaks are allowed)" if multiline else ""
            raise ValueError(f"must not contain control characters such as {bad}{allowed}")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check(item, multiline)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, False)
            _check(item, multiline)


class CleanTextModel(BaseModel):
    """Base for input models: text values hold no control characters (see the module notes)."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None and not isinstance(value, BaseModel):
            _check(value, _multiline_field(cls, info.field_name))
        return value
