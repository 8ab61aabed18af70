"""How many PostgreSQL connections a worker keeps (`database_pool_size`), so that several machines
of several workers can be kept within PostgreSQL's max_connections (docs/deployment.md)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy.pool import QueuePool

from api.db.config import make_db_config
from api.settings import Settings

# Building an engine opens no connection: nothing listens here.
UNUSED_POSTGRES = "postgresql+asyncpg://nobody@127.0.0.1:9/none"


async def test_each_worker_keeps_the_connections_the_setting_says() -> None:
    for size, expected in ((None, 10), (3, 3)):
        settings = Settings(
            database_url=UNUSED_POSTGRES, **({} if size is None else {"database_pool_size": size})
        )
        engine = make_db_config(settings).get_engine()
        try:
            pool = engine.sync_engine.pool
            assert isinstance(pool, QueuePool)
            assert pool.size() == expected
            assert pool._max_overflow == expected  # as many again at busy times
        finally:
            await engine.dispose()


@pytest.mark.parametrize("size", [0, -1, 201])
def test_a_pool_size_out_of_range_is_refused_by_name(size: int) -> None:
    with pytest.raises(ValidationError) as refused:
        Settings(database_url=UNUSED_POSTGRES, database_pool_size=size)
    assert "database_pool_size" in str(refused.value)
