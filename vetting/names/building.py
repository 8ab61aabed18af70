"""Filing a list's entries in a screener's index: each name and alias, normalised once, with its
parts' weights (a part of ``vetting.screening.Screener``, kept apart for size)."""

from __future__ import annotations

from collections.abc import Sequence

from vetting.names.acronyms import listed_forms
from vetting.names.compare import part_weight
from vetting.names.data import NameData
from vetting.names.index import IndexedName, NameIndex, joined_lengths
from vetting.names.normalise import NamePart, joined_forms, normalise_name
from vetting.names.results import FlaggedEntry
from vetting.names.weights import ScreeningWeights


def build_index(
    index: NameIndex, entries: Sequence[FlaggedEntry], data: NameData, weights: ScreeningWeights
) -> None:
    """File every name of ``entries`` (by position) in ``index``."""
    # Listed names repeat parts a great deal: share one object per distinct part to save memory.
    shared: dict[object, object] = {}
    words: dict[str, list[NamePart]] = {}  # each word's parts, worked out once
    weighed: dict[tuple[str, bool], float] = {}
    for position, entry in enumerate(entries):
        organisation = entry.kind == "organisation"
        seen: set[tuple[str, ...]] = set()
        # Good names first, so a weak alias written like one of them adds nothing.
        weak_names = entry.weak_aliases if weights.weak_alias_factor > 0 else ()
        named = [*((raw, False) for raw in entry.names), *((raw, True) for raw in weak_names)]
        # An organisation's name with its acronym in brackets is filed as the name and as the acronym.
        forms = [
            (raw, form, weak)
            for raw, weak in named
            for form in (listed_forms(raw) if organisation else [raw])
        ]
        for raw, form, weak in forms:
            parts = normalise_name(form, data.abbreviations, words).parts
            texts = tuple(part.text for part in parts)
            if not parts or texts in seen:
                continue
            seen.add(texts)
            parts = tuple(shared.setdefault(part, part) for part in parts)  # type: ignore[misc]  # same type back
            part_weights = tuple(
                weighed[key] if (key := (part.text, organisation)) in weighed
                else weighed.setdefault(key, part_weight(part.text, organisation, data, weights))
                for part in parts
            )  # fmt: skip
            part_weights = shared.setdefault(part_weights, part_weights)  # type: ignore[assignment]  # same type back
            joined = joined_forms(parts)
            lengths = joined_lengths(parts, joined)
            index.add(IndexedName(position, raw, parts, part_weights, lengths, weak), joined)
