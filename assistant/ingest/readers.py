"""File -> SourceText, keeping lines and (for PDF) pages, so citations can point back exactly.

Does not: find headings or sub-documents (structure.py does), or clean page furniture.
"""

from __future__ import annotations

from pathlib import Path

from assistant.documents import SourceText
from assistant.errors import UnreadableFile
from assistant.ingest.markdown import markdown_source

SUPPORTED = {".txt", ".md", ".pdf", ".docx"}


def read_source(path: Path, rel: str, max_mb: float = 20.0) -> SourceText:
    """Read one file. Raises UnreadableFile with a reason a person can act on.

    Example: read_source(Path("corpus/a.txt"), "a.txt").lines[0] -> "Datum: 2021-12-01"
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnreadableFile(
            f"unsupported file type '{suffix}' (supported: {', '.join(sorted(SUPPORTED))})"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"cannot open: {exc.strerror}") from exc
    if size == 0:
        raise UnreadableFile("the file is empty")
    if size > max_mb * 1024 * 1024:
        raise UnreadableFile(
            f"too large ({size / 1024 / 1024:.0f} MB > {max_mb:g} MB); split it, or raise ASSISTANT_MAX_FILE_MB"
        )
    if suffix == ".pdf":
        return _read_pdf(path, rel)
    if suffix == ".docx":
        return _read_docx(path, rel)
    source = _read_text(path, rel, suffix.lstrip("."))
    return markdown_source(source) if suffix == ".md" else source


def _read_text(path: Path, rel: str, kind: str) -> SourceText:
    raw = path.read_bytes()
    if b"\x00" in raw[:65536] or _control_ratio(raw[:65536]) > 0.05:
        raise UnreadableFile(
            f"binary content in a .{kind} file; is it really text? Convert it to UTF-8 text"
        )
    notes: tuple[str, ...] = ()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # subtle: Swedish files from older Windows tools are cp1252; å/ä/ö decode right with it.
        text = raw.decode("cp1252", errors="replace")
        notes = ("decoded as cp1252 (not UTF-8)",)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise UnreadableFile("the file has no text (only whitespace)")
    return SourceText(path=rel, kind=kind, lines=tuple(lines), notes=notes)


def _control_ratio(raw: bytes) -> float:
    if not raw:
        return 0.0
    bad = sum(1 for b in raw if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(raw)


def _read_pdf(path: Path, rel: str) -> SourceText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # pypdf raises several types for unsupported crypto
                raise UnreadableFile(
                    "encrypted PDF; save an unencrypted copy and ingest that"
                ) from exc
            if not ok:
                raise UnreadableFile("encrypted PDF (password protected); save an unencrypted copy")
        lines: list[str] = []
        pages: list[int] = []
        for number, page in enumerate(reader.pages, start=1):
            page_text = page.extract_text() or ""
            for line in page_text.split("\n"):
                lines.append(line)
                pages.append(number)
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(line.strip() for line in lines):
        raise UnreadableFile("the PDF has no extractable text (a scan?); run OCR on it first")
    return SourceText(path=rel, kind="pdf", lines=tuple(lines), pages=tuple(pages))


def _read_docx(path: Path, rel: str) -> SourceText:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise UnreadableFile(
            f"corrupt or unreadable DOCX ({type(exc).__name__}); re-save it from Word"
        ) from exc
    lines: list[str] = []
    headings: set[int] = set()
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(block, document)
            style = (para.style.name if para.style is not None else "") or ""
            for i, line in enumerate(para.text.split("\n")):
                if i == 0 and (
                    style.startswith("Heading") or style.startswith("Rubrik") or style == "Title"
                ):
                    headings.add(len(lines))
                lines.append(line)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                lines.append("\t".join(cell.text.strip() for cell in row.cells))
            lines.append("")
    if not any(line.strip() for line in lines):
        raise UnreadableFile("the DOCX has no text")
    return SourceText(path=rel, kind="docx", lines=tuple(lines), heading_lines=frozenset(headings))
