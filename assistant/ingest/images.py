"""Scanned image files (.png, .jpg, .jpeg, .tif, .tiff) -> SourceText of the text Tesseract reads.

Every frame of the file is a page (a multi-page TIFF is how many scanners save a protocol), read
by ocr.py and cached like a scanned PDF page; each line keeps its page, and every page counts as
read by OCR, so citations say so. A file with more frames than the OCR limit is refused by name.
Does not: read images inside other documents (pdf.py does that for PDFs), or correct recognition.
"""

from __future__ import annotations

from pathlib import Path

from assistant.documents import SourceText
from assistant.errors import UnreadableFile
from assistant.ingest.ocr import ocr_pages

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def read_image(path: Path, rel: str, ocr_max_pages: int) -> SourceText:
    """Read one scanned image file. Raises UnreadableFile with a reason a person can act on.

    Example: read_image(Path("corpus/protokoll.tif"), "protokoll.tif", 200).reader -> "image, 3 pages, 3 by OCR"
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            frames = getattr(image, "n_frames", 1)
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableFile(
            f"not a readable image ({type(exc).__name__}); save the scan again as PNG, TIFF or PDF"
        ) from exc
    if frames > ocr_max_pages:
        raise UnreadableFile(
            f"{frames} scanned pages would need OCR, more than ASSISTANT_OCR_MAX_PAGES="
            f"{ocr_max_pages}; split the file, or raise the limit"
        )
    recognised = ocr_pages(path, list(range(1, frames + 1)))
    lines: list[str] = []
    pages: list[int] = []
    for number in range(1, frames + 1):
        lines.extend(recognised[number])
        pages.extend([number] * len(recognised[number]))
    if not any(line.strip() for line in lines):
        raise UnreadableFile("OCR found no text in the image (a photo, or an empty scan?)")
    return SourceText(
        path=rel,
        kind="image",
        lines=tuple(lines),
        pages=tuple(pages),
        ocr_pages=frozenset(p for p in recognised if any(x.strip() for x in recognised[p])),
    )
