"""What the indexed documents say about a question's words and places, for understanding it before
search (assistant/answer/question/ reads this through its Corpus protocol).

Does not: analyse text (language/), rank chunks (search/hybrid.py) or read a question.
"""

from __future__ import annotations

from assistant.documents import Chunk
from assistant.language.places import Place
from assistant.search.bm25 import LexicalIndex


class CorpusWords:
    """Example: CorpusWords(lexical, chunks).holds(<Göteborgs kommun>) -> False when no document
    is Göteborg's."""

    def __init__(self, lexical: LexicalIndex, chunks: list[Chunk]) -> None:
        self.lexical = lexical
        self.kommuner = {k for c in chunks for k in c.metadata.kommuner}
        self.lans = {k for c in chunks for k in c.metadata.lans}

    def in_corpus_words(self, terms: list[str]) -> list[str]:
        return self.lexical.in_corpus_words(terms)

    def expand(self, terms: list[str]) -> dict[str, float]:
        return self.lexical.expand(terms)

    def idf(self, term: str) -> float:
        return self.lexical.idf(term)

    def holds(self, place: Place) -> bool:
        """A municipality counts only if the documents speak of it; being in a held län is not
        enough ("Göteborg" is in Västra Götaland, but no document here is Göteborg's)."""
        if place.kind == "kommun":
            return place.code in self.kommuner
        return place.kind == "lan" and place.lan in self.lans
