"""A question, understood once and before search: the follow-up made whole, its language, what it
asks for, what it names (places, bodies, documents, years), its search terms and weighted content
terms, and its parts. Search and answer read this; none re-reads the question's text.

Does not: search (search/), score spans (features.py, scorer.py) or compose (select.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

from assistant.answer.answertypes import answer_type, counted_word
from assistant.answer.question.content import (
    BODY_WORDS,
    content_terms,
    either,
    named_doc_types,
    weighted_terms,
)
from assistant.answer.question.followup import rewrite_followup
from assistant.language.analysis import analyze, question_words, translate, translate_terms
from assistant.language.places import Place, gazetteer
from assistant.language.shapes import GOAL_CODE, designations, without_numbers
from assistant.language.text import is_swedish
from assistant.language.vocabulary import pattern, word_table


class Corpus(Protocol):
    """What understanding a question needs of the indexed documents (search/corpus.py's
    CorpusWords is one): which words they use, and which places they speak of."""

    def in_corpus_words(self, terms: list[str]) -> list[str]: ...

    def expand(self, terms: list[str]) -> dict[str, float]: ...

    def idf(self, term: str) -> float: ...

    def holds(self, place: Place) -> bool: ...


class NoCorpus:
    """No index at hand (a follow-up rewritten before the index opens): every word as typed, each
    weighing 1, every place held."""

    def in_corpus_words(self, terms: list[str]) -> list[str]:
        return list(terms)

    def expand(self, terms: list[str]) -> dict[str, float]:
        return {t: 1.0 for t in terms}

    def idf(self, term: str) -> float:
        return 1.0

    def holds(self, place: Place) -> bool:
        return True


# The cues of question kinds (language/data/question_words_sv.json): several items ("Vilka …",
# "which regions"), a definition ("Vad är X?"), an abbreviation ("Vad står HSVO för?"), documents
# ("Vilka dokument …").
_QW = "question_words_sv.json"
_LIST_Q = pattern(_QW, "list_question")
# "Vad är X?", "Vad menas med X?", "What is X?", "Vad står X för?"
_DEFINITION_Q = pattern(_QW, "definition_question")
# "Vad står förkortningen HSVO för?", "What does the abbreviation LSS stand for?"
_ABBREVIATION_Q = pattern(_QW, "abbreviation_question")
# Two questions in one: "När … och vem …?", "… respektive …", "…, and when …?"
_SECOND_PART = re.compile(
    rf"(?:,\s*|\s+)(?:{either('second_part_conjunctions')})\s+"
    rf"(?=(?:{either('second_part_openers')})\b)",
    re.I,
)
# "Vilka dokument …", "which documents …", "i vilka av dokumenten …"
_DOCUMENTS_Q = pattern(_QW, "documents_question")
_YEARS = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class QuestionPart:
    """One of the things a question asks: its text, answer type and weighted content terms."""

    text: str
    asks: str | None
    terms: dict[str, float]
    wants_list: bool = False  # "Vilka två slags åtgärder …": several items


@dataclass(frozen=True)
class Question:
    """Example: Question.parse("När ska återkoppling skickas?").asks -> "date"; with the previous
    question, Question.parse("och Västerbotten?", "Vad beslutade Uppsala om X?").text ->
    "Vad beslutade Västerbotten om X?"."""

    text: str  # the question searched and answered: as asked, or a follow-up made whole
    typed: str  # the question as asked
    previous: str  # the question it follows up, else ""
    language: str  # "sv" | "en"
    asks: str | None  # date, day, year, person, agent, count, money, reference, … or None
    counted: str  # what a count question counts ("kommuner"), else ""
    wants_list: bool
    wants_definition: bool
    asks_documents: bool  # "Vilka dokument anger …?": one answer per document
    abbreviation: str  # the abbreviation a "Vad står X för?" question asks to spell out, else ""
    codes: frozenset[str]  # codes like "C1" the question names
    topic: str  # the topic of "Vad säger strategin om X?" (X), else ""
    topic_terms: tuple[str, ...]  # the topic's terms as Swedish documents write them
    topic_words: tuple[str, ...]  # the topic's own words, analysed (an English one untranslated)
    names: tuple[str, ...]  # capitalised words after the first of a Swedish question: names
    designations: frozenset[str]  # documents it names by designation: "sou 2024:60"
    years: frozenset[str]  # years it asks about (not a period like 2024–2026)
    doc_types: frozenset[str]  # document types it names ("missiv", "tjänsteskrivelse")
    bodies: tuple[str, ...]  # deciding bodies it names ("kommunstyrelsen"), sorted
    mentioned: tuple[Place, ...]  # every place it names, held by the corpus or not
    places: tuple[Place, ...]  # the places it is routed to: named and held (or one region's)
    unknown_places: tuple[Place, ...]  # named but not in the corpus
    search_terms: dict[str, float]  # its words as the corpus writes them, with compounds (< 1)
    weighted: dict[str, float]  # its own search terms weighed by IDF (content terms with places)
    terms: dict[str, float]  # content terms, IDF-weighted, without place names and type words
    parts: tuple[QuestionPart, ...]  # one part per thing asked (usually one)

    @property
    def swedish(self) -> bool:
        return self.language == "sv"

    @classmethod
    def parse(
        cls, text: str, conversation: str | None = None, corpus: Corpus | None = None
    ) -> Question:
        """``conversation``: the previous question, when this one may follow it up; ``corpus``:
        the open index's words and places (without one, words are taken as typed)."""
        corpus = corpus or NoCorpus()
        typed = " ".join(text.split())
        text = rewrite_followup(conversation, typed) if conversation else typed
        swedish = is_swedish(text)
        counted = counted_word(text)
        if counted and not swedish:
            counted = next(iter(translate_terms(counted)), counted)
        topic = _topic(text, swedish)
        if swedish:
            words = corpus.in_corpus_words(question_words(text))
        else:
            translated, rest = translate(text)
            words = analyze(rest) + translated
        search_terms = corpus.expand(words)
        known: list[Place] = []
        unknown: list[Place] = []
        for place in gazetteer().find(text):
            (known if corpus.holds(place) else unknown).append(place)
        mentioned = (*known, *unknown)
        weighted = weighted_terms(search_terms, swedish, corpus.idf)
        terms = content_terms(weighted, text, known, mentioned)
        return cls(
            text=text,
            typed=typed,
            previous=" ".join((conversation or "").split()),
            language="sv" if swedish else "en",
            asks=answer_type(text),
            counted=counted,
            wants_list=bool(_LIST_Q.search(text)),
            wants_definition=bool(_DEFINITION_Q.search(text) or _abbreviation(text)),
            asks_documents=bool(_DOCUMENTS_Q.search(text)),
            abbreviation=_abbreviation(text),
            codes=frozenset(c.lower() for c in GOAL_CODE.findall(text)),
            topic=topic,
            topic_terms=tuple(analyze(topic) if swedish else translate_terms(topic)),
            topic_words=tuple(analyze(topic)),
            names=tuple(_NAME.findall(text)) if swedish else (),
            designations=frozenset(designations(text)),
            years=frozenset(
                _YEARS.findall(re.sub(r"\d{4}\s*[-–]\s*\d{4}", " ", without_numbers(text)))
            ),
            doc_types=frozenset(named_doc_types(text)),
            bodies=tuple(sorted({v for k, v in BODY_WORDS.items() if k in text.lower()})),
            mentioned=mentioned,
            places=tuple(known),
            unknown_places=tuple(unknown),
            search_terms=search_terms,
            weighted=weighted,
            terms=terms,
            parts=_parts(text, terms),
        )

    def regions(self) -> list[Question]:
        """A question about places in several län is one question per län, each routed to its
        own places and without the words of the others' clauses; else [].

        Example: "Vad gäller i Alingsås respektive Västerbotten?" -> two questions, routed to
        [Alingsås] and [Västerbottens län]
        """
        groups: dict[str, list[Place]] = {}
        for place in self.places:
            groups.setdefault(place.lan, []).append(place)
        if len(groups) < 2 or self.unknown_places:
            return []
        return [self.routed_to(group) for group in groups.values()]

    def routed_to(self, places: list[Place]) -> Question:
        """The question answered for some of the places it names."""
        terms = content_terms(self.weighted, self.text, places, self.mentioned)
        return replace(self, places=tuple(places), terms=terms, parts=_parts(self.text, terms))


def _abbreviation(text: str) -> str:
    """Example: _abbreviation("Vad står HSVO för?") -> "HSVO"; an ordinary question -> "" """
    m = _ABBREVIATION_Q.search(text)
    return next((g for g in m.groups() if g), "") if m else ""


# "Vad säger strategin om tandvård?": the topic is the phrase after the last "om".
_TOPIC_Q = re.compile(
    rf"\b(?:{either('topic_verbs_sv')})\b.*?"
    rf"\b({either('topic_prepositions_sv')})\s+((?:(?!\bom\b)[^?])+)\?*\s*$",
    re.I,
)
_TOPIC_Q_EN = re.compile(
    rf"\b(?:{either('topic_verbs_en')})\b.*?"
    rf"\b({either('topic_prepositions_en')})\s+((?:(?!\babout\b)[^?])+)\?*\s*$",
    re.I,
)
# Swedish capitalises only names: a capitalised word after the first ("Hur hög är Kebnekaise?").
_NAME = re.compile(r"(?<=[\s(])([A-ZÅÄÖ][a-zåäöé]{2,})\b")


def _topic(text: str, swedish: bool) -> str:
    """Example: _topic("Vad säger strategin om tandvård?", True) -> "tandvård" """
    m = (_TOPIC_Q if swedish else _TOPIC_Q_EN).search(text)
    return m.group(2).strip() if m else ""


def _parts(text: str, terms: dict[str, float]) -> tuple[QuestionPart, ...]:
    """The things a question asks, each with the content terms of its own words.

    Example: "När skickas svaret och vem är kontaktperson?" -> two parts, "date" and "person".
    """
    pieces = [p.strip(" ,?") for p in _SECOND_PART.split(text) if p and p.strip(" ,?")]
    if len(pieces) < 2:
        return (QuestionPart(text, answer_type(text), terms),)
    parts = []
    for piece in pieces:
        own = set(analyze(piece))
        piece_terms = {t: w for t, w in terms.items() if t in own} or terms
        parts.append(
            QuestionPart(piece, answer_type(piece), piece_terms, bool(_LIST_Q.search(piece)))
        )
    # The first part's subject is often the whole question's ("X: när … och vem …"): a later part
    # with no terms of its own borrows the question's.
    return tuple(parts)


# What a question asks for, as a noun phrase in each language ("the documents do not give …").
_ASKED = word_table("question_words_sv.json", "asked_detail")
_WORD = re.compile(r"[\wåäöÅÄÖéü-]+")


def asked_detail(question: Question) -> str:
    """The asked detail in the question's own words, for "the documents do not give X".

    Example: "När ska återkoppling skickas?" (terms "återkoppl", "skick") -> "när: återkoppling skickas"
    """
    return _detail(question.text, question.terms, question.asks, question.swedish)


def part_detail(part: QuestionPart, swedish: bool) -> str:
    """What one part of a question asks, in its own words (as asked_detail says it).

    Example: the part "när ska uppdraget redovisas" -> "när: uppdraget redovisas"
    """
    own = dict.fromkeys(analyze(part.text), 1.0)  # its words, also those no document uses
    return _detail(part.text, {**own, **part.terms}, part.asks, swedish) or part.text


def _detail(text: str, terms: dict[str, float], asks: str | None, swedish: bool) -> str:
    words = [w for w in _WORD.findall(text) if set(analyze(w)) & set(terms)]
    subject = " ".join(dict.fromkeys(words))
    asked = _ASKED.get(asks or "")
    if asked is None:
        return subject
    lead = asked[0] if swedish else asked[1]
    return f"{lead}: {subject}" if subject else lead
