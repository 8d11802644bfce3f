"""Candidate evidence and its features: every span of the retrieved chunks, described by a few
general numbers the learned scorer (scorer.py) weighs.

The features: dense similarity of question and span (absolute and relative to the best span),
Swedish lexical overlap of the question's weighted terms with the span, its headings and its
document (stems, compounds, synonyms; absolute and relative), whether the span holds what the
question asks for (a date for "när", a person for "vem" …), retrieval rank, heading match, year and
code match, and the span's shape (a bare label, a lead-in, a list item, its length, its position).

Does not: weigh the features (scorer.py), choose the answer (select.py) or abstain (answerer.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from assistant.answer.answertypes import holds_type
from assistant.answer.evidence import compound_hit, defining, is_item, leads_list
from assistant.answer.question import Question
from assistant.documents import Chunk
from assistant.language.analysis import analyze
from assistant.search.hybrid import RetrievalResult
from assistant.search.query import section_heading_terms
from assistant.store.chroma import text_key

FEATURES = (
    "dense",
    "dense_rel",
    "lex_span",
    "lex_heading",
    "lex_context",
    "lex_all",
    "lex_rel",
    "top_term",
    "rank_inv",
    "fused_rel",
    "asks_typed",
    "type_held",
    "type_missing",
    "heading_named",
    "year_match",
    "code_match",
    "short_label",
    "lead_in",
    "list_item",
    "first_span",
    "log_len",
    "defines",
    "doc_type_named",
    "q_terms",
)


@dataclass(frozen=True)
class Candidate:
    """One span (a sentence, list item or table row) of a retrieved chunk."""

    chunk: Chunk
    rank: int  # the chunk's retrieval rank, 1 = best
    index: int  # span index in the chunk
    text: str
    first: int
    last: int
    page: int | None


@dataclass(frozen=True)
class _Layers:
    """The analysed words around a chunk's spans: its headings and its document's title/metadata."""

    heading: frozenset[str]
    context: frozenset[str]

    @classmethod
    def of(cls, chunk: Chunk) -> _Layers:
        meta = chunk.metadata
        context = f"{chunk.title} {meta.get('doc_type', '')} {meta.get('orgs', '')} {meta.get('diarienr', '')}"
        return cls(frozenset(analyze(" ".join(chunk.heading_path))), frozenset(analyze(context)))


def candidates(result: RetrievalResult) -> list[Candidate]:
    """Every span of the retrieved chunks, in retrieval order."""
    return [
        Candidate(r.chunk, r.rank, i, s.text, s.line_start, s.line_end, s.page)
        for r in result.chunks
        for i, s in enumerate(r.chunk.spans)
    ]


def _share(terms: dict[str, float], words: frozenset[str] | set[str]) -> float:
    total = sum(terms.values())
    if not total:
        return 0.0
    got = sum(w for t, w in terms.items() if t in words or compound_hit(t, set(words)))
    return got / total


def feature_matrix(
    question: Question,
    result: RetrievalResult,
    cands: list[Candidate],
    vectors: dict[str, np.ndarray],
    terms: dict[str, float] | None = None,
    asks: str | None | bool = False,
) -> np.ndarray:
    """One row of FEATURES per candidate. ``terms``/``asks`` score one part of a two-part question.

    Example: feature_matrix(q, result, candidates(result), vectors).shape -> (len(cands), 24)
    """
    terms = question.terms if terms is None else terms
    asks = question.asks if asks is False else asks
    top_term = max(terms, key=lambda t: terms[t]) if terms else ""
    fused = {r.chunk.id: r.score for r in result.chunks}
    best_fused = max(fused.values(), default=1.0) or 1.0
    layers: dict[str, _Layers] = {}
    rows = []
    for cand in cands:
        chunk = cand.chunk
        layer = layers.setdefault(chunk.id, _Layers.of(chunk))
        words = set(analyze(cand.text))
        lex_span = _share(terms, words)
        lex_heading = _share(terms, layer.heading)
        lex_context = _share(terms, layer.context)
        lex_all = _share(terms, words | layer.heading | layer.context)
        vector = vectors.get(text_key(cand.text))
        dense = float(vector @ result.query_vector) if vector is not None else 0.0
        held = bool(asks) and holds_type(
            cand.text, str(asks), question.counted if asks == "count" else ""
        )
        own_heading = section_heading_terms(chunk)
        rows.append(
            [
                dense,
                0.0,  # dense_rel, filled below
                lex_span,
                lex_heading,
                lex_context,
                lex_all,
                0.0,  # lex_rel, filled below
                float(bool(top_term) and (top_term in words or compound_hit(top_term, words))),
                1.0 / cand.rank,
                fused.get(chunk.id, 0.0) / best_fused,
                float(bool(asks)),
                float(held),
                float(bool(asks) and not held),
                float(bool(own_heading) and own_heading <= set(terms)),
                float(bool(question.years) and any(y in cand.text for y in question.years)),
                float(_code_match(question, chunk, cand.text)),
                float(len(cand.text) < 25 and not leads_list(chunk, cand.index)),
                float(leads_list(chunk, cand.index)),
                float(is_item(cand.text)),
                float(cand.index == 0),
                math.log(1 + len(cand.text)),
                float(question.wants_definition and defining(question.text, cand.text, terms)),
                float(chunk.metadata.get("doc_type") in question.doc_types),
                math.log(1 + len(terms)),
            ]
        )
    matrix = np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
    if len(rows):
        matrix[:, 1] = matrix[:, 0] - matrix[:, 0].max()
        matrix[:, 6] = matrix[:, 5] - matrix[:, 5].max()
    return matrix


def _code_match(question: Question, chunk: Chunk, text: str) -> bool:
    """A code the question names ("delmål C1") heads the span or stands in it."""
    if not question.codes:
        return False
    where = f"{' '.join(chunk.heading_path)} {text}".lower()
    return any(
        code in where.split() or f"{code} " in where or f"{code}." in where
        for code in question.codes
    )
