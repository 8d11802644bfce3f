"""Which logical units are headings, and at what level.

Level 1 is a section heading ("Bakgrund", "Förslag till beslut"), 2 a focus area ("C. Kompetens…"),
3 a delmål ("C1 …"), 4 an "Inriktning" under them (structure.py assigns 4; it needs the stack).
Does not: hold the heading vocabulary (lexicon.py), join lines (lines.py), or build the heading
tree (structure.py).
"""

from __future__ import annotations

from assistant.ingest.lexicon import (
    DATE_ONLY,
    EMAIL,
    FOCUS_AREA,
    HEADING_LEXICON,
    HEADING_PATTERNS,
    PAGED_KINDS,
    PARAGRAPH_MARK,
    SUB_GOAL,
    TERMINAL,
)
from assistant.ingest.lines import Unit
from assistant.language.shapes import PERSON_LINE as PERSON


def heading_level(unit: Unit, nxt: Unit | None, kind: str) -> int:
    """0 if not a heading; 1 for section headings, 2 focus areas, 3 delmål, 4 'Inriktning' under them.

    Example: "Bakgrund" -> 1; "C. Kompetensförsörjning" -> 2; "C1 Kompetensförsörjningen präglas
    av samverkan" -> 3; "Kontaktuppgifter" followed by a list, not prose -> 0.
    """
    text = unit.text.strip("* ").strip()
    if unit.is_row or unit.is_bullet or not text:
        return 0
    key = text.lower().rstrip(":").strip()
    if FOCUS_AREA.match(text) and not text.endswith("."):
        return 2
    if SUB_GOAL.match(text) and not text.endswith("."):
        return 3
    if unit.styled_heading:  # a DOCX heading style or a Markdown `#`: the author said so
        return 1
    if len(text) > 120:
        return 0
    if key in HEADING_LEXICON or any(p.match(key) for p in HEADING_PATTERNS):
        return 1
    if text.endswith(TERMINAL) or text.endswith(",") or len(text) > 80 or len(text.split()) > 10:
        return 0
    if (
        not text[:1].isupper()
        or text.startswith("Figur")
        or DATE_ONLY.match(text)
        or EMAIL.search(text)
    ):
        return 0
    if PERSON.match(text) or PARAGRAPH_MARK.match(text):
        return 0
    if nxt is None:
        return 0
    # subtle: a short line before a list is a lead-in ("… föreslår Regionfullmäktige att besluta"),
    # not a heading; only a paragraph of prose makes a short line a heading.
    body_follows = len(nxt.text) >= 100 and not nxt.is_row and not nxt.is_bullet
    paged = kind in PAGED_KINDS
    separated = unit.blank_after if not paged else True
    return 1 if body_follows and separated and (unit.blank_before or paged) else 0
