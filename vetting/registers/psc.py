"""Companies House's persons-with-significant-control snapshot (JSON lines), streamed.

Each line is {"company_number": ..., "data": {...}} as the PSC API gives it. Only current
persons with significant control are kept (a ``ceased_on`` date leaves one out), by name and
kind: individuals by their name parts without the title, companies and legal persons by name.
Statements ("persons-with-significant-control-statement"), exemptions, super-secure persons
(no name published) and the snapshot's closing totals line are not persons and are passed over.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO

from vetting.registers.live import psc_kind, psc_name
from vetting.registers.reading import BadRow

REGISTER = "companies-house-psc"
_NUMBER = re.compile(r"[A-Z0-9]{8}")
_PERSONS = ("individual-", "corporate-entity-", "legal-person-")


def psc_rows(stream: TextIO, file: str) -> Iterator[dict[str, Any] | BadRow]:
    """The rows of ``register_company_psc`` (bad lines passed on, with their number and why)."""
    for line_number, line in enumerate(stream, start=1):
        text = line.strip().lstrip("\ufeff")
        if not text:
            continue
        try:
            record = json.loads(text)
        except ValueError:
            yield BadRow(file, line_number, "not a JSON record")
            continue
        data = record.get("data") if isinstance(record, dict) else None
        if not isinstance(data, dict):
            yield BadRow(file, line_number, "no data object")
            continue
        kind = str(data.get("kind") or "")
        if not kind.startswith(_PERSONS) or data.get("ceased_on") or not data.get("name"):
            continue
        number = str(record.get("company_number") or "").strip().upper()
        if not _NUMBER.fullmatch(number):
            yield BadRow(file, line_number, f"company_number {number!r} is not eight letters or digits")
            continue
        yield {"company_number": number, "name": psc_name(data)[:300], "kind": psc_kind(data)}
