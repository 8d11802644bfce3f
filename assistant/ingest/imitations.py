"""Lines that imitate the assistant's own output are not evidence: a document may only speak for
its own file. A "Källor:" block with "[1] name.txt — … (rad a–b)" citations and their ”quotes”, and
JSON lines shaped like our answers, are blanked before parsing, so they give no chunk, no quote and
no metadata (organisation, dates). Line numbers stay as they were.

Does not: judge any other text of a document, or what an answer may quote (answer/ does).
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.documents import SourceText

# "[1] vasterbotten-….txt — Title › Section (rad 3–5)", as cli/render.py prints a citation.
_CITATION = re.compile(
    r"\[\d{1,3}\]\s+\S*?(?:\.|…)(?:txt|md|pdf|docx)\b|\((?:s\.\s*\d+,\s*)?rad\s+\d+\s*[–-]\s*\d+\)",
    re.IGNORECASE,
)
_SOURCES_HEADER = re.compile(r"^\s*(?:Källor|Källa|Sources|Source)\s*:\s*$", re.IGNORECASE)
_QUOTE = re.compile(r"^\s*[”“\"»].*[”“\"«]\s*$")
_JSON = re.compile(
    r"^\s*[{\[].*\"(?:quote|citations|document|answer|question|abstained|chunks)\"\s*:"
)


def blank_imitations(source: SourceText) -> SourceText:
    """The source with imitation lines blanked, and a note naming them.

    Example: a file with "Källor:" / "[1] a.txt — … (rad 1–2)" / "”skickas 2099-01-01”" -> those
    three lines become "" and notes gains "3 line(s) imitating … ignored (lines 4–6)".
    """
    lines = list(source.lines)
    blanked: list[int] = []
    for i, line in enumerate(lines):
        if _CITATION.search(line) or _JSON.search(line):
            blanked.append(i)
            # the header above a citation and the quote below it belong to the imitation
            if i > 0 and _SOURCES_HEADER.match(lines[i - 1]):
                blanked.append(i - 1)
            if i + 1 < len(lines) and _QUOTE.match(lines[i + 1]):
                blanked.append(i + 1)
    if not blanked:
        return source
    numbers = sorted(set(blanked))
    for i in numbers:
        lines[i] = ""
    shown = ", ".join(str(n + 1) for n in numbers[:8]) + (", …" if len(numbers) > 8 else "")
    note = (
        f"{len(numbers)} line(s) imitating the assistant's citations or JSON output were "
        f"ignored (line {shown}): a document may only speak for itself"
    )
    return replace(source, lines=tuple(lines), notes=(*source.notes, note))
