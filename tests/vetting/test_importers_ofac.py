"""The OFAC SDN importers: SDN.CSV, ALT.CSV and SDN_COMMENTS.CSV together, and sdn_advanced.xml."""

from __future__ import annotations

from pathlib import Path

from tests.vetting.test_importers_helpers import SAMPLES, by_ref, rejected, sample, zipped
from vetting.importers import InputFile, parse_flagged_list, read_flagged_list
from vetting.importers.ofac import SDN_COLUMNS, reader_order

FMT = "ofac-sdn-csv"
XML = "ofac-sdn-advanced-xml"


def three_files(sdn: bytes, alt: bytes = b"", comments: bytes = b"") -> bytes:
    return zipped({"SDN.CSV": sdn, "ALT.CSV": alt, "SDN_COMMENTS.CSV": comments})


def sample_files() -> list[InputFile]:
    return [
        InputFile(name.upper(), sample(f"ofac/{name}")) for name in ("sdn.csv", "alt.csv", "sdn_comments.csv")
    ]


def test_zip_sample_gives_individuals_and_entities_but_no_vessels_or_aircraft() -> None:
    entries = parse_flagged_list(sample("ofac_sdn.zip"), FMT)
    assert [e.source_ref for e in entries] == ["90001", "90002", "90003", "90006", "90007"]
    assert [e.kind for e in entries] == ["person", "organisation", "person", "organisation", "person"]
    assert {e.source for e in entries} == {"ofac-sdn"}
    assert all(e.listed_date is None for e in entries)


def test_the_three_files_given_separately_read_like_the_zip() -> None:
    separately = read_flagged_list(sample_files(), FMT)
    assert separately.entries == parse_flagged_list(sample("ofac_sdn.zip"), FMT)
    assert separately.skipped == ()


def test_individuals_are_in_reader_order_and_weak_akas_are_marked_weak() -> None:
    entries = by_ref(parse_flagged_list(sample("ofac_sdn.zip"), FMT))
    assert entries["90001"].name == "Anatoly Sergeyevich KARIMOV-STRELTSOV"
    assert entries["90001"].aliases == ("Anatolii Sergeevich KARIMOV-STRELTSOV", "Anatoly STRELTSOV")
    # The a.k.a. in Remarks is OFAC's weak alias: kept, but apart.
    assert entries["90001"].weak_aliases == ("TOLYA KARIMOV",)
    assert entries["90003"].aliases == ("Umar Faysal AL-RASHID", "Omar RASHID")
    assert entries["90007"].name == "Julio Cesar VILLANUEVA ORTEGA"


def test_remarks_continued_in_sdn_comments_are_joined_even_mid_word() -> None:
    entries = by_ref(parse_flagged_list(sample("ofac_sdn.zip"), FMT))
    # sdn.csv stops at "a.k.a. 'EL GU"; sdn_comments.csv goes on "ERO'; a.k.a. 'JULIO VILLA'".
    assert entries["90007"].weak_aliases == ("EL GUERO", "JULIO VILLA")


def test_entity_names_keep_their_commas_and_programmes_become_the_reason() -> None:
    entries = by_ref(parse_flagged_list(sample("ofac_sdn.zip"), FMT))
    assert entries["90006"].aliases == ("BAYAN RELIEF SOCIETY", "JAMIYAT AL-BAYAN AL-KHAYRIYYA")
    assert entries["90006"].weak_aliases == ("BAYAN AID", "AL BAYAN")
    assert entries["90002"].reason == "OFAC SDN: SDGT, IFSR"
    assert entries["90007"].reason == "OFAC SDN: SDNTK"


def test_sdn_csv_alone_is_refused_naming_what_is_missing() -> None:
    error = rejected(sample("ofac/sdn.csv"), FMT)
    assert error.line is None
    assert error.problem.startswith("alt.csv and sdn_comments.csv are missing")
    error = rejected(zipped({"SDN.CSV": sample("ofac/sdn.csv"), "ALT.CSV": sample("ofac/alt.csv")}), FMT)
    assert error.problem.startswith("sdn_comments.csv is missing")


def test_a_folder_s_files_and_zip_members_in_a_folder_with_lowercase_names_are_accepted() -> None:
    data = zipped({f"export/{n}": sample(f"ofac/{n}") for n in ("sdn.csv", "alt.csv", "sdn_comments.csv")})
    assert parse_flagged_list(data, FMT) == parse_flagged_list(sample("ofac_sdn.zip"), FMT)
    folder = [InputFile(str(p), path=p) for p in sorted(Path(SAMPLES / "ofac").glob("*.csv"))]
    assert read_flagged_list(folder, FMT).entries == parse_flagged_list(sample("ofac_sdn.zip"), FMT)


def test_a_file_that_is_not_an_sdn_file_is_named() -> None:
    files = [*sample_files(), InputFile("notes.txt", b"hello")]
    error = rejected_files(files)
    assert "notes.txt is not one of OFAC's" in error.problem


def rejected_files(files: list[InputFile]) -> Exception:
    try:
        read_flagged_list(files, FMT)
    except Exception as error:  # the test below checks the type
        return error
    raise AssertionError("accepted")


def test_reader_order_only_moves_a_surname_before_a_comma() -> None:
    assert reader_order("MORENO JR., Daniel Gonzalo") == "Daniel Gonzalo MORENO JR."
    assert reader_order("MONONYM") == "MONONYM"
    assert reader_order("TRAILING,") == "TRAILING,"


SDN_ROW = '90100,"EXAMPLE, Person","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


def test_zip_without_sdn_csv_is_rejected() -> None:
    error = rejected(zipped({"alt.csv": sample("ofac/alt.csv")}), FMT)
    assert error.line is None
    assert "no sdn.csv" in error.problem


def test_damaged_zip_is_rejected() -> None:
    error = rejected(b"PK\x03\x04 this is not really a zip archive", FMT)
    assert "zip archive cannot be read" in error.problem


def test_zip_member_unpacking_past_the_limit_is_rejected() -> None:
    bomb = zipped({"sdn.csv": b"0" * (50 * 1024 * 1024 + 1), "alt.csv": b"", "sdn_comments.csv": b""})
    assert len(bomb) < 1_000_000
    error = rejected(bomb, FMT)
    assert "more than 50 MB" in error.problem


def test_wrong_field_count_is_rejected_with_its_file_and_line() -> None:
    error = rejected(three_files((SDN_ROW + '90101,"SHORT ROW",-0- ,"SDGT"\r\n').encode()), FMT)
    assert (error.file, error.line) == ("SDN.CSV", 2)
    assert "expected 12 fields" in error.problem
    assert "found 4" in error.problem


def test_header_row_is_not_taken_for_data() -> None:
    header = ",".join(SDN_COLUMNS) + "\r\n"
    error = rejected(three_files((header + SDN_ROW).encode()), FMT)
    assert error.line == 1
    assert "ent_num 'ent_num' is not a number" in error.problem


def test_every_bad_row_is_named_and_nothing_is_read() -> None:
    rows = SDN_ROW + SDN_ROW.replace("90100", "90101").replace('"individual"', '"ship"') + SDN_ROW * 2
    error = rejected(three_files(rows.replace('"EXAMPLE, Person"', "-0- ", 1).encode()), FMT)
    assert error.file is None
    assert error.problem.startswith("3 rows cannot be read: ")
    assert "SDN.CSV line 1: SDN_Name is empty" in error.problem
    assert "SDN.CSV line 2: SDN_Type 'ship'" in error.problem
    assert "SDN.CSV line 4: ent_num 90100 appears twice (first on line 3)" in error.problem


def test_skipping_bad_rows_reads_the_rest_and_lists_what_was_skipped() -> None:
    rows = SDN_ROW + SDN_ROW.replace("90100", "90101").replace('"individual"', '"ship"')
    alt = b'90100,1,"aka","EXAMPLE, P.",-0- \r\n90999,2,"aka","NOBODY",-0- \r\n'
    files = [
        InputFile("SDN.CSV", rows.encode()),
        InputFile("ALT.CSV", alt),
        InputFile("SDN_COMMENTS.CSV", b""),
    ]
    read = read_flagged_list(files, FMT, skip_bad_rows=True)
    assert [e.source_ref for e in read.entries] == ["90100"]
    assert read.entries[0].aliases == ("P. EXAMPLE",)
    assert [str(row) for row in read.skipped] == [
        "SDN.CSV line 2: SDN_Type 'ship' is not individual, vessel, aircraft or empty",
        "ALT.CSV line 2: ent_num 90999 is not in sdn.csv",
    ]


def test_alt_name_of_unknown_type_is_rejected() -> None:
    alt = b'90100,1,"alias","EXAMPLE, P.",-0- \r\n'
    error = rejected(three_files(SDN_ROW.encode(), alt), FMT)
    assert (error.file, error.line) == ("ALT.CSV", 1)
    assert "'alias'" in error.problem


def test_advanced_xml_is_read_with_weak_aliases_programmes_and_listing_dates() -> None:
    path = SAMPLES / "ofac" / "sdn_advanced.xml"
    read = read_flagged_list([InputFile("sdn_advanced.xml", path=path)], XML)
    entries = by_ref(read.entries)
    assert list(entries) == ["90001", "90006"]  # the vessel is left out
    person = entries["90001"]
    assert (person.kind, person.name) == ("person", "Anatoly Sergeyevich KARIMOV-STRELTSOV")
    assert person.aliases == ("Anatoly STRELTSOV",)
    assert person.weak_aliases == ("TOLYA KARIMOV",)
    assert (person.reason, person.listed_date.isoformat() if person.listed_date else None) == (
        "OFAC SDN: RUSSIA-EO14024",
        "2022-04-06",
    )
    charity = entries["90006"]
    assert charity.kind == "organisation"
    assert charity.aliases == ("جمعية البيان الخيرية", "BAYAN RELIEF SOCIETY")
    assert charity.weak_aliases == ("BAYAN AID",)
    # The XML and the CSV files agree on the names they share.
    csv_entries = by_ref(parse_flagged_list(sample("ofac_sdn.zip"), FMT))
    assert csv_entries["90001"].name == person.name


def test_advanced_xml_with_a_dtd_or_broken_markup_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Sanctions>&a;</Sanctions>'
    error = rejected(bomb, XML)
    assert "declares a DTD" in error.problem
    error = rejected(sample("ofac/sdn_advanced.xml")[:3000], XML)
    assert "the XML is malformed" in error.problem
    error = rejected(b"<Sanctions></Sanctions>", XML)
    assert "no ReferenceValueSets" in error.problem
