"""Pages without a text layer -> recognised lines, by Tesseract (Swedish + English), cached on disk.

A page is rendered to a grey 300 dpi PNG by poppler's ``pdftoppm`` and read by Tesseract through
pytesseract. The text of each page is cached under ``$XDG_CACHE_HOME/assistant/ocr/`` keyed by the
file's hash, the page and the Tesseract version, so the citation check (which re-reads files) and a
re-ingest do not recognise a page twice. Does not: decide which pages need OCR (readers.py does),
correct recognition errors, or read the text layer of a page that has one.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from assistant.errors import UnreadableFile

LANGUAGES = "swe+eng"
DPI = 300
PAGE_TIMEOUT_S = 300  # a page takes 10-35 s on 2 busy cores; one that takes 5 minutes is broken
INSTALL = "sudo apt-get install tesseract-ocr tesseract-ocr-swe tesseract-ocr-eng poppler-utils"


def missing_tools() -> list[str]:
    """The OCR programs (and Tesseract languages) not installed. Example: [] when all are there."""
    missing = [tool for tool in ("tesseract", "pdftoppm") if shutil.which(tool) is None]
    if "tesseract" not in missing:
        langs = set(_languages())
        missing += [f"tesseract language '{x}'" for x in LANGUAGES.split("+") if x not in langs]
    return missing


def ocr_pages(path: Path, pages: Sequence[int], what: str = "page") -> dict[int, list[str]]:
    """Recognised lines of the given 1-based pages of a PDF (or frames of an image file).

    Raises UnreadableFile naming the install command when Tesseract is missing and a page is not
    cached. Example: ocr_pages(Path("scan.pdf"), [1])[1][0] -> "Protokoll"
    """
    if not pages:
        return {}
    digest = _file_hash(path)
    out: dict[int, list[str]] = {}
    todo: list[int] = []
    version = _version()
    for page in pages:
        cached = _cache_file(digest, page, version)
        if version and cached.is_file():
            out[page] = cached.read_text(encoding="utf-8").split("\n")
        else:
            todo.append(page)
    if not todo:
        return out
    missing = missing_tools()
    if missing:
        shown = ", ".join(str(p) for p in todo[:5]) + (", …" if len(todo) > 5 else "")
        raise UnreadableFile(
            f"{len(todo)} {what}(s) without a text layer ({what} {shown}) need OCR, but "
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not installed: "
            f"{INSTALL}; then ingest again"
        )
    for page in todo:
        text = _recognise(path, page)
        out[page] = text.split("\n")
        _store(_cache_file(digest, page, version), text)
    return out


def _recognise(path: Path, page: int) -> str:
    """Tesseract's text of one page; a PDF page is rendered by pdftoppm first."""
    import pytesseract
    from PIL import Image, UnidentifiedImageError

    image_source: io.BytesIO | Path = (
        io.BytesIO(_render(path, page)) if path.suffix.lower() == ".pdf" else path
    )
    try:
        with Image.open(image_source) as image:
            if page > 1:
                image.seek(page - 1)  # a frame of a multi-page TIFF
            image.load()
            text = pytesseract.image_to_string(
                image, lang=LANGUAGES, config="--psm 3", timeout=PAGE_TIMEOUT_S
            )
    except (UnidentifiedImageError, OSError, EOFError) as exc:
        raise UnreadableFile(f"page {page} cannot be read as an image ({exc})") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        raise UnreadableFile(
            f"OCR of page {page} took more than {PAGE_TIMEOUT_S} s; is it really a scanned page?"
        ) from exc
    except pytesseract.TesseractError as exc:
        raise UnreadableFile(f"Tesseract failed on page {page} ({exc.message.strip()})") from exc
    return "\n".join(line.rstrip() for line in text.replace("\f", "").split("\n")).strip("\n")


def _render(path: Path, page: int) -> bytes:
    """One PDF page as a grey PNG (pdftoppm writes it to stdout)."""
    command = ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-gray", "-png"]
    try:
        done = subprocess.run(
            [*command, str(path)], capture_output=True, timeout=PAGE_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise UnreadableFile(f"rendering page {page} for OCR took too long") from exc
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UnreadableFile(
            f"page {page} could not be rendered for OCR ({message[-1] if message else 'pdftoppm failed'})"
        )
    return done.stdout


def _languages() -> list[str]:
    try:
        done = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line.strip() for line in done.stdout.splitlines()[1:]]


_known_version: list[str] = []  # Tesseract's version once found, for the rest of the process


def _version() -> str:
    """Tesseract's version ('' when it is missing); part of the cache key. Asked once a process
    when found: the citation check re-reads a scanned file at every question."""
    if _known_version:
        return _known_version[0]
    if shutil.which("tesseract") is None:
        return _cached_version()
    try:
        done = subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    version = (done.stdout or done.stderr).split("\n", 1)[0].strip().replace(" ", "-")
    if version:
        _store(cache_dir() / "tesseract-version", version)
        _known_version.append(version)
    return version


def _cached_version() -> str:
    # subtle: without Tesseract, pages recognised before (at ingest) are still read from the cache,
    # so the citation check works on a machine where Tesseract was removed afterwards.
    marker = cache_dir() / "tesseract-version"
    return marker.read_text(encoding="utf-8").strip() if marker.is_file() else ""


def cache_dir() -> Path:
    """Where recognised pages are kept. Example: ~/.cache/assistant/ocr"""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "assistant" / "ocr"


def _cache_file(digest: str, page: int, version: str) -> Path:
    key = hashlib.sha1(f"{digest}:{page}:{LANGUAGES}:{DPI}:{version}".encode()).hexdigest()
    return cache_dir() / key[:2] / f"{key}.txt"


def _store(target: Path, text: str) -> None:
    """Write a cache file atomically; a cache that cannot be written only costs time later."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError:
        pass


def _file_hash(path: Path) -> str:
    digest = hashlib.sha1()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
