"""Evidence: every span of the retrieved chunks scored against the question (a ``Candidate``).

A span's score mixes its dense similarity to the question, the share of the question's weighted
content terms it holds (itself, its headings, its document's title), and small bonuses for holding
what the question asks for (a date, a person, a number, the asked delmål code).

Does not: pick which spans make the answer (compose.py), check that a typed question is answered,
verify quotes or abstain (answer.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from assistant.answer.answertypes import TYPE_WORDS
from assistant.documents import Chunk
from assistant.language.analysis import analyze
from assistant.language.text import ISO_DATE, TEXT_DATE, fold, is_swedish
from assistant.search.hybrid import RetrievalResult
from assistant.search.query import section_heading_terms
from assistant.store.chroma import text_key

DATE_Q = re.compile(
    r"\b(när|datum|senast|deadline|sista dag|vilket år|tidsplan|when|date|by when|what year|period)\b",
    re.I,
)
_WHO_Q = re.compile(
    r"\b(vem|vilka personer|vem är|vilken person|kontakt\w*|handläggare|ordförande|who|whom|contact|signed|undertecknat)\b",
    re.I,
)
# "Vad är färdplanen?", "Hur beskrivs samverkan?", "Vilken typ av dokument är X?", "What is X?"
_DEFINITION_Q = re.compile(
    r"^\s*(vad är|vad menas med|vad innebär|vad för (slags|sorts)|vilken typ av|vilket slags|"
    r"hur beskrivs|hur definieras|what is|what kind of|how is .* described)\b|\bför slags\b",
    re.I,
)
_ABBREVIATION_Q = re.compile(
    r"\b(?:förkortningen|förkortning|abbreviation|acronym)\s+([A-ZÅÄÖ]{2,})|\b([A-ZÅÄÖ]{2,})\b.*\b(?:står för|stand for)\b",
    re.I,
)
_DEFINING = re.compile(
    r"\b(är|utgör|innebär|står för|beskrivs som|definieras som)\s+(en|ett|både|de|det)?\b", re.I
)
_COUNT_Q = re.compile(r"\b(hur många|antal|how many|number of)\b", re.I)
_PERSON = re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+ (?:[A-ZÅÄÖ][a-zåäöé]+[- ]?){1,2}\b|@")
_NUMBER = re.compile(r"\b\d+\b")


@dataclass(frozen=True)
class Candidate:
    """One span (a sentence, list item or table row) of a retrieved chunk, with its score."""

    chunk: Chunk
    rank: int
    index: int  # span index in the chunk
    text: str
    first: int
    last: int
    page: int | None
    score: float
    lexical: float
    dense: float


def score_spans(
    result: RetrievalResult, vectors: Mapping[str, np.ndarray], idf: Callable[[str], float]
) -> list[Candidate]:
    """Every span of the retrieved chunks, scored against the question, best first."""
    content = content_terms(result, idf)
    total = sum(content.values()) or 1.0
    qvec = result.query_vector
    wants_date = bool(DATE_Q.search(result.question))
    wants_person = bool(_WHO_Q.search(result.question))
    wants_count = bool(_COUNT_Q.search(result.question))
    codes = _codes(result.question)
    # A year the question asks about ("Vad hände 2020?"), not a period naming a strategy
    # ("strategin för 2024–2026").
    years = set(_YEARS.findall(re.sub(r"\d{4}\s*[-–]\s*\d{4}", " ", result.question)))
    asks_goal = bool(
        re.search(r"\b(delmål\w*|mål(et)?|sub-goals?|goals?)\b", result.question, re.I)
    )
    out: list[Candidate] = []
    for retrieved in result.chunks:
        chunk = retrieved.chunk
        # Context a span inherits: its headings fully, the document's title and type partly.
        heading_terms = set(analyze(" ".join(chunk.heading_path)))
        own_heading = set(analyze(chunk.heading_path[-1])) if chunk.kind != "preamble" else set()
        meta = chunk.metadata
        context_terms = set(
            analyze(
                f"{chunk.title} {meta.doc_type} {'|'.join(meta.orgs)} "
                f"{meta.diarienr}"  # "i ärendet KS2024/286" names the whole document
            )
        )
        prior = 0.08 / retrieved.rank
        for index, (text, first, last, page) in enumerate(chunk.spans):
            span_terms = set(analyze(text))
            covered = 0.0
            for term, weight in content.items():
                if term in span_terms or compound_hit(term, span_terms):
                    covered += weight
                elif term in heading_terms or compound_hit(term, heading_terms):
                    covered += 0.8 * weight
                elif term in context_terms or compound_hit(term, context_terms):
                    covered += 0.6 * weight
            lexical = min(covered / total, 1.0)
            vector = vectors.get(text_key(text))
            dense = float(vector @ qvec) if vector is not None else 0.0
            bonus = 0.0
            if wants_date and has_date(text):
                bonus += 0.12
            if wants_person and _PERSON.search(text):
                bonus += 0.06
            if wants_count and _NUMBER.search(text):
                bonus += 0.06
            if own_heading & set(content):
                bonus += 0.05  # the span sits in the section the question names
                if own_heading <= set(content):
                    bonus += 0.1  # …by its very name: "Vad är målbilden?" -> section "Målbild"
            if years and years & set(_YEARS.findall(text)):
                bonus += 0.1  # "Vad hände 2020 …?" meets "… sedan 2020 …"
            if codes and codes & _codes(f"{' '.join(chunk.heading_path)} {text}"):
                bonus += 0.15  # "delmål A2" meets the A2 heading or the A2 row of a table
            elif asks_goal and not codes and _GOAL_ROW.match(text):
                # "Vilket delmål …?" meets a goal itself: "C1 Kompetensförsörjningen …"
                bonus += 0.1
            if len(text) < 25 and not _PERSON.search(text) and not leads_list(chunk, index):
                bonus -= 0.1  # a bare label says little on its own
            score = 0.55 * _scale(dense) + 0.45 * lexical + prior + bonus
            out.append(
                Candidate(
                    chunk, retrieved.rank, index, text, first, last, page, score, lexical, dense
                )
            )
    out.sort(key=lambda c: -c.score)
    return out


def defining(question: str, text: str, content: dict[str, float]) -> bool:
    """Whether a span answers a definition question: it defines one of the question's terms
    ("Samverkan är både ett förhållningssätt …") or spells out the asked abbreviation
    ("… hälsa, stöd, vård och omsorg (HSVO)")."""
    abbreviation = _ABBREVIATION_Q.search(question)
    if abbreviation:
        return f"({abbreviation.group(1) or abbreviation.group(2)})".lower() in text.lower()
    if not _DEFINITION_Q.search(question):
        return False
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
    kept = {
        t: w
        for t, w in terms.items()
        if not (prefixes and fold(t).startswith(prefixes))
        and t not in named
        and t not in TYPE_WORDS
    }
    return kept or terms


def unknown_idf(idf: Callable[[str], float]) -> float:
    """The IDF of a term no document uses: anything at least this rare is unknown to the corpus."""
    return idf("\x00never-a-term")


def coverage(terms: dict[str, float], cand: Candidate) -> float:
    """Share of the weighted terms a span holds: itself fully, its headings 0.8, the rest of its chunk 0.5."""
    if not terms:
        return 1.0
    # subtle: a document header (preamble) is one record: "Diariernr" and "Vård- och omsorgsnämnden"
    # on two lines of it belong together as much as two words of one sentence do.
    whole = 1.0 if cand.chunk.kind == "preamble" else 0.5
    layers = [
        (1.0, set(analyze(cand.text))),
        (0.8, set(analyze(" ".join(cand.chunk.heading_path)))),
        (whole, set(analyze(cand.chunk.text))),
    ]
    got = 0.0
    for term, weight in terms.items():
        for share, layer in layers:
            if term in layer or compound_hit(term, layer):
                got += share * weight
                break
    return got / sum(terms.values())


def heading_share(terms: dict[str, float], cand: Candidate) -> float:
    """Share of the question's weighted terms named by the span's own section heading (not the title)."""
    if not terms or len(cand.chunk.heading_path) == 0 or cand.chunk.kind == "preamble":
        return 0.0
    heading = set(analyze(cand.chunk.heading_path[-1]))
    return sum(w for t, w in terms.items() if t in heading or compound_hit(t, heading)) / sum(
        terms.values()
    )


def heading_named(terms: dict[str, float], chunk: Chunk) -> bool:
    """Whether the question's terms name the chunk's whole own heading ("beslutsunderlag" ->
    the section "Beslutsunderlag"). Document headers and tables of contents have no such heading."""
    heading = section_heading_terms(chunk)
    return bool(heading) and heading <= set(terms)


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
    return bool(re.match(r"^([-–•*▪]\s|\d{1,2}[.)]\s|[Aa]tt\s)", text))


def leads_list(chunk: Chunk, index: int) -> bool:
    """A lead-in: a span followed by list items ("Kommunstyrelsen beslutar att:" / "1. anta …").

    subtle: lives here, not in compose.py, because scoring spares a short lead-in the bare-label
    penalty; compose.py imports it from here.
    """
    spans = chunk.spans
    if index + 1 >= len(spans) or is_item(spans[index][0]):
        return False
    return spans[index][0].rstrip().endswith(":") or is_item(spans[index + 1][0])


def names_code(question: str) -> bool:
    """Whether a question names a delmål code. Example: names_code("Vad säger delmål B1?") -> True"""
    return bool(_codes(question))


def codes_meet(question: str, chunk: Chunk, text: str) -> bool:
    """Whether the delmål code a question names ("enligt delmål B1") heads this span or is in it."""
    codes = _codes(question)
    return bool(codes and codes & _codes(f"{' '.join(chunk.heading_path)} {text}"))


_YEARS = re.compile(r"\b((?:19|20)\d\d)\b")
_GOAL_ROW = re.compile(r"^[A-H]\d{1,2}\.?\s+[A-ZÅÄÖ]")


def _codes(text: str) -> set[str]:
    """Delmål codes in a text. Example: _codes("delmål A2 och B1.") -> {"a2", "b1"}"""
    return {c.lower() for c in re.findall(r"\b([A-H]\d{1,2})\b", text)}


def _common_prefix(a: str, b: str) -> str:
    """Example: _common_prefix("rekommender", "rekommendation") -> "rekommend" """
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _scale(dense: float) -> float:
    """Cosine similarity mapped onto 0..1: 0.70 or less -> 0.0, 0.80 -> 0.5, 0.90 or more -> 1.0."""
    return float(min(max((dense - 0.70) / 0.20, 0.0), 1.0))
