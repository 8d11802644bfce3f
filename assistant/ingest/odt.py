"""OpenDocument text (.odt, LibreOffice Writer) -> SourceText, with headings, lists and tables kept.

Read with odfpy: a heading (text:h) is one line marked as a heading; a paragraph is one line; a
list item is one line starting with "- " (so the parser sees a list); a table row is one line of
its cells separated by tabs (how every reader hands table rows on), with a blank line after the
table; sections and frames are read through. Does not: keep character formatting, read
footnotes' positions, images, comments or tracked changes, or number list items as Writer shows
them (numbering is a style, not text).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from assistant.documents import SourceText
from assistant.errors import UnreadableFile

_CONTAINERS = {"section", "frame", "text-box", "soft-page-break", "index-body", "div"}


def read_odt(path: Path, rel: str, package: IO[bytes] | None = None) -> SourceText:
    """Read one .odt file (from ``package``, its repacked copy without pictures, when given:
    zipcheck.text_package). Raises UnreadableFile with a reason a person can act on.

    Example: read_odt(Path("corpus/plan.odt"), "plan.odt").lines[:2] -> ("Plan för …", "Bakgrund")
    """
    from odf.opendocument import load

    try:
        document = load(package if package is not None else str(path))
    # subtle: odfpy parses content.xml with SAX (a SAXParseException is an Exception) and reads
    # the zip itself, so broken input surfaces as several unrelated types
    except Exception as exc:
        raise UnreadableFile(
            f"corrupt or unreadable ODT ({type(exc).__name__}); re-save it from LibreOffice"
        ) from exc
    lines: list[str] = []
    headings: set[int] = set()
    _walk(document.text, lines, headings)
    if not any(line.strip() for line in lines):
        raise UnreadableFile("the ODT has no text")
    return SourceText(path=rel, kind="odt", lines=tuple(lines), heading_lines=frozenset(headings))


def _walk(node: Any, lines: list[str], headings: set[int]) -> None:
    for child in node.childNodes:
        name = _local(child)
        if name == "h":
            headings.add(len(lines))
            lines.append(_text(child))
        elif name == "p":
            lines.extend(_text(child).split("\n"))
        elif name == "list":
            _list(child, lines)
        elif name == "table":
            for row in _rows(child):
                lines.append("\t".join(row))
            lines.append("")
        elif name in _CONTAINERS or name == "text":
            _walk(child, lines, headings)


def _list(node: Any, lines: list[str]) -> None:
    """Each item's paragraphs as "- " lines; a nested list's items follow their parent."""
    for item in node.childNodes:
        if _local(item) not in ("list-item", "list-header"):
            continue
        for part in item.childNodes:
            name = _local(part)
            if name in ("p", "h"):
                text = _text(part).strip()
                if text:
                    lines.append(f"- {text}")
            elif name == "list":
                _list(part, lines)


def _rows(table: Any) -> list[list[str]]:
    """The table's rows (header rows and row groups included), each as its non-empty cells."""
    rows: list[list[str]] = []
    for child in table.childNodes:
        name = _local(child)
        if name == "table-row":
            cells = [
                " ".join(_text(p).strip() for p in cell.childNodes if _local(p) in ("p", "h"))
                for cell in child.childNodes
                if _local(cell) == "table-cell"
            ]
            cells = [" ".join(c.split()) for c in cells]
            if any(cells):
                rows.append([c for c in cells if c])
        elif name in ("table-header-rows", "table-rows", "table-row-group"):
            rows.extend(_rows(child))
    return rows


def _local(node: Any) -> str:
    qname = getattr(node, "qname", None)
    return qname[1] if qname else ""


def _text(node: Any) -> str:
    """A paragraph's text as Writer shows it: spaces (text:s), tabs and line breaks kept."""
    from odf import teletype

    return str(teletype.extractText(node)).replace("\r", "")
