"""Question -> ranked chunks: Swedish BM25 (search/bm25.py over analysis.py) plus dense vectors, fused by
reciprocal rank, routed by the places, bodies and document types a question names, filtered.

Does not: read the question's text (answer/question/ understood it before search), analyse words
(analysis.py), score BM25 (search/bm25.py), pick sentences or abstain (answer/answerer.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from assistant.config import ANSWER_POLICY as POLICY
from assistant.documents import Chunk, Filters, RetrievalResult, RetrievedChunk
from assistant.language.places import Place
from assistant.language.text import fold
from assistant.search.bm25 import LexicalIndex
from assistant.search.corpus import CorpusWords
from assistant.search.query import Asked, section_heading_terms
from assistant.search.scope import Scope
from assistant.store.embeddings import Embedder

CANDIDATES = POLICY.candidates  # from each of BM25 and the vector store
SCORE_DECIMALS = POLICY.score_decimals  # see AnswerPolicy: a near-tie must not decide an order


# (query vector, n, Chroma where, allowed ids or None) -> [(chunk id, cosine similarity)], nearest
# first.
DenseSearch = Callable[
    [np.ndarray, int, "dict[str, Any] | None", "list[str] | None"], list[tuple[str, float]]
]


class HybridRetriever:
    """BM25 + dense, fused by reciprocal rank (AnswerPolicy.rrf_k). ``mode`` picks the ablations for evaluation."""

    def __init__(
        self,
        chunks: list[Chunk],
        dense: DenseSearch,
        embedder: Embedder,
        lexical: LexicalIndex | None = None,
    ) -> None:
        self.all_chunks = chunks
        self.chunks = [c for c in chunks if c.duplicate_of is None]
        self.by_id = {c.id: c for c in chunks}
        if lexical is None or lexical.ids != [c.id for c in self.chunks]:
            lexical = LexicalIndex.build(self.chunks)
        self.lexical = lexical
        self.position = {cid: n for n, cid in enumerate(self.lexical.ids)}
        self.scope = Scope(self.chunks)
        # A section's own heading, analysed (on first need): a question naming all of it is
        # about that section.
        self._headings: dict[str, frozenset[str]] = {}
        self._bodies: dict[str, str] = {}
        self.dense = dense
        self.embedder = embedder
        # The corpus's words and places, for understanding a question before it is searched.
        self.corpus = CorpusWords(self.lexical, self.chunks)

    def retrieve(
        self,
        question: Asked,
        top_k: int = 8,
        filters: Filters | None = None,
        mode: str = "hybrid",
        routing: bool = True,
        query_vector: np.ndarray | None = None,
    ) -> RetrievalResult:
        """Rank chunks for a question understood before search (its places route it)."""
        filters = filters or Filters()
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        if query_vector is None:
            query_vector = self.embedder.embed_queries([question.text])[0]
        timings["embed_ms"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        known = list(question.places)
        bodies = question.bodies
        allowed = self.scope.allowed(filters, known if routing else [])
        terms = question.search_terms

        fused: dict[str, float] = {}
        parts: dict[str, dict[str, float]] = {}
        if mode in ("hybrid", "bm25"):
            bm25 = self.lexical.scores(terms)
            if len(allowed) < len(self.chunks):
                mask = np.zeros(len(bm25), dtype=bool)
                mask[[self.position[cid] for cid in allowed]] = True
                bm25 = np.where(mask, bm25, 0.0)
            # subtle: scores are rounded before ranking, so float noise from another CPU or BLAS
            # build cannot reorder a near-tie; exact ties keep index order (a stable sort)
            bm25 = np.round(bm25, SCORE_DECIMALS)
            found = np.flatnonzero(bm25 > 0)
            order = found[np.argsort(-bm25[found], kind="stable")][:CANDIDATES]
            for rank, i in enumerate(order):
                cid = self.lexical.ids[i]
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (POLICY.rrf_k + rank + 1)
                parts.setdefault(cid, {})["bm25"] = float(bm25[i])
        if mode in ("hybrid", "dense"):
            where = self._where(filters)
            # The store searches only the allowed chunks, and returns the nearest few hundred.
            ids = sorted(allowed) if len(allowed) < len(self.chunks) else None
            n = min(CANDIDATES, len(allowed))
            found_dense = self.dense(query_vector, n, where, ids) if n else []
            hits = _dense_order(
                [(cid, sim) for cid, sim in found_dense if cid in allowed], self.position
            )
            for rank, (cid, sim) in enumerate(hits):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (POLICY.rrf_k + rank + 1)
                parts.setdefault(cid, {})["dense"] = sim
        doc_types = question.doc_types
        named = question.designations
        asked = {t for t, w in terms.items() if w >= 1.0}
        for cid in fused:
            chunk = self.by_id[cid]
            boost = self._boost(chunk, known, bodies, doc_types) if routing else 0.0
            if routing and named & set(chunk.metadata.designations):
                boost += POLICY.designation_boost  # "remissen av SOU 2024:60" names the document
            heading = self.heading_terms(cid)
            if heading and heading <= asked:
                boost += POLICY.heading_boost  # "Hur gick beslutsgången?" names "Beslutsgång"
            parts[cid]["rrf"] = fused[cid]
            parts[cid]["boost"] = boost
            fused[cid] += boost
        # Exact RRF ties (ranks 1 and 2 swapped between BM25 and dense) keep the order chunks
        # entered the fusion: BM25's first (a dict keeps insertion order; sorted is stable).
        ranked = sorted(fused.items(), key=lambda item: -round(item[1], 12))[:top_k]
        timings["search_ms"] = (time.perf_counter() - t1) * 1000
        chunks = [
            RetrievedChunk(self.by_id[cid], score, n + 1, parts[cid])
            for n, (cid, score) in enumerate(ranked)
        ]
        return RetrievalResult(
            question.text, tuple(chunks), query_vector, filters=filters, timings_ms=timings
        )

    def heading_terms(self, cid: str) -> frozenset[str]:
        if cid not in self._headings:
            self._headings[cid] = section_heading_terms(self.by_id[cid])
        return self._headings[cid]

    @staticmethod
    def _where(filters: Filters) -> dict[str, Any] | None:
        if filters.doc_type:
            return {"doc_type": filters.doc_type}
        return None

    def _boost(
        self,
        chunk: Chunk,
        places: list[Place],
        bodies: Sequence[str],
        doc_types: frozenset[str] | set[str] = frozenset(),
    ) -> float:
        boost = 0.0
        if chunk.metadata.doc_type in doc_types:
            boost += POLICY.doc_type_boost  # "enligt missivet", "i tjänsteskrivelsen"
        kommuner = chunk.metadata.kommuner
        if any(p.kind == "kommun" and p.code in kommuner for p in places):
            boost += POLICY.kommun_boost
        chunk_bodies = self._bodies.get(chunk.id)
        if chunk_bodies is None:
            chunk_bodies = fold("|".join(chunk.metadata.bodies) + " " + chunk.text[:300])
            self._bodies[chunk.id] = chunk_bodies
        if any(fold(b) in chunk_bodies for b in bodies):
            boost += POLICY.body_boost
        return boost


def _dense_order(
    hits: list[tuple[str, float]], position: dict[str, int]
) -> list[tuple[str, float]]:
    """The store's hits ranked by similarity rounded to SCORE_DECIMALS; ties by index position, so
    the order is the same on every machine whatever the store returned first.

    Example: [("b", 0.812341), ("a", 0.812338)] with a before b in the index -> [("a", 0.81234),
    ("b", 0.81234)]
    """
    rounded = [(cid, round(sim, SCORE_DECIMALS)) for cid, sim in hits]
    return sorted(rounded, key=lambda hit: (-hit[1], position.get(hit[0], len(position))))
