"""BM25 over chunks with query-side compound handling: the lexical half of hybrid search.

Does not: analyse text (analysis.py), embed, fuse or route (search/hybrid.py).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from assistant.documents import Chunk
from assistant.language.analysis import analyze, synonyms
from assistant.language.text import fold


@dataclass
class LexicalIndex:
    """BM25 over canonical chunks (k1=1.2, b=0.75), with query-side compound handling."""

    ids: list[str]
    postings: dict[str, dict[int, int]]
    lengths: np.ndarray
    k1: float = 1.2
    b: float = 0.75

    def __post_init__(self) -> None:
        self.folded: dict[str, list[str]] = {}
        for term in self.postings:
            self.folded.setdefault(fold(term), []).append(term)

    @classmethod
    def build(cls, chunks: list[Chunk]) -> LexicalIndex:
        postings: dict[str, dict[int, int]] = {}
        lengths = []
        for n, chunk in enumerate(chunks):
            # Headings count twice: a section titled "Fokusområden" is about focus areas.
            terms = analyze(f"{chunk.search_text()} {' '.join(chunk.heading_path)}")
            lengths.append(len(terms))
            for term, count in Counter(terms).items():
                postings.setdefault(term, {})[n] = count
        return cls([c.id for c in chunks], postings, np.array(lengths or [0], dtype=np.float32))

    def in_corpus_words(self, terms: list[str]) -> list[str]:
        """Question words the corpus never uses, replaced by a synonym it does use.

        Example: ["anställd", "politiker"] -> ["tjänsteperson", "förtroendevald"] when only those occur.
        """
        out: list[str] = []
        for term in terms:
            if term not in self.postings:
                known = [alt for alt in synonyms().get(term, []) if alt and alt[0] in self.postings]
                if known:
                    out.extend(known[0])
                    continue
                near = self._one_typo_away(term)
                if near:
                    out.append(near)  # "bottnar" / the document's "bottenar"; a user's typo
                    continue
            out.append(term)
        return out

    def _one_typo_away(self, term: str) -> str:
        """The one corpus word a letter away from an unknown word of six letters or more, if exactly one."""
        if len(term) < 6:
            return ""
        near = [
            other
            for other in self.postings
            if abs(len(other) - len(term)) <= 1 and other[0] == term[0] and _one_edit(term, other)
        ]
        return near[0] if len(near) == 1 else ""

    def expand(self, terms: list[str]) -> dict[str, float]:
        """Weighted query terms: each term, plus compounds that contain it and parts of compounds.

        Example: ["försörjning", "kompetens"] also meet "kompetensförsörjning" (weight 0.6).
        """
        weights: dict[str, float] = {}
        for term in terms:
            weights[term] = max(weights.get(term, 0.0), 1.0)
            if len(term) >= 5:
                for other in self.postings:
                    if (
                        other != term
                        and len(other) > len(term) + 2
                        and (other.startswith(term) or other.endswith(term))
                    ):
                        weights[other] = max(weights.get(other, 0.0), 0.6)
            if term not in self.postings and (term == fold(term) or len(term) >= 9):
                # Typed without å/ä/ö ("valfardsstrategin"), or a long word printed with a
                # slip ("Valfärdsstrategin"): the same word with them. Not short words with
                # å/ä/ö of their own: "svår" is not "svar".
                for other in self.folded.get(fold(term), ()):
                    weights[other] = max(weights.get(other, 0.0), 1.0)
            if term not in self.postings and len(term) >= 8:
                for part in _split_compound(term, self.postings):
                    weights[part] = max(weights.get(part, 0.0), 0.7)
        return weights

    def idf(self, term: str) -> float:
        """Rarer terms weigh more; a term the corpus never uses weighs most."""
        df = len(self.postings.get(term, ()))
        return math.log(1 + (len(self.ids) + 1) / (df + 0.5))

    def scores(self, weights: dict[str, float]) -> np.ndarray:
        n_docs = len(self.ids)
        out = np.zeros(n_docs, dtype=np.float32)
        if n_docs == 0:
            return out
        avg = float(self.lengths.mean()) or 1.0
        for term, weight in weights.items():
            docs = self.postings.get(term)
            if not docs:
                continue
            idf = math.log(1 + (n_docs - len(docs) + 0.5) / (len(docs) + 0.5))
            for doc, tf in docs.items():
                norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[doc] / avg)
                out[doc] += weight * idf * tf * (self.k1 + 1) / norm
        return out


def _split_compound(term: str, vocabulary: dict[str, Any]) -> list[str]:
    for cut in range(len(term) - 4, 3, -1):
        left, right = term[:cut], term[cut:]
        for head in (left, left[:-1] if left.endswith("s") else None):
            if head and head in vocabulary and right in vocabulary:
                return [head, right]
    return []


def _one_edit(a: str, b: str) -> bool:
    """Whether two different words are one insertion, deletion or substitution apart.

    Example: _one_edit("bottn", "botten") -> True; _one_edit("plan", "plats") -> False
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]
