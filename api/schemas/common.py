"""What every area's request and answer models share."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, StringConstraints, model_serializer

from vetting.clean_text import MULTILINE, CleanTextModel

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), MULTILINE]

JsonObject = dict[str, Any]


class In(CleanTextModel):
    """A request body: unknown fields are refused, text is trimmed, control characters are
    refused (tabs and line breaks only in fields marked MULTILINE, such as `Reason`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    """An answer. Built at the API edge from what the domain returns; a key the model does not
    declare is an error (so the published schema cannot silently drift from the answers).
    Timestamps stay the ISO strings the domain writes, so answers keep their exact form."""

    model_config = ConfigDict(extra="forbid")


class SparseOut(Out):
    """An answer whose optional keys appear only when given: a key absent today stays absent
    (not ``null``), so answers stay byte for byte what the domain built."""

    @model_serializer(mode="wrap")
    def _only_given(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if k in self.model_fields_set}
