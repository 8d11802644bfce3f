"""Ranked chunks -> a short extractive answer whose every claim is a verified verbatim quote, or an
honest abstention that says what was searched. Deterministic: no language model.

The steps: a question about a place, name or topic the corpus lacks is abstained on (grounds.py);
spans are scored (evidence.py); a typed question ("när", "vem", "hur många") keeps only spans that
hold the asked type and speak of the asked thing; the best must be evidence enough (grounds.py);
the answer's spans are chosen (compose.py) from documents on the asked topic; each quote is
verified; claims from several documents are labelled with whose they are.

Does not: search (retrieval.py), score or choose spans (evidence.py, compose.py), judge whether
there are grounds to answer (grounds.py) or render (cli.py / ui.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping

import numpy as np

from assistant.answer.answertypes import TYPE_WORDS, answer_type, counted_word, holds_type
from assistant.answer.compose import asks_many, compose, document_date
from assistant.answer.evidence import Candidate, content_terms, coverage, score_spans
from assistant.answer.grounds import Grounds
from assistant.answer.verify import CitationVerifier
from assistant.documents import Answer, ChunkMetadata, Citation
from assistant.language.analysis import analyze, translate_terms
from assistant.language.text import fold, is_swedish, normalize_ws
from assistant.search.hybrid import RetrievalResult

__all__ = ["Candidate", "ExtractiveAnswerer", "merge_answers"]


class ExtractiveAnswerer:
    """Picks the sentences or list items that answer, composes them with [n] markers, verifies them."""

    def __init__(
        self,
        vectors: Mapping[str, np.ndarray],
        verifier: CitationVerifier,
        max_claims: int = 3,
        held_orgs: list[str] | None = None,
        idf: Callable[[str], float] | None = None,
        document_texts: dict[str, list[str]] | None = None,
    ) -> None:
        self.vectors = vectors
        self.idf = idf or (lambda term: 1.0)
        self.verifier = verifier
        self.max_claims = max_claims
        self.held_orgs = held_orgs or []
        self.grounds = Grounds(self.idf, document_texts)

    def answer(
        self, result: RetrievalResult, timings: dict[str, float] | None = None, parts: int = 1
    ) -> Answer:
        """``parts`` > 1 when this is one place of a question about several: each place's answer then
        needs to cover only its share of the question's terms."""
        started = time.perf_counter()
        share = 1.0 / max(parts, 1)
        if parts == 1 and asks_many(result.question):
            # "… förvaltningschef, kommundirektör respektive …": each quote answers its share.
            share = 0.5
        swedish = is_swedish(result.question)
        timings = dict(timings or {})
        unknown_kommuner = [p for p in result.unknown_places if p.kind == "kommun"]
        if result.unknown_places and (not result.places or unknown_kommuner):
            # A municipality with no document of its own is not covered, even inside a held län.
            names = ", ".join(p.official for p in (unknown_kommuner or result.unknown_places))
            return self._abstain(result, swedish, timings, started, unknown=names)
        stranger = self.grounds.stranger(result)
        if stranger:
            return self._abstain(result, swedish, timings, started, name=stranger)
        scored = score_spans(result, self.vectors, self.idf)
        own_date = document_date(scored, result.question)
        if own_date:
            candidates = [own_date]  # the document's own date needs no more evidence
        else:
            candidates = self.grounds.evidence(self._typed(scored, result, share), result, share)
        if not candidates:
            return self._abstain(result, swedish, timings, started)
        chosen = compose(candidates, result, self.idf, self.max_claims)
        chosen = self.grounds.on_topic(chosen, result)
        if not chosen:
            return self._abstain(result, swedish, timings, started)
        citations: list[Citation] = []
        claims: list[str] = []
        # An answer drawn from several documents (or one place of several) says whose each quote is.
        labelled = parts > 1 or len({c.chunk.document for c in chosen}) > 1
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
            label = f"{source_label(cand.chunk.metadata)}: " if labelled else ""
            claims.append(f"{label}{_display(cand.text)} [{citation.n}]")
        if not citations:
            return self._abstain(result, swedish, timings, started)
        timings["answer_ms"] = (time.perf_counter() - started) * 1000
        return Answer(
            result.question,
            _render(claims, swedish),
            False,
            tuple(citations),
            timings,
            "sv" if swedish else "en",
            claims=tuple(claims),
        )

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
        content = content_terms(result, self.idf)
        kept: list[tuple[float, Candidate]] = []
        for cand in candidates:
            if not holds_type(cand.text, kind, counted if kind == "count" else ""):
                continue
            if kind in ("reference", "paragraph"):
                # An identifier belongs to its whole document, not to one sentence.
                kept.append((1.0, cand))
                continue
            # The document's title and type say little of one span; but a span that itself names
            # the type ("… skall lämna remissvar senast …") speaks of it.
            title_terms = set(analyze(cand.chunk.title)) | (
                set(analyze(cand.chunk.metadata.doc_type)) - set(analyze(cand.text))
            )
            event = {
                t: w for t, w in content.items() if t not in title_terms and t not in TYPE_WORDS
            }
            covered = coverage(event, cand)
            if covered >= 0.5 * share:
                kept.append((covered, cand))
        # The span that speaks most of the asked thing first ("Tjänsteskrivelse, daterad …" for
        # the date of the tjänsteskrivelse), then the usual score.
        kept.sort(key=lambda item: (-round(item[0], 1), -item[1].score))
        return [cand for _, cand in kept]

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
    claims: list[str] = []
    for part in answered:
        offset = len(citations)
        for c in part.citations:
            citations.append(
                Citation(
                    len(citations) + 1, c.document, c.title, c.section, c.page, c.lines, c.quote
                )
            )
        claims += [_renumber(claim, offset) for claim in part.claims]
    swedish = answered[0].language == "sv"
    return Answer(
        question,
        _render(claims, swedish),
        False,
        tuple(citations),
        dict(answered[0].timings_ms),
        answered[0].language,
        claims=tuple(claims),
    )


def _renumber(claim: str, offset: int) -> str:
    """Example: _renumber("Socialnämnden [2]", 3) -> "Socialnämnden [5]" """
    return re.sub(r"\[(\d+)\]$", lambda m: f"[{int(m.group(1)) + offset}]", claim)


def _render(claims: list[str], swedish: bool) -> str:
    """The answer text: claims in a line each when more than three, else as one paragraph."""
    lead = "" if swedish else "From the documents (quoted in Swedish): "
    return lead + ("\n".join(f"- {c}" for c in claims) if len(claims) > 3 else " ".join(claims))


def source_label(metadata: ChunkMetadata) -> str:
    """Whose document a chunk is: its organisation, and its län when the name does not say it.

    Example: ChunkMetadata(org="Alingsås kommun", lan_name="Västra Götalands län")
    -> "Alingsås kommun (Västra Götalands län)"; ChunkMetadata(org="Region Gävleborg",
    lan_name="Gävleborgs län") -> "Region Gävleborg"
    """
    org = metadata.org
    lan = metadata.lan_name
    if not org:
        return lan or "?"
    stem = fold(lan.split(" län")[0]).rstrip("s")
    return org if not lan or stem in fold(org) else f"{org} ({lan})"


def _searched(result: RetrievalResult) -> list[str]:
    """The distinct "title › section" of the top five chunks: what an abstention says it searched."""
    seen: list[str] = []
    for retrieved in result.chunks[:5]:
        label = f"{retrieved.chunk.title} › {retrieved.chunk.heading_path[-1]}"
        if label not in seen:
            seen.append(label)
    return seen


def _display(text: str) -> str:
    """A quote as shown in the answer. Example: "- Kommunstyrelsen\tbeslutar" -> "Kommunstyrelsen – beslutar"

    subtle: only the shown text changes; the citation keeps the verbatim quote that was verified.
    """
    return normalize_ws(re.sub(r"^[-–•*▪]\s+", "", text).replace("\t", " – "))
