"""Numbered citations for a draft: each passage is verified against its file before it gets a
number, and a passage cited twice keeps its first number.

Does not: choose what to cite (the section modules do) or render the Källor list (render.py).
"""

from __future__ import annotations

from assistant.answer.verify import CitationVerifier
from assistant.answers import Citation
from assistant.drafting.passages import Passage


class CitationList:
    """Numbers verified citations in order of first use; a quote that fails verification gets none.

    Example: cites.mark(passage) -> "[1]" (or None when the quote is not where it says it is)
    """

    def __init__(self, verifier: CitationVerifier) -> None:
        self.verifier = verifier
        self.items: list[Citation] = []

    def mark(self, passage: Passage) -> str | None:
        for c in self.items:
            if (c.document, c.lines, c.quote) == (
                passage.chunk.document,
                (passage.first, passage.last),
                passage.text,
            ):
                return f"[{c.n}]"
        citation = passage.citation(len(self.items) + 1)
        if not self.verifier.verify(citation):
            return None
        self.items.append(citation)
        return f"[{citation.n}]"

    def cite(self, text: str, passage: Passage) -> str | None:
        """Example: cite("Inga ekonomiska konsekvenser.", p) -> "Inga ekonomiska konsekvenser. [3]" """
        marker = self.mark(passage)
        return f"{text} {marker}" if marker else None
