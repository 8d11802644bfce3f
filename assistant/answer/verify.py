"""CitationVerifier: a quote counts only if it stands, whitespace-normalised, in the cited file,
within the cited lines and (for a PDF) starting on the cited page.

The file's text is what the index stored at ingest (store/sources.py) while the file is as it was
then: the same stamp (size, mtime, ctime, inode), or else the same SHA-1 as the manifest records.
A file that changed, or one the index stored nothing for, is read again, so a quote no longer in
the file is never vouched for. Page furniture (running headers that interrupt a sentence, page
numbers) is skipped, exactly as the parser skips it. Does not: judge whether the quote supports
the claim.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assistant.answers import Citation
from assistant.documents import SourceText
from assistant.errors import UnreadableFile
from assistant.ingest.files import file_hash
from assistant.ingest.lines import furniture_lines
from assistant.ingest.readers import read_source
from assistant.language.text import normalize_ws
from assistant.store.sources import StoredSources, file_stamp

Loaded = tuple[SourceText, set[int]]


class CitationVerifier:
    """Example: CitationVerifier(Path("corpus"), manifest["files"], StoredSources(…)).verify(c)"""

    def __init__(
        self,
        corpus_dir: Path,
        indexed: Mapping[str, Mapping[str, Any]] | None = None,
        stored: StoredSources | None = None,
    ) -> None:
        self.corpus_dir = Path(corpus_dir)
        self.indexed = indexed or {}  # document -> its manifest entry (sha1, stamp)
        self.stored = stored
        # document -> (stamp it was checked at, its lines and furniture)
        self._sources: dict[str, tuple[list[int], Loaded | None]] = {}

    def _load(self, document: str) -> Loaded | None:
        # subtle: a file edited or deleted after ingest must not vouch for a quote it no longer
        # holds, so the cache is keyed by the file's stamp, checked on every use.
        path = self.corpus_dir / document
        try:
            stamp = file_stamp(path)
        except OSError:
            return None
        cached = self._sources.get(document)
        if cached is None or cached[0] != stamp:
            loaded = self._as_indexed(document, path, stamp)
            if loaded is None:
                try:
                    source = read_source(path, document, max_mb=1e9)
                    loaded = (source, furniture_lines(source))
                except (UnreadableFile, OSError):
                    loaded = None
            cached = (stamp, loaded)
            self._sources[document] = cached
        return cached[1]

    def _as_indexed(self, document: str, path: Path, stamp: list[int]) -> Loaded | None:
        """The stored text, when the file is still the one the index read; else None."""
        entry = self.indexed.get(document)
        if entry is None or self.stored is None or not entry.get("sha1"):
            return None
        if entry.get("stamp") != stamp:
            try:  # touched or copied, perhaps not changed: the hash decides
                if file_hash(path) != entry["sha1"]:
                    return None
            except OSError:
                return None
        return self.stored.load(str(entry["sha1"]), document)

    def verify(self, citation: Citation) -> bool:
        """True when the quote is in the cited place.

        Example: verify(Citation(…, lines=(7, 7), quote="Återkoppling av fattat beslut skickas senast 2023-08-31")) -> True
        """
        loaded = self._load(citation.document)
        quote = normalize_ws(citation.quote)
        if loaded is None or not quote:
            return False
        source, furniture = loaded
        first, last = citation.lines
        if first < 1 or last > len(source.lines) or first > last:
            return False
        text, owners = "", []
        for i in range(first - 1, last):
            line = normalize_ws(source.lines[i])
            if not line or i in furniture:
                continue
            if text:
                text += " "
                owners.append(i)
            text += line
            owners.extend([i] * len(line))
        at = text.find(quote)
        if at < 0:
            return False
        if source.pages is not None and citation.page is not None:
            return source.page_of(owners[at] + 1) == citation.page
        return True
