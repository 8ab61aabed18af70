"""Charity and company number formats, and the registry interface."""

from __future__ import annotations

import pytest

from vetting.identifiers import (
    InvalidNumber,
    charity_number_problem,
    company_number_problem,
    parse_charity_number,
    parse_company_number,
)
from vetting.registry import (
    InMemoryRegistry,
    NullRegistry,
    RegistryLookup,
    RegistryRecord,
    look_up_numbers,
    register_registry,
    registry_for,
)


@pytest.mark.parametrize(
    ("raw", "register", "display"),
    [
        ("1123456", "charity_ew", "1123456"),
        ("202918", "charity_ew", "202918"),
        ("1123456-1", "charity_ew", "1123456-1"),
        (" 1123 456 ", "charity_ew", "1123456"),
        ("SC012345", "charity_scotland", "SC012345"),
        ("sc 012345", "charity_scotland", "SC012345"),
        ("NIC100002", "charity_ni", "NIC100002"),
        ("NI100002", "charity_ni", "NIC100002"),
    ],
)
def test_valid_charity_numbers(raw: str, register: str, display: str) -> None:
    number = parse_charity_number(raw)
    assert (number.register, number.display) == (register, display)
    assert charity_number_problem(raw) is None


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("", "empty"),
        ("12345", "6 or 7 digits"),
        ("2123456", "6 or 7 digits"),
        ("012345", "6 or 7 digits"),
        ("11234567", "6 or 7 digits"),
        ("SCO12345", "did you mean SC012345"),
        ("SC12345", "SC and 6 digits"),
        ("NIC200002", "NIC and 6 digits"),
        ("XN12345", "HMRC reference"),
        ("CH1123456", "6 or 7 digits"),
    ],
)
def test_invalid_charity_numbers(raw: str, hint: str) -> None:
    with pytest.raises(InvalidNumber, match=hint):
        parse_charity_number(raw)
    assert charity_number_problem(raw)


@pytest.mark.parametrize(
    ("raw", "normal", "kind"),
    [
        ("01234567", "01234567", "company (England and Wales)"),
        ("1234567", "01234567", "company (England and Wales)"),
        ("SC123456", "SC123456", "company (Scotland)"),
        ("ni 012345", "NI012345", "company (Northern Ireland)"),
        ("OC301234", "OC301234", "limited liability partnership (England and Wales)"),
        ("SO301234", "SO301234", "limited liability partnership (Scotland)"),
        ("NC001234", "NC001234", "limited liability partnership (Northern Ireland)"),
        ("R0000123", "R0000123", "company (Northern Ireland, registered before partition)"),
        ("CE012345", "CE012345", "charitable incorporated organisation (England and Wales)"),
    ],
)
def test_valid_company_numbers(raw: str, normal: str, kind: str) -> None:
    number = parse_company_number(raw)
    assert (number.register, number.number, number.kind) == ("companies_house", normal, kind)
    assert company_number_problem(raw) is None


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("123456789", "8 characters"),
        ("XX123456", "not a Companies House prefix"),
        ("SC12345", "did you mean SC012345"),
        ("SC1234567", "8 digits, or 2 letters and 6 digits"),
        ("ACME LTD", "8 digits, or 2 letters and 6 digits"),
        ("  ", "empty"),
    ],
)
def test_invalid_company_numbers(raw: str, hint: str) -> None:
    with pytest.raises(InvalidNumber, match=hint):
        parse_company_number(raw)


def test_registry_chosen_by_name() -> None:
    null = registry_for("null")
    assert isinstance(null, NullRegistry)
    assert isinstance(null, RegistryLookup)
    assert isinstance(registry_for(" Memory "), InMemoryRegistry)
    with pytest.raises(ValueError, match="unknown registry 'companies-house-live'"):
        registry_for("companies-house-live")


def test_null_registry_says_not_checked_and_malformed_numbers_are_not_looked_up() -> None:
    records = look_up_numbers(NullRegistry(), "SC012345", "not a number")
    assert records == (
        RegistryRecord("charity_scotland", "SC012345", "not_checked", detail=records[0].detail),
    )


class _BrokenRegistry:
    def look_up(self, number: object) -> RegistryRecord:
        raise TimeoutError("register did not answer")


def test_failing_registry_is_recorded_not_raised() -> None:
    register_registry("broken-for-test", _BrokenRegistry)
    records = look_up_numbers(registry_for("broken-for-test"), "1123456", None)
    assert records[0].status == "error"
    assert "did not answer" in records[0].detail
