"""Tables on PDF pages: rows whose cells line up in columns become tab-separated lines.

pypdf's plain text puts one space between a table's cells, so "Ale kommun 2025-01-15 KS 2025/100"
cannot be told from a sentence. Its layout mode keeps each glyph's column, which shows the cells:
runs of three or more spaces. A table is three or more such rows (blank lines between them
allowed) whose cells start in the same columns, at least two columns shared by most rows. A plain
text line that is exactly one such row with single spaces is then written with tabs between its
cells, which is how every reader hands table rows on (lines.py keeps a row whole, structure.py
makes a section of rows a table, chunking.py repeats the header row). Lines are only changed,
never added or removed, so line numbers and pages stay as the plain text has them.

Does not: find tables without column gaps (cells one space apart), merge cells spanning columns,
or read ruling lines.
"""

from __future__ import annotations

import re
from collections import Counter

_GAP = re.compile(r" {3,}")
MIN_ROWS = 3
COLUMN_SLACK = 2  # characters a cell may start left or right of its column


def table_rows(layout_text: str) -> list[list[str]]:
    """The rows of the tables in one page's layout text, each as its cells.

    Example: "Instans     Svar\\nAle kommun  2025-01-15\\nBorås       2025-03-15" (3+ spaces
    between cells) -> [["Instans", "Svar"], ["Ale kommun", "2025-01-15"], ["Borås", "2025-03-15"]]
    """
    rows: list[list[str]] = []
    run: list[tuple[list[int], list[str]]] = []
    for line in [*layout_text.split("\n"), "\x00"]:
        if not line.strip():
            continue  # layout mode puts blank lines between rows that are far apart
        cells = _cells(line)
        if len(cells[1]) >= 2:
            run.append(cells)
            continue
        rows.extend(_aligned(run))
        run = []
    return rows


def mark_rows(plain_lines: list[str], rows: list[list[str]]) -> list[str]:
    """Plain-text lines with each line that is a table row (cells one space apart) tab-separated.

    Example: mark_rows(["Ale kommun 2025-01-15"], [["Ale kommun", "2025-01-15"]])
    -> ["Ale kommun\\t2025-01-15"]
    """
    by_text = {" ".join(" ".join(row).split()): row for row in rows}
    out = []
    for line in plain_lines:
        row = by_text.get(" ".join(line.split()))
        out.append("\t".join(row) if row is not None and "\t" not in line else line)
    return out


def _cells(line: str) -> tuple[list[int], list[str]]:
    """Start columns and texts of a line's cells (text between runs of 3+ spaces)."""
    starts, texts = [], []
    pos = 0
    for part in _GAP.split(line.rstrip()):
        at = line.index(part, pos) if part else pos
        if part.strip():
            starts.append(at + len(part) - len(part.lstrip()))
            texts.append(part.strip())
        pos = at + len(part)
    return starts, texts


def _aligned(run: list[tuple[list[int], list[str]]]) -> list[list[str]]:
    """The run's rows when they form a table: columns shared by most rows, every row on them."""
    if len(run) < MIN_ROWS:
        return []
    votes: Counter[int] = Counter()
    for starts, _ in run:
        votes.update({s // (COLUMN_SLACK * 2) for s in starts})
    columns = [c for c, n in votes.items() if n >= 0.6 * len(run)]
    if len(columns) < 2:
        return []
    on_columns = [
        texts
        for starts, texts in run
        if all(any(abs(s // (COLUMN_SLACK * 2) - c) <= 1 for c in columns) for s in starts)
    ]
    return on_columns if len(on_columns) >= MIN_ROWS else []
