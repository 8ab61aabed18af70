"""The OFAC SDN CSV importer: the zip of sdn.csv and alt.csv, sdn.csv alone, and broken files."""

from __future__ import annotations

from tests.vetting.test_importers_helpers import by_ref, rejected, sample, zipped
from vetting.importers import parse_flagged_list
from vetting.importers.ofac import SDN_COLUMNS, reader_order

FMT = "ofac-sdn-csv"


def test_zip_sample_gives_individuals_and_entities_but_no_vessels_or_aircraft() -> None:
    entries = parse_flagged_list(sample("ofac_sdn.zip"), FMT)
    assert [e.source_ref for e in entries] == ["90001", "90002", "90003", "90006", "90007"]
    assert [e.kind for e in entries] == ["person", "organisation", "person", "organisation", "person"]
    assert {e.source for e in entries} == {"ofac-sdn"}
    assert all(e.listed_date is None for e in entries)


def test_individuals_are_stored_in_reader_order_aliases_too() -> None:
    entries = by_ref(parse_flagged_list(sample("ofac_sdn.zip"), FMT))
    assert entries["90001"].name == "Anatoly Sergeyevich KARIMOV-STRELTSOV"
    # The weak a.k.a. from Remarks first, then alt.csv in file order.
    assert entries["90001"].aliases == (
        "TOLYA KARIMOV",
        "Anatolii Sergeevich KARIMOV-STRELTSOV",
        "Anatoly STRELTSOV",
    )
    assert entries["90003"].aliases == ("Umar Faysal AL-RASHID", "Omar RASHID")
    assert entries["90007"].name == "Julio Cesar VILLANUEVA ORTEGA"


def test_entity_names_keep_their_commas_and_programmes_become_the_reason() -> None:
    entries = by_ref(parse_flagged_list(sample("ofac_sdn.zip"), FMT))
    assert entries["90006"].aliases == (
        "BAYAN AID",
        "AL BAYAN",
        "BAYAN RELIEF SOCIETY",
        "JAMIYAT AL-BAYAN AL-KHAYRIYYA",
    )
    assert entries["90002"].reason == "OFAC SDN: SDGT, IFSR"
    assert entries["90007"].reason == "OFAC SDN: SDNTK"


def test_sdn_csv_alone_is_read_without_alt_names() -> None:
    entries = by_ref(parse_flagged_list(sample("ofac/sdn.csv"), FMT))
    assert list(entries) == ["90001", "90002", "90003", "90006", "90007"]
    assert entries["90003"].aliases == ()
    assert entries["90001"].aliases == ("TOLYA KARIMOV",)


def test_zip_members_may_sit_in_a_folder_and_have_lowercase_names() -> None:
    data = zipped({"export/sdn.csv": sample("ofac/sdn.csv"), "export/alt.csv": sample("ofac/alt.csv")})
    assert parse_flagged_list(data, FMT) == parse_flagged_list(sample("ofac_sdn.zip"), FMT)


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
    bomb = zipped({"sdn.csv": b"0" * (50 * 1024 * 1024 + 1)})
    assert len(bomb) < 1_000_000
    error = rejected(bomb, FMT)
    assert "more than 50 MB" in error.problem


def test_wrong_field_count_is_rejected_with_its_line() -> None:
    data = (SDN_ROW + '90101,"SHORT ROW",-0- ,"SDGT"\r\n').encode()
    error = rejected(data, FMT)
    assert error.line == 2
    assert "expected 12 fields" in error.problem
    assert "found 4" in error.problem


def test_header_row_is_not_taken_for_data() -> None:
    header = ",".join(SDN_COLUMNS) + "\r\n"
    error = rejected((header + SDN_ROW).encode(), FMT)
    assert error.line == 1
    assert "ent_num 'ent_num' is not a number" in error.problem


def test_unknown_type_empty_name_and_repeated_number_are_rejected() -> None:
    error = rejected(
        (SDN_ROW + SDN_ROW.replace("90100", "90101").replace('"individual"', '"ship"')).encode(), FMT
    )
    assert error.line == 2
    assert "'ship'" in error.problem
    error = rejected(SDN_ROW.replace('"EXAMPLE, Person"', "-0- ").encode(), FMT)
    assert error.line == 1
    assert error.problem == "SDN_Name is empty"
    error = rejected((SDN_ROW * 2).encode(), FMT)
    assert error.line == 2
    assert "appears twice (first on line 1)" in error.problem


def test_alt_name_for_an_unknown_listing_is_rejected_naming_alt_csv() -> None:
    alt = b'90100,1,"aka","EXAMPLE, P.",-0- \r\n90999,2,"aka","NOBODY",-0- \r\n'
    error = rejected(zipped({"sdn.csv": SDN_ROW.encode(), "alt.csv": alt}), FMT)
    assert (error.file, error.line) == ("alt.csv", 2)
    assert str(error) == "alt.csv line 2: ent_num 90999 is not in sdn.csv"


def test_alt_name_of_unknown_type_is_rejected() -> None:
    alt = b'90100,1,"alias","EXAMPLE, P.",-0- \r\n'
    error = rejected(zipped({"sdn.csv": SDN_ROW.encode(), "alt.csv": alt}), FMT)
    assert (error.file, error.line) == ("alt.csv", 1)
    assert "'alias'" in error.problem
