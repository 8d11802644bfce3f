"""Ranked chunks -> a short extractive answer whose every claim is a verified verbatim quote, or an
honest abstention that names what was asked. Deterministic: no language model.

The steps: the question comes understood (answer/question/, before search); a question about a
place or name the corpus lacks is abstained on (grounds.py); every span of the retrieved chunks
that can answer (for a typed question: holds the asked type) gets features (features.py) and a
probability from the learned scorer (scorer.py); below the fitted threshold the assistant
abstains; else the selectors (select.py) choose the claims; each quote is verified; claims from
several documents are labelled with whose they are.

Does not: search (search/), fit weights (evaluation/fit.py) or render (cli/, ui/, messages.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np

from assistant.answer.evidence import evidence
from assistant.answer.features import Candidate, candidates, question_features
from assistant.answer.grounds import Grounds
from assistant.answer.question import Question, asked_detail, part_detail
from assistant.answer.reader.model import Reader
from assistant.answer.scorer import EvidenceScorer
from assistant.answer.select import Scored, choose, unanswered_parts
from assistant.answer.verify import CitationVerifier
from assistant.answers import Abstention, Answer, Citation
from assistant.documents import ChunkMetadata, RetrievalResult
from assistant.language.text import fold, normalize_ws
from assistant.store.embeddings import VectorsOnDemand

__all__ = ["MAX_CLAIMS", "Candidate", "ExtractiveAnswerer", "merge_answers"]

MAX_CLAIMS = 3  # claims in one answer (a list or a "vilka dokument" answer may hold more)


class ExtractiveAnswerer:
    """Picks the sentences or list items that answer, composes them with [n] markers, verifies them."""

    def __init__(
        self,
        vectors: Mapping[str, np.ndarray],
        verifier: CitationVerifier,
        max_claims: int = MAX_CLAIMS,
        held_orgs: list[str] | None = None,
        idf: Callable[[str], float] | None = None,
        document_texts: Callable[[], dict[str, list[str]]] | None = None,
        held_designations: Callable[[], frozenset[str]] | None = None,
    ) -> None:
        self.vectors = vectors
        self.idf = idf or (lambda term: 1.0)
        self.verifier = verifier
        self.max_claims = max_claims
        self.held_orgs = held_orgs or []
        self.grounds = Grounds(self.idf, document_texts, held_designations)

    def answer(
        self,
        question: Question,
        result: RetrievalResult,
        timings: dict[str, float] | None = None,
        parts: int = 1,
        reader: bool = False,
    ) -> Answer:
        """Every span of the retrieved chunks scored by the learned scorer; abstain below its fitted
        threshold, else the selectors choose the claims. ``parts`` > 1 when this is one place of
        a question about several (each claim is then labelled with whose it is). ``reader=True``
        weighs the reader model in (the scorer fitted with it decides; ASSISTANT_READER=on)."""
        started = time.perf_counter()
        timings = dict(timings or {})
        swedish = question.swedish
        unknown_kommuner = [p for p in question.unknown_places if p.kind == "kommun"]
        if question.unknown_places and (not question.places or unknown_kommuner):
            names = ", ".join(p.official for p in (unknown_kommuner or question.unknown_places))
            return self._abstain(result, swedish, timings, started, unknown=names)
        not_held = self.grounds.missing_document(question)
        if not_held:
            return self._abstain(result, swedish, timings, started, document=not_held)
        stranger = self.grounds.stranger(question)
        if stranger:
            return self._abstain(result, swedish, timings, started, name=stranger)
        cands = candidates(result)
        if not cands:
            return self._abstain(result, swedish, timings, started, detail=asked_detail(question))
        scorer = EvidenceScorer.bundled(reader)
        probs, p_right = self._probabilities(
            question, result, cands, question.terms, question.asks, reader
        )
        part_probs: tuple[np.ndarray, ...] = ()
        if len(question.parts) > 1:
            part_probs = tuple(
                self._probabilities(question, result, cands, part.terms, part.asks, reader)[0]
                for part in question.parts
            )
        if p_right < scorer.answer_threshold:
            return self._abstain(result, swedish, timings, started, detail=asked_detail(question))
        scored = Scored(cands, probs, part_probs)
        chosen = choose(question, scored, scorer.span_floor, scorer.extra_ratio, self.max_claims)
        chosen = self.grounds.on_topic(chosen, question)
        if not chosen:
            return self._abstain(result, swedish, timings, started, detail=asked_detail(question))
        # a question that asks two things: the part no chosen span answers is said to be missing
        # ("Vilka dokument anger …, och vad kallas …?" is answered document by document instead)
        missing = tuple(
            part_detail(question.parts[k], swedish)
            for k in unanswered_parts(scored, chosen, scorer.span_floor)
            if not question.asks_documents
        )
        answer = self._compose(result, chosen, swedish, timings, started, parts)
        if answer.abstained or not missing:
            return answer
        return replace(
            answer, answer=answer.answer + "\n" + _not_said(missing, swedish), missing_parts=missing
        )

    def _probabilities(
        self,
        question: Question,
        result: RetrievalResult,
        cands: list[Candidate],
        terms: dict[str, float],
        asks: str | None,
        reader: bool = False,
    ) -> tuple[np.ndarray, float]:
        """P(span answers) for every candidate (0 for spans that cannot answer a typed question),
        and P(the best of them is a right answer) from the abstention model.

        The spans and features are those the scorer was fitted on (evidence.py, evaluation/fit.py).
        """
        scorer = EvidenceScorer.bundled(reader)
        span_reader = Reader.bundled() if reader else None
        vectors = self.vectors
        if isinstance(vectors, VectorsOnDemand):  # a fill is running: bounded work per question
            vectors = vectors.for_question()
        found = evidence(question, result, cands, vectors, terms, asks, span_reader)
        probs = np.zeros(len(cands))
        if not found.pool:
            return probs, 0.0
        probs[found.keep] = scorer.span.probability(found.matrix)
        if scorer.abstain_on == "span":
            return probs, float(probs.max())
        row = question_features(question, found.pool, found.matrix, probs[found.keep])
        return probs, float(scorer.question.probability(row[None, :])[0])

    def _compose(
        self,
        result: RetrievalResult,
        chosen: Sequence[Candidate],
        swedish: bool,
        timings: dict[str, float],
        started: float,
        parts: int,
    ) -> Answer:
        """Verified citations and claims of the chosen spans; abstains if no quote verifies."""
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
                ocr=cand.page is not None and cand.page in cand.chunk.ocr_pages,
            )
            if not self.verifier.verify(citation):
                continue  # never show a quote that is not where it says it is
            citations.append(citation)
            whose = source_label(cand.chunk.metadata) if labelled else ""
            label = f"{whose}: " if whose else ""
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

    def _abstain(
        self,
        result: RetrievalResult,
        swedish: bool,
        timings: dict[str, float],
        started: float,
        unknown: str = "",
        name: str = "",
        detail: str = "",
        document: str = "",
    ) -> Answer:
        searched = tuple(_searched(result))
        if unknown:
            why = Abstention("place_not_covered", unknown, covered=tuple(self.held_orgs))
        elif document:
            why = Abstention("document_not_held", document)
        elif detail:
            why = Abstention("detail_not_given", detail)
        else:
            why = Abstention("name_not_mentioned" if name else "not_in_documents", name)
        why = replace(why, searched=searched, filters=tuple(result.filters.describe()))
        timings["answer_ms"] = (time.perf_counter() - started) * 1000
        return Answer(
            result.question,
            "",
            True,
            (),
            timings,
            "sv" if swedish else "en",
            searched,
            abstention=why,
        )


def merge_answers(question: str, parts: list[Answer], names: Sequence[str] = ()) -> Answer:
    """One answer from per-place answers ("… i Alingsås respektive i Enköping"), citations renumbered.

    Abstains only when every part abstains. A place whose part abstained (``names`` holds each
    part's place) is said to be missing from the documents, so a half answer does not pass for
    a whole one.
    """
    answered = [p for p in parts if not p.abstained]
    if not answered:
        return replace(parts[0], question=question)
    citations: list[Citation] = []
    claims: list[str] = []
    for part in answered:
        offset = len(citations)
        for c in part.citations:
            citations.append(replace(c, n=len(citations) + 1))
        claims += [_renumber(claim, offset) for claim in part.claims]
    swedish = answered[0].language == "sv"
    missing = [name for part, name in zip(parts, names, strict=False) if part.abstained and name]
    unsaid = tuple(dict.fromkeys(d for part in answered for d in part.missing_parts))
    text = _render(claims, swedish)
    if unsaid:
        text += "\n" + _not_said(unsaid, swedish)
    if missing:
        text += "\n" + (
            f"För {' och '.join(missing)} framgår det inte av dokumenten."
            if swedish
            else f"For {' and '.join(missing)} the documents do not say."
        )
    return Answer(
        question,
        text,
        False,
        tuple(citations),
        dict(answered[0].timings_ms),
        answered[0].language,
        claims=tuple(claims),
        missing_parts=unsaid,
    )


def _not_said(details: Sequence[str], swedish: bool) -> str:
    """Example: _not_said(["vad: kostnad"], True) -> "Det framgår inte av dokumenten (vad: kostnad)." """
    joined = "; ".join(details)
    if swedish:
        return f"Det framgår inte av dokumenten ({joined})."
    return f"The documents do not say ({joined})."


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
        return lan  # "" when the document names no organisation: its claim goes unlabelled
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
