"""Files in the registers' real layouts, for tests and bench/registers.py (invented companies only)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

# The Free Company Data Product's header as published, stray spaces included.
CH_HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1, "
    "RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,RegAddress.PostCode,"
    "CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,IncorporationDate,"
    "Accounts.AccountRefDay,Accounts.AccountRefMonth,Accounts.NextDueDate,Accounts.LastMadeUpDate,"
    "Accounts.AccountCategory,Returns.NextDueDate,Returns.LastMadeUpDate,Mortgages.NumMortCharges,"
    "Mortgages.NumMortOutstanding,Mortgages.NumMortPartSatisfied,Mortgages.NumMortSatisfied,"
    "SICCode.SicText_1,SICCode.SicText_2,SICCode.SicText_3,SICCode.SicText_4,"
    "LimitedPartnerships.NumGenPartners,LimitedPartnerships.NumLimPartners,URI,"
    + ",".join(f"PreviousName_{n}.CONDATE, PreviousName_{n}.CompanyName" for n in range(1, 11))
    + ",ConfStmtNextDueDate, ConfStmtLastMadeUpDate"
).split(",")


def company_row(
    number: str,
    name: str,
    status: str = "Active",
    *,
    category: str = "Private Limited Company",
    incorporated: str = "14/03/2012",
    dissolved: str = "",
    previous: Iterable[tuple[str, str]] = (),
) -> list[str]:
    """One row: the given values, an invented address (which the import must not keep), the rest blank."""
    row = [""] * len(CH_HEADER)
    at = {name.strip(): index for index, name in enumerate(CH_HEADER)}
    row[at["CompanyName"]] = name
    row[at["CompanyNumber"]] = number
    row[at["RegAddress.AddressLine1"]] = "1 Invented Street"
    row[at["RegAddress.PostTown"]] = "TESTTOWN"
    row[at["RegAddress.PostCode"]] = "ZZ1 1ZZ"
    row[at["CompanyCategory"]] = category
    row[at["CompanyStatus"]] = status
    row[at["CountryOfOrigin"]] = "United Kingdom"
    row[at["DissolutionDate"]] = dissolved
    row[at["IncorporationDate"]] = incorporated
    row[at["SICCode.SicText_1"]] = "94990 - Activities of other membership organisations n.e.c."
    row[at["URI"]] = f"http://business.data.gov.uk/id/company/{number}"
    for n, (changed, old) in enumerate(previous, start=1):
        row[at[f"PreviousName_{n}.CONDATE"]] = changed
        row[at[f"PreviousName_{n}.CompanyName"]] = old
    return row


def companies_csv(rows: Iterable[list[str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CH_HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


_WORDS = (
    "Harbour",
    "Lantern",
    "Meadow",
    "Copper",
    "Willow",
    "Granite",
    "Orchard",
    "Beacon",
    "Thistle",
    "Riverside",
)
_KINDS = ("Trading", "Holdings", "Services", "Community", "Supplies", "Partners", "Works", "Studio")
_STATUSES = ("Active",) * 12 + (
    "Dissolved",
    "Liquidation",
    "In Administration",
    "Active - Proposal to Strike off",
)


def write_companies(path: Path, count: int) -> None:
    """``count`` generated companies in the published layout, written as it streams (bench data)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CH_HEADER)
        for i in range(count):
            name = f"{_WORDS[i % 10]} {_WORDS[(i // 10) % 10]} {_KINDS[(i // 100) % 8]} {i} LIMITED"
            previous = (
                [("01/06/2019", f"{_WORDS[(i + 3) % 10]} {_KINDS[i % 8]} {i} LTD")] if i % 7 == 0 else []
            )
            writer.writerow(
                company_row(
                    f"{i:08d}",
                    name,
                    _STATUSES[i % len(_STATUSES)],
                    incorporated=f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1990 + i % 35}",
                    previous=previous,
                )
            )


# Invented place names and charity words, for generated charity registers (bench data).
_PLACES = [
    a + b
    for a in ("Ash", "Bram", "Cold", "Elm", "Fen", "Hart", "Kings", "Lang", "Mill", "Oak")
    for b in ("brook", "bury", "field", "ford", "ham", "ley", "mere", "stow", "wick", "worth")
]
_THEMES = [
    "Hospice",
    "Youth",
    "Music",
    "Library",
    "Playgroup",
    "Scouts",
    "Guides",
    "Allotment",
    "Heritage",
    "Wildlife",
    "Carers",
    "Foodbank",
    "Rowing",
    "Cricket",
    "Chess",
    "Choir",
    "Theatre",
    "Dementia",
    "Stroke",
    "Hearing",
    "Sight",
    "Veterans",
    "Refugee",
    "Tenants",
    "Women",
    "Men's",
    "Parents",
    "Twins",
    "Autism",
    "Cancer",
    "Heart",
    "Kidney",
    "Mental",
    "Literacy",
    "Arts",
    "Dance",
    "Poetry",
    "Gardening",
    "Orchard",
    "Canal",
    "Railway",
    "Lifeboat",
    "Bereavement",
    "Almshouse",
    "Village",
    "Parish",
    "Academy",
    "Nursery",
    "Lunch",
    "Club",
]
_CHARITY_KINDS = [
    "Trust",
    "Foundation",
    "Association",
    "Society",
    "Fund",
    "Club",
    "Centre",
    "Network",
    "Appeal",
    "Friends",
    "Partnership",
    "Project",
    "Circle",
    "Forum",
    "Alliance",
    "Guild",
    "Group",
    "Collective",
    "Support",
    "Action",
    "Welfare",
    "Relief",
    "Care",
    "Aid",
    "League",
    "Union",
    "Institute",
    "Mission",
    "Hub",
    "Initiative",
]
_SUFFIXES = ("", " Benevolent Fund", " Fellowship", " Endowment")


def charity_name(i: int) -> str:
    """The i-th generated charity name: four slots as mixed-radix digits, so 600,000 are distinct."""
    place = _PLACES[i % 100]
    theme = _THEMES[(i // 100) % len(_THEMES)]
    rest = i // (100 * len(_THEMES))
    kind = _CHARITY_KINDS[rest % len(_CHARITY_KINDS)]
    return f"{place} {theme} {kind}{_SUFFIXES[(rest // len(_CHARITY_KINDS)) % 4]}"


def charity_rows(count: int) -> Iterable[dict[str, object]]:
    """``count`` generated main charities as the import's rows (register_charity)."""
    for i in range(count):
        yield {
            "organisation_number": 5_000_000 + i,
            "charity_number": 200_000 + i,
            "linked_number": 0,
            "name": charity_name(i),
            "charity_type": "Charitable incorporated organisation",
            "status": "Registered",
            "registered": None,
            "removed": None,
            "insolvent": False,
            "in_administration": False,
            "cio_dissolved": False,
        }
