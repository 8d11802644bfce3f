"""A DraftResult as people read it: Markdown (to_markdown) or a Word file (to_docx), both with the
numbered att-satser, a Källor list and the placeholders still to fill in.

Does not: change a draft's wording or citations (it reads only the DraftResult), or import
python-docx before a .docx is asked for.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.answers import Citation, DraftResult
from assistant.language.text import normalize_ws

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


def source_line(citation: Citation) -> str:
    """Example: "[2] vasterbotten-….txt, Rekommendation till beslut, rad 21–21: ”- Att fastställa …”" """
    page = f", s. {citation.page}" if citation.page is not None else ""
    page += " (OCR)" if citation.ocr else ""  # the quote is the recognised text of a scan
    first, last = citation.lines
    return (
        f"[{citation.n}] {citation.document}, {citation.section}{page}, "
        f"rad {first}–{last}: ”{normalize_ws(citation.quote)}”"
    )


def to_markdown(draft: DraftResult) -> str:
    """The draft as Markdown: title, sections, numbered att-satser, Källor, placeholders to fill in.

    Example: to_markdown(d).splitlines()[0] -> "# Antagande av Välfärdsstrategin – Ljusdals kommun"
    """
    parts = [f"# {draft.title}"]
    for section in draft.sections:
        parts += [f"## {section.heading}", _markdown_block(section.text)]
    parts += ["## Källor", "\n".join(f"- {source_line(c)}" for c in draft.citations)]
    if draft.placeholders:
        parts += [
            "## Att fylla i",
            "Platshållare som ska ersättas: " + ", ".join(draft.placeholders),
        ]
    return "\n\n".join(parts) + "\n"


def _markdown_block(text: str) -> str:
    # subtle: lines of a plain paragraph need a hard break ("  ") or Markdown joins them.
    blocks = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        listed = all(re.match(r"(?:\d+\.|-) ", line) for line in lines)
        blocks.append("\n".join(lines) if listed else "  \n".join(lines))
    return "\n\n".join(blocks)


def to_docx(draft: DraftResult, path: Path | str) -> None:
    """Write the draft as .docx: Word headings, a numbered list for the att-satser, a Källor list.

    Example: to_docx(d, "utkast.docx") -> a file LibreOffice and Word open without repair
    """
    from docx import Document

    document = Document()
    document.core_properties.title = draft.title
    document.core_properties.language = "sv-SE"
    document.add_heading(draft.title, level=0)
    for section in draft.sections:
        document.add_heading(section.heading, level=1)
        for line in section.text.split("\n"):
            _docx_line(document, line)
    document.add_heading("Källor", level=1)
    for citation in draft.citations:
        document.add_paragraph(source_line(citation))
    if draft.placeholders:
        document.add_heading("Att fylla i", level=1)
        document.add_paragraph("Platshållare som ska ersättas: " + ", ".join(draft.placeholders))
    document.save(str(path))


def _docx_line(document: DocxDocument, line: str) -> None:
    numbered, bullet = re.match(r"\d+\. ", line), line.startswith("- ")
    if numbered:
        document.add_paragraph(line[numbered.end() :], style="List Number")
    elif bullet:
        document.add_paragraph(line[2:], style="List Bullet")
    elif line.strip():
        document.add_paragraph(line)
