"""Generates the screening evaluation set in bench/data/screening_eval (deterministic; invented names).

Run: python bench/make_screening_eval.py  (rewrites flagged.csv, variants.csv, ordinary.csv,
evasions.csv and hard_negatives.csv)

The flagged names are invented combinations of name parts. Variants are produced by transformations
independent of the matcher (its data files are not read here; the set's own tables are in
bench/screening_eval/families.py). Ordinary names are drawn from the same pools of parts, so they
share given names, surnames and generic words with flagged entries, as real applicants do; an
ordinary name sharing two or more parts with one flagged name is redrawn (that would be a genuine
possible match, for an officer to look at). Hard negatives are community groups sharing words with
listed organisations; the evasion suite is every listed name put through each evasion.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.screening_eval.evasions import evasions
from bench.screening_eval.flagged import ORGANISATIONS, PERSONS
from bench.screening_eval.flagged_more import MORE_ORGANISATIONS, MORE_PERSONS
from bench.screening_eval.hard_negatives import ACTIVITIES, hard_negatives
from bench.screening_eval.ordinary import ordinary_org, ordinary_person, tokens, too_close
from bench.screening_eval.pools import ORG_PLACES, ORG_WORDS, POOLS
from bench.screening_eval.variants import org_variants, person_variants
from bench.screening_eval.variants_more import more_org_variants, more_person_variants

OUT = Path(__file__).parent / "data" / "screening_eval"
SEED = 20240521
ORDINARY_PER_CULTURE = 600
ORDINARY_ORGANISATIONS = 400


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    flagged_rows: list[dict[str, str]] = []
    variant_rows: list[dict[str, str]] = []
    evasion_rows: list[dict[str, str]] = []
    negative_rows: list[dict[str, str]] = []
    flagged_tokens: list[set[str]] = []
    person_padding = [
        part for givens, surnames in POOLS.values() for part in givens + surnames if " " not in part
    ]
    org_padding = [*ORG_PLACES, *ORG_WORDS, *ACTIVITIES]

    def add_variants(entry_id: str, kind: str, culture: str, name: str, found: list[tuple[str, str]]) -> None:
        seen = {name}
        for variant_kind, query in found:
            if query in seen:
                continue
            seen.add(query)
            variant_rows.append(
                {
                    "query": query,
                    "kind": kind,
                    "entry_id": entry_id,
                    "variant": variant_kind,
                    "culture": culture,
                }
            )

    def add_evasions(entry_id: str, kind: str, culture: str, name: str, padding: list[str]) -> None:
        for evasion_kind, query in evasions(rng, name, padding):
            evasion_rows.append(
                {
                    "query": query,
                    "kind": kind,
                    "entry_id": entry_id,
                    "evasion": evasion_kind,
                    "culture": culture,
                }
            )

    for number, entry in enumerate([*PERSONS, *MORE_PERSONS], start=1):
        culture, given, middle, surname, _script = entry
        entry_id = f"P{number:03d}"
        name = " ".join(p for p in (given, middle, surname) if p)
        aliases = [f"{given} {surname}"] if middle and number % 4 == 0 else []
        flagged_rows.append(
            {"id": entry_id, "kind": "person", "name": name, "aliases": "|".join(aliases), "culture": culture}
        )
        flagged_tokens.extend(tokens(n) for n in [name, *aliases])
        found = person_variants(rng, entry) + more_person_variants(rng, entry)
        add_variants(entry_id, "person", culture, name, found)
        add_evasions(entry_id, "person", culture, name, person_padding)
    organisations = [(name, aliases, "") for name, aliases in ORGANISATIONS] + MORE_ORGANISATIONS
    for number, (name, aliases, script) in enumerate(organisations, start=1):
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
        found = org_variants(rng, name) + more_org_variants(rng, name, aliases, script)
        add_variants(entry_id, "organisation", "organisation", name, found)
        add_evasions(entry_id, "organisation", "organisation", name, org_padding)
        for negative in hard_negatives(rng, name):
            negative_rows.append({"name": negative, "kind": "organisation", "shares_with": entry_id})
    ordinary_rows: list[dict[str, str]] = []
    seen: set[str] = set()
    for culture in POOLS:
        count = 0
        while count < ORDINARY_PER_CULTURE:
            name = ordinary_person(rng, culture)
            if name in seen or too_close(name, flagged_tokens):
                continue
            seen.add(name)
            ordinary_rows.append({"name": name, "kind": "person", "culture": culture})
            count += 1
    count = 0
    while count < ORDINARY_ORGANISATIONS:
        name = ordinary_org(rng)
        if name in seen or too_close(name, flagged_tokens):
            continue
        seen.add(name)
        ordinary_rows.append({"name": name, "kind": "organisation", "culture": "organisation"})
        count += 1
    _write(OUT / "flagged.csv", ["id", "kind", "name", "aliases", "culture"], flagged_rows)
    _write(OUT / "variants.csv", ["query", "kind", "entry_id", "variant", "culture"], variant_rows)
    _write(OUT / "ordinary.csv", ["name", "kind", "culture"], ordinary_rows)
    _write(OUT / "evasions.csv", ["query", "kind", "entry_id", "evasion", "culture"], evasion_rows)
    _write(OUT / "hard_negatives.csv", ["name", "kind", "shares_with"], negative_rows)
    print(
        f"{len(flagged_rows)} flagged entries, {len(variant_rows)} variants, {len(ordinary_rows)} ordinary "
        f"names, {len(evasion_rows)} evasions, {len(negative_rows)} hard negatives"
    )


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
