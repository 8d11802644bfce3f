"""Ranked chunks -> a short extractive answer whose every claim is a verified verbatim quote, or an
honest abstention that says what was searched. Deterministic: no language model.

Does not: search (retrieval.py) or render (cli.py / ui.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from assistant.documents import Answer, Chunk, Citation
from assistant.retrieval import RetrievalResult, analyze
from assistant.store import text_key
from assistant.textutil import ISO_DATE, TEXT_DATE, is_swedish, normalize_ws
from assistant.verify import CitationVerifier

_DATE_Q = re.compile(r"\b(när|datum|senast|deadline|sista dag|vilket år|tidsplan|when|date|by when|what year|period)\b", re.I)
_WHO_Q = re.compile(r"\b(vem|vilka personer|vem är|vilken person|kontakt\w*|handläggare|ordförande|who|whom|contact|signed|undertecknat)\b", re.I)
_COUNT_Q = re.compile(r"\b(hur många|antal|how many|number of)\b", re.I)
_LIST_Q = re.compile(r"\b(vilka|lista|list|nämn|which|what are|fokusområden|delmål|mottagare|recipients|skickas till|sent to|beslutsunderlag)\b", re.I)
_PERSON = re.compile(r"\b[A-ZÅÄÖ][a-zåäöé]+ (?:[A-ZÅÄÖ][a-zåäöé]+[- ]?){1,2}\b|@")
_NUMBER = re.compile(r"\b\d+\b")


@dataclass(frozen=True)
class Candidate:
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


class ExtractiveAnswerer:
    """Picks the sentences or list items that answer, composes them with [n] markers, verifies them."""

    def __init__(self, vectors: dict[str, np.ndarray], verifier: CitationVerifier, max_claims: int = 3,
                 held_orgs: list[str] | None = None, idf: Callable[[str], float] | None = None) -> None:
        self.vectors = vectors
        self.idf = idf or (lambda term: 1.0)
        self.verifier = verifier
        self.max_claims = max_claims
        self.held_orgs = held_orgs or []

    def answer(self, result: RetrievalResult, timings: dict[str, float] | None = None) -> Answer:
        started = time.perf_counter()
        swedish = is_swedish(result.question)
        timings = dict(timings or {})
        if result.unknown_places and not result.places:
            names = ", ".join(p.official for p in result.unknown_places)
            return self._abstain(result, swedish, timings, started, unknown=names)
        candidates = self.candidates(result)
        if not candidates or not self._supported(candidates[0], result):
            return self._abstain(result, swedish, timings, started)
        chosen = self._compose(candidates, result)
        citations, parts = [], []
        for cand in chosen:
            citation = Citation(
                n=len(citations) + 1, document=cand.chunk.document, title=cand.chunk.title,
                section=cand.chunk.section, page=cand.page, lines=(cand.first, cand.last), quote=cand.text,
            )
            if not self.verifier.verify(citation):
                continue  # never show a quote that is not where it says it is
            citations.append(citation)
            parts.append(f"{_display(cand.text)} [{citation.n}]")
        if not citations:
            return self._abstain(result, swedish, timings, started)
        lead = "" if swedish else "From the documents (quoted in Swedish): "
        text = lead + ("\n".join(f"- {p}" for p in parts) if len(parts) > 3 else " ".join(parts))
        timings["answer_ms"] = (time.perf_counter() - started) * 1000
        return Answer(result.question, text, False, tuple(citations), timings, "sv" if swedish else "en")

    def candidates(self, result: RetrievalResult) -> list[Candidate]:
        """Every span of the retrieved chunks, scored against the question."""
        question_terms = {t: w * self.idf(t) for t, w in result.terms.items() if w >= 1.0}
        if not is_swedish(result.question):
            # subtle: untranslated English words are not evidence of absence; count them at half weight.
            question_terms = {t: (w if self.idf(t) < self._unknown_idf() else w / 2) for t, w in question_terms.items()}
        place_terms = set(analyze(" ".join(f"{p.name} {p.official}" for p in result.places)))
        content = {t: w for t, w in question_terms.items() if t not in place_terms} or question_terms
        total = sum(content.values()) or 1.0
        qvec = result.query_vector
        wants_date = bool(_DATE_Q.search(result.question))
        wants_person = bool(_WHO_Q.search(result.question))
        wants_count = bool(_COUNT_Q.search(result.question))
        out: list[Candidate] = []
        for retrieved in result.chunks:
            chunk = retrieved.chunk
            heading_terms = set(analyze(" ".join(chunk.heading_path)))
            prior = 0.08 / retrieved.rank
            for index, (text, first, last, page) in enumerate(chunk.spans):
                span_terms = set(analyze(text))
                expanded = {t for t in result.terms if t in span_terms}
                lexical = sum(w for t, w in content.items() if t in span_terms or _compound_hit(t, span_terms, expanded))
                lexical += 0.8 * sum(w for t, w in content.items() if t in heading_terms and t not in span_terms)
                lexical = min(lexical / total, 1.0)
                vector = self.vectors.get(text_key(text))
                dense = float(vector @ qvec) if vector is not None else 0.0
                bonus = 0.0
                if wants_date and _has_date(text):
                    bonus += 0.12
                if wants_person and _PERSON.search(text):
                    bonus += 0.06
                if wants_count and _NUMBER.search(text):
                    bonus += 0.06
                if len(text) < 25:
                    bonus -= 0.1  # a bare label or name says little on its own
                score = 0.55 * _scale(dense) + 0.45 * lexical + prior + bonus
                out.append(Candidate(chunk, retrieved.rank, index, text, first, last, page, score, lexical, dense))
        out.sort(key=lambda c: -c.score)
        return out

    def _unknown_idf(self) -> float:
        return self.idf("\x00never-a-term")

    @staticmethod
    def _supported(best: Candidate, result: RetrievalResult) -> bool:
        # Evidence: the best span shares the question's content words, or is very close in meaning
        # (English questions over Swedish text have no shared words).
        if best.lexical >= 0.5:
            return True
        return best.lexical >= 0.25 and best.dense >= 0.90

    def _compose(self, candidates: list[Candidate], result: RetrievalResult) -> list[Candidate]:
        if _DATE_Q.search(result.question):
            dated = [c for c in candidates[:6] if _has_date(c.text) and c.score >= candidates[0].score - 0.2]
            candidates = dated + [c for c in candidates if c not in dated] if dated else candidates
        best = candidates[0]
        spans = best.chunk.spans
        wants_list = bool(_LIST_Q.search(result.question))
        is_list = best.chunk.kind in ("list", "table") or best.text.rstrip().endswith(":")
        if (wants_list and is_list) or best.text.rstrip().endswith(":"):
            # A list answer: the lead-in and its items, in document order.
            picked = [i for i in range(len(spans)) if i >= best.index or best.chunk.kind in ("list", "table")]
            chosen = [self._span(best, i) for i in picked[:10]]
            return _unique(chosen)
        chosen = [best]
        for cand in candidates[1:]:
            if len(chosen) >= self.max_claims:
                break
            if cand.score < best.score - 0.12 or len(cand.text) < 25:
                continue
            chosen.append(cand)
        return _unique(chosen)

    @staticmethod
    def _span(like: Candidate, index: int) -> Candidate:
        text, first, last, page = like.chunk.spans[index]
        return Candidate(like.chunk, like.rank, index, text, first, last, page, like.score, like.lexical, like.dense)

    def _abstain(self, result: RetrievalResult, swedish: bool, timings: dict[str, float], started: float,
                 unknown: str = "") -> Answer:
        searched = _searched(result)
        filters = ", ".join(result.filters.describe())
        if unknown:
            held = ", ".join(self.held_orgs)
            text = (f"Dokumenten handlar inte om {unknown}. Korpusen omfattar: {held}." if swedish else
                    f"The documents do not cover {unknown}. The corpus covers: {held}.")
        else:
            text = ("Det framgår inte av dokumenten. " if swedish else "The documents do not say. ")
            if searched:
                text += ("Sökte i: " if swedish else "Searched: ") + "; ".join(searched) + "."
        if filters:
            text += (" Filter: " if swedish else " Filters: ") + filters + "."
        timings["answer_ms"] = (time.perf_counter() - started) * 1000
        return Answer(result.question, text, True, (), timings, "sv" if swedish else "en", tuple(searched))


def _has_date(text: str) -> bool:
    return bool(ISO_DATE.search(text) or TEXT_DATE.search(text))


def _unique(cands: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for cand in cands:
        if _key(cand.text) not in seen:
            seen.add(_key(cand.text))
            out.append(cand)
    return out


def _searched(result: RetrievalResult) -> list[str]:
    seen: list[str] = []
    for retrieved in result.chunks[:5]:
        label = f"{retrieved.chunk.title} › {retrieved.chunk.heading_path[-1]}"
        if label not in seen:
            seen.append(label)
    return seen


def _compound_hit(term: str, span_terms: set[str], expanded: set[str]) -> bool:
    return len(term) >= 5 and any(term in other for other in span_terms if len(other) > len(term))


def _scale(dense: float) -> float:
    return float(min(max((dense - 0.70) / 0.20, 0.0), 1.0))


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _display(text: str) -> str:
    return normalize_ws(re.sub(r"^[-–•*▪]\s+", "", text).replace("\t", " – "))
