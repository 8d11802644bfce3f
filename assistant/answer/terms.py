"""The question's words against a span's: weighted content terms, compounds and inflections, and
the shapes a span can have (a list item, a lead-in, a date, a defining sentence).

Does not: score spans (features.py, scorer.py), choose them (select.py) or abstain (answerer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.answertypes import TYPE_WORDS
from assistant.documents import Chunk
from assistant.language.analysis import analyze
from assistant.language.shapes import is_clause_item
from assistant.language.text import ISO_DATE, TEXT_DATE, fold, is_swedish
from assistant.search.hybrid import RetrievalResult

_DEFINING = re.compile(
    r"\b(är|utgör|innebär|står för|beskrivs som|definieras som)\s+(en|ett|både|de|det)?\b", re.I
)


def defining(abbreviation: str, text: str, content: dict[str, float]) -> bool:
    """Whether a span answers a definition question: it spells out the asked abbreviation
    ("… hälsa, stöd, vård och omsorg (HSVO)") or defines one of the question's terms
    ("Samverkan är både ett förhållningssätt …").

    Example: defining("HSVO", "… vård och omsorg (HSVO)", {}) -> True
    """
    if abbreviation:
        return f"({abbreviation})".lower() in text.lower()
    m = _DEFINING.search(text)
    if not m or len(text[: m.start()].split()) > 3:
        return False
    subject = set(analyze(text.split()[0]))  # the sentence starts with what it defines
    return any(t in subject or compound_hit(t, subject) for t in content)


_GENERIC_PLACE_WORDS = frozenset(
    analyze("kommun kommunen län länet region regionen stad landsting")
)


def content_terms(result: RetrievalResult, idf: Callable[[str], float]) -> dict[str, float]:
    """IDF-weighted question terms, without the place names routing already used.

    Example (idf 1): "Vem är handläggare i Alingsåsärendet?" -> {"handlägg": 1.0}; the place
    compound "alingsåsärend" is dropped, as are answer-type words ("datum", "paragraf").
    """
    terms = {t: w * idf(t) for t, w in result.terms.items() if w >= 1.0}
    if not is_swedish(result.question):
        # subtle: an English word the glossary did not translate and the corpus never uses cannot
        # be in a Swedish span, so its absence is no evidence: it does not count.
        unknown = unknown_idf(idf)
        compounds = [u for u, w in result.terms.items() if w < 1.0]
        terms = {
            t: w
            for t, w in terms.items()
            if idf(t) < unknown or any(t in u for u in compounds)  # "fullmäktige" in "…nivå"
        } or terms
    # Place words (and compounds that start with one: "alingsåsärendet") were used for routing.
    places = result.mentioned + result.places
    prefixes = tuple(fold(p.name)[:5] for p in places if len(p.name) >= 4)
    # …and the proper words of a place's names ("Götaland" of "Västra Götaland"; not "kommun",
    # "län" or "region", which say something of their own: "länets kommuner").
    named = {t for p in places for t in analyze(f"{p.name} {p.official}")} - _GENERIC_PLACE_WORDS
    others = other_places_words(result)
    kept = {
        t: w
        for t, w in terms.items()
        if not (prefixes and fold(t).startswith(prefixes))
        and t not in named
        and t not in TYPE_WORDS
        and t not in others
    }
    return kept or terms


# Where a question about several places changes place: "… i Alingsås respektive … i Umeå",
# "… i Alingsås, och … i Umeå", "… in Alingsås and … in Umeå".
_PLACE_CLAUSES = re.compile(r"\s*(?:,|;|\brespektive\b|\bresp\.|\boch\b|\band\b)\s*", re.I)


_FIRST_PREPOSITION = re.compile(
    r"\s(?:för|om|i|av|till|kring|gällande|angående|inom|hos|for|about|in|of|at)\s", re.I
)


def other_places_words(result: RetrievalResult) -> set[str]:
    """When this result answers one place of a question about several ("X i A respektive Y i B"),
    the words only the other places' clauses use: the answer for A is about X, not Y.

    Example: "Vilka datum gäller för remissvaret i Alingsås respektive för återkopplingen i Umeå?"
    answered for Alingsås -> {"återkoppling"}
    """
    if not result.places or len(result.mentioned) < 2:
        return set()
    mine = {fold(p.name)[:5] for p in result.places}
    everyone = {fold(p.name)[:5] for p in result.mentioned}
    if not everyone - mine:
        return set()
    own: set[str] = set()
    theirs: set[str] = set()
    for n, clause in enumerate(_PLACE_CLAUSES.split(result.question)):
        if n == 0:  # "Vilka datum gäller | för remissvaret i A": the head is every place's
            clause = _FIRST_PREPOSITION.split(clause, maxsplit=1)[-1]
        folded = fold(clause)
        if any(name in folded for name in mine):
            own |= set(analyze(clause))
        elif any(name in folded for name in everyone - mine):
            theirs |= set(analyze(clause))
    return theirs - own - {t for p in result.mentioned for t in analyze(p.name)}


def unknown_idf(idf: Callable[[str], float]) -> float:
    """The IDF of a term no document uses: anything at least this rare is unknown to the corpus."""
    return idf("\x00never-a-term")


def compound_hit(term: str, terms: set[str]) -> bool:
    """A question word inside a compound, or two inflections of one word.

    Example: compound_hit("nivå", {"fullmäktigenivå"}) -> True; ("rekommender", {"rekommendation"}) -> True
    """
    if len(term) < 4:
        return False
    folded = fold(term)
    for other in terms:
        if len(term) >= 9 and len(other) == len(term) and fold(other) == folded:
            return True  # typed or printed without å/ä/ö: "valfärdsstrategi" / "välfärdsstrategi"
        if len(other) > len(term) and term in other:
            return True
        shared = len(_common_prefix(term, other))
        # Two inflections share a stem and differ in a short ending; a compound ("beslut" inside
        # "beslutsunderlag") is not the same word.
        if shared >= 6 and len(term) - shared <= 5 and len(other) - shared <= 5:
            return True
    return False


def has_date(text: str) -> bool:
    """Example: has_date("daterad 2024-03-15") -> True; has_date("senast 31 december 2021") -> True"""
    return bool(ISO_DATE.search(text) or TEXT_DATE.search(text))


def is_item(text: str) -> bool:
    """A list item. Example: is_item("1. anta strategin") -> True; is_item("att anta …") -> True"""
    return is_clause_item(text)


def leads_list(chunk: Chunk, index: int) -> bool:
    """A lead-in: a span followed by list items ("Kommunstyrelsen beslutar att:" / "1. anta …")."""
    spans = chunk.spans
    if index + 1 >= len(spans) or is_item(spans[index].text):
        return False
    return spans[index].text.rstrip().endswith(":") or is_item(spans[index + 1].text)


def _common_prefix(a: str, b: str) -> str:
    """Example: _common_prefix("rekommender", "rekommendation") -> "rekommend" """
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
