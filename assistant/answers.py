"""Our own types for what the assistant gives back: answers with their citations, abstentions and
decision drafts. The faces (cli/, ui/) word and render them.

Does not: search, answer or word anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    n: int
    document: str
    title: str
    section: str
    page: int | None
    lines: tuple[int, int]
    quote: str
    ocr: bool = False  # the quote is verbatim to text Tesseract recognised on a scanned page

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "document": self.document,
            "title": self.title,
            "section": self.section,
            "page": self.page,
            "lines": [self.lines[0], self.lines[1]],
            "quote": self.quote,
            "ocr": self.ocr,
        }


@dataclass(frozen=True)
class Abstention:
    """Why the assistant did not answer; the faces say it in the user's language (messages.py).

    Example: Abstention("place_not_covered", "Region Skåne", covered=("Alingsås kommun", …))
    """

    # not_in_documents | detail_not_given | place_not_covered | name_not_mentioned
    # | document_not_held
    reason: str
    # the place(s) not covered, the name no document mentions, the asked detail, the designation(s)
    # of the document(s) asked about ("SOU 2031:12")
    subject: str = ""
    covered: tuple[str, ...] = ()  # the organisations the corpus covers
    searched: tuple[str, ...] = ()  # "title › section" of what was searched
    filters: tuple[str, ...] = ()  # the filters the question was asked with


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    language: str = "sv"
    searched: tuple[str, ...] = ()  # what was searched, shown when abstaining
    claims: tuple[str, ...] = ()  # the answer's claims as shown, each ending in its [n] marker
    # what the parts of a question that asks several things ask, for each part no claim answers
    # ("när: uppdraget redovisas"); the answer says the documents do not give them
    missing_parts: tuple[str, ...] = ()
    abstention: Abstention | None = None  # set when abstained: why, for the faces to word
    mode: str = "extractive"  # "generated" when a language model wrote it (assistant/generate/)
    dropped_claims: int = 0  # generated sentences not supported by the quotes they cite

    def to_json(self) -> dict[str, Any]:
        """The exact JSON contract of ``assistant ask --json``."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "missing_parts": list(self.missing_parts),
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "mode": self.mode,
            "dropped_claims": self.dropped_claims,
        }


@dataclass(frozen=True)
class DraftSection:
    heading: str
    text: str


@dataclass(frozen=True)
class DraftResult:
    title: str
    text: str
    sections: tuple[DraftSection, ...]
    citations: tuple[Citation, ...]
    placeholders: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "text": self.text,
            "sections": [{"heading": s.heading, "text": s.text} for s in self.sections],
            "citations": [c.to_json() for c in self.citations],
            "placeholders": list(self.placeholders),
        }
