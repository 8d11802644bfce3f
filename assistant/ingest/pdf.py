"""PDF -> SourceText: pypdf's text layer page by page, and OCR for pages that have none.

A page needs OCR when its text layer holds no visible character but it shows an image (a scan).
A file with more scanned pages than the OCR limit is refused whole, with the limit named, so an
ingest of a 500-page scan is bounded and the citation check (which re-reads the file) always sees
the same lines as the ingest did. A page with a text layer has its table rows written with tabs
between the cells (pdftables.py). Does not: recognise text (ocr.py does) or find headings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.documents import SourceText
from assistant.errors import UnreadableFile
from assistant.ingest.ocr import ocr_pages
from assistant.ingest.pdftables import mark_rows, table_rows

DEFAULT_OCR_MAX_PAGES = 200


def read_pdf(path: Path, rel: str, ocr_max_pages: int = DEFAULT_OCR_MAX_PAGES) -> SourceText:
    """Read one PDF. Raises UnreadableFile with a reason a person can act on.

    Example: read_pdf(Path("corpus/scan.pdf"), "scan.pdf").ocr_pages -> frozenset({1, 2})
    """
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
        texts = [page.extract_text() or "" for page in reader.pages]
        scanned = [
            number
            for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1)
            if not text.strip() and _shows_image(page)
        ]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({type(exc).__name__}: {exc})") from exc
    if len(scanned) > ocr_max_pages:
        raise UnreadableFile(
            f"{len(scanned)} of {len(texts)} pages have no text layer and would need OCR, more "
            f"than ASSISTANT_OCR_MAX_PAGES={ocr_max_pages}; split the file, or raise the limit"
        )
    recognised = ocr_pages(path, scanned)
    lines: list[str] = []
    pages: list[int] = []
    for number, text in enumerate(texts, start=1):
        if number in recognised:
            page_lines = recognised[number]
        else:
            page_lines = mark_rows(text.split("\n"), _table_rows(reader.pages[number - 1]))
        lines.extend(page_lines)
        pages.extend([number] * len(page_lines))
    if not any(line.strip() for line in lines):
        if not scanned:
            raise UnreadableFile("the PDF has no text and no scanned page; nothing to read")
        raise UnreadableFile("OCR found no text on the scanned pages (an empty or blank scan?)")
    return SourceText(
        path=rel,
        kind="pdf",
        lines=tuple(lines),
        pages=tuple(pages),
        ocr_pages=frozenset(p for p in scanned if any(x.strip() for x in recognised[p])),
    )


def _table_rows(page: Any) -> list[list[str]]:
    """The page's table rows, from pypdf's layout mode (none when that mode fails on the page)."""
    try:
        return table_rows(page.extract_text(extraction_mode="layout") or "")
    # subtle: layout mode reads font metrics the plain mode does not need; a page it cannot lay
    # out is still read, only without its tables
    except Exception:
        return []


def _shows_image(page: Any) -> bool:
    """Whether a page draws an image (an XObject image or an inline one)."""
    try:
        return len(page.images) > 0
    except (ValueError, KeyError, TypeError, AttributeError, NotImplementedError):
        return False
