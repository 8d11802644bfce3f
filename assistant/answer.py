"""Ranked chunks -> a short extractive answer whose every claim is a verified verbatim quote, or an
honest abstention that says what was searched. Deterministic: no language model.

The steps: spans are scored (evidence.py); a typed question ("när", "vem", "hur många") keeps only
spans that hold the asked type and speak of the asked thing; the best must be supported by the
question's words; the answer's spans are chosen (compose.py); each quote is verified.

Does not: search (retrieval.py), score or choose spans (evidence.py, compose.py) or render
(cli.py / ui.py).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import numpy as np

from assistant.analysis import analyze, translate_terms
from assistant.answertypes import TYPE_WORDS, answer_type, counted_word, holds_type
from assistant.compose import asks_many, compose, document_date
from assistant.documents import Answer, Citation
from assistant.evidence import (
    Candidate,
    codes_meet,
    compound_hit,
    content_terms,
    coverage,
    heading_named,
    score_spans,
    unknown_idf,
)
from assistant.retrieval import RetrievalResult
from assistant.textutil import fold, is_swedish, normalize_ws
from assistant.verify import CitationVerifier

# "Vad säger strategin om tandvård?": the topic is the phrase after the last "om".
_TOPIC_Q = re.compile(
    r"\b(?:säger|sägs|står|skriver|nämner|nämns|beskriver|beskrivs)\b.*?"
    r"\b(om|kring|angående|beträffande|gällande)\s+((?:(?!\bom\b)[^?])+)\?*\s*$",
    re.I,
)

_TOPIC_Q_EN = re.compile(
    r"\b(?:say|says|said|state|states|mention|mentions|write|writes|describe|describes)\b.*?"
    r"\b(about|regarding|concerning)\s+((?:(?!\babout\b)[^?])+)\?*\s*$",
    re.I,
)

# Answer types whose form is unmistakable: a span holding one is the answer if it speaks of the
# asked thing at all.
_EXACT_FORMS = frozenset({"email", "phone", "reference", "paragraph"})

__all__ = ["Candidate", "ExtractiveAnswerer", "merge_answers"]


class ExtractiveAnswerer:
    """Picks the sentences or list items that answer, composes them with [n] markers, verifies them."""

    def __init__(
        self,
        vectors: dict[str, np.ndarray],
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
        self.document_texts = document_texts or {}  # file -> its chunks' headings and texts
        self._words: dict[str, set[str]] = {}

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
        stranger = (
            (self._unknown_name(result) or self._unknown_topic(result))
            if swedish
            else self._unknown_topic(result)
        )
        if stranger:
            return self._abstain(result, swedish, timings, started, name=stranger)
        scored = score_spans(result, self.vectors, self.idf)
        own_date = document_date(scored, result.question)
        candidates = [own_date] if own_date else self._typed(scored, result, share)
        # The best span sits in the section the question names by heading or by delmål code, or
        # holds the very form asked for (an e-mail address, a phone number, a case number) and
        # passed the typed check that it speaks of the asked thing.
        named = bool(candidates) and (
            heading_named(content_terms(result, self.idf), candidates[0].chunk)
            or codes_meet(result.question, candidates[0].chunk, candidates[0].text)
            or answer_type(result.question) in _EXACT_FORMS
        )
        if candidates and not (own_date or named or self._supported(candidates[0], share)):
            # The best-scored span is no evidence; a nearly as good one that is takes its place.
            backed = [
                c
                for c in candidates[1:3]
                if c.score >= candidates[0].score - 0.15 and self._supported(c, share)
            ]
            candidates = backed + candidates if backed else []
        if not candidates or not (own_date or self._supported(candidates[0], share, named)):
            return self._abstain(result, swedish, timings, started)
        chosen = self._on_topic(compose(candidates, result, self.idf, self.max_claims), result)
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
                set(analyze(str(cand.chunk.metadata.get("doc_type", "")))) - set(analyze(cand.text))
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
            if translate_terms(word):
                continue  # an English word the glossary knows ("County"), not a name
            if all(self.idf(t) >= unknown_idf(self.idf) for t in terms):
                return word
        return ""

    def _unknown_topic(self, result: RetrievalResult) -> str:
        """The topic of "Vad säger strategin om X?" when no document uses any word of X, even
        inside a compound ("Vad säger färdplanen om tandvård?" when no document says tandvård)."""
        m = (_TOPIC_Q if is_swedish(result.question) else _TOPIC_Q_EN).search(result.question)
        if not m:
            return ""
        if not is_swedish(result.question) and translate_terms(m.group(2)):
            return ""  # the glossary knows it: a Swedish word to look for
        terms = analyze(m.group(2))
        unknown = unknown_idf(self.idf)
        for term in terms:
            if self.idf(term) < unknown:
                return ""
            related = [u for u, w in result.terms.items() if w < 1.0 and (term in u or u in term)]
            if related:
                return ""  # a compound holds it ("vård" in "tandvård" is no match: tandvård is unknown)
        return m.group(2).strip() if terms else ""

    def _on_topic(self, chosen: list[Candidate], result: RetrievalResult) -> list[Candidate]:
        """For "Vad säger färdplanen om tandvård?": only quotes from documents that mention the
        topic at all. (A topic no document mentions was caught before, by _unknown_topic.)"""
        swedish = is_swedish(result.question)
        m = (_TOPIC_Q if swedish else _TOPIC_Q_EN).search(result.question)
        if not m:
            return chosen
        topic = analyze(m.group(2)) if swedish else translate_terms(m.group(2))
        if not topic:
            return chosen
        kept = []
        for cand in chosen:
            words = self._document_words(cand.chunk.document)
            if any(t in words or compound_hit(t, words) for t in topic):
                kept.append(cand)
        return kept

    def _document_words(self, document: str) -> set[str]:
        if document not in self._words:
            self._words[document] = {
                t for text in self.document_texts.get(document, ()) for t in analyze(text)
            }
        return self._words[document]

    @staticmethod
    def _supported(best: Candidate, share: float, named: bool = False) -> bool:
        """Whether the best span is evidence enough to answer at all (else: abstain)."""
        # Evidence: the best span shares the question's content words, sits in the section the
        # question names by its heading, or is very close in meaning (English questions over
        # Swedish text share few words).
        if best.lexical >= 0.35 * share or (named and best.lexical >= 0.15 * share):
            return True
        return best.lexical >= 0.2 * share and best.dense >= 0.88

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


def source_label(metadata: dict[str, object]) -> str:
    """Whose document a chunk is: its organisation, and its län when the name does not say it.

    Example: {"org": "Alingsås kommun", "lan_name": "Västra Götalands län"}
    -> "Alingsås kommun (Västra Götalands län)"; {"org": "Region Gävleborg", "lan_name":
    "Gävleborgs län"} -> "Region Gävleborg"
    """
    org = str(metadata.get("org") or "")
    lan = str(metadata.get("lan_name") or "")
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
