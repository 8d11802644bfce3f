"""What a reader made of each indexed file, kept beside the index so the citation check need not
read the file again: one SQLite table in ``index/sources.sqlite``, keyed by the parsing code's
fingerprint and the SHA-1 of the file's bytes.

Stored by content, so an unchanged file keeps its entry across index generations, and a change
of parsing code (a new fingerprint) stores afresh. With each file's manifest entry goes a stamp
(size, mtime, ctime, inode) taken before the file was hashed and checked again after it was read,
so the stored text is known to be that of the hashed bytes. One table, not one file per document:
creating 2,000 small files cost 2 ms each here, more than the rest of ingest per file.

Does not: decide whether a file changed since ingest (answer/verify.py does, from the stamp and
the hash), or read corpus files. Any failure (a full disk, a damaged or locked table) leaves the
caller to read the file itself.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from assistant.documents import SourceText

FILE = "sources.sqlite"
FAILURES = (OSError, sqlite3.Error)  # what a caller catches to fall back to reading the file


def file_stamp(path: Path) -> list[int]:
    """What changes whenever a file's bytes change: size, mtime, ctime (no program can set it
    back) and inode. Raises OSError.

    Example: file_stamp(Path("corpus/a.txt")) -> [2048, 1733400000000000000, 1733400000000000000, 1234]
    """
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


class StoredSources:
    """Example: StoredSources(Path("index"), "3f2a…").load("9c1e…", "a.txt")[0].lines[6]"""

    def __init__(self, index_dir: Path, fingerprint: str) -> None:
        self.path = Path(index_dir) / FILE
        self.fingerprint = fingerprint
        self._pending: dict[str, bytes] = {}

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)
        db.execute(
            "CREATE TABLE IF NOT EXISTS sources (fingerprint TEXT, sha1 TEXT, record BLOB, "
            "PRIMARY KEY (fingerprint, sha1))"
        )
        return db

    def save(self, digest: str, source: SourceText, furniture: Iterable[int]) -> None:
        """Keep one file's lines, pages, heading lines and page furniture until ``commit``."""
        record = {
            "kind": source.kind,
            "lines": source.lines,
            "pages": source.pages,
            "headings": sorted(source.heading_lines),
            "furniture": sorted(furniture),
            "ocr_pages": sorted(source.ocr_pages),
        }
        self._pending[digest] = zlib.compress(json.dumps(record, ensure_ascii=False).encode(), 1)

    def commit(self) -> None:
        """Write what ``save`` kept, in one transaction (an entry already there is kept: same
        bytes, same parsing code). Raises OSError or sqlite3.Error."""
        if not self._pending:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.executemany(
                "INSERT OR IGNORE INTO sources VALUES (?, ?, ?)",
                [(self.fingerprint, d, blob) for d, blob in self._pending.items()],
            )
        self._pending.clear()

    def load(self, digest: str, document: str) -> tuple[SourceText, set[int]] | None:
        """The stored text of the file whose bytes hash to ``digest``, and its furniture lines;
        None when there is none or it cannot be read (the caller reads the file instead)."""
        if not self.path.exists():
            return None
        try:
            with closing(self._connect()) as db:
                row = db.execute(
                    "SELECT record FROM sources WHERE fingerprint = ? AND sha1 = ?",
                    (self.fingerprint, digest),
                ).fetchone()
            if row is None:
                return None
            record: dict[str, Any] = json.loads(zlib.decompress(row[0]))
            source = SourceText(
                path=document,
                kind=str(record["kind"]),
                lines=tuple(str(x) for x in record["lines"]),
                pages=None if record["pages"] is None else tuple(int(p) for p in record["pages"]),
                heading_lines=frozenset(int(i) for i in record["headings"]),
                ocr_pages=frozenset(int(p) for p in record.get("ocr_pages", ())),
            )
            return source, {int(i) for i in record["furniture"]}
        except (*FAILURES, zlib.error, ValueError, KeyError, TypeError):
            return None

    def keep_only(self, digests: Iterable[str]) -> None:
        """Remove entries of other parsing code and of files no longer indexed. Raises OSError
        or sqlite3.Error."""
        if not self.path.exists():
            return
        with closing(self._connect()) as db, db:
            db.execute("CREATE TEMP TABLE keep (sha1 TEXT PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", [(d,) for d in digests])
            db.execute(
                "DELETE FROM sources WHERE fingerprint != ? OR sha1 NOT IN (SELECT sha1 FROM keep)",
                (self.fingerprint,),
            )
