"""What a reader made of each indexed file, kept beside the index so the citation check need not
read the file again: ``index/sources/<parsing fingerprint>/<sha1 of the file>.json.gz``.

Stored by content, so an unchanged file keeps its entry across index generations, and a change
of parsing code (a new fingerprint) starts a fresh folder. With each file's manifest entry goes a
stamp (size, mtime, ctime, inode) taken before the file was hashed and checked again after it was
read, so the stored text is known to be that of the hashed bytes.

Does not: decide whether a file changed since ingest (answer/verify.py does, from the stamp and
the hash), or read corpus files.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assistant.documents import SourceText

FOLDER = "sources"


def file_stamp(path: Path) -> list[int]:
    """What changes whenever a file's bytes change: size, mtime, ctime (no program can set it
    back) and inode. Raises OSError.

    Example: file_stamp(Path("corpus/a.txt")) -> [2048, 1733400000000000000, 1733400000000000000, 1234]
    """
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


class StoredSources:
    """Example: StoredSources(Path("index"), "3f2a…").load("9c1e…").lines[6] -> "Återkoppling …" """

    def __init__(self, index_dir: Path, fingerprint: str) -> None:
        self.folder = Path(index_dir) / FOLDER / fingerprint

    def _path(self, digest: str) -> Path:
        return self.folder / f"{digest}.json.gz"

    def save(self, digest: str, source: SourceText, furniture: Iterable[int]) -> None:
        """Keep one file's lines, pages, heading lines and page furniture (written whole or not
        at all; an entry already there is kept: same bytes, same parsing code)."""
        target = self._path(digest)
        if target.exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        record = {
            "kind": source.kind,
            "lines": source.lines,
            "pages": source.pages,
            "headings": sorted(source.heading_lines),
            "furniture": sorted(furniture),
        }
        tmp = self.folder / f".{digest}.{uuid.uuid4().hex[:6]}.tmp"
        try:
            with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=1) as fh:
                json.dump(record, fh, ensure_ascii=False)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)

    def load(self, digest: str, document: str) -> tuple[SourceText, set[int]] | None:
        """The stored text of the file whose bytes hash to ``digest``, and its furniture lines;
        None when there is none or it cannot be read (the caller reads the file instead)."""
        try:
            with gzip.open(self._path(digest), "rt", encoding="utf-8") as fh:
                record: dict[str, Any] = json.load(fh)
            source = SourceText(
                path=document,
                kind=str(record["kind"]),
                lines=tuple(str(x) for x in record["lines"]),
                pages=None if record["pages"] is None else tuple(int(p) for p in record["pages"]),
                heading_lines=frozenset(int(i) for i in record["headings"]),
            )
            return source, {int(i) for i in record["furniture"]}
        except (OSError, EOFError, ValueError, KeyError, TypeError):
            return None

    def keep_only(self, digests: Iterable[str]) -> None:
        """Remove entries of other parsing code and of files no longer indexed."""
        keep = {f"{d}.json.gz" for d in digests}
        root = self.folder.parent
        if root.is_dir():
            for other in root.iterdir():
                if other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
        if self.folder.is_dir():
            for entry in self.folder.iterdir():
                if entry.name not in keep:
                    entry.unlink(missing_ok=True)
