"""The sentence an officer reads: which parts of the two names matched, and how."""

from __future__ import annotations

from typing import Final, Protocol

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

# A sentence is worded once per alignment as a template (hundreds of listed names of one shape
# share an alignment and differ only in the parts shown): literal text; the listed name as written
# (NAME); or the words given followed by the listed parts at these positions as shown, each once.
NAME: Final = None
_Words = tuple[tuple[str, ...], tuple[int, ...]]
Piece = str | _Words | None
Template = tuple[Piece, ...]


class EntryIds(Protocol):
    """Entry ids by position: a tuple, or the texts of a saved screener (read one by one)."""

    def __getitem__(self, position: int, /) -> str: ...


def _shown(parts: tuple[NamePart, ...], indices: tuple[int, ...]) -> str:
    if len(indices) == 1:
        return parts[indices[0]].shown
    return " ".join(dict.fromkeys(parts[i].shown for i in indices))


def _listed(indices: tuple[int, ...]) -> _Words:
    return ((), indices)


def _template(
    query_name: str,
    query: tuple[NamePart, ...],
    alignment: Alignment,
    score: float,
    filler_weight: float,
    candidate_weights: tuple[float, ...],
    query_weights: tuple[float, ...],
    *,
    contained: bool,
    around: str,
    reading: tuple[str, ...],
    unlowered: float | None,
) -> Template:
    """The sentence an officer reads, e.g. "'Jane Exampel' resembles listed name 'Jane Q Example'
    (score 91): Jane matches Jane (exact); ...", with the listed name and its parts left as NAME
    and their positions. ``unlowered``, for a match on an alias the list marks as low quality, is
    the score the names alone earn; ``score`` is then the lowered one."""
    clauses: list[list[Piece]] = []
    for pair in alignment.pairs:
        how = _HOW.get(pair.match.how, pair.match.how)
        if pair.match.how not in _HOW:
            how = f"spelling variant, {round(100 * pair.match.score)}% alike"
        clauses.append([f"{_shown(query, pair.query)} matches ", _listed(pair.candidate), f" ({how})"])
    fillers = tuple(i for i in alignment.candidate_only if candidate_weights[i] <= filler_weight)
    candidate_missing = tuple(i for i in alignment.candidate_only if i not in fillers)
    query_fillers = [i for i in alignment.query_only if query_weights[i] <= filler_weight]
    query_missing = tuple(i for i in alignment.query_only if i not in query_fillers)
    if alignment.disagreeing and not contained:
        clauses.append(
            [
                f"{_shown(query, alignment.query_only)} differs from ",
                _listed(candidate_missing or alignment.candidate_only),
                " (disagreeing part)",
            ]
        )
    else:
        if candidate_missing:
            clauses.append([_listed(candidate_missing), " not in the screened name (missing part)"])
        if contained and (around or query_missing):
            words = around or _shown(query, query_missing)
            clauses.append([f"{words} around it (listed name within a longer name)"])
        elif query_missing:
            clauses.append([f"{_shown(query, query_missing)} not in the listed name (missing part)"])
    ignored = tuple(query[i].shown for i in query_fillers)
    if ignored or fillers:
        clauses.append([(ignored, fillers), " ignored (legal form, filler word or particle)"])
    if reading:
        read_as = " ".join(part.shown for part in query)
        clauses.insert(0, [f"read as '{read_as}' ({' and '.join(reading)})"])
    if unlowered is not None:
        opening: list[Piece] = [
            f"'{query_name}' resembles '",
            NAME,
            f"', an alias the list marks as low quality (score {score:.0f}, lowered from "
            f"{unlowered:.0f} because low-quality aliases weigh less): ",
        ]
    else:
        opening = [f"'{query_name}' resembles listed name '", NAME, f"' (score {score:.0f}): "]
    pieces = opening
    for number, clause in enumerate(clauses):
        if number:
            pieces.append("; ")
        pieces.extend(clause)
    pieces.append(".")
    merged: list[Piece] = []
    for piece in pieces:  # neighbouring literal texts as one
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return tuple(merged)


def _filled(template: Template, matched_name: str, candidate: tuple[NamePart, ...]) -> str:
    words: list[str] = []
    for piece in template:
        if isinstance(piece, str):
            words.append(piece)
        elif piece is NAME:
            words.append(matched_name)
        elif piece[0]:
            words.append(" ".join(dict.fromkeys((*piece[0], *(candidate[i].shown for i in piece[1])))))
        else:
            words.append(_shown(candidate, piece[1]))
    return "".join(words)


def worded_matches(
    name: str, best: dict[int, _Found], entry_ids: EntryIds, filler_word_weight: float
) -> list[Match]:
    """Each entry's best finding as a match with its sentence, best first."""
    matches = []
    # Entries share names and verdicts (hundreds at times): one sentence per name and verdict.
    sentences: dict[tuple[object, ...], str] = {}
    # Listed names of one shape share an alignment (hundreds at times): one template per alignment
    # and verdict, filled with each name's parts.
    templates: dict[tuple[object, ...], Template] = {}
    positions = list(best)
    # A saved screener's entry ids are texts in the mapped file: read together (a thousand at times).
    ids = entry_ids.many(positions) if isinstance(entry_ids, Texts) else [entry_ids[p] for p in positions]
    for entry_id, found in zip(ids, best.values(), strict=True):
        verdict = (id(found.alignment), found.score, found.reading, found.unlowered)
        key = (found.listed.raw, *verdict)
        sentence = sentences.get(key)
        if sentence is None:
            # Everything a template reads beside the listed name's parts (the objects are kept
            # alive by ``best`` while their ids are keys).
            worded = (
                *verdict, id(found.query), id(found.query_weights), found.contained, found.around,
                found.listed.weights,
            )  # fmt: skip
            template = templates.get(worded)
            if template is None:
                template = templates[worded] = _template(
                    name, found.query, found.alignment, found.score, filler_word_weight,
                    found.listed.weights, found.query_weights, contained=found.contained,
                    around=found.around, reading=found.reading, unlowered=found.unlowered,
                )  # fmt: skip
            sentence = sentences[key] = _filled(template, found.listed.raw, found.listed.parts)
        matches.append(Match(entry_id, found.score, found.listed.raw, name, sentence))
    matches.sort(key=lambda match: (-match.score, match.entry_id))
    return matches
