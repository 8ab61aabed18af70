"""`venue-hire screening build-index`: build and save the screening index for the current list, so
that workers load it at start instead of building it (issues 21 and 22). Run it after an import,
or in a deployment step before the workers start; a worker finding no saved index builds one."""

from __future__ import annotations

import argparse
import time

from sqlalchemy.ext.asyncio import AsyncSession

from api.cli.support import CliError, Subcommands, add_group, in_transaction
from api.settings import get_settings
from vetting.flagged import current_version
from vetting.policy_store import current_policy
from vetting.screener_cache import all_entries
from vetting.screener_files import load_or_build, path_for
from vetting.screening import ScreeningWeights


def build_index(args: argparse.Namespace) -> int:
    directory = get_settings().screening_index_dir
    if directory is None:
        raise CliError("no screening index folder is set (VENUE_HIRE_SCREENING_INDEX_DIR)")

    async def work(session: AsyncSession) -> int:
        policy = await current_policy(session, args.policy)
        version = await current_version(session)
        entries = await all_entries(session)
        threshold = policy.screening.threshold
        weights = ScreeningWeights.from_mapping(dict(policy.screening.weights))
        path = path_for(entries, threshold=threshold, weights=weights, directory=directory)
        existed = path.exists()
        started = time.perf_counter()
        load_or_build(entries, threshold=threshold, weights=weights, directory=directory)
        took = time.perf_counter() - started
        done = "already saved; checked" if existed and path.exists() else "built and saved"
        print(f"List version {version}, {len(entries):,} active entries: {done} in {took:.1f} s")
        print(f"  {path}")
        if not path.exists():
            raise CliError(f"the index could not be saved in {directory}")
        return 0

    return in_transaction(work)


def register(sub: Subcommands) -> None:
    actions = add_group(sub, "screening", help="the screening index", dest="screening_command")
    build = actions.add_parser(
        "build-index",
        help="build and save the screening index of the current list for workers to load at start",
    )
    build.add_argument(
        "--policy", default="council-default", help="the policy whose screening settings to use"
    )
    build.set_defaults(handler=build_index)
