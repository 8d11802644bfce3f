"""Logical units -> sub-documents, each with its preamble and title.

One file often holds several documents: a protocol extract (§ 12 …), a strategy, a tjänsteskrivelse,
a missiv. Does not: join lines (lines.py), group a sub-document's body under headings, or build
sections (structure.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.headings import heading_level
from assistant.ingest.lexicon import (
    BULLET,
    CASE_NUMBER_LABEL,
    DATE_ONLY,
    EMAIL,
    OFFICE,
    PAGE_NUMBER,
    PAGED_KINDS,
    PARAGRAPH_MARK,
)
from assistant.ingest.lines import Unit
from assistant.language.shapes import PERSON_LINE as PERSON


@dataclass
class SubDocument:
    units: list[Unit]
    opener: str  # paragraph | office | toc | date | start
    title: str = ""
    preamble: list[Unit] = field(default_factory=list)


def split_subdocuments(units: list[Unit]) -> list[SubDocument]:
    """Split a file holding several documents (protocol extract, strategy, tjänsteskrivelse, missiv).

    Example: units "§ 12", "Beslut", …, "Hälsoförvaltningen", "Anna Berg", … -> two sub-documents,
    opened by "paragraph" and "office".
    """
    starts: list[tuple[int, str]] = [(0, "start")]
    for i in range(len(units)):
        opener = _opener(units, i)
        if opener is None or i - starts[-1][0] < 3:
            # subtle: an opener in the first lines names how the file itself starts, not a new part.
            if opener and i <= 2 and starts[-1][0] == 0:
                starts[-1] = (0, opener)
            continue
        start = i - 1 if opener == "toc" else i
        starts.append((start, opener))
    subdocs = []
    for n, (start, opener) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(units)
        if end > start:
            subdocs.append(SubDocument(units=units[start:end], opener=opener))
    return subdocs


def _opener(units: list[Unit], i: int) -> str | None:
    """How unit i opens a new document, if it does: a paragraph mark, a ToC, an office, a date."""
    text = units[i].text
    following = [u.text for u in units[i + 1 : i + 4]]
    if PARAGRAPH_MARK.match(text):
        return "paragraph"
    if text.lower() == "innehållsförteckning" and i >= 1:
        return "toc"
    if OFFICE.match(text) and any(EMAIL.search(t) or PERSON.match(t) for t in following):
        return "office"
    if DATE_ONLY.match(text) and any(PERSON.match(t) for t in following):
        return "date"
    return None


def assign_title(sub: SubDocument, kind: str) -> None:
    """Set sub.preamble (the units before the first heading) and sub.title (from the preamble).

    Example (PDF): preamble "Datum: 2024-01-10" / "Välfärdsstrategin" / "Förslag för fortsatt
    process" -> title "Välfärdsstrategin – Förslag för fortsatt process".
    """
    body_start = len(sub.units)
    for i, unit in enumerate(sub.units):
        nxt = sub.units[i + 1] if i + 1 < len(sub.units) else None
        if i > 0 and heading_level(unit, nxt, kind) and not _is_label(unit.text):
            body_start = i
            break
    sub.preamble = sub.units[:body_start] if body_start < len(sub.units) else sub.units[:1]
    candidates = [i for i, u in enumerate(sub.preamble) if _is_title_like(u.text)]
    if candidates:
        last = candidates[-1]
        title = sub.preamble[last].text
        before = sub.preamble[last - 1] if last > 0 else None
        if before is not None and last - 1 in candidates and _adjacent(before, kind):
            title = (
                f"{before.text} – {title}"  # "Välfärdsstrategin" + "Förslag för fortsatt process"
            )
    else:
        title = sub.units[0].text[:120]
    if sub.opener == "paragraph":
        mark = PARAGRAPH_MARK.match(sub.units[0].text)
        if mark and sub.units[0].text != title:
            title = f"{sub.units[0].text} – {title}"
    sub.title = title.rstrip(":")


def _adjacent(before: Unit, kind: str) -> bool:
    """Whether a title line continues the one before it (no blank line; in a PDF, a short line)."""
    return len(before.text) <= 40 if kind in PAGED_KINDS else not before.blank_after


def _is_title_like(text: str) -> bool:
    return (
        not _is_label(text)
        and len(text) <= 160
        and not BULLET.match(text)
        and not text.endswith((",", ".", ";"))
        and "\t" not in text
    )


def _is_label(text: str) -> bool:
    """Preamble lines that are not a title: 'Datum: …', dates, e-mail, names, bodies, paragraph marks."""
    if re.match(r"^[\wÅÄÖåäö .-]{2,25}:\s*\S*", text) and len(text) < 60:
        return True
    if DATE_ONLY.match(text) or EMAIL.search(text) or PERSON.match(text) or PAGE_NUMBER.match(text):
        return True
    if OFFICE.match(text) or CASE_NUMBER_LABEL.match(text):
        return True
    if re.match(
        r"^[\wåäö -]*(nämnden|styrelsen|fullmäktige|stab|förvaltningen|Samråd \w+)$",
        text,
        re.IGNORECASE,
    ):
        return True
    return bool(PARAGRAPH_MARK.match(text))
