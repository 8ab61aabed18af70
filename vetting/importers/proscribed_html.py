"""The proscribed list from a saved copy of either page that publishes it (no network).

* gov.uk, "Proscribed terrorist groups or organisations": inside the page body, each organisation
  is a third-level heading (its description follows in paragraphs) under a second-level heading
  about proscribed groups; the groups connected to Northern Ireland are a bulleted list under
  their own heading. Sections about groups no longer proscribed, the criteria or the offences
  are not the list.
* legislation.gov.uk, Schedule 2 to the Terrorism Act 2000: a ``ul.LegUnorderedList`` of
  ``p.LegListTextStandard`` paragraphs. Groups added by amendment sit between
  ``span.LegChangeDelimiter`` brackets with a link (``a.LegCommentaryLink``, "F1") to a
  commentary saying when ("Words in Sch. 2 inserted (29.3.2001) by ..."); one paragraph may
  hold several. Groups since removed show as dots. The commentary is not the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString

from vetting.importers.errors import FlaggedListFormatError
from vetting.importers.proscribed_names import tidy

_INSERTED = re.compile(r"(?:inserted|added|substituted)\s*\((\d{1,2})\.(\d{1,2})\.(\d{4})\)", re.IGNORECASE)
_NOT_THE_LIST = ("no longer", "deproscri", "removed", "criteria", "offence", "contents", "about")
_ONLY_DOTS = re.compile(r"^[.\s\u2026]*$")


@dataclass(frozen=True)
class ListedText:
    """One organisation's entry as the page writes it, with where it is and when it was added."""

    text: str
    line: int | None
    listed: date | None = None


def looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head


def _line(tag: Tag) -> int | None:
    return tag.sourceline


def _commentary_dates(soup: BeautifulSoup) -> dict[str, date]:
    dates: dict[str, date] = {}
    for item in soup.select(".LegCommentaryItem[id]"):
        match = _INSERTED.search(item.get_text(" "))
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                dates[str(item["id"])] = date(year, month, day)
            except ValueError:
                continue  # a misprinted commentary date leaves the entry undated, not unread
    return dates


def _schedule_paragraph(paragraph: Tag, dates: dict[str, date]) -> list[ListedText]:
    """The groups of one Schedule 2 paragraph: text outside amendments, and each amendment's."""
    found: list[ListedText] = []
    text: list[str] = []
    listed: date | None = None

    def flush() -> None:
        nonlocal listed
        joined = "".join(text)
        if not _ONLY_DOTS.match(joined):
            found.append(ListedText(joined, _line(paragraph), listed))
        text.clear()
        listed = None

    for node in paragraph.descendants:
        if isinstance(node, Tag):
            classes: list[str] = list(node.get("class") or [])
            if "LegChangeDelimiter" in classes:
                bracket = node.get_text().strip()
                flush()
                if bracket == "[":
                    link = node.find_next("a", class_="LegCommentaryLink")
                    href = str(link.get("href", "")) if link else ""
                    listed = dates.get(href.lstrip("#"))
            continue
        if not isinstance(node, NavigableString) or node.find_parent(class_="LegChangeDelimiter"):
            continue
        if node.find_parent(class_="LegCommentaryLink"):
            continue
        text.append(str(node))
    flush()
    return found


def _schedule_two(soup: BeautifulSoup) -> list[ListedText]:
    dates = _commentary_dates(soup)
    entries: list[ListedText] = []
    for listing in soup.select("ul.LegUnorderedList"):
        if listing.find_parent(class_="LegAnnotations"):
            continue
        for paragraph in listing.select(".LegListTextStandard"):
            entries.extend(_schedule_paragraph(paragraph, dates))
    return entries


def _is_list_section(heading: str) -> bool:
    lowered = heading.lower()
    return "proscribed" in lowered and not any(word in lowered for word in _NOT_THE_LIST)


def _gov_uk(soup: BeautifulSoup) -> list[ListedText]:
    body = soup.select_one(".govspeak") or soup.body or soup
    sections: list[tuple[list[Tag], list[Tag]]] = []
    counted = False
    for tag in body.find_all(["h2", "h3", "li"]):
        if tag.name == "h2":
            counted = _is_list_section(tag.get_text(" "))
            if counted:
                sections.append(([], []))
        elif counted and tag.name == "h3":
            sections[-1][0].append(tag)
        elif counted and tag.name == "li":
            sections[-1][1].append(tag)
    entries: list[ListedText] = []
    for headings, items in sections:
        # A section listing organisations by heading has bulleted descriptions, not more groups.
        for tag in headings or items:
            entries.append(ListedText(tag.get_text(" "), _line(tag)))
    return entries


def read_proscribed_html(html: str) -> list[ListedText]:
    """Every organisation the saved page lists, in page order."""
    soup = BeautifulSoup(html, "html.parser")
    if soup.select_one("ul.LegUnorderedList .LegListTextStandard") is not None:
        entries = _schedule_two(soup)
    else:
        entries = _gov_uk(soup)
    entries = [entry for entry in entries if tidy(entry.text)]
    if not entries:
        raise FlaggedListFormatError(
            None,
            "the page holds neither gov.uk's list of proscribed organisations (headings under a "
            "'Proscribed ...' section) nor Schedule 2 of the Terrorism Act 2000 from legislation.gov.uk",
        )
    return entries
