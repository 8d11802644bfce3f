"""What a question names, for routing and filtering: the filters a user sets, the bodies and document
types a question names, and the heading terms of a section.

Does not: rank chunks (search/hybrid.py) or read places from text (language/places.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.documents import Chunk
from assistant.language.analysis import analyze


@dataclass(frozen=True)
class Filters:
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


BODY_WORDS = {
    "kommunstyrelsen": "kommunstyrelse",
    "kommunstyrelse": "kommunstyrelse",
    "fullmäktige": "fullmäktige",
    "regionfullmäktige": "regionfullmäktige",
    "kommunfullmäktige": "fullmäktige",
    "nämnden": "nämnd",
    "nämnd": "nämnd",
    "systemledningen": "systemledning",
    "samrådet": "samråd",
    "samråd": "samråd",
    "arbetsutskott": "arbetsutskott",
    "arbetsutskottet": "arbetsutskott",
    "municipal executive board": "kommunstyrelse",
    "council": "fullmäktige",
}


# How questions name document types (Swedish forms, English words users type).
_DOC_TYPE_WORDS = {
    "protokollsutdrag": ("protokoll", "paragraf", "minutes", "arbetsutskott"),
    "tjänsteskrivelse": (
        "tjänsteskrivelse",
        "kommunledningsförvaltning",
        "official report",
        "staff report",
    ),
    "missiv": ("missiv", "cover letter", "covering letter"),
    "remissvar": ("remissvar", "consultation response", "referral response"),
    "rekommendation": ("rekommendation", "recommendation"),
    "beslutsförslag": ("fortsatt process", "beslutsformulering", "förslag till beslut", "proposal"),
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
