"""Grounds to answer at all: whether the corpus speaks of what a question asks.

A question is abstained on when it names something no document uses (a proper name, or the topic
of "Vad säger strategin om X?"); an answer to "Vad säger X om <topic>?" quotes only documents
that mention the topic.

Does not: score spans (features.py, scorer.py), choose them (select.py) or word the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.features import Candidate
from assistant.answer.terms import compound_hit, unknown_idf
from assistant.language.analysis import analyze, translate_terms
from assistant.language.text import fold, is_swedish
from assistant.search.hybrid import RetrievalResult

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


class Grounds:
    """Example: Grounds(idf, texts).stranger(result) -> "Kebnekaise" for "Hur hög är Kebnekaise?" """

    def __init__(
        self, idf: Callable[[str], float], document_texts: dict[str, list[str]] | None = None
    ) -> None:
        self.idf = idf
        self.document_texts = document_texts or {}  # file -> its chunks' headings and texts
        self._words: dict[str, set[str]] = {}

    def stranger(self, result: RetrievalResult) -> str:
        """A name (Swedish questions) or "om"-topic the corpus never uses, or ""."""
        if is_swedish(result.question):
            return self._unknown_name(result) or self._unknown_topic(result)
        return self._unknown_topic(result)

    def on_topic(self, chosen: list[Candidate], result: RetrievalResult) -> list[Candidate]:
        """For "Vad säger färdplanen om tandvård?": only quotes from documents that mention the
        topic at all. (A topic no document mentions was caught before, by stranger().)"""
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
        inside a compound ("… om artificiell intelligens?" when no document says either word)."""
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

    def _document_words(self, document: str) -> set[str]:
        if document not in self._words:
            self._words[document] = {
                t for text in self.document_texts.get(document, ()) for t in analyze(text)
            }
        return self._words[document]
