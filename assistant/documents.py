"""Our own types. Library objects (chromadb, llama-index) are converted into these at the boundary.

Does not: read files, talk to the index or rank anything.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import numpy as np

# How much of a chunk is embedded: 0 = its whole search text (as before issue #22); N = title and
# heading path said once and the first N words, which costs the engine 1.8x less CPU at N=96 but
# moved a few gated answer metrics by a case or two each at every N measured (48-128; the
# scorer was fitted on whole-text vectors): README "Answerable first", benchmarks/
# results_throughput.json "embed_words". Changing it re-embeds every text (new cache keys).
EMBED_WORDS = 0


@dataclass(frozen=True)
class SourceText:
    """A file as read: its lines (1-based numbering = index + 1) and, for a PDF, the page of each line.

    Example: lines=("Bakgrund", "", "Text ..."), pages=(1, 1, 2) for a PDF, pages=None otherwise.
    """

    path: str  # relative to corpus/
    kind: str  # txt | md | pdf | docx | odt | html | image
    lines: tuple[str, ...]
    pages: tuple[int, ...] | None = None
    heading_lines: frozenset[int] = frozenset()  # 0-based line numbers a DOCX styles as headings
    notes: tuple[str, ...] = ()
    ocr_pages: frozenset[int] = frozenset()  # PDF pages whose lines Tesseract recognised

    @property
    def reader(self) -> str:
        """What read the file, for the ingest summary. Example: "pdf, 12 pages, 3 by OCR" """
        parts = [self.kind]
        if self.pages:
            count = len(set(self.pages))
            parts.append(f"{count} page{'s' if count != 1 else ''}")
        if self.ocr_pages:
            parts.append(f"{len(self.ocr_pages)} by OCR")
        return ", ".join(parts)

    def page_of(self, line_no: int) -> int | None:
        """Page of a 1-based line number, or None for files without pages."""
        if self.pages is None or not self.pages:
            return None
        return self.pages[min(max(line_no, 1), len(self.pages)) - 1]


class UnitSpan(NamedTuple):
    """A citable piece of a section: a sentence or list item, its lines and the unit it sits in.

    Example: UnitSpan("Återkoppling skickas senast 2023-08-31.", 7, 7, 2)"""

    text: str
    line_start: int  # 1-based, inclusive
    line_end: int
    unit: int  # index of the logical line (unit) in the section


class Span(NamedTuple):
    """A citable claim of a chunk: a sentence or list item with its lines and PDF page.

    Example: Span("Återkoppling skickas senast 2023-08-31.", 7, 7, None)"""

    text: str
    line_start: int  # 1-based, inclusive
    line_end: int
    page: int | None


@dataclass(frozen=True)
class Section:
    """A run of lines under one heading path inside one sub-document."""

    document: str
    subdoc: int
    subdoc_title: str
    heading_path: tuple[str, ...]
    text: str  # whitespace-normalised, page furniture removed
    line_start: int  # 1-based, inclusive
    line_end: int
    char_start: int  # offsets in the file's text as read ("\n".join(lines))
    char_end: int
    page: int | None = None
    kind: str = "text"  # text | list | table | preamble | toc
    units: tuple[tuple[str, int, int], ...] = ()  # (logical line, first line, last line), 1-based
    spans: tuple[UnitSpan, ...] = ()


@dataclass(frozen=True)
class ChunkMetadata:
    """Whose a chunk's sub-document is, where, which bodies, what kind and when, read from its text.

    Example: ChunkMetadata(org="Enköpings kommun", kommuner=("0381",), lan="03", doc_type="strategi")
    """

    org: str = ""  # the organisation the document is by: "Enköpings kommun", "Region Uppsala"
    orgs: tuple[str, ...] = ()  # every organisation the file names
    kommuner: tuple[str, ...] = ()  # kommunkoder the file names, "0381"
    lan: str = ""  # länskod of the document's organisation, "03"
    lans: tuple[str, ...] = ()  # every länskod the file names
    lan_name: str = ""  # "Uppsala län"
    body: str = ""  # the first decision-making body named
    bodies: tuple[str, ...] = ()
    doc_type: str = ""  # protokollsutdrag | tjänsteskrivelse | missiv | strategi | …
    date: str = ""  # the first date named, ISO
    dates: tuple[str, ...] = ()  # every date named, ISO, sorted
    year: int = 0  # year of the first date, 0 when none
    diarienr: str = ""
    designations: tuple[
        str, ...
    ] = ()  # what the sub-document is: "sou 2024:60" (its title, opening)
    subdoc: int = 0  # which sub-document of the file
    section_kind: str = ""  # text | list | table | preamble

    @property
    def years(self) -> frozenset[int]:
        """Every year the sub-document dates something in. Example: {2023, 2024}"""
        found = {int(d[:4]) for d in self.dates if d[:4].isdigit()}
        return frozenset(found | ({self.year} if self.year else set()))


@dataclass(frozen=True)
class Chunk:
    """What the index holds: a section (or a sentence-bounded part of a long one) with metadata."""

    id: str
    document: str
    title: str
    heading_path: tuple[str, ...]
    text: str
    line_start: int
    line_end: int
    char_start: int
    char_end: int
    page: int | None
    kind: str = "text"
    metadata: ChunkMetadata = field(default_factory=ChunkMetadata)
    duplicate_of: str | None = None  # id of the canonical chunk when this one is a (near) copy
    spans: tuple[Span, ...] = ()  # citable claims, in reading order
    ocr_pages: tuple[int, ...] = ()  # pages of this chunk whose text was recognised by OCR
    table_header: str = ""  # a table's header row, repeated for a chunk of its later rows

    @property
    def section(self) -> str:
        return " > ".join(self.heading_path)

    def search_text(self) -> str:
        """Text used for BM25: heading path gives the chunk its context (and a table's header
        row the rows of a later chunk)."""
        header = f"{self.table_header}\n" if self.table_header else ""
        return f"{self.title}. {' . '.join(self.heading_path)}. {header}{self.text}"

    def embed_text(self, words: int | None = None) -> str:
        """Text that is embedded: the search text, or with ``words`` (default ``EMBED_WORDS``)
        above 0 the title and heading path, each said once, and the text's first ``words``
        words; a part that repeats an earlier one is left out, so a one-line file is not
        embedded three times over.

        Example: title "Plan", heading ("Plan",), text "Plan", words=96 -> "Plan."
        """
        limit = EMBED_WORDS if words is None else words
        if limit <= 0:
            return self.search_text()
        parts: list[str] = []
        for part in (self.title, *self.heading_path):
            if part.strip() and part.strip() not in parts:
                parts.append(part.strip())
        body = f"{self.table_header}\n{self.text}" if self.table_header else self.text
        said = body.split()
        if " ".join(said) in parts:
            said = []
        return f"{' . '.join(parts)}. {' '.join(said[:limit])}".strip()

    def to_record(self) -> dict[str, Any]:
        data = asdict(self)
        data["heading_path"] = list(self.heading_path)
        data["spans"] = [list(s) for s in self.spans]
        return data


@dataclass(frozen=True)
class RetrievedChunk:
    chunk: Chunk
    score: float
    rank: int
    scores: dict[str, float] = field(default_factory=dict)  # bm25, dense, fused, boost ...

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "scores": {k: round(v, 6) for k, v in self.scores.items()},
            "id": c.id,
            "document": c.document,
            "title": c.title,
            "section": c.section,
            "page": c.page,
            "lines": [c.line_start, c.line_end],
            "text": c.text,
            "metadata": asdict(c.metadata),
        }


@dataclass(frozen=True)
class Filters:
    """What a user narrows a search to. Example: Filters(org="Region Uppsala", year=2024)"""

    org: str = ""
    doc_type: str = ""
    year: int = 0

    def describe(self) -> list[str]:
        parts = []
        if self.org:
            parts.append(f"org={self.org}")
        if self.doc_type:
            parts.append(f"type={self.doc_type}")
        if self.year:
            parts.append(f"year={self.year}")
        return parts


@dataclass(frozen=True)
class RetrievalResult:
    """The chunks search ranked for one question, best first, and the question's vector (the
    answerer compares each span's section with it). What the question names lives in its Question.
    """

    question: str  # the text searched: the question as asked, or a follow-up made whole
    chunks: tuple[RetrievedChunk, ...]
    query_vector: np.ndarray
    filters: Filters = field(default_factory=Filters)
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass
class IngestSummary:
    files: int = 0
    unchanged: int = 0
    changed: int = 0
    removed: int = 0
    subdocuments: int = 0
    sections: int = 0
    chunks: int = 0
    duplicates: int = 0
    pending_vectors: int = 0  # texts the live generation has no vector for yet (fill_vectors)
    skipped: list[SkippedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    readers: dict[str, str] = field(
        default_factory=dict
    )  # file read now -> "pdf, 12 pages, 3 by OCR"
