"""The insert-or-ignore statements run on every booking POST stay in SQLAlchemy's compiled cache
(vetting/insert_or_ignore.py); what they do is tested in tests/security/test_idempotency.py and
tests/outbox/test_outbox_write.py on both engines."""

from __future__ import annotations

from typing import cast

import pytest
from sqlalchemy import Column, Integer, MetaData, Table
from sqlalchemy.types import NullType

from api.idempotency import _CLAIM
from vetting.insert_or_ignore import insert_or_ignore
from vetting.outbox_models import OutboxMessage
from vetting.outbox_write import insert_ignoring_duplicates


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_the_claim_and_the_outbox_insert_have_a_cache_key(dialect: str) -> None:
    for statement in (_CLAIM, insert_ignoring_duplicates(dialect)):
        assert statement._generate_cache_key() is not None
        assert "ON CONFLICT" in str(statement)


def test_only_plain_column_names_are_written_into_the_sql() -> None:
    table = cast(Table, OutboxMessage.__table__)
    with pytest.raises(AssertionError):
        insert_or_ignore(table, ["dedupe_key"], {"id; DROP TABLE x": "id"})


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite"])
def test_every_value_is_converted_by_its_column_s_type(dialect: str) -> None:
    """`case_id` is a foreign key column: typeless until the table it refers to is defined. Built
    at import, the outbox insert handed SQLite a bare UUID and `venue-hire demo load` failed."""
    statement = insert_ignoring_duplicates(dialect)
    typeless = [b.key for b in statement._bindparams.values() if isinstance(b.type, NullType)]
    assert typeless == []
    assert statement._bindparams["case_id"].type._type_affinity is not None


def test_a_column_without_a_type_yet_is_refused() -> None:
    table = Table("later", MetaData(), Column("id", Integer, primary_key=True), Column("ref", NullType()))
    with pytest.raises(TypeError, match="no type yet"):
        insert_or_ignore(table, ["id"], {"id": "id", "ref": "ref"})
