"""The register tables by name, for readers that say which table a file fills."""

from __future__ import annotations

from sqlalchemy import Table

from vetting.registers.models import (
    RegisterCharity,
    RegisterCharityDevolved,
    RegisterCharityEvent,
    RegisterCharityName,
    RegisterCharityTrustee,
    RegisterCompany,
    RegisterCompanyPsc,
)

_MODELS = (
    RegisterCompany,
    RegisterCharity,
    RegisterCharityName,
    RegisterCharityTrustee,
    RegisterCharityEvent,
    RegisterCharityDevolved,
    RegisterCompanyPsc,
)


def table_named(name: str) -> Table:
    for model in _MODELS:
        table = model.__table__
        if isinstance(table, Table) and table.name == name:
            return table
    raise KeyError(name)
