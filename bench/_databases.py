"""What the benchmarks that make their own PostgreSQL databases share."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def pg_admin(admin_url: str, statement: str) -> None:
    """Run one statement outside a transaction (CREATE or DROP DATABASE, VACUUM)."""
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await admin.dispose()
