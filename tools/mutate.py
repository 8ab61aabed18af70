"""Mutation testing of the pure rule modules with mutmut 3, and a score per module.

    python tools/mutate.py                      # every target module
    python tools/mutate.py venues/conflicts.py  # some of them
    python tools/mutate.py --changed-since origin/main --min-score 90   # what CI runs

Each group below is a set of target modules with the fast tests that exercise them. A group
runs in its own scratch copy of the project under ``var/mutate/<group>/`` (mutmut writes its
mutated tree and results in ``mutants/`` beside a config file it reads from the working
directory, and the project's own pyproject.toml stays free of mutmut settings). mutmut runs the
group's tests once to learn which test calls which function, then runs for each mutant only the
tests that reach the mutated function, so a group takes a minute or two, not hours.

Score = caught / all mutants, where caught is killed by a test, timed out (the mutant made a test
hang: noticed) or refused by mutmut's own checks; survivors and mutants no test reaches are not
caught. Survivors with their diffs go to ``var/mutate/survivors.txt``; each one that stays must
be listed, with why it changes no behaviour, in docs/mutation-survivors.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "mutate"
PACKAGES = ("api", "casework", "venues", "vetting", "policies")
# Fingerprints of the modules (with their tests) last run at or above the bar; `--stale` skips these.
CHECKED = ROOT / "tools" / "mutation-checked.json"


@dataclass(frozen=True)
class Group:
    name: str
    modules: tuple[str, ...]
    tests: tuple[str, ...]


GROUPS: tuple[Group, ...] = (
    Group(
        "slots",
        ("venues/conflicts.py", "venues/opening_hours.py"),
        ("tests/venues/test_availability.py", "tests/venues/test_slot_rules.py"),
    ),
    Group(
        "recurrence",
        ("venues/recurrence.py",),
        ("tests/venues/test_recurrence.py", "tests/venues/test_recurrence_edges.py"),
    ),
    Group(
        "checks",
        (
            "vetting/checks/evaluate.py",
            "vetting/checks/facts.py",
            "vetting/checks/notice.py",
            "vetting/checks/organisation.py",
            "vetting/checks/request.py",
            "vetting/checks/safety.py",
            "vetting/checks/screening_matches.py",
        ),
        (
            "tests/vetting/test_checks.py",
            "tests/vetting/test_checks_evaluate.py",
            "tests/vetting/test_checks_support.py",
            "tests/vetting/test_check_results.py",
            "tests/vetting/expected/",
            "tests/vetting/test_check_facts.py",
            "tests/vetting/test_check_policies.py",
        ),
    ),
    Group(
        "policies",
        ("policies/predicates.py", "policies/loader.py"),
        ("tests/policies/",),
    ),
    Group(
        "names",
        ("vetting/names/normalise.py", "vetting/names/compare.py"),
        (
            "tests/vetting/test_screening.py",
            "tests/vetting/test_screening_properties.py",
            "tests/vetting/test_name_rules.py",
        ),
    ),
    Group(
        "access",
        ("api/auth/actor.py",),
        # Its own tests only: the API token tests also drive the command line as processes, which
        # costs a minute a mutant on a loaded machine.
        ("tests/security/test_access_decision.py",),
    ),
)

# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code), folded into what counts.
CAUGHT = {"killed", "timeout", "caught by type check", "segfault", "suspicious"}
NOT_CAUGHT = {"survived", "no tests"}


_SHOW_DIFFS = """
import sys
from mutmut.mutation.diff_apply import get_diff_for_mutant
for key in sys.argv[1:]:
    print(f"### {key}")
    print(get_diff_for_mutant(key))
    print()
"""


def _status(code: int | None) -> str:
    from mutmut.stats import status_by_exit_code  # the tool's own table, so a new code is not misread

    return str(status_by_exit_code[code])


def _prepare(group: Group, modules: tuple[str, ...], jobs: int) -> Path:
    """A fresh scratch copy of the project with a mutmut config for this group."""
    work = WORK / group.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", ".hypothesis")
    tests = [t for t in group.tests if (ROOT / t).exists()]
    if len(tests) < len(group.tests):
        print(f"   warning: no such tests, left out: {', '.join(sorted(set(group.tests) - set(tests)))}")
    for name in (*PACKAGES, "tests"):
        shutil.copytree(ROOT / name, work / name, ignore=ignore)
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")

    def lines(items: tuple[str, ...] | list[str]) -> str:
        return "".join(f"\n    {item}" for item in items)

    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths ={lines(list(PACKAGES))}\n"
        f"only_mutate ={lines(modules)}\n"
        f"pytest_add_cli_args_test_selection ={lines(tests)}\n"
        # Quiet runs; no xdist inside mutmut (it forks one process per mutant itself).
        "pytest_add_cli_args =\n    -p\n    no:xdist\n    -p\n    no:cacheprovider\n    -W\n    ignore\n",
        encoding="utf-8",
    )
    return work


def _run_group(group: Group, modules: tuple[str, ...], jobs: int) -> dict[str, Counter[str]]:
    work = _prepare(group, modules, jobs)
    env = dict(os.environ)
    env.pop("VENUE_HIRE_TEST_POSTGRES_URL", None)  # SQLite only: the rules, not the engines, are mutated
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    mutmut = [sys.executable, "-m", "mutmut"]
    started = time.monotonic()
    print(f"== {group.name}: {', '.join(modules)}", flush=True)
    log = work / "mutmut.log"
    with log.open("w") as out:
        run = subprocess.run(  # noqa: S603  # our own interpreter running mutmut, no outside input
            [*mutmut, "run", "--max-children", str(jobs)],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if run.returncode != 0:
        print(log.read_text()[-4000:])
        raise SystemExit(f"mutmut failed for group {group.name} (exit {run.returncode}); log: {log}")
    print(f"   {time.monotonic() - started:.0f} s", flush=True)

    return _read_results(group, modules)


def _read_results(group: Group, modules: tuple[str, ...]) -> dict[str, Counter[str]]:
    """Counts per module from mutmut's result files of a group's run; survivors' diffs appended."""
    work = WORK / group.name
    env = dict(os.environ)
    counts: dict[str, Counter[str]] = {}
    survivors: list[str] = []
    for module in modules:
        path = work / "mutants" / (module + ".meta")
        if not path.exists():
            print(f"   no results for {module} in {work}: run it first")
            continue
        meta = json.loads(path.read_text())
        tally: Counter[str] = Counter()
        for key, code in sorted(meta["exit_code_by_key"].items()):
            status = _status(code)
            tally[status] += 1
            if status in NOT_CAUGHT:
                survivors.append(key)
        counts[module] = tally
    if survivors:
        # One process for every diff (`mutmut show` per mutant would pay an interpreter start each).
        diffs = subprocess.run(  # noqa: S603  # our own interpreter; the names come from mutmut's results
            [sys.executable, "-c", _SHOW_DIFFS, *survivors], cwd=work, env=env, capture_output=True, text=True
        )
        with (WORK / "survivors.txt").open("a") as out:
            out.write(diffs.stdout or diffs.stderr)
    return counts


def _score(tally: Counter[str]) -> tuple[int, int]:
    total = sum(tally.values())
    caught = sum(n for status, n in tally.items() if status in CAUGHT)
    return caught, total


def _fingerprint(module: str) -> str:
    """Hash of a module and the tests its group runs: what a mutation score depends on."""
    group = next(g for g in GROUPS if module in g.modules)
    digest = hashlib.sha256()
    files = [ROOT / module]
    for test in group.tests:
        path = ROOT / test
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    for path in files:
        if path.exists():
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _checked() -> dict[str, str]:
    return dict(json.loads(CHECKED.read_text())) if CHECKED.exists() else {}


def _stale_modules() -> set[str]:
    """Target modules whose code or tests changed since a run last recorded them at the bar."""
    checked = _checked()
    return {m for g in GROUPS for m in g.modules if checked.get(m) != _fingerprint(m)}


def _changed_modules(ref: str) -> set[str]:
    out = subprocess.run(  # noqa: S603  # git on PATH, as a developer runs it
        ["git", "diff", "--name-only", f"{ref}...HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    changed = set(out)
    selected: set[str] = set()
    for group in GROUPS:
        # A changed test of a group re-runs its modules too: a weakened test lowers their score.
        tests_changed = any(path.startswith(t) for path in changed for t in group.tests)
        selected.update(m for m in group.modules if m in changed or tests_changed)
    return selected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("modules", nargs="*", help="target modules (paths); default: all")
    parser.add_argument("--changed-since", metavar="REF", help="only the target modules changed since REF")
    parser.add_argument(
        "--stale", action="store_true", help=f"only modules whose code or tests differ from {CHECKED.name}"
    )
    parser.add_argument(
        "--min-score", type=float, default=90.0, help="exit 1 when a module scores below this %%"
    )
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("MUTATE_JOBS", "2")))
    parser.add_argument("--json", metavar="FILE", help="also write the counts per module as JSON")
    parser.add_argument(
        "--no-run", action="store_true", help="only report the results of the last run (var/mutate/)"
    )
    args = parser.parse_args(argv)

    everything = {m for g in GROUPS for m in g.modules}
    wanted = set(args.modules) or everything
    unknown = wanted - everything
    if unknown:
        parser.error(f"not a target module: {', '.join(sorted(unknown))}")
    if args.changed_since:
        wanted &= _changed_modules(args.changed_since)
    if args.stale:
        wanted &= _stale_modules()
    if not wanted:
        print("mutate: no target module or its tests changed; nothing to do")
        return 0

    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "survivors.txt").write_text("")
    counts: dict[str, Counter[str]] = {}
    for group in GROUPS:
        modules = tuple(m for m in group.modules if m in wanted)
        if modules and args.no_run:
            counts.update(_read_results(group, modules))
        elif modules:
            counts.update(_run_group(group, modules, args.jobs))

    print(f"\n{'module':40} {'caught':>7} {'total':>6} {'score':>7}  survived  no-tests  timeout")
    all_caught = all_total = 0
    failing = []
    for module, tally in counts.items():
        caught, total = _score(tally)
        all_caught += caught
        all_total += total
        pct = 100.0 * caught / total if total else 100.0
        if pct < args.min_score:
            failing.append(module)
        print(
            f"{module:40} {caught:7} {total:6} {pct:6.1f}%  {tally['survived']:8}  "
            f"{tally['no tests']:8}  {tally['timeout']:7}"
        )
    overall = 100.0 * all_caught / all_total if all_total else 100.0
    print(f"{'overall':40} {all_caught:7} {all_total:6} {overall:6.1f}%")
    print(f"survivors and their diffs: {(WORK / 'survivors.txt').relative_to(ROOT)}")
    if not args.no_run:  # results read back may predate the code: they record nothing
        checked = _checked()
        checked.update({module: _fingerprint(module) for module in counts if module not in failing})
        CHECKED.write_text(json.dumps(dict(sorted(checked.items())), indent=2) + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps({m: dict(t) for m, t in counts.items()}, indent=2))
    if failing:
        print(f"below {args.min_score:.0f}%: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
