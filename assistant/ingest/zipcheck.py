"""A .docx or .odt (a zip) judged from its directory before anything is unpacked, and repacked in
memory with only the parts a reader parses, so that no media part is ever unpacked.

Only the XML parts (``*.xml``, ``*.rels``) and an .odt's ``mimetype`` are unpacked; pictures and
embedded files become empty parts (python-docx and odfpy both load every part they list), whatever their size, so a bomb among them costs nothing. The XML parts are judged
from the zip directory first; refused, naming the part: one that alone, or all together, unpack
to more than ``max_unzipped_mb``, and one over 1 MB that unpacks to more than ``max_zip_ratio``
times its packed size (Word's XML packs 3–30 times; a zip bomb ~1,000). What is unpacked is
capped as well: zipfile stops at the size the directory declares and fails on a CRC mismatch, so
a part that lies about its size cannot unpack more.

Does not: parse XML or pick text (readers.py does, through python-docx), or judge .pdf files.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import UnreadableFile

MB = 1024 * 1024
RATIO_FLOOR = 1 * MB  # smaller parts may be as repetitive as they like: they cannot be a bomb
PARSED_SUFFIXES = (".xml", ".rels")  # the only parts python-docx and odfpy parse; the rest is media
PARSED_NAMES = {"mimetype"}  # an .odt's first part: a few bytes odfpy reads to know the kind


@dataclass(frozen=True)
class ZipLimits:
    """Example: ZipLimits(max_unzipped_mb=100, max_ratio=200)"""

    max_unzipped_mb: float = 100.0
    max_ratio: float = 200.0


def check_zip_directory(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Raise UnreadableFile, naming the part and the limit, when the parts to unpack promise a
    bomb; ``infos`` are the parts that will be unpacked.

    Example: "word/document.xml" of 1.5 GiB packed into 1.5 MB -> UnreadableFile("a zip bomb:
             part 'word/document.xml' unpacks to 1536 MB, 1028 times its packed size …")
    """
    cap = limits.max_unzipped_mb * MB
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_ratio:
            raise UnreadableFile(
                f"a zip bomb: part '{info.filename}' unpacks to {info.file_size / MB:.0f} MB, "
                f"{ratio:.0f} times its packed size (limit {limits.max_ratio:g}); re-save it, "
                "or raise ASSISTANT_MAX_ZIP_RATIO"
            )
        if info.file_size > cap:
            raise UnreadableFile(
                f"part '{info.filename}' unpacks to {info.file_size / MB:.0f} MB (limit "
                f"{limits.max_unzipped_mb:g} MB); split the document, or raise "
                "ASSISTANT_MAX_UNZIPPED_MB"
            )
    total = sum(info.file_size for info in infos)
    if total > cap:
        raise UnreadableFile(
            f"its text parts unpack to {total / MB:.0f} MB in all (limit "
            f"{limits.max_unzipped_mb:g} MB); split the document, or raise "
            "ASSISTANT_MAX_UNZIPPED_MB"
        )


def text_package(path: Path, limits: ZipLimits, kind: str = "DOCX") -> io.BytesIO:
    """The .docx or .odt repacked in memory: its XML parts as they are, every other part
    (pictures, embedded files) empty, so a reader that loads every part unpacks no media. Raises
    UnreadableFile for a zip bomb (check_zip_directory) or a broken zip.

    Example: docx.Document(text_package(Path("plan.docx"), ZipLimits())).paragraphs[0].text
    """
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(path) as packed:
            infos = packed.infolist()
            check_zip_directory([i for i in infos if _parsed(i)], limits)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
                for info in infos:
                    repacked.writestr(
                        info.filename, _read_capped(packed, info) if _parsed(info) else b""
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise UnreadableFile(
            f"corrupt or unreadable {kind} ({type(exc).__name__}); re-save it from {_EDITOR[kind]}"
        ) from exc
    out.seek(0)
    return out


_EDITOR = {"DOCX": "Word", "ODT": "LibreOffice"}


def _parsed(info: zipfile.ZipInfo) -> bool:
    return info.filename.lower().endswith(PARSED_SUFFIXES) or info.filename in PARSED_NAMES


def _read_capped(packed: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # subtle: read at most the declared size (+1 to see a lie); zipfile itself stops there too
    with packed.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise zipfile.BadZipFile(f"part '{info.filename}' is longer than its directory says")
    return data
