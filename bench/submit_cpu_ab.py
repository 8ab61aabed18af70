"""A/B of a booking POST's worker CPU on PostgreSQL: two source trees served at once, measured in
alternating batches.

    .venv/bin/python bench/submit_cpu_ab.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test \
        --redis redis://127.0.0.1:6379/14 --old-tree /tmp/wt_base [--new-tree .] [--rounds 10] [--batch 40]

`bench/submit_cpu.py` run after run on the same code moved by a third on this machine within the
hour, so two trees measured one after the other cannot show a change of a few percent. Here both
trees' workers (`venue-hire serve`, one worker each, each tree's own code on its PYTHONPATH, each
its own database seeded as `submit_cpu.py` seeds it, kept between runs with `--keep NAME`) are up
at once; each round sends a batch of booking POSTs to one, then to the other (which goes first
alternates), and reads each worker's CPU over its batch. The machine's drift lands on both within
seconds, so the per-round ratios hold where the absolute figures do not. Prints every round's
figures and the median of the rounds' new/old ratios. The trees must share the schema: both
databases are migrated and seeded by this tree's code.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load.processes import SERVICE, cpu_seconds, serve, service_env
from bench.load.seed import FLAGGED
from bench.submit_cpu import WARM, next_requests, post_all, prepare

SIDES = ("old", "new")


def side(
    args: argparse.Namespace, name: str, tree: Path, wanted: int
) -> tuple[dict[str, str], Path, list[str]]:
    """A tree's environment, folder and request lines: its database made (or reused) and seeded."""
    state = Path(tempfile.gettempdir()) / f"vh-submit-ab-{args.keep}-{name}"
    state.mkdir(exist_ok=True)
    url, now, rooms = prepare(SimpleNamespace(keep=f"ab_{args.keep}_{name}", postgres=args.postgres,
                                              flagged=args.flagged), state)  # fmt: skip
    env = service_env(url, state, "submit-ab-" + "0" * 40, args.redis) | {"PYTHONPATH": str(tree)}
    return env, state, next_requests(state, env, now, rooms, wanted)


def tree_arguments(description: str | None) -> argparse.ArgumentParser:
    """The options of a bench that serves two trees, each on its own kept database."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True, metavar="ADMIN_URL")
    parser.add_argument("--redis", metavar="URL", help="sessions and throttling in this Redis")
    parser.add_argument("--old-tree", required=True, type=Path, help="a checkout of the baseline")
    parser.add_argument("--new-tree", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--flagged", type=int, default=FLAGGED)
    parser.add_argument("--keep", default="a", help="name of the kept databases (default a)")
    return parser


def main() -> int:
    parser = tree_arguments(__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--batch", type=int, default=40, help="booking POSTs per tree per round")
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    wanted = WARM + args.rounds * args.batch
    trees = {"old": args.old_tree.resolve(), "new": args.new_tree.resolve()}
    sides = {name: side(args, name, trees[name], wanted) for name in SIDES}
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(serve(SERVICE, 1, env, state, []))
            for name, (env, state, _) in sides.items()
        }
        lines = {name: sides[name][2] for name in SIDES}
        for name in SIDES:
            post_all(servers[name].base, lines[name][:WARM], args.clients)
        ratios = []
        print(f"{'round':>5} {'old ms/POST':>12} {'new ms/POST':>12} {'new/old':>8}")
        for r in range(args.rounds):
            per: dict[str, float] = {}
            for name in SIDES if r % 2 == 0 else tuple(reversed(SIDES)):
                batch = lines[name][WARM + r * args.batch : WARM + (r + 1) * args.batch]
                pids = servers[name].worker_pids()
                before = cpu_seconds(pids)
                post_all(servers[name].base, batch, args.clients)
                per[name] = (cpu_seconds(pids) - before) / len(batch) * 1000
            ratios.append(per["new"] / per["old"])
            print(f"{r + 1:>5} {per['old']:>12.2f} {per['new']:>12.2f} {ratios[-1]:>8.3f}", flush=True)
    low, _, high = statistics.quantiles(ratios, n=4)
    print(
        f"median new/old {statistics.median(ratios):.3f} over {args.rounds} rounds of {args.batch} POSTs "
        f"(quartiles {low:.3f} to {high:.3f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
