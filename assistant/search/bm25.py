"""BM25 over chunks with query-side compound handling: the lexical half of hybrid search.

Does not: analyse text (analysis.py), embed, fuse or route (search/hybrid.py).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import uuid
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.config import ANSWER_POLICY as POLICY
from assistant.documents import Chunk
from assistant.language.analysis import analyze, synonyms
from assistant.language.text import fold


@dataclass
class LexicalIndex:
    """BM25 over canonical chunks (AnswerPolicy: k1=1.2, b=0.75), with query-side compound handling.

    Postings are numpy arrays (term t's chunks are ``docs[offsets[t]:offsets[t+1]]``), saved
    with the index generation and memory-mapped on load; the vocabulary is indexed by prefix,
    suffix and (first letter, length), so compound and typo look-ups never scan it whole.
    """

    ids: list[str]
    vocabulary: list[str]  # term id -> term, in the order terms were first met
    offsets: np.ndarray  # int64, len(vocabulary) + 1
    docs: np.ndarray  # int32 chunk positions
    tfs: np.ndarray  # float32 term counts
    lengths: np.ndarray  # float32 analysed length of each chunk
    k1: float = POLICY.bm25_k1
    b: float = POLICY.bm25_b

    def __post_init__(self) -> None:
        self.term_ids = {term: n for n, term in enumerate(self.vocabulary)}
        self.folded: dict[str, list[str]] = {}
        self._shapes: dict[tuple[str, int], list[str]] = {}
        for term in self.vocabulary:
            self.folded.setdefault(fold(term), []).append(term)
            self._shapes.setdefault((term[:1], len(term)), []).append(term)
        self._sorted = sorted(self.vocabulary)
        self._reversed = sorted(term[::-1] for term in self.vocabulary)
        avg = float(self.lengths.mean()) or 1.0
        # subtle: float32 in the same order of operations as a per-posting loop would use.
        lengths = np.asarray(self.lengths, dtype=np.float32)[np.asarray(self.docs)]
        self._norms = self.tfs + self.k1 * (1 - self.b + self.b * lengths / avg)

    @classmethod
    def build(cls, chunks: list[Chunk]) -> LexicalIndex:
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths = []
        for n, chunk in enumerate(chunks):
            # Headings count twice: a section titled "Fokusområden" is about focus areas.
            terms = analyze(f"{chunk.search_text()} {' '.join(chunk.heading_path)}")
            lengths.append(len(terms))
            for term, count in Counter(terms).items():
                postings.setdefault(term, []).append((n, count))
        vocabulary = list(postings)
        sizes = [len(postings[t]) for t in vocabulary]
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum(sizes) if sizes else []
        flat = [pair for t in vocabulary for pair in postings[t]]
        docs = np.array([d for d, _ in flat], dtype=np.int32)
        tfs = np.array([c for _, c in flat], dtype=np.float32)
        return cls(
            [c.id for c in chunks],
            vocabulary,
            offsets,
            docs,
            tfs,
            np.array(lengths or [0], dtype=np.float32),
        )

    def save(self, folder: Path) -> None:
        """Arrays as .npy (memory-mapped on load), ids and vocabulary as JSON; written beside
        ``folder`` and renamed into place, so a reader sees all of it or none."""
        tmp = folder.with_name(f".{folder.name}-{uuid.uuid4().hex[:8]}")
        tmp.mkdir(parents=True)
        for name in ("offsets", "docs", "tfs", "lengths"):
            np.save(tmp / f"{name}.npy", np.asarray(getattr(self, name)))
        (tmp / "terms.json").write_text(
            json.dumps({"ids": self.ids, "vocabulary": self.vocabulary}, ensure_ascii=False),
            encoding="utf-8",
        )
        try:
            os.rename(tmp, folder)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # another process saved it first

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        terms = json.loads((folder / "terms.json").read_text(encoding="utf-8"))
        arrays = {
            name: np.load(folder / f"{name}.npy", mmap_mode="r")
            for name in ("offsets", "docs", "tfs", "lengths")
        }
        return cls(terms["ids"], terms["vocabulary"], **arrays)

    def __contains__(self, term: str) -> bool:
        return term in self.term_ids

    def df(self, term: str) -> int:
        """How many chunks use a term."""
        t = self.term_ids.get(term)
        return 0 if t is None else int(self.offsets[t + 1] - self.offsets[t])

    def in_corpus_words(self, terms: list[str]) -> list[str]:
        """Question words the corpus never uses, replaced by a synonym it does use.

        Example: ["anställd", "politiker"] -> ["tjänsteperson", "förtroendevald"] when only those occur.
        """
        out: list[str] = []
        for term in terms:
            if term not in self.term_ids:
                known = [alt for alt in synonyms().get(term, []) if alt and alt[0] in self.term_ids]
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
        if len(term) < POLICY.typo_from_chars:
            return ""
        near = [
            other
            for size in (len(term) - 1, len(term), len(term) + 1)
            for other in self._shapes.get((term[0], size), ())
            if _one_edit(term, other)
        ]
        return near[0] if len(near) == 1 else ""

    def _compounds(self, term: str) -> list[str]:
        """Vocabulary words over two letters longer that start or end with a term, in vocabulary
        order. Example: "kompetens" -> ["kompetensförsörjning", "spetskompetens", …]"""
        found: set[int] = set()
        for words, key in ((self._sorted, term), (self._reversed, term[::-1])):
            at = bisect_left(words, key)
            while at < len(words) and words[at].startswith(key):
                word = words[at] if words is self._sorted else words[at][::-1]
                if len(word) > len(term) + 2:
                    found.add(self.term_ids[word])
                at += 1
        return [self.vocabulary[t] for t in sorted(found)]

    def expand(self, terms: list[str]) -> dict[str, float]:
        """Weighted query terms: each term, plus compounds that contain it and parts of compounds.

        Example: ["försörjning", "kompetens"] also meet "kompetensförsörjning" (weight 0.6).
        """
        weights: dict[str, float] = {}
        for term in terms:
            weights[term] = max(weights.get(term, 0.0), 1.0)
            if len(term) >= POLICY.compound_from_chars:
                for other in self._compounds(term):
                    weights[other] = max(weights.get(other, 0.0), POLICY.compound_weight)
            if term not in self.term_ids and (term == fold(term) or len(term) >= 9):
                # Typed without å/ä/ö ("valfardsstrategin"), or a long word printed with a
                # slip ("Valfärdsstrategin"): the same word with them. Not short words with
                # å/ä/ö of their own: "svår" is not "svar".
                for other in self.folded.get(fold(term), ()):
                    weights[other] = max(weights.get(other, 0.0), 1.0)
            if term not in self.term_ids and len(term) >= POLICY.split_from_chars:
                for part in _split_compound(term, self.term_ids):
                    weights[part] = max(weights.get(part, 0.0), POLICY.compound_part_weight)
        return weights

    def idf(self, term: str) -> float:
        """Rarer terms weigh more; a term the corpus never uses weighs most."""
        return math.log(1 + (len(self.ids) + 1) / (self.df(term) + 0.5))

    def scores(self, weights: dict[str, float]) -> np.ndarray:
        n_docs = len(self.ids)
        out = np.zeros(n_docs, dtype=np.float32)
        if n_docs == 0:
            return out
        for term, weight in weights.items():
            t = self.term_ids.get(term)
            if t is None:
                continue
            lo, hi = int(self.offsets[t]), int(self.offsets[t + 1])
            df = hi - lo
            idf = math.log(1 + (n_docs - df + 0.5) / (df + 0.5))
            numerator = weight * idf * np.asarray(self.tfs[lo:hi], dtype=np.float64) * (self.k1 + 1)
            # Each chunk appears once per term, so this adds exactly what a loop would.
            out[self.docs[lo:hi]] += numerator.astype(np.float32) / self._norms[lo:hi]
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
