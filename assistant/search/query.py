"""What search reads of a question (understood before search, by answer/question/), and the
heading terms of a section.

Does not: rank chunks (search/hybrid.py) or read a question's text (answer/question/).
"""

from __future__ import annotations

from typing import Protocol

from assistant.documents import Chunk
from assistant.language.analysis import analyze
from assistant.language.places import Place


class Asked(Protocol):
    """What search reads of a question, understood before search (assistant.answer.question's
    Question is one): search never reads the question's text but to embed it."""

    @property
    def text(self) -> str: ...

    @property
    def search_terms(self) -> dict[str, float]: ...

    @property
    def places(self) -> tuple[Place, ...]: ...

    @property
    def bodies(self) -> tuple[str, ...]: ...

    @property
    def doc_types(self) -> frozenset[str]: ...

    @property
    def designations(self) -> frozenset[str]: ...


def section_heading_terms(chunk: Chunk) -> frozenset[str]:
    """The analysed terms of a chunk's own section heading; none for document headers and tables
    of contents. Example: a chunk under "Beslutsgång" -> frozenset({"beslutsgång"})"""
    if not chunk.heading_path or chunk.kind in ("preamble", "toc"):
        return frozenset()
    return frozenset(analyze(chunk.heading_path[-1]))
