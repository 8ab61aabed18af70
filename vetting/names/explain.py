"""The sentence an officer reads: which parts of the two names matched, and how."""

from __future__ import annotations

from typing import Protocol

from vetting.names.compare import EXACT, INITIAL, KNOWN_VARIANT, TRANSLITERATION, Alignment
from vetting.names.normalise import NamePart
from vetting.names.results import Match, _Found
from vetting.names.store import Texts

_HOW = {
    EXACT: "exact",
    KNOWN_VARIANT: "known variant of the same name",
    TRANSLITERATION: "transliteration",
    INITIAL: "initial",
}


class EntryIds(Protocol):
    """Entry ids by position: a tuple, or the texts of a saved screener (read one by one)."""

    def __getitem__(self, position: int, /) -> str: ...


def _shown(parts: tuple[NamePart, ...], indices: tuple[int, ...]) -> str:
    return " ".join(dict.fromkeys(parts[i].shown for i in indices))


def pair_sides(query: tuple[NamePart, ...], alignment: Alignment) -> list[tuple[str, tuple[int, ...], str]]:
    """Per pair of the alignment: the query's side as shown, the candidate's parts, and how they
    match (what ``pair_clauses`` words)."""
    sides = []
    for pair in alignment.pairs:
        how = _HOW.get(pair.match.how, pair.match.how)
        if pair.match.how not in _HOW:
            how = f"spelling variant, {round(100 * pair.match.score)}% alike"
        sides.append((_shown(query, pair.query), pair.candidate, how))
    return sides


def pair_clauses(candidate: tuple[NamePart, ...], sides: list[tuple[str, tuple[int, ...], str]]) -> list[str]:
    """What matched what, and how: one clause per pair (``pair_sides``)."""
    return [f"{shown} matches {_shown(candidate, indices)} ({how})" for shown, indices, how in sides]


def explain(
    query_name: str,
    query: tuple[NamePart, ...],
    matched_name: str,
    candidate: tuple[NamePart, ...],
    alignment: Alignment,
    score: float,
    filler_weight: float,
    candidate_weights: tuple[float, ...],
    query_weights: tuple[float, ...],
    *,
    contained: bool = False,
    around: str = "",
    reading: tuple[str, ...] = (),
    unlowered: float | None = None,
    sides: list[tuple[str, tuple[int, ...], str]] | None = None,
) -> str:
    """One sentence, e.g. "'Jane Exampel' resembles 'Jane Q Example' (score 91): Jane = Jane (exact)...

    ``unlowered``, for a match on an alias the list marks as low quality, is the score the names
    alone earn; ``score`` is then the lowered one. ``sides``: ``pair_sides`` of the alignment, when
    worked out already.
    """
    clauses = pair_clauses(candidate, pair_sides(query, alignment) if sides is None else sides)
    fillers = [i for i in alignment.candidate_only if candidate_weights[i] <= filler_weight]
    candidate_missing = [i for i in alignment.candidate_only if i not in fillers]
    query_fillers = [i for i in alignment.query_only if query_weights[i] <= filler_weight]
    query_missing = tuple(i for i in alignment.query_only if i not in query_fillers)
    if alignment.disagreeing and not contained:
        clauses.append(
            f"{_shown(query, alignment.query_only)} differs from "
            f"{_shown(candidate, tuple(candidate_missing) or alignment.candidate_only)} (disagreeing part)"
        )
    else:
        if candidate_missing:
            clauses.append(
                f"{_shown(candidate, tuple(candidate_missing))} not in the screened name (missing part)"
            )
        if contained and (around or query_missing):
            words = around or _shown(query, query_missing)
            clauses.append(f"{words} around it (listed name within a longer name)")
        elif query_missing:
            clauses.append(f"{_shown(query, query_missing)} not in the listed name (missing part)")
    ignored = [query[i].shown for i in query_fillers] + [candidate[i].shown for i in fillers]
    if ignored:
        clauses.append(f"{' '.join(dict.fromkeys(ignored))} ignored (legal form, filler word or particle)")
    if reading:
        read_as = " ".join(part.shown for part in query)
        clauses.insert(0, f"read as '{read_as}' ({' and '.join(reading)})")
    if unlowered is not None:
        return (
            f"'{query_name}' resembles '{matched_name}', an alias the list marks as low quality "
            f"(score {score:.0f}, lowered from {unlowered:.0f} because low-quality aliases weigh less): "
            + "; ".join(clauses)
            + "."
        )
    return (
        f"'{query_name}' resembles listed name '{matched_name}' (score {score:.0f}): "
        + "; ".join(clauses)
        + "."
    )


def worded_matches(
    name: str, best: dict[int, _Found], entry_ids: EntryIds, filler_word_weight: float
) -> list[Match]:
    """Each entry's best finding as a match with its sentence, best first."""
    matches = []
    # Entries share names and verdicts (hundreds at times): one sentence per name and verdict.
    sentences: dict[tuple[object, ...], str] = {}
    # An alignment is shared by names of one shape (hundreds at times): the query's side of its
    # pairs is worded once (the listed side differs: an initial pairs with any part of its letter).
    sides: dict[tuple[int, int], list[tuple[str, tuple[int, ...], str]]] = {}
    positions = list(best)
    # A saved screener's entry ids are texts in the mapped file: read together (a thousand at times).
    ids = entry_ids.many(positions) if isinstance(entry_ids, Texts) else [entry_ids[p] for p in positions]
    for entry_id, found in zip(ids, best.values(), strict=True):
        key = (found.listed.raw, id(found.alignment), found.score, found.reading, found.unlowered)
        paired = (id(found.query), id(found.alignment))
        if paired not in sides:
            sides[paired] = pair_sides(found.query, found.alignment)
        sentence = sentences.get(key) or explain(
            name,
            found.query,
            found.listed.raw,
            found.listed.parts,
            found.alignment,
            found.score,
            filler_word_weight,
            found.listed.weights,
            found.query_weights,
            contained=found.contained,
            around=found.around,
            reading=found.reading,
            unlowered=found.unlowered,
            sides=sides[paired],
        )
        sentences[key] = sentence
        matches.append(Match(entry_id, found.score, found.listed.raw, name, sentence))
    matches.sort(key=lambda match: (-match.score, match.entry_id))
    return matches
