"""What a question names and means: the deciding bodies and document types it names, and its
content terms: its search terms weighed by IDF, without the place names routing used, the
answer-type words ("datum") and the words of other places' clauses.

Does not: expand words into compounds (search/bm25.py) or match terms against spans (answer/terms.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

from assistant.answer.answertypes import TYPE_WORDS
from assistant.answer.terms import unknown_idf
from assistant.config import ANSWER_POLICY as POLICY
from assistant.language.analysis import analyze
from assistant.language.places import Place
from assistant.language.text import fold
from assistant.language.vocabulary import pattern, word_list


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


_WORDS = "question_words_sv.json"


def either(name: str) -> str:
    """The words of list ``name`` in language/data/question_words_sv.json as a regex
    alternation, in their order. Example: either("second_part_conjunctions") -> "och|samt|and" """
    return "|".join(re.escape(word).replace("\\ ", " ") for word in word_list(_WORDS, name))


_GENERIC_PLACE_WORDS = frozenset(analyze(" ".join(word_list(_WORDS, "generic_place_words"))))


def weighted_terms(
    search_terms: dict[str, float], swedish: bool, idf: Callable[[str], float]
) -> dict[str, float]:
    """The question's own search terms (not the compounds search added), weighed by IDF.

    Example (idf 1): {"handlägg": 1.0, "handläggning": 0.6} -> {"handlägg": 1.0}
    """
    terms = {t: w * idf(t) for t, w in search_terms.items() if w >= 1.0}
    if not swedish:
        # subtle: an English word the glossary did not translate and the corpus never uses cannot
        # be in a Swedish span, so its absence is no evidence: it does not count.
        unknown = unknown_idf(idf)
        compounds = [u for u, w in search_terms.items() if w < 1.0]
        terms = {
            t: w
            for t, w in terms.items()
            if idf(t) < unknown or any(t in u for u in compounds)  # "fullmäktige" in "…nivå"
        } or terms
    return terms


def content_terms(
    weighted: dict[str, float],
    text: str,
    places: Sequence[Place],
    mentioned: Sequence[Place],
) -> dict[str, float]:
    """The weighted terms without the place names routing already used.

    Example: "Vem är handläggare i Alingsåsärendet?" -> {"handlägg": …}; the place compound
    "alingsåsärend" is dropped, as are answer-type words ("datum", "paragraf").
    """
    # Place words (and compounds that start with one: "alingsåsärendet") were used for routing.
    every = [*mentioned, *places]
    size = POLICY.place_prefix_chars
    prefixes = tuple(fold(p.name)[:size] for p in every if len(p.name) >= POLICY.place_prefix_min)
    # …and the proper words of a place's names ("Götaland" of "Västra Götaland"; not "kommun",
    # "län" or "region", which say something of their own: "länets kommuner").
    named = {t for p in every for t in analyze(f"{p.name} {p.official}")} - _GENERIC_PLACE_WORDS
    others = other_places_words(text, places, mentioned)
    kept = {
        t: w
        for t, w in weighted.items()
        if not (prefixes and fold(t).startswith(prefixes))
        and t not in named
        and t not in TYPE_WORDS
        and t not in others
    }
    return kept or weighted


# Where a question about several places changes place: "… i Alingsås respektive … i Umeå",
# "… i Alingsås, och … i Umeå", "… in Alingsås and … in Umeå".
_PLACE_CLAUSES = pattern(_WORDS, "place_clause_separators")


_FIRST_PREPOSITION = re.compile(rf"\s(?:{either('clause_prepositions')})\s", re.I)


def other_places_words(text: str, places: Sequence[Place], mentioned: Sequence[Place]) -> set[str]:
    """When a question about several places ("X i A respektive Y i B") is answered for some of
    them (``places``), the words only the other places' clauses use: the answer for A is about X,
    not Y.

    Example: "Vilka datum gäller för remissvaret i Alingsås respektive för återkopplingen i Umeå?"
    answered for Alingsås -> {"återkoppling"}
    """
    if not places or len(mentioned) < 2:
        return set()
    size = POLICY.place_prefix_chars
    mine = {fold(p.name)[:size] for p in places}
    everyone = {fold(p.name)[:size] for p in mentioned}
    if not everyone - mine:
        return set()
    own: set[str] = set()
    theirs: set[str] = set()
    for n, clause in enumerate(_PLACE_CLAUSES.split(text)):
        if n == 0:  # "Vilka datum gäller | för remissvaret i A": the head is every place's
            clause = _FIRST_PREPOSITION.split(clause, maxsplit=1)[-1]
        folded = fold(clause)
        if any(name in folded for name in mine):
            own |= set(analyze(clause))
        elif any(name in folded for name in everyone - mine):
            theirs |= set(analyze(clause))
    return theirs - own - {t for p in mentioned for t in analyze(p.name)}
