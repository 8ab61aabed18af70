"""Generates the screening evaluation set in bench/data/screening_eval (deterministic; invented names).

Run: python bench/make_screening_eval.py  (rewrites flagged.csv, variants.csv, ordinary.csv)

The flagged names are invented combinations of name parts. Variants are produced by transformations
independent of the matcher (its data files are not read here). Ordinary names are drawn from the same
pools of parts, so they share given names, surnames and generic words with flagged entries, as real
applicants do; an ordinary name sharing two or more parts with one flagged name is redrawn (that
would be a genuine possible match, for an officer to look at).
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.screening_eval.flagged import ORGANISATIONS, PERSONS
from bench.screening_eval.ordinary import ordinary_org, ordinary_person, tokens, too_close
from bench.screening_eval.pools import POOLS
from bench.screening_eval.variants import org_variants, person_variants

OUT = Path(__file__).parent / "data" / "screening_eval"
SEED = 20240521


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    flagged_rows: list[dict[str, str]] = []
    variant_rows: list[dict[str, str]] = []
    flagged_tokens: list[set[str]] = []
    for number, entry in enumerate(PERSONS, start=1):
        culture, given, middle, surname, _script = entry
        entry_id = f"P{number:03d}"
        name = " ".join(p for p in (given, middle, surname) if p)
        aliases = [f"{given} {surname}"] if middle and number % 4 == 0 else []
        flagged_rows.append(
            {"id": entry_id, "kind": "person", "name": name, "aliases": "|".join(aliases), "culture": culture}
        )
        flagged_tokens.extend(tokens(n) for n in [name, *aliases])
        for variant_kind, query in person_variants(rng, entry):
            variant_rows.append(
                {
                    "query": query,
                    "kind": "person",
                    "entry_id": entry_id,
                    "variant": variant_kind,
                    "culture": culture,
                }
            )
    for number, (name, aliases) in enumerate(ORGANISATIONS, start=1):
        entry_id = f"O{number:03d}"
        flagged_rows.append(
            {
                "id": entry_id,
                "kind": "organisation",
                "name": name,
                "aliases": "|".join(aliases),
                "culture": "organisation",
            }
        )
        flagged_tokens.extend(tokens(n) - {"of", "the"} for n in [name, *aliases])
        for variant_kind, query in org_variants(rng, name):
            variant_rows.append(
                {
                    "query": query,
                    "kind": "organisation",
                    "entry_id": entry_id,
                    "variant": variant_kind,
                    "culture": "organisation",
                }
            )
    ordinary_rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for culture in POOLS:
        count = 0
        while count < 170:
            name = ordinary_person(rng, culture)
            if name in seen or too_close(name, flagged_tokens):
                continue
            seen.add(name)
            ordinary_rows.append({"name": name, "kind": "person", "culture": culture})
            count += 1
    count = 0
    while count < 160:
        name = ordinary_org(rng)
        if name in seen or too_close(name, flagged_tokens):
            continue
        seen.add(name)
        ordinary_rows.append({"name": name, "kind": "organisation", "culture": "organisation"})
        count += 1
    _write(OUT / "flagged.csv", ["id", "kind", "name", "aliases", "culture"], flagged_rows)
    _write(OUT / "variants.csv", ["query", "kind", "entry_id", "variant", "culture"], variant_rows)
    _write(OUT / "ordinary.csv", ["name", "kind", "culture"], ordinary_rows)
    print(
        f"{len(flagged_rows)} flagged entries, {len(variant_rows)} variants, "
        f"{len(ordinary_rows)} ordinary names"
    )


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
