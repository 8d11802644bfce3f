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

from assistant.analysis import analyze, translate_terms
from assistant.answertypes import TYPE_WORDS, answer_type, counted_word, holds_type
from assistant.documents import Answer, Chunk, Citation
from assistant.retrieval import RetrievalResult
from assistant.store import text_key
from assistant.textutil import ISO_DATE, TEXT_DATE, fold, is_swedish, normalize_ws
from assistant.verify import CitationVerifier

_DATE_Q = re.compile(
    r"\b(när|datum|senast|deadline|sista dag|vilket år|tidsplan|when|date|by when|what year|period)\b",
    re.I,
)
_WHO_Q = re.compile(
    r"\b(vem|vilka personer|vem är|vilken person|kontakt\w*|handläggare|ordförande|who|whom|contact|signed|undertecknat)\b",
    re.I,
)
_COUNT_Q = re.compile(r"\b(hur många|antal|how many|number of)\b", re.I)
_LIST_Q = re.compile(
    r"\b(vilka|lista|list|nämn|which|what are|fokusområden|delmål|mottagare|recipients|skickas till|sent to|beslutsunderlag)\b",
    re.I,
)
_MANY_DOCS_Q = re.compile(
    r"\b(vilka (av )?(dokument|dokumenten|län|regioner|kommuner)|which (of the )?documents|respektive|båda|both|jämför|compare)\b",
    re.I,
)
_ANAPHOR = re.compile(r"^(Dessa|Denna|Detta|Det|De|Den|Där|Därefter|Då|Som en följd)\b")
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

    def __init__(
        self,
        vectors: dict[str, np.ndarray],
        verifier: CitationVerifier,
        max_claims: int = 3,
        held_orgs: list[str] | None = None,
        idf: Callable[[str], float] | None = None,
    ) -> None:
        self.vectors = vectors
        self.idf = idf or (lambda term: 1.0)
        self.verifier = verifier
        self.max_claims = max_claims
        self.held_orgs = held_orgs or []

    def answer(
        self, result: RetrievalResult, timings: dict[str, float] | None = None, parts: int = 1
    ) -> Answer:
        """``parts`` > 1 when this is one place of a question about several: each place's answer then
        needs to cover only its share of the question's terms."""
        started = time.perf_counter()
        share = 1.0 / max(parts, 1)
        swedish = is_swedish(result.question)
        timings = dict(timings or {})
        unknown_kommuner = [p for p in result.unknown_places if p.kind == "kommun"]
        if result.unknown_places and (not result.places or unknown_kommuner):
            # A municipality with no document of its own is not covered, even inside a held län.
            names = ", ".join(p.official for p in (unknown_kommuner or result.unknown_places))
            return self._abstain(result, swedish, timings, started, unknown=names)
        stranger = self._unknown_name(result) if swedish else ""
        if stranger:
            return self._abstain(result, swedish, timings, started, name=stranger)
        candidates = self._typed(self.candidates(result), result, share)
        if not candidates or not self._supported(candidates[0], share):
            return self._abstain(result, swedish, timings, started)
        chosen = self._compose(candidates, result)
        citations: list[Citation] = []
        claims: list[str] = []
        for cand in chosen:
            citation = Citation(
                n=len(citations) + 1,
                document=cand.chunk.document,
                title=cand.chunk.title,
                section=cand.chunk.section,
                page=cand.page,
                lines=(cand.first, cand.last),
                quote=cand.text,
            )
            if not self.verifier.verify(citation):
                continue  # never show a quote that is not where it says it is
            citations.append(citation)
            claims.append(f"{_display(cand.text)} [{citation.n}]")
        if not citations:
            return self._abstain(result, swedish, timings, started)
        lead = "" if swedish else "From the documents (quoted in Swedish): "
        text = lead + ("\n".join(f"- {c}" for c in claims) if len(claims) > 3 else " ".join(claims))
        timings["answer_ms"] = (time.perf_counter() - started) * 1000
        return Answer(
            result.question, text, False, tuple(citations), timings, "sv" if swedish else "en"
        )

    def candidates(self, result: RetrievalResult) -> list[Candidate]:
        """Every span of the retrieved chunks, scored against the question."""
        content = self._content_terms(result)
        total = sum(content.values()) or 1.0
        qvec = result.query_vector
        wants_date = bool(_DATE_Q.search(result.question))
        wants_person = bool(_WHO_Q.search(result.question))
        wants_count = bool(_COUNT_Q.search(result.question))
        codes = _codes(result.question)
        out: list[Candidate] = []
        for retrieved in result.chunks:
            chunk = retrieved.chunk
            # Context a span inherits: its headings fully, the document's title and type partly.
            heading_terms = set(analyze(" ".join(chunk.heading_path)))
            own_heading = (
                set(analyze(chunk.heading_path[-1])) if chunk.kind != "preamble" else set()
            )
            context_terms = set(
                analyze(
                    f"{chunk.title} {chunk.metadata.get('doc_type', '')} {chunk.metadata.get('orgs', '')}"
                )
            )
            prior = 0.08 / retrieved.rank
            for index, (text, first, last, page) in enumerate(chunk.spans):
                span_terms = set(analyze(text))
                covered = 0.0
                for term, weight in content.items():
                    if term in span_terms or _compound_hit(term, span_terms):
                        covered += weight
                    elif term in heading_terms or _compound_hit(term, heading_terms):
                        covered += 0.8 * weight
                    elif term in context_terms or _compound_hit(term, context_terms):
                        covered += 0.6 * weight
                lexical = min(covered / total, 1.0)
                vector = self.vectors.get(text_key(text))
                dense = float(vector @ qvec) if vector is not None else 0.0
                bonus = 0.0
                if wants_date and _has_date(text):
                    bonus += 0.12
                if wants_person and _PERSON.search(text):
                    bonus += 0.06
                if wants_count and _NUMBER.search(text):
                    bonus += 0.06
                if own_heading & set(content):
                    bonus += 0.05  # the span sits in the section the question names
                    if own_heading <= set(content):
                        bonus += 0.1  # …by its very name: "Vad är målbilden?" -> section "Målbild"
                if codes and codes & _codes(f"{' '.join(chunk.heading_path)} {text}"):
                    bonus += 0.15  # "delmål A2" meets the A2 heading or the A2 row of a table
                if len(text) < 25 and not _PERSON.search(text) and not _leads_list(chunk, index):
                    bonus -= 0.1  # a bare label says little on its own
                score = 0.55 * _scale(dense) + 0.45 * lexical + prior + bonus
                out.append(
                    Candidate(
                        chunk, retrieved.rank, index, text, first, last, page, score, lexical, dense
                    )
                )
        out.sort(key=lambda c: -c.score)
        return out

    def _content_terms(self, result: RetrievalResult) -> dict[str, float]:
        """IDF-weighted question terms, without the place names routing already used."""
        terms = {t: w * self.idf(t) for t, w in result.terms.items() if w >= 1.0}
        if not is_swedish(result.question):
            # subtle: untranslated English words are not evidence of absence; count them at half weight.
            unknown = self._unknown_idf()
            terms = {t: (w if self.idf(t) < unknown else w / 2) for t, w in terms.items()}
        # Place words (and compounds that start with one: "alingsåsärendet") were used for routing.
        prefixes = tuple(
            fold(p.name)[:5] for p in result.mentioned + result.places if len(p.name) >= 4
        )
        kept = {
            t: w
            for t, w in terms.items()
            if not (prefixes and fold(t).startswith(prefixes)) and t not in TYPE_WORDS
        }
        return kept or terms

    def _typed(
        self, candidates: list[Candidate], result: RetrievalResult, share: float = 1.0
    ) -> list[Candidate]:
        """For a question asking for a date, person, count, amount …: only spans that hold one and speak
        of what is asked (at least half the question's own terms, titles aside). Open questions: all."""
        kind = answer_type(result.question)
        if kind is None:
            return candidates
        counted = counted_word(result.question)
        if counted and not is_swedish(result.question):
            counted = next(iter(translate_terms(counted)), counted)
        content = self._content_terms(result)
        kept: list[tuple[float, Candidate]] = []
        for cand in candidates:
            if not holds_type(cand.text, kind, counted if kind == "count" else ""):
                continue
            if kind in ("reference", "paragraph"):
                # An identifier belongs to its whole document, not to one sentence.
                kept.append((1.0, cand))
                continue
            title_terms = set(
                analyze(f"{cand.chunk.title} {cand.chunk.metadata.get('doc_type', '')}")
            )
            event = {
                t: w for t, w in content.items() if t not in title_terms and t not in TYPE_WORDS
            }
            coverage = _coverage(event, cand)
            if coverage >= 0.5 * share:
                kept.append((coverage, cand))
        # The span that speaks most of the asked thing first ("Tjänsteskrivelse, daterad …" for
        # the date of the tjänsteskrivelse), then the usual score.
        kept.sort(key=lambda item: (-round(item[0], 1), -item[1].score))
        return [cand for _, cand in kept]

    def _unknown_name(self, result: RetrievalResult) -> str:
        """A proper name in a Swedish question that no document uses ("Hur hög är Kebnekaise?").

        Swedish capitalises only names, so a capitalised word after the first that the corpus never
        uses (and that is no place the gazetteer knows) means the question is about something else.
        """
        words = re.findall(r"(?<=[\s(])([A-ZÅÄÖ][a-zåäöé]{2,})\b", result.question)
        places = tuple(fold(p.name)[:5] for p in result.mentioned)
        for word in words:
            terms = analyze(word)
            if not terms or (places and fold(word).startswith(places)):  # "Alingsåsärendet"
                continue
            if all(self.idf(t) >= self._unknown_idf() for t in terms):
                return word
        return ""

    def _unknown_idf(self) -> float:
        return self.idf("\x00never-a-term")

    @staticmethod
    def _supported(best: Candidate, share: float) -> bool:
        # Evidence: the best span shares the question's content words, or is very close in meaning
        # (English questions over Swedish text share few words).
        if best.lexical >= 0.35 * share:
            return True
        return best.lexical >= 0.2 * share and best.dense >= 0.88

    def _compose(self, candidates: list[Candidate], result: RetrievalResult) -> list[Candidate]:
        best = candidates[0]
        if _DATE_Q.search(result.question):
            dated = [c for c in candidates[:8] if _has_date(c.text) and c.score >= best.score - 0.2]
            best = dated[0] if dated else best
        many_docs = bool(_MANY_DOCS_Q.search(result.question)) and not result.places
        if _LIST_Q.search(result.question) and not many_docs:
            # A list whose heading names what is asked ("Expedieras till", "Beslutsunderlag",
            # "Fokusområden") beats a sentence that only mentions it.
            content = self._content_terms(result)
            named = [(_heading_share(content, c), c) for c in candidates[:30] if _is_listy(c)]
            named = [
                (share, c) for share, c in named if share >= 0.25 and c.score >= best.score - 0.25
            ]
            if named:
                best = max(named, key=lambda item: (item[0], item[1].score))[1]
        listy = _leads_list(best.chunk, best.index) or (
            _is_listy(best) and _LIST_Q.search(result.question)
        )
        if listy and not many_docs:
            return self._list_answer(best)
        chosen = [best]
        following = best.index + 1
        if following < len(best.chunk.spans) and _same_paragraph(best.chunk, best.index, following):
            # The next sentence of the same paragraph often finishes the answer ("… har beretts av
            # arbetsgruppen. Förslaget har remissbehandlats …"); it joins when nearly as relevant.
            nxt = next(
                (c for c in candidates if c.chunk.id == best.chunk.id and c.index == following),
                None,
            )
            if nxt is not None and nxt.score >= best.score - 0.3:
                chosen.append(nxt)
        if _ANAPHOR.match(best.text) and best.index > 0:
            # "Dessa två grupperingar …" needs the sentence that names them.
            chosen.insert(0, self._span(best, best.index - 1))
        if many_docs:
            for cand in candidates:  # the best span of each further document
                if len(chosen) >= 4:
                    break
                if (
                    cand.chunk.document not in {c.chunk.document for c in chosen}
                    and cand.score >= best.score - 0.2
                ):
                    chosen.append(cand)
            return _unique(chosen)
        for cand in candidates:
            if len(chosen) >= self.max_claims:
                break
            if cand is best or cand.score < best.score - 0.12 or len(cand.text) < 25:
                continue
            chosen.append(cand)
        return _unique(chosen)

    def _list_answer(self, best: Candidate) -> list[Candidate]:
        """A list answer: the lead-in and its items (or the whole list section), in document order."""
        spans = best.chunk.spans
        if _leads_list(best.chunk, best.index):
            start = best.index
            end = start + 1
            while end < len(spans) and _is_item(spans[end][0]):
                end += 1
        elif best.chunk.kind in ("list", "table"):
            start, end = 0, len(spans)
        else:
            start, end = best.index, best.index + 1
        return _unique([self._span(best, i) for i in range(start, min(end, start + 12))])

    @staticmethod
    def _span(like: Candidate, index: int) -> Candidate:
        text, first, last, page = like.chunk.spans[index]
        return Candidate(
            like.chunk,
            like.rank,
            index,
            text,
            first,
            last,
            page,
            like.score,
            like.lexical,
            like.dense,
        )

    def _abstain(
        self,
        result: RetrievalResult,
        swedish: bool,
        timings: dict[str, float],
        started: float,
        unknown: str = "",
        name: str = "",
    ) -> Answer:
        searched = _searched(result)
        filters = ", ".join(result.filters.describe())
        if unknown:
            held = ", ".join(self.held_orgs)
            text = (
                f"Dokumenten handlar inte om {unknown}. Korpusen omfattar: {held}."
                if swedish
                else f"The documents do not cover {unknown}. The corpus covers: {held}."
            )
        else:
            text = "Det framgår inte av dokumenten. " if swedish else "The documents do not say. "
            if name:
                text += (
                    f"Inget dokument nämner ”{name}”. "
                    if swedish
                    else f"No document mentions “{name}”. "
                )
            if searched:
                text += ("Sökte i: " if swedish else "Searched: ") + "; ".join(searched) + "."
        if filters:
            text += (" Filter: " if swedish else " Filters: ") + filters + "."
        timings["answer_ms"] = (time.perf_counter() - started) * 1000
        return Answer(
            result.question, text, True, (), timings, "sv" if swedish else "en", tuple(searched)
        )


def merge_answers(question: str, parts: list[Answer]) -> Answer:
    """One answer from per-place answers ("… i Alingsås respektive i Enköping"), citations renumbered.

    Abstains only when every part abstains.
    """
    answered = [p for p in parts if not p.abstained]
    if not answered:
        first = parts[0]
        return Answer(
            question, first.answer, True, (), first.timings_ms, first.language, first.searched
        )
    citations: list[Citation] = []
    lines = []
    for part in answered:
        for c in part.citations:
            citations.append(
                Citation(
                    len(citations) + 1, c.document, c.title, c.section, c.page, c.lines, c.quote
                )
            )
            lines.append(f"{_display(c.quote)} [{len(citations)}]")
    swedish = answered[0].language == "sv"
    lead = "" if swedish else "From the documents (quoted in Swedish): "
    text = lead + ("\n".join(f"- {x}" for x in lines) if len(lines) > 3 else " ".join(lines))
    return Answer(
        question, text, False, tuple(citations), dict(answered[0].timings_ms), answered[0].language
    )


def _coverage(terms: dict[str, float], cand: Candidate) -> float:
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
            if term in layer or _compound_hit(term, layer):
                got += share * weight
                break
    return got / sum(terms.values())


def _heading_share(terms: dict[str, float], cand: Candidate) -> float:
    """Share of the question's weighted terms named by the span's own section heading (not the title)."""
    if not terms or len(cand.chunk.heading_path) == 0 or cand.chunk.kind == "preamble":
        return 0.0
    heading = set(analyze(cand.chunk.heading_path[-1]))
    return sum(w for t, w in terms.items() if t in heading or _compound_hit(t, heading)) / sum(
        terms.values()
    )


def _codes(text: str) -> set[str]:
    """Delmål codes in a text. Example: _codes("delmål A2 och B1.") -> {"a2", "b1"}"""
    return {c.lower() for c in re.findall(r"\b([A-H]\d{1,2})\b", text)}


def _same_paragraph(chunk: Chunk, first: int, second: int) -> bool:
    """Whether two spans are consecutive sentences of one paragraph (joined by a space in the chunk)."""
    return f"{chunk.spans[first][0]} {chunk.spans[second][0]}" in chunk.text


def _is_item(text: str) -> bool:
    return bool(re.match(r"^([-–•*▪]\s|\d{1,2}[.)]\s|[Aa]tt\s)", text))


def _leads_list(chunk: Chunk, index: int) -> bool:
    """A lead-in: a span followed by list items ("Kommunstyrelsen beslutar att:" / "1. anta …")."""
    spans = chunk.spans
    if index + 1 >= len(spans) or _is_item(spans[index][0]):
        return False
    return spans[index][0].rstrip().endswith(":") or _is_item(spans[index + 1][0])


def _is_listy(cand: Candidate) -> bool:
    return (
        cand.chunk.kind in ("list", "table")
        or cand.text.rstrip().endswith(":")
        or bool(re.match(r"^[-–•*\d]", cand.text))
    )


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


def _compound_hit(term: str, terms: set[str]) -> bool:
    """A question word inside a compound, or two inflections of one word.

    Example: _compound_hit("nivå", {"fullmäktigenivå"}) -> True; ("rekommender", {"rekommendation"}) -> True
    """
    if len(term) < 4:
        return False
    for other in terms:
        if len(other) > len(term) and term in other:
            return True
        shared = len(_common_prefix(term, other))
        # Two inflections share a stem and differ in a short ending; a compound ("beslut" inside
        # "beslutsunderlag") is not the same word.
        if shared >= 6 and len(term) - shared <= 5 and len(other) - shared <= 5:
            return True
    return False


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _scale(dense: float) -> float:
    return float(min(max((dense - 0.70) / 0.20, 0.0), 1.0))


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _display(text: str) -> str:
    return normalize_ws(re.sub(r"^[-–•*▪]\s+", "", text).replace("\t", " – "))
