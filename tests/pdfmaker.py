"""Real PDFs with a text layer, written here with pypdf (Helvetica, WinAnsi: å/ä/ö work): text at
given places and ruling lines, so a test can place a table's cells in columns as Word does.

Example: text_pdf(p, [[(56, 790, 16, "Titel"), ("rule", 56, 700, 540)]]) -> a one-page PDF
"""

from __future__ import annotations

from pathlib import Path

Item = tuple  # (x, y, size, text) or ("rule", x1, y, x2)


def text_pdf(path: Path, pages: list[list[Item]]) -> Path:
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    for items in pages:
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        ops = []
        for item in items:
            if item[0] == "rule":
                _, x1, y, x2 = item
                ops.append(f"0.5 w {x1} {y} m {x2} {y} l S".encode())
            else:
                x, y, size, text = item
                ops.append(
                    f"BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm (".encode() + _escape(text) + b") Tj ET"
                )
        stream = DecodedStreamObject()
        stream.set_data(b"\n".join(ops))
        page[NameObject("/Contents")] = writer._add_object(stream)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def table_page(
    title: str, intro: list[str], rows: list[tuple[str, ...]], after: str, columns=(60, 250, 400)
) -> list[Item]:
    """One page: a title, lines of prose, a ruled table with its cells in columns, a closing line."""
    items: list[Item] = [(56, 790, 16, title)]
    y = 760
    for line in intro:
        items.append((56, y, 11, line))
        y -= 14
    y -= 22
    for row in rows:
        items.append(("rule", 56, y + 14, 540))
        items.extend((x, y, 10, cell) for x, cell in zip(columns, row, strict=True))
        y -= 20
    items.append(("rule", 56, y + 14, 540))
    items.append((56, y - 20, 11, after))
    return items


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
