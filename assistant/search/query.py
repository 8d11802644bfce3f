"""What a question names, for routing and filtering: what search reads of a question, the bodies
and document types a question names, and the heading terms of a section.

Does not: rank chunks (search/hybrid.py) or read places from text (language/places.py).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, Protocol

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


def _administration() -> dict[str, Any]:
    raw = resources.files("assistant.language").joinpath("data/administration_sv.json")
    return dict(json.loads(raw.read_text(encoding="utf-8")))


# How questions name decision bodies and document types (language/data/administration_sv.json).
BODY_WORDS: dict[str, str] = _administration()["bodies"]
_DOC_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    kind: tuple(words) for kind, words in _administration()["doc_types"].items()
}


def named_doc_types(question: str) -> set[str]:
    """Document types a question names.

    Example: named_doc_types("Vem står som avsändare på missivet?") -> {"missiv"}
    """
    lowered = question.lower()
    return {kind for kind, words in _DOC_TYPE_WORDS.items() if any(w in lowered for w in words)}


def doc_type_words(kind: str) -> tuple[str, ...]:
    """The words that name a document type. Example: doc_type_words("missiv") -> ("missiv", "cover letter", …)"""
    return _DOC_TYPE_WORDS.get(kind, ())


def section_heading_terms(chunk: Chunk) -> frozenset[str]:
    """The analysed terms of a chunk's own section heading; none for document headers and tables
    of contents. Example: a chunk under "Beslutsgång" -> frozenset({"beslutsgång"})"""
    if not chunk.heading_path or chunk.kind in ("preamble", "toc"):
        return frozenset()
    return frozenset(analyze(chunk.heading_path[-1]))
