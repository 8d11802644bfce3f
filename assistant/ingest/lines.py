"""Source lines -> logical units (paragraphs, list items, table rows, headings), furniture dropped.

The same rules serve .txt (one paragraph per line, blank lines between), PDF (wrapped lines, no
blank lines) and DOCX (paragraphs, heading styles). Does not: decide which units are headings
(headings.py), split a file into sub-documents (subdocuments.py), or build sections (structure.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from assistant.documents import SourceText
from assistant.ingest.lexicon import (
    BULLET,
    PAGE_NUMBER,
    PAGED_KINDS,
    TERMINAL,
    looks_like_heading_text,
)
from assistant.language.text import normalize_ws


@dataclass
class Unit:
    """A logical line: a paragraph, list item, table row or heading, with its source lines (0-based)."""

    text: str
    first: int
    last: int
    lines: list[int] = field(default_factory=list)  # the source lines joined into this unit
    blank_before: bool = False
    blank_after: bool = False
    styled_heading: bool = False

    @property
    def is_bullet(self) -> bool:
        return bool(BULLET.match(self.text)) or self.text.startswith(("Att ", "att "))

    @property
    def is_row(self) -> bool:
        return "\t" in self.text


def furniture_lines(source: SourceText) -> set[int]:
    """0-based lines that are page furniture: running headers inside a sentence, page numbers.

    Example: "Länsledning är en" / "Hälso- och … stab" / "strategisk …" -> the middle line.
    """
    lines = [normalize_ws(x) for x in source.lines]
    drop: set[int] = set()
    nonblank = [i for i, x in enumerate(lines) if x]
    # subtle: a running header repeats the file's first lines (its letterhead); comparing with every
    # short line would also drop a strategy title that resembles an earlier decision's title.
    letterhead = nonblank[:2]
    for pos, i in enumerate(nonblank):
        text = lines[i]
        if source.pages is not None and PAGE_NUMBER.match(text):
            drop.add(i)
            continue
        if len(text) > 80 or pos == 0 or pos == len(nonblank) - 1:
            continue
        prev, nxt = lines[nonblank[pos - 1]], lines[nonblank[pos + 1]]
        interrupts = not prev.endswith(TERMINAL) and nxt[:1].islower()
        if not interrupts:
            continue
        if pos >= 2 and any(j != i and _similar(text, lines[j]) for j in letterhead):
            drop.add(i)
    if source.pages is not None:
        drop |= _repeated_page_tops(source, lines)
    return drop


def _similar(a: str, b: str) -> bool:
    """Near-equal short lines. Example: "Region Gävleborg" ~ "Region Gävleborg 2" -> True."""
    return abs(len(a) - len(b)) <= 6 and SequenceMatcher(None, a.lower(), b.lower()).ratio() >= 0.85


def _repeated_page_tops(source: SourceText, lines: list[str]) -> set[int]:
    """First lines of PDF pages that recur on other pages: a running header (needs ≥ 3 pages)."""
    assert source.pages is not None
    firsts: dict[int, int] = {}
    for i, page in enumerate(source.pages):
        if page not in firsts and lines[i]:
            firsts[page] = i
    if len(firsts) < 3:
        return set()
    tops = list(firsts.values())
    return {i for i in tops if sum(1 for j in tops if j != i and _similar(lines[i], lines[j])) >= 1}


def logical_units(source: SourceText) -> list[Unit]:
    """Join wrapped lines into logical lines; keep list items, rows and headings apart.

    Example (PDF): "- Att anta … Region Gävleborg " + "genomför inom …" -> one unit.
    """
    drop = furniture_lines(source)
    raw = [(i, normalize_ws(line), line) for i, line in enumerate(source.lines)]
    wide: dict[int | None, int] = {}
    for i, text, _ in raw:
        page = source.pages[i] if source.pages else None
        wide[page] = max(wide.get(page, 0), len(text))
    units: list[Unit] = []
    blank_pending = True
    for i, text, original in raw:
        if i in drop:
            continue
        if not text:
            blank_pending = True
            if units:
                units[-1].blank_after = True
            continue
        styled = i in source.heading_lines
        if units and not styled and _continues(units[-1], text, original, source, wide):
            prev = units[-1]
            prev.text = f"{prev.text} {text}"
            prev.last = i
            prev.lines.append(i)
            prev.blank_after = False
        else:
            units.append(
                Unit(
                    text=text if "\t" not in original else _row(original),
                    first=i,
                    last=i,
                    lines=[i],
                    blank_before=blank_pending,
                    styled_heading=styled,
                )
            )
        blank_pending = False
    return units


def _row(original: str) -> str:
    """A table row with its empty cells dropped. Example: "Mål\\t\\t 2026 " -> "Mål\\t2026"."""
    cells = [normalize_ws(c) for c in original.split("\t")]
    return "\t".join(c for c in cells if c)


def _continues(
    prev: Unit, text: str, original: str, source: SourceText, wide: dict[int | None, int]
) -> bool:
    """Whether a line carries on the unit before it rather than starting a new one.

    Example: prev "Regionen ska under" + "2024 ta fram …" in a PDF whose widest line is as long as
    "Regionen ska under 2024" -> True (wrapped); a lowercase start after an open line -> True.
    """
    if prev.styled_heading or "\t" in original or BULLET.match(text) or prev.is_row:
        return False
    ends_open = not prev.text.endswith(TERMINAL)
    if text[:1].islower() and ends_open:
        return True
    if source.kind in PAGED_KINDS and ends_open and not looks_like_heading_text(text):
        # subtle: the word processor wrapped a line only if the next word would not have fitted.
        last_line = normalize_ws(source.lines[prev.last])
        page_width = wide.get(source.page_of(prev.last + 1), 80)
        return len(last_line) + 1 + len(text.split()[0]) >= 0.92 * page_width
    return False
