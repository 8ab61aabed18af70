"""OFAC's Specially Designated Nationals list in its legacy CSV files, read together.

OFAC serves SDN.CSV, ALT.CSV and SDN_COMMENTS.CSV as separate files (ADD.CSV, the addresses, is
not needed); all three are required, given as several files, a folder or a zip. None has a
header; "-0-" (often followed by a space) stands for an empty value; a file may end with the
DOS end-of-file character.
SDN.CSV: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT,
Vess_flag, Vess_owner, Remarks. ALT.CSV: ent_num, alt_num, alt_type, alt_name, alt_remarks.
SDN_COMMENTS.CSV: ent_num, Remarks_Extended: the rest of a Remarks cell too long for SDN.CSV,
continuing mid-word. Individuals are written "SURNAME, Given"; entities have an empty SDN_Type.
Weak aliases appear only inside the Remarks, as a.k.a. 'NAME'.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from vetting.birth_dates import canonical_list, parse_ofac_remarks
from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.inputs import BadRows, InputFile
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
COMMENTS_COLUMNS = ("ent_num", "Remarks_Extended")
SDN_FILE, ALT_FILE, COMMENTS_FILE = "sdn.csv", "alt.csv", "sdn_comments.csv"
REQUIRED_FILES = (SDN_FILE, ALT_FILE, COMMENTS_FILE)
_KINDS: dict[str, Kind | None] = {
    "individual": "person",
    "": "organisation",
    "vessel": None,
    "aircraft": None,
}
_ALT_TYPES = frozenset({"aka", "fka", "nka"})
_WEAK_AKA = re.compile(r"a\.k\.a\.\s+'([^']+)'")
_END_OF_FILE = "\x1a"


@dataclass
class _Listing:
    kind: Kind | None
    name: str
    programmes: list[str]
    aliases: list[str] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)
    births: tuple[str, ...] = ()


def reader_order(name: str) -> str:
    """ "SURNAME, Given Middle" as a reader writes it: "Given Middle SURNAME"."""
    surname, comma, given = name.partition(",")
    if not comma or not given.strip() or not surname.strip():
        return name
    return f"{given.strip()} {surname.strip()}"


def _value(raw: str, line: int, column: str, file: str | None) -> str:
    value = field_text(raw, line, column, file=file)
    return "" if value == "-0-" else value


def _records(
    data: bytes, columns: tuple[str, ...], file: str, bad: BadRows
) -> list[tuple[int, dict[str, str], str]]:
    """Each row as cleaned values, with its line and its last cell as written (remarks continue)."""
    text = decode_text(data, file=file).rstrip().rstrip(_END_OF_FILE)
    records = []
    for line, row in csv_rows(text, file=file):
        try:
            if len(row) != len(columns):
                raise FlaggedListFormatError(
                    line,
                    f"expected {len(columns)} fields ({', '.join(columns)}), found {len(row)}",
                    file=file,
                )
            record = {
                column: _value(raw, line, column, file) for column, raw in zip(columns, row, strict=True)
            }
            if not record["ent_num"].isdigit():
                raise FlaggedListFormatError(
                    line, f"ent_num {record['ent_num']!r} is not a number", file=file
                )
        except FlaggedListFormatError as error:
            bad.add(error)
            continue
        last = "" if row[-1].strip() == "-0-" else row[-1]
        records.append((line, record, last))
    return records


def _comments(data: bytes, file: str, bad: BadRows) -> dict[str, str]:
    """The continuation of each long Remarks cell, by ent_num (raw: it may start mid-word)."""
    continued: dict[str, str] = {}
    for _line, record, raw in _records(data, COMMENTS_COLUMNS, file, bad):
        ent_num = str(int(record["ent_num"]))
        continued[ent_num] = continued.get(ent_num, "") + raw
    return continued


def _read_sdn(data: bytes, file: str, comments: dict[str, str], bad: BadRows) -> dict[str, _Listing]:
    listings: dict[str, _Listing] = {}
    first_seen: dict[str, int] = {}
    for line, record, raw_remarks in _records(data, SDN_COLUMNS, file, bad):
        ent_num = str(int(record["ent_num"]))
        try:
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
        except FlaggedListFormatError as error:
            bad.add(error)
            continue
        kind = _KINDS[sdn_type]
        name = reader_order(record["SDN_Name"]) if kind == "person" else record["SDN_Name"]
        programmes = [p.strip(" []") for p in record["Program"].split("] [") if p.strip(" []")]
        listing = _Listing(kind, name, programmes)
        # Joined as written: the cut falls anywhere, inside a word or an a.k.a. 'NAME'.
        remarks = " ".join((raw_remarks + comments.get(ent_num, "")).split())
        weak = [reader_order(a) if kind == "person" else a for a in _WEAK_AKA.findall(remarks)]
        listing.weak_aliases.extend(weak)
        listing.births = canonical_list(parse_ofac_remarks(remarks))
        listings[ent_num] = listing
        first_seen[ent_num] = line
    return listings


def _add_alt(listings: dict[str, _Listing], data: bytes, file: str, bad: BadRows) -> None:
    for line, record, _raw in _records(data, ALT_COLUMNS, file, bad):
        listing = listings.get(str(int(record["ent_num"])))
        try:
            if listing is None:
                raise FlaggedListFormatError(
                    line, f"ent_num {record['ent_num']} is not in sdn.csv", file=file
                )
            if record["alt_type"].lower() not in _ALT_TYPES:
                raise FlaggedListFormatError(
                    line, f"alt_type {record['alt_type']!r} is not aka, fka or nka", file=file
                )
            if not record["alt_name"]:
                raise FlaggedListFormatError(line, "alt_name is empty", file=file)
        except FlaggedListFormatError as error:
            bad.add(error)
            continue
        alias = record["alt_name"]
        listing.aliases.append(reader_order(alias) if listing.kind == "person" else alias)


def _unzip(data: bytes, into: dict[str, tuple[str, bytes]]) -> None:
    """The SDN files in a zip archive, by lower-case base name (other members are left alone)."""
    # A damaged archive fails in many ways (zlib, EOF, unsupported methods); all mean the same.
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as error:
        raise FlaggedListFormatError(None, f"the zip archive cannot be read: {error}") from None
    with archive:
        members = {info.filename.rsplit("/", 1)[-1].lower(): info for info in archive.infolist()}
        wanted = [members[n] for n in REQUIRED_FILES if n in members]
        if sum(info.file_size for info in wanted) > MAX_INPUT_BYTES:
            raise FlaggedListFormatError(None, "the SDN files unpack to more than 50 MB")
        for info in wanted:
            try:
                # Read one byte past the limit so a lying header cannot unpack a bomb.
                with archive.open(info) as member:
                    content = member.read(MAX_INPUT_BYTES + 1)
            except Exception as error:
                raise FlaggedListFormatError(None, f"{info.filename} cannot be unpacked: {error}") from None
            if len(content) > MAX_INPUT_BYTES:
                raise FlaggedListFormatError(None, f"{info.filename} unpacks to more than 50 MB")
            into[info.filename.rsplit("/", 1)[-1].lower()] = (info.filename, content)


def _gather(files: Sequence[InputFile]) -> dict[str, tuple[str, bytes]]:
    found: dict[str, tuple[str, bytes]] = {}
    for item in files:
        data = item.read()
        if data.startswith(b"PK"):
            _unzip(data, found)
        elif item.base_name in REQUIRED_FILES:
            found[item.base_name] = (item.name, data)
        elif len(files) == 1:
            # One CSV uploaded under another name is taken for sdn.csv, so the refusal says what is missing.
            found[SDN_FILE] = (item.name, data)
        elif item.base_name != "add.csv":
            raise FlaggedListFormatError(
                None,
                f"{item.name} is not one of OFAC's SDN.CSV, ALT.CSV, SDN_COMMENTS.CSV (or a zip of them)",
            )
    if SDN_FILE not in found:
        raise FlaggedListFormatError(
            None, "no sdn.csv among the files: OFAC publishes SDN.CSV, ALT.CSV and SDN_COMMENTS.CSV"
        )
    missing = [name for name in REQUIRED_FILES if name not in found]
    if missing:
        raise FlaggedListFormatError(
            None,
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing: sdn.csv alone has "
            "no aliases and cuts long remarks short; import SDN.CSV, ALT.CSV and SDN_COMMENTS.CSV "
            "together (several files, their folder or a zip of them)",
        )
    return found


def parse_ofac_files(files: Sequence[InputFile], bad: BadRows | None = None) -> list[ImportedEntry]:
    """Individuals and entities from SDN.CSV, ALT.CSV and SDN_COMMENTS.CSV (vessels and aircraft left out)."""
    bad = bad if bad is not None else BadRows()
    found = _gather(files)
    comments = _comments(found[COMMENTS_FILE][1], found[COMMENTS_FILE][0], bad)
    listings = _read_sdn(found[SDN_FILE][1], found[SDN_FILE][0], comments, bad)
    _add_alt(listings, found[ALT_FILE][1], found[ALT_FILE][0], bad)
    bad.settle()
    return [
        ImportedEntry(
            kind=listing.kind,
            name=listing.name,
            aliases=tuple(listing.aliases),
            weak_aliases=tuple(listing.weak_aliases),
            source=SOURCE,
            source_ref=ent_num,
            reason=f"OFAC SDN: {', '.join(listing.programmes)}" if listing.programmes else None,
            births=listing.births,
        )
        for ent_num, listing in listings.items()
        if listing.kind is not None
    ]


def parse_ofac_sdn(data: bytes) -> list[ImportedEntry]:
    """A zip of the three files (one upload); a lone sdn.csv is refused, naming what is missing."""
    name = "upload.zip" if data.startswith(b"PK") else SDN_FILE
    return parse_ofac_files([InputFile(name, data)])
