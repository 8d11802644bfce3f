"""Grounds to answer at all: whether the corpus speaks of what a question asks.

A question is abstained on when it names something no document uses (a proper name, the topic
of "Vad säger strategin om X?", a document by its designation that no document is or mentions);
an answer to "Vad säger X om <topic>?" quotes only documents that mention the topic.

Reads the question's names and topic from Question (question.py), never the text itself.
Does not: score spans (features.py, scorer.py), choose them (select.py) or word the answer.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer.features import Candidate
from assistant.answer.question import Question
from assistant.answer.terms import compound_hit, unknown_idf
from assistant.config import ANSWER_POLICY as POLICY
from assistant.language.analysis import analyze, translate_terms
from assistant.language.shapes import shown_designation
from assistant.language.text import fold


class Grounds:
    """Example: Grounds(idf, texts).stranger(question) -> "Kebnekaise" for
    "Hur hög är Kebnekaise?" """

    def __init__(
        self,
        idf: Callable[[str], float],
        document_texts: Callable[[], dict[str, list[str]]] | None = None,
        held_designations: Callable[[], frozenset[str]] | None = None,
    ) -> None:
        self.idf = idf
        # every designation a document of the index is or mentions (read on first need)
        self._held_designations = held_designations
        self._held: frozenset[str] | None = None
        # file -> its chunks' headings and texts, built on first need: only a question about a
        # topic ("Vad säger X om Y?") reads it, and building it walks every chunk of the index.
        self._document_texts = document_texts or dict
        self._texts: dict[str, list[str]] | None = None
        self._words: dict[str, set[str]] = {}

    def stranger(self, question: Question) -> str:
        """A name (Swedish questions) or "om"-topic the corpus never uses, or ""."""
        return self._unknown_name(question) or self._unknown_topic(question)

    def missing_document(self, question: Question) -> str:
        """The documents a question names by designation when the corpus holds none of them: no
        document is one or mentions one ("Vad föreslår SOU 2031:12?" over a corpus without it),
        as documents write them; else "".

        Example: "Vad anger prop. 2031/32:7?" over documents that never name it -> "prop. 2031/32:7"
        """
        if not question.designations or self._held_designations is None:
            return ""
        if self._held is None:
            self._held = self._held_designations()
        if question.designations & self._held:
            return ""
        return ", ".join(shown_designation(d) for d in sorted(question.designations))

    def on_topic(self, chosen: list[Candidate], question: Question) -> list[Candidate]:
        """For "Vad säger färdplanen om tandvård?": only quotes from documents that mention the
        topic at all. (A topic no document mentions was caught before, by stranger().)"""
        if not question.topic:
            return chosen
        topic = question.topic_terms
        if not topic:
            return chosen
        kept = []
        for cand in chosen:
            words = self._document_words(cand.chunk.document)
            if any(t in words or compound_hit(t, words) for t in topic):
                kept.append(cand)
        return kept

    def _unknown_name(self, question: Question) -> str:
        """A proper name in a Swedish question that no document uses ("Hur hög är Kebnekaise?").

        Swedish capitalises only names, so a capitalised word after the first that the corpus never
        uses (and that is no place the gazetteer knows) means the question is about something else.
        """
        places = tuple(fold(p.name)[: POLICY.place_prefix_chars] for p in question.mentioned)
        for word in question.names:
            terms = analyze(word)
            if not terms or (places and fold(word).startswith(places)):  # "Alingsåsärendet"
                continue
            if translate_terms(word):
                continue  # an English word the glossary knows ("County"), not a name
            if all(self.idf(t) >= unknown_idf(self.idf) for t in terms):
                return word
        return ""

    def _unknown_topic(self, question: Question) -> str:
        """The topic of "Vad säger strategin om X?" when no document uses any word of X, even
        inside a compound ("… om artificiell intelligens?" when no document says either word)."""
        if not question.topic:
            return ""
        if not question.swedish and question.topic_terms:
            return ""  # the glossary knows it: a Swedish word to look for
        terms = question.topic_words
        unknown = unknown_idf(self.idf)
        for term in terms:
            if self.idf(term) < unknown:
                return ""
            related = [
                u for u, w in question.search_terms.items() if w < 1.0 and (term in u or u in term)
            ]
            if related:
                return ""  # a compound holds it ("vård" in "tandvård" is no match: tandvård is unknown)
        return question.topic if terms else ""

    def _document_words(self, document: str) -> set[str]:
        if document not in self._words:
            self._words[document] = {
                t for text in self._all_texts().get(document, ()) for t in analyze(text)
            }
        return self._words[document]

    def _all_texts(self) -> dict[str, list[str]]:
        if self._texts is None:
            self._texts = self._document_texts()
        return self._texts
