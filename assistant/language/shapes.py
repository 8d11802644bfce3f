"""One vocabulary of text shapes: what a person name, a list item, an e-mail address, a phone
number, an amount of money or a goal code looks like in Swedish public documents. Ingest, answer
and generation read them from here, so "is this a list item" means one thing everywhere.

Dates live in text.py (ISO_DATE, TEXT_DATE, DATE_ONLY, find_dates) beside the other date helpers,
built from the one date grammar in data/dates_sv.json.
Does not: decide what a line is in its document (ingest/) or what a question asks (answer/).
"""

from __future__ import annotations

import re

from assistant.language.vocabulary import pattern, word_map

# A line that is only a name: "Elisabeth Olsson", "Anna-Karin Berg". Example: PERSON_LINE.match("Kim Ek")
PERSON_LINE = re.compile(r"^[A-ZÅÄÖ][a-zåäöéü]+(?:[- ][A-ZÅÄÖ][a-zåäöéü]+){1,3}$")
# A bulleted, numbered or lettered line: "- Socialnämnden", "2. anta …", "b) …"
BULLET = re.compile(r"^\s*(?:[-–•*▪◦]\s+|\d{1,2}[.)]\s+|[a-h][.)]\s+)")
# A list item as a citable span starts with its mark: "- Skolnämnden", "1. anta strategin"
LIST_ITEM = re.compile(r"^([-–•*▪]\s|\d{1,2}[.)]\s)")
NUMBERED_ITEM = re.compile(r"^\d{1,2}[.)]\s")  # "1. Ledarskap", "2) Teknik": a numbered point
# An e-mail address (the one shape: ingest, answer and the claim checker read it from here).
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\b0\d{1,3}[- ]?\d{2,3}[- ]?\d{2}[- ]?\d{2}\b|\+46")
MONEY = pattern("text_words_sv.json", "money")  # "12 mkr", "3 500 kronor", "40 €"
# A goal or focus-area code: "C1", "B2" (a capital letter and one or two digits)
GOAL_CODE = re.compile(r"\b([A-Z]\d{1,2})\b")
# An official designation of a government document: the Swedish series and their numbering as
# the Regeringskansliet writes them (SOU 2024:60, Ds 2018:5, prop. 2024/25:42, dir. 2021:36,
# skr. 2023/24:12, SFS 2017:725), also with the series written out ("propositionen 2024/25:42").
_SERIES = word_map("designations_sv.json", "series")
# Web pages glue a heading to the next line ("… klimatanpassningSOU 2025:51"): an upper-case
# series right after a lower-case letter counts too.
DESIGNATION = re.compile(
    r"(?:\b|(?<=[a-zåäö])(?-i:(?=[A-Z])))("
    + "|".join(sorted(_SERIES, key=len, reverse=True))
    + r")\.?\s*(\d{4}(?:/\d{2})?:\d+)\b",
    re.IGNORECASE,
)


# A number that only carries a year: a document's number (SOU 2024:72, lag (2014:821), prop.
# 2024/25:42) or a case number (Dnr RS 2023/456, U2025/00722). It dates nothing; a fiscal year
# ("budgetåret 2024/25") and a date ("2024-03-15") are not such numbers.
NUMBERED = re.compile(r"(?<!\d)(?:19|20)\d\d(?:/\d{2})?:\d+\b|(?<!\d)(?:19|20)\d\d/\d{3,}\b")


def without_numbers(text: str) -> str:
    """The text with its document and case numbers blanked, so their years do not read as dates.

    Example: without_numbers("Remiss av SOU 2024:72, dnr U2025/00722") -> "Remiss av SOU  , dnr U "
    """
    return NUMBERED.sub(" ", text)


def designations(text: str) -> tuple[str, ...]:
    """The official document designations a text names, in a form that compares, in order.

    Example: designations("Remiss av SOU 2024:60 och prop. 2024/25:42") -> ("sou 2024:60",
    "prop 2024/25:42")
    """
    found = (f"{_SERIES[m.group(1).lower()]} {m.group(2)}" for m in DESIGNATION.finditer(text))
    return tuple(dict.fromkeys(found))


_DISPLAY = word_map("designations_sv.json", "display")
# A file name that carries a designation: the series, then its numbers, separated by "-", "_",
# " " or ".": "sou-2024-65.pdf", "SOU 2024_65 Titel.pdf", "prop_2024-25_42.pdf". A web archive's
# name may put the month of publication first ("dir-2022-04-2022-36-titel.md").
_NAME_SERIES = re.compile(
    r"(?:^|[-_ .])(" + "|".join(sorted(_SERIES, key=len, reverse=True)) + r")((?:[-_ .]+\d+)+)",
    re.IGNORECASE,
)


def designations_in_name(name: str) -> tuple[str, ...]:
    """The designations a file's name carries, in the form designations() gives.

    A year and a two-digit number from 01 to 12 with nothing numeric after them may be the month
    of publication ("ds-2024-10-titel.md"), so they are not read as a designation.

    Example: designations_in_name("prop-2025-09-2025-26-10-titel.md") -> ("prop 2025/26:10",)
    """
    stem = name.replace("\\", "/").rsplit("/", 1)[-1]
    found = []
    for m in _NAME_SERIES.finditer(stem):
        numbers = re.findall(r"\d+", m.group(2))
        designation = _numbered(numbers)
        if designation:
            found.append(f"{_SERIES[m.group(1).lower()]} {designation}")
    return tuple(dict.fromkeys(found))


def _numbered(numbers: list[str]) -> str:
    """Example: ["2025", "09", "2025", "26", "10"] -> "2025/26:10"; ["2024", "65"] -> "2024:65" """
    if (
        len(numbers) >= 4
        and _is_year(numbers[0])
        and _is_month(numbers[1])
        and _is_year(numbers[2])
    ):
        numbers = numbers[2:]  # the month of publication, then the designation
    if len(numbers) < 2 or not _is_year(numbers[0]):
        return ""
    year, rest = numbers[0], numbers[1:]
    if len(rest) >= 2 and len(rest[0]) == 2 and int(rest[0]) == (int(year) + 1) % 100:
        year, rest = f"{year}/{rest[0]}", rest[1:]  # a riksmöte: 2024/25
    number = rest[0]
    if number.startswith("0") or len(number) > 4:
        return ""
    if len(numbers) == 2 and len(number) == 2 and _is_month(number):
        return ""  # "2024-10": a year and a month as likely as SOU 2024:10
    return f"{year}:{number}"


def _is_year(text: str) -> bool:
    return len(text) == 4 and text[:2] in ("19", "20")


def _is_month(text: str) -> bool:
    return len(text) == 2 and 1 <= int(text) <= 12


def shown_designation(designation: str) -> str:
    """A designation as documents write it. Example: shown_designation("prop 2024/25:42") ->
    "prop. 2024/25:42" """
    series, _, number = designation.partition(" ")
    return f"{_DISPLAY.get(series, series)} {number}"


def is_list_item(text: str) -> bool:
    """Example: is_list_item("- Skolnämnden") -> True; is_list_item("Skolnämnden") -> False"""
    return bool(LIST_ITEM.match(text))


def is_clause_item(text: str) -> bool:
    """A list item or a decision clause ("att anta …"), as an answer takes them.

    Example: is_clause_item("att anta strategin") -> True; is_clause_item("1. anta …") -> True
    """
    return is_list_item(text) or bool(re.match(r"^[Aa]tt\s", text))
