"""What every command group shares: one transaction per command, user errors, the parser class."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeAlias, TypeVar
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.db.engine import create_engine
from api.settings import get_settings

T = TypeVar("T")
Handler = Callable[[argparse.Namespace], int]
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def in_transaction(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction: committed when it returns, rolled back when it raises."""

    async def run() -> T:
        engine = create_engine(get_settings().database_url)
        try:
            async with async_sessionmaker(engine, expire_on_commit=False)() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await engine.dispose()

    return asyncio.run(run())


def parse_uuid(raw: str, what: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise CliError(f"{what} {raw!r} is not an id") from None


class CliParser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def add_group(sub: Subcommands, name: str, help: str, dest: str) -> Subcommands:
    """A command with actions of its own (`venue-hire NAME ACTION ...`); returns its subparsers."""
    group = sub.add_parser(name, help=help)
    return group.add_subparsers(dest=dest, metavar="ACTION", required=True, parser_class=CliParser)
