"""OFAC's Specially Designated Nationals list in its legacy CSV pair: sdn.csv and alt.csv.

Neither file has a header; "-0-" (often followed by a space) stands for an empty value.
sdn.csv: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
Vess_flag, Vess_owner, Remarks. alt.csv: ent_num, alt_num, alt_type, alt_name, alt_remarks.
Individuals are written "SURNAME, Given"; entities have an empty SDN_Type.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.model import ImportedEntry, Kind
from vetting.importers.reading import MAX_INPUT_BYTES, csv_rows, decode_text, field_text

SOURCE = "ofac-sdn"

SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
_KINDS: dict[str, Kind | None] = {
    "individual": "person",
    "": "organisation",
    "vessel": None,
    "aircraft": None,
}
_ALT_TYPES = frozenset({"aka", "fka", "nka"})
# Weak aliases appear only inside Remarks, as a.k.a. 'NAME'.
_WEAK_AKA = re.compile(r"a\.k\.a\.\s+'([^']+)'")
_END_OF_FILE = "\x1a"


@dataclass
class _Listing:
    kind: Kind | None
    name: str
    programmes: list[str]
    aliases: list[str] = field(default_factory=list)


def reader_order(name: str) -> str:
    """ "SURNAME, Given Middle" as a reader writes it: "Given Middle SURNAME"."""
    surname, comma, given = name.partition(",")
    if not comma or not given.strip() or not surname.strip():
        return name
    return f"{given.strip()} {surname.strip()}"


def _value(raw: str, line: int, column: str, file: str | None) -> str:
    value = field_text(raw, line, column, file=file)
    return "" if value == "-0-" else value


def _records(data: bytes, columns: tuple[str, ...], file: str | None) -> list[tuple[int, dict[str, str]]]:
    text = decode_text(data, file=file).rstrip().rstrip(_END_OF_FILE)
    records = []
    for line, row in csv_rows(text, file=file):
        if len(row) != len(columns):
            raise FlaggedListFormatError(
                line, f"expected {len(columns)} fields ({', '.join(columns)}), found {len(row)}", file=file
            )
        record = {column: _value(raw, line, column, file) for column, raw in zip(columns, row, strict=True)}
        if not record["ent_num"].isdigit():
            raise FlaggedListFormatError(line, f"ent_num {record['ent_num']!r} is not a number", file=file)
        records.append((line, record))
    return records


def _read_sdn(data: bytes, file: str | None) -> dict[str, _Listing]:
    listings: dict[str, _Listing] = {}
    first_seen: dict[str, int] = {}
    for line, record in _records(data, SDN_COLUMNS, file):
        ent_num = str(int(record["ent_num"]))
        if ent_num in listings:
            raise FlaggedListFormatError(
                line, f"ent_num {ent_num} appears twice (first on line {first_seen[ent_num]})", file=file
            )
        sdn_type = record["SDN_Type"].lower()
        if sdn_type not in _KINDS:
            raise FlaggedListFormatError(
                line,
                f"SDN_Type {record['SDN_Type']!r} is not individual, vessel, aircraft or empty",
                file=file,
            )
        if not record["SDN_Name"]:
            raise FlaggedListFormatError(line, "SDN_Name is empty", file=file)
        kind = _KINDS[sdn_type]
        name = reader_order(record["SDN_Name"]) if kind == "person" else record["SDN_Name"]
        programmes = [p.strip(" []") for p in record["Program"].split("] [") if p.strip(" []")]
        listing = _Listing(kind, name, programmes)
        listing.aliases.extend(_WEAK_AKA.findall(record["Remarks"]))
        listings[ent_num] = listing
        first_seen[ent_num] = line
    return listings


def _add_alt(listings: dict[str, _Listing], data: bytes, file: str) -> None:
    for line, record in _records(data, ALT_COLUMNS, file):
        listing = listings.get(str(int(record["ent_num"])))
        if listing is None:
            raise FlaggedListFormatError(line, f"ent_num {record['ent_num']} is not in sdn.csv", file=file)
        if record["alt_type"].lower() not in _ALT_TYPES:
            raise FlaggedListFormatError(
                line, f"alt_type {record['alt_type']!r} is not aka, fka or nka", file=file
            )
        if not record["alt_name"]:
            raise FlaggedListFormatError(line, "alt_name is empty", file=file)
        alias = record["alt_name"]
        listing.aliases.append(reader_order(alias) if listing.kind == "person" else alias)


def _unzip(data: bytes) -> tuple[bytes, bytes | None, str, str]:
    # A damaged archive fails in many ways (zlib, EOF, unsupported methods); all mean the same.
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:
        raise FlaggedListFormatError(None, f"the zip archive cannot be read: {error}") from None
    with archive:
        members = {info.filename.rsplit("/", 1)[-1].lower(): info for info in archive.infolist()}
        if "sdn.csv" not in members:
            raise FlaggedListFormatError(None, "the zip archive holds no sdn.csv")
        wanted = [members[n] for n in ("sdn.csv", "alt.csv") if n in members]
        if sum(info.file_size for info in wanted) > MAX_INPUT_BYTES:
            raise FlaggedListFormatError(None, "sdn.csv and alt.csv unpack to more than 50 MB")
        contents = []
        for info in wanted:
            try:
                # Read one byte past the limit so a lying header cannot unpack a bomb.
                with archive.open(info) as member:
                    content = member.read(MAX_INPUT_BYTES + 1)
            except Exception as error:
                raise FlaggedListFormatError(None, f"{info.filename} cannot be unpacked: {error}") from None
            if len(content) > MAX_INPUT_BYTES:
                raise FlaggedListFormatError(None, f"{info.filename} unpacks to more than 50 MB")
            contents.append(content)
        alt_info = members.get("alt.csv")
        return (
            contents[0],
            contents[1] if alt_info else None,
            members["sdn.csv"].filename,
            alt_info.filename if alt_info else "alt.csv",
        )


def parse_ofac_sdn(data: bytes) -> list[ImportedEntry]:
    """Individuals and entities from a zip of sdn.csv (and alt.csv), or from sdn.csv alone."""
    if data.startswith(b"PK"):
        sdn, alt, sdn_name, alt_name = _unzip(data)
        listings = _read_sdn(sdn, sdn_name)
        if alt is not None:
            _add_alt(listings, alt, alt_name)
    else:
        listings = _read_sdn(data, None)
    return [
        ImportedEntry(
            kind=listing.kind,
            name=listing.name,
            aliases=tuple(listing.aliases),
            source=SOURCE,
            source_ref=ent_num,
            reason=f"OFAC SDN: {', '.join(listing.programmes)}" if listing.programmes else None,
        )
        for ent_num, listing in listings.items()
        if listing.kind is not None
    ]
