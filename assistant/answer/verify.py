"""CitationVerifier: a quote counts only if it stands, whitespace-normalised, in the cited file,
within the cited lines and (for a PDF) starting on the cited page.

Page furniture (running headers that interrupt a sentence, page numbers) is skipped, exactly as
the parser skips it. Does not: judge whether the quote supports the claim.
"""

from __future__ import annotations

from pathlib import Path

from assistant.documents import Citation, SourceText
from assistant.errors import UnreadableFile
from assistant.ingest.lines import furniture_lines
from assistant.ingest.readers import read_source
from assistant.language.text import normalize_ws


class CitationVerifier:
    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = Path(corpus_dir)
        # document -> (size and mtime it was read at, its lines and furniture)
        self._sources: dict[str, tuple[tuple[int, int], tuple[SourceText, set[int]] | None]] = {}

    def _load(self, document: str) -> tuple[SourceText, set[int]] | None:
        # subtle: a file edited or deleted after ingest must not vouch for a quote it no longer
        # holds, so the cache is keyed by the file's size and mtime, checked on every use.
        path = self.corpus_dir / document
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = (stat.st_size, stat.st_mtime_ns)
        cached = self._sources.get(document)
        if cached is None or cached[0] != stamp:
            try:
                source = read_source(path, document, max_mb=1e9)
                cached = (stamp, (source, furniture_lines(source)))
            except (UnreadableFile, OSError):
                cached = (stamp, None)
            self._sources[document] = cached
        return cached[1]

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
