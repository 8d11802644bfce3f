"""The question's terms against a span's words: compounds and inflections, and the shapes a span
can have (a list item, a lead-in, a date, a defining sentence).

Does not: weigh a question's terms (answer/question/content.py), score spans (features.py,
scorer.py), choose them (select.py) or abstain (answerer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.config import ANSWER_POLICY as POLICY
from assistant.documents import Chunk
from assistant.language.analysis import analyze
from assistant.language.shapes import is_clause_item
from assistant.language.text import ISO_DATE, TEXT_DATE, fold

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
    if not m or len(text[: m.start()].split()) > POLICY.definition_subject_words:
        return False
    subject = set(analyze(text.split()[0]))  # the sentence starts with what it defines
    return any(t in subject or compound_hit(t, subject) for t in content)


def unknown_idf(idf: Callable[[str], float]) -> float:
    """The IDF of a term no document uses: anything at least this rare is unknown to the corpus."""
    return idf("\x00never-a-term")


def compound_hit(term: str, terms: set[str]) -> bool:
    """A question word inside a compound, or two inflections of one word.

    Example: compound_hit("nivå", {"fullmäktigenivå"}) -> True; ("rekommender", {"rekommendation"}) -> True
    """
    if len(term) < POLICY.compound_min_chars:
        return False
    folded = fold(term)
    for other in terms:
        if (
            len(term) >= POLICY.unaccented_min_chars
            and len(other) == len(term)
            and fold(other) == folded
        ):
            return True  # typed or printed without å/ä/ö: "valfärdsstrategi" / "välfärdsstrategi"
        if len(other) > len(term) and term in other:
            return True
        shared = len(_common_prefix(term, other))
        # Two inflections share a stem and differ in a short ending; a compound ("beslut" inside
        # "beslutsunderlag") is not the same word.
        ending = POLICY.inflection_max_ending
        if (
            shared >= POLICY.inflection_min_stem
            and len(term) - shared <= ending
            and len(other) - shared <= ending
        ):
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
