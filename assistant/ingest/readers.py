"""File -> SourceText, keeping lines and (for PDF) pages, so citations can point back exactly.

Does not: find headings or sub-documents (structure.py does), or clean page furniture.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.documents import SourceText
from assistant.errors import UnreadableFile
from assistant.ingest.html import read_html
from assistant.ingest.images import IMAGE_SUFFIXES, read_image
from assistant.ingest.markdown import markdown_source
from assistant.ingest.odt import read_odt
from assistant.ingest.pdf import read_pdf
from assistant.ingest.zipcheck import ZipLimits, text_package

if TYPE_CHECKING:
    from assistant.config import Settings

SUPPORTED = {".txt", ".md", ".pdf", ".docx", ".odt", ".html", ".htm"} | IMAGE_SUFFIXES


def read_source(
    path: Path,
    rel: str,
    max_mb: float = 20.0,
    ocr_max_pages: int | None = None,
    max_html_mb: float | None = None,
    zip_limits: ZipLimits | None = None,
) -> SourceText:
    """Read one file. Raises UnreadableFile with a reason a person can act on. A .docx or .odt
    is judged from its zip directory first, and its pictures are never unpacked (zipcheck.py).

    ``ocr_max_pages``, ``max_html_mb`` and ``zip_limits`` None take ASSISTANT_OCR_MAX_PAGES,
    ASSISTANT_MAX_HTML_MB and ASSISTANT_MAX_UNZIPPED_MB / ASSISTANT_MAX_ZIP_RATIO (or their
    defaults), so the citation check re-reads a file exactly as the ingest did.
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
        if ocr_max_pages is None:
            ocr_max_pages = _env_settings().ocr_max_pages
        return read_pdf(path, rel, ocr_max_pages)
    if suffix in IMAGE_SUFFIXES:
        if ocr_max_pages is None:
            ocr_max_pages = _env_settings().ocr_max_pages
        return read_image(path, rel, ocr_max_pages)
    if suffix in (".odt", ".docx") and zip_limits is None:
        zip_limits = ZipLimits(_env_settings().max_unzipped_mb, _env_settings().max_zip_ratio)
    if suffix == ".odt":
        return read_odt(path, rel, text_package(path, zip_limits or ZipLimits(), "ODT"))
    if suffix in (".html", ".htm"):
        if max_html_mb is None:
            max_html_mb = _env_settings().max_html_mb
        return read_html(path, rel, max_html_mb)
    if suffix == ".docx":
        return _read_docx(path, rel, zip_limits or ZipLimits())
    source = _read_text(path, rel, suffix.lstrip("."))
    return markdown_source(source) if suffix == ".md" else source


def _env_settings() -> Settings:
    from assistant.config import Settings

    return Settings.from_env()


def _read_text(path: Path, rel: str, kind: str) -> SourceText:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file ({exc.strerror or exc})") from exc
    text, notes = decode_text(raw, kind)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise UnreadableFile("the file has no text (only whitespace)")
    return SourceText(path=rel, kind=kind, lines=tuple(lines), notes=notes)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(raw: bytes, kind: str = "txt") -> tuple[str, tuple[str, ...]]:
    """Bytes of a text file -> (text, notes). A BOM decides the encoding; otherwise UTF-8, with a
    line that is not valid UTF-8 read byte-for-byte as cp1252. Raises UnreadableFile for binary or
    mostly unprintable content.

    Example: decode_text("Förvaltningen".encode("utf-16")) -> ("Förvaltningen", ())
    """
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            text = raw[len(bom) :].decode(encoding, errors="replace")
            _refuse_unprintable(text, kind)
            notes = () if encoding == "utf-8" else (f"decoded as {encoding.upper()} (BOM)",)
            return text, notes
    if b"\x00" in raw[:65536] or _control_ratio(raw[:65536]) > 0.05:
        raise UnreadableFile(
            f"binary content in a .{kind} file; is it really text? Convert it to UTF-8 text"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_unprintable(text, kind)
        return text, ()
    # subtle: Swedish files from older Windows tools are cp1252 (å/ä/ö decode right with it), and
    # a UTF-8 file may hold one pasted cp1252 line; decoding per line keeps the other lines right.
    out: list[str] = []
    foreign_lines: list[int] = []
    foreign_bytes = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            out.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            foreign_lines.append(number)
            decoded, bad = _utf8_or_cp1252(line)
            foreign_bytes += bad
            out.append(decoded)
    if foreign_bytes > 0.2 * len(raw):
        raise UnreadableFile(
            f"mostly not text: {foreign_bytes} of {len(raw)} bytes are neither UTF-8 nor plain "
            "letters; is it really a text file? Save it as UTF-8 text"
        )
    text = "\n".join(out)
    _refuse_unprintable(text, kind)
    if len(foreign_lines) == sum(1 for line in out if not line.isascii()):
        return text, ("decoded as cp1252 (not UTF-8)",)
    shown = ", ".join(str(n) for n in foreign_lines[:5]) + (", …" if len(foreign_lines) > 5 else "")
    return text, (f"{len(foreign_lines)} line(s) not valid UTF-8 (line {shown}) read as cp1252",)


def _utf8_or_cp1252(line: bytes) -> tuple[str, int]:
    """Decode UTF-8, reading each byte that breaks it as cp1252; also the number of such bytes."""
    parts: list[str] = []
    bad = 0
    while line:
        try:
            parts.append(line.decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(line[: exc.start].decode("utf-8"))
            chunk = line[exc.start : exc.end]
            parts.append(chunk.decode("cp1252", errors="replace"))
            bad += len(chunk)
            line = line[exc.end :]
    return "".join(parts), bad


def _refuse_unprintable(text: str, kind: str) -> None:
    sample = text[:200_000]
    visible = [ch for ch in sample if not ch.isspace()]
    if not visible:
        return
    bad = sum(1 for ch in visible if ch == "\ufffd" or unicodedata.category(ch) in _UNPRINTABLE)
    if bad > 0.1 * len(visible):
        raise UnreadableFile(
            f"mostly unprintable: {bad} of {len(visible)} characters are control or invalid "
            f"characters; is this .{kind} file really text? Save it as UTF-8 text"
        )


_UNPRINTABLE = {"Cc", "Cn", "Co", "Cs"}


def _read_docx(path: Path, rel: str, limits: ZipLimits) -> SourceText:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(text_package(path, limits, "DOCX"))
    # subtle: lxml's XMLSyntaxError (broken XML inside the zip) is a SyntaxError
    except (
        zipfile.BadZipFile,
        PackageNotFoundError,
        KeyError,
        ValueError,
        SyntaxError,
        OSError,
    ) as exc:
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


def _control_ratio(raw: bytes) -> float:
    if not raw:
        return 0.0
    bad = sum(1 for b in raw if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(raw)
