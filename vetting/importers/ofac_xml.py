"""OFAC's SDN list in the advanced XML format (sdn_advanced.xml), read streamed.

The file is large (well over 100 MB), so it is read element by element (``iterparse``) and each
``DistinctParty`` is cleared once read; only the entries themselves are kept. Layout: first the
``ReferenceValueSets`` (what the numeric ids mean: party types, alias types, name part types,
sanctions types), then ``DistinctParties`` (each a ``Profile`` with a ``PartySubTypeID`` and
``Identity`` elements holding ``Alias`` elements, ``Primary`` and ``LowQuality`` flags and
``DocumentedName``s made of ``DocumentedNamePart``s whose ``NamePartValue`` points, through the
identity's ``NamePartGroups``, at a name part type), then ``SanctionsEntries`` (the programmes
and the date each profile was listed).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from vetting.birth_dates import BirthSpan, between, canonical_list, span_of
from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.inputs import BadRows, InputFile
from vetting.importers.model import ImportedEntry, Kind
from vetting.importers.ofac import SOURCE

# Streaming keeps memory flat, so the XML may be larger than what is read whole.
MAX_XML_BYTES = 1024 * 1024 * 1024
# Reader order of a person's name parts; other part types follow in document order.
_PERSON_ORDER = ("first name", "middle name", "patronymic", "matronymic", "last name")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    return (child for child in element.iter() if _local(child.tag) == name)


@dataclass
class _Reference:
    party_types: dict[str, str] = field(default_factory=dict)
    subtypes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, party type id)
    part_types: dict[str, str] = field(default_factory=dict)
    sanctions_types: dict[str, str] = field(default_factory=dict)
    feature_types: dict[str, str] = field(default_factory=dict)


@dataclass
class _Party:
    kind: Kind
    name: str
    aliases: list[str]
    weak_aliases: list[str]
    line: int | None
    births: tuple[str, ...] = ()


def _reference(element: ElementTree.Element, into: _Reference) -> None:
    for item in element:
        name, key, text = _local(item.tag), item.get("ID", ""), (item.text or "").strip()
        if name == "PartyType":
            into.party_types[key] = text
        elif name == "PartySubType":
            into.subtypes[key] = (text, item.get("PartyTypeID", ""))
        elif name == "NamePartType":
            into.part_types[key] = text.lower()
        elif name == "SanctionsType":
            into.sanctions_types[key] = text.lower()
        elif name == "FeatureType":
            into.feature_types[key] = text.lower()


def _kind(profile: ElementTree.Element, reference: _Reference) -> Kind | None:
    subtype, party_type = reference.subtypes.get(profile.get("PartySubTypeID", ""), ("", ""))
    if subtype.lower() in {"vessel", "aircraft"}:
        return None
    party = reference.party_types.get(party_type, "").lower()
    return "person" if party == "individual" else "organisation" if party == "entity" else None


def _names(
    identity: ElementTree.Element, alias: ElementTree.Element, reference: _Reference, person: bool
) -> list[str]:
    groups = {
        group.get("ID", ""): reference.part_types.get(group.get("NamePartTypeID", ""), "")
        for group in _children(identity, "NamePartGroup")
    }
    names: list[str] = []
    for documented in _children(alias, "DocumentedName"):
        parts = [
            (groups.get(value.get("NamePartGroupID", ""), ""), " ".join((value.text or "").split()))
            for value in _children(documented, "NamePartValue")
        ]
        if person:
            rank = {part: position for position, part in enumerate(_PERSON_ORDER)}
            parts.sort(key=lambda part: rank.get(part[0], len(_PERSON_ORDER)))
        name = " ".join(text for _type, text in parts if text)
        if name:
            names.append(name)
    return names


def _party(
    element: ElementTree.Element, reference: _Reference, line: int | None
) -> tuple[str, _Party] | None:
    profile = next(_children(element, "Profile"), None)
    if profile is None:
        raise FlaggedListFormatError(line, f"DistinctParty {element.get('FixedRef')} has no Profile")
    kind = _kind(profile, reference)
    if kind is None:
        return None
    primary: str | None = None
    aliases: list[str] = []
    weak: list[str] = []
    for identity in _children(profile, "Identity"):
        for alias in _children(identity, "Alias"):
            names = _names(identity, alias, reference, kind == "person")
            if not names:
                continue
            if alias.get("Primary") == "true" and identity.get("Primary") == "true" and primary is None:
                primary, names = names[0], names[1:]
            (weak if alias.get("LowQuality") == "true" else aliases).extend(names)
    if primary is None:
        raise FlaggedListFormatError(line, f"profile {profile.get('ID')} has no primary name")
    births = _births(profile, reference) if kind == "person" else ()
    return profile.get("ID", ""), _Party(kind, primary, aliases, weak, line, births)


def _date_of(element: ElementTree.Element | None) -> BirthSpan | None:
    """A ``From`` or ``To`` element's Year, Month and Day, as far as they are given."""
    if element is None:
        return None
    numbers: list[int] = []
    for name in ("Year", "Month", "Day"):
        found = next(_children(element, name), None)
        text = (found.text or "").strip() if found is not None else ""
        if not text.isdigit():
            break
        numbers.append(int(text))
    return span_of(*numbers) if numbers else None


def _births(profile: ElementTree.Element, reference: _Reference) -> tuple[str, ...]:
    """Each Birthdate feature's DatePeriod, from the earliest its Start allows to the latest its
    End allows (a year alone is written as 1 January to 31 December of it)."""
    spans: list[BirthSpan | None] = []
    for feature in _children(profile, "Feature"):
        if reference.feature_types.get(feature.get("FeatureTypeID", "")) != "birthdate":
            continue
        for period in _children(feature, "DatePeriod"):
            start = next(_children(period, "Start"), None)
            end = next(_children(period, "End"), None)
            first = _date_of(next(_children(start, "From"), None)) if start is not None else None
            last = _date_of(next(_children(end, "To"), None)) if end is not None else None
            spans.append(between(first, last))
    return canonical_list(spans)


def _programmes(entry: ElementTree.Element, reference: _Reference) -> tuple[list[str], date | None]:
    programmes: list[str] = []
    for measure in _children(entry, "SanctionsMeasure"):
        comment = next(_children(measure, "Comment"), None)
        text = (comment.text or "").strip() if comment is not None else ""
        if text and reference.sanctions_types.get(measure.get("SanctionsTypeID", "")) == "program":
            programmes.append(text)
    listed: date | None = None
    for event in _children(entry, "EntryEvent"):
        found = next(_children(event, "Date"), None)
        if found is not None:
            parts = [next(_children(found, n), None) for n in ("Year", "Month", "Day")]
            try:
                when = date(*(int((part.text or "") if part is not None else "") for part in parts))
            except ValueError:
                continue  # an undated or misdated event leaves the entry undated, not unread
            listed = when if listed is None else min(listed, when)
    return programmes, listed


def parse_ofac_advanced_xml(file: InputFile, bad: BadRows | None = None) -> list[ImportedEntry]:
    """Individuals and entities from sdn_advanced.xml, read streamed; vessels and aircraft left out."""
    bad = bad if bad is not None else BadRows()
    if file.size > MAX_XML_BYTES:
        raise FlaggedListFormatError(None, f"the file is larger than {MAX_XML_BYTES // 1_048_576} MB")
    reference = _Reference()
    parties: dict[str, _Party] = {}
    listed: dict[str, tuple[list[str], date | None]] = {}
    with file.open() as stream:
        # defusedxml: OFAC's file declares no DTD, and one that does could expand entities without end.
        parser = iterparse(stream, events=("end",), forbid_dtd=True)
        try:
            for _event, element in parser:
                name = _local(element.tag)
                if name == "ReferenceValueSets":
                    for values in element:
                        _reference(values, reference)
                    element.clear()
                elif name == "DistinctParty":
                    try:
                        found = _party(element, reference, None)
                    except FlaggedListFormatError as error:
                        bad.add(FlaggedListFormatError(error.line, error.problem, file=file.name))
                        found = None
                    if found is not None:
                        parties[found[0]] = found[1]
                    element.clear()
                elif name == "SanctionsEntry":
                    listed[element.get("ProfileID", "")] = _programmes(element, reference)
                    element.clear()
        except ElementTree.ParseError as error:
            line = error.position[0] if error.position else None
            raise FlaggedListFormatError(line, f"the XML is malformed: {error}", file=file.name) from None
        except DefusedXmlException:
            raise FlaggedListFormatError(
                None, "the XML declares a DTD or entities, which sdn_advanced.xml never does", file=file.name
            ) from None
    if not reference.part_types:
        raise FlaggedListFormatError(
            None, "no ReferenceValueSets: is this OFAC's sdn_advanced.xml?", file=file.name
        )
    bad.settle()
    entries = []
    for profile_id, party in parties.items():
        programmes, when = listed.get(profile_id, ([], None))
        entries.append(
            ImportedEntry(
                kind=party.kind,
                name=party.name,
                aliases=tuple(party.aliases),
                weak_aliases=tuple(party.weak_aliases),
                source=SOURCE,
                source_ref=profile_id,
                reason=f"OFAC SDN: {', '.join(programmes)}" if programmes else None,
                listed_date=when,
                births=party.births,
            )
        )
    return entries
