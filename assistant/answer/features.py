"""Candidate evidence and its features: every span of the retrieved chunks, described by a few
general numbers the learned scorer (scorer.py) weighs.

The features: dense similarity of question and span (absolute and relative to the best span),
Swedish lexical overlap of the question's weighted terms with the span, its headings and its
document, the reader model's P that the span answers (question and span read together) (stems, compounds, synonyms; absolute and relative), whether the span holds what the
question asks for (a date for "när", a person for "vem" …), retrieval rank, heading match, year and
code match, and the span's shape (a bare label, a lead-in, a list item, its length, its position).

Does not: weigh the features (scorer.py), choose the answer (select.py) or abstain (answerer.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.answer.answertypes import holds_type
from assistant.answer.question import Question
from assistant.answer.terms import compound_hit, defining, is_item, leads_list
from assistant.config import ANSWER_POLICY as POLICY
from assistant.documents import Chunk, RetrievalResult
from assistant.language.analysis import analyze
from assistant.search.query import section_heading_terms
from assistant.store.snapshot import text_key

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
    "designation_match",
    "short_label",
    "lead_in",
    "list_item",
    "first_span",
    "log_len",
    "defines",
    "doc_type_named",
    "q_terms",
    "type_x_lex",
    "dense_x_lex",
    "pool_cover",
    "key_in_pool",
    "reader",
    "reader_rel",
)
# The reader (assistant/answer/reader/) reads question and span together; it scores this many
# spans of a question (AnswerPolicy.reader_spans).
READER_SPANS = POLICY.reader_spans


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
class Layers:
    """The analysed words around a chunk's spans: its headings and its document's title/metadata."""

    heading: frozenset[str]
    context: frozenset[str]

    @classmethod
    def of(cls, chunk: Chunk) -> Layers:
        meta = chunk.metadata
        context = f"{chunk.title} {meta.doc_type} {' '.join(meta.orgs)} {meta.diarienr}"
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
    vectors: Mapping[str, np.ndarray],
    terms: dict[str, float] | None = None,
    asks: str | None | bool = False,
    reader: SpanReader | None = None,
) -> np.ndarray:
    """One row of FEATURES per candidate. ``terms``/``asks`` score one part of a two-part question.
    Without a ``reader`` the reader's columns are 0 (the scorer fitted without it reads them so).

    Example: feature_matrix(q, result, candidates(result), vectors).shape -> (len(cands), 24)
    """
    terms = question.terms if terms is None else terms
    asks = question.asks if asks is False else asks
    asked = beyond_title(terms, result, designations=True)
    key_terms = beyond_title(terms, result)
    top_term = max(key_terms, key=lambda t: key_terms[t]) if key_terms else ""
    fused = {r.chunk.id: r.score for r in result.chunks}
    best_fused = max(fused.values(), default=1.0) or 1.0
    layers: dict[str, Layers] = {}
    span_words = [set(analyze(cand.text)) for cand in cands]
    # What the question asks about that no retrieved span or heading says at all: the same for
    # every span of the question, it tells the scorer how much the retrieved text can answer.
    pool_words = set().union(*span_words) if span_words else set()
    for cand in cands:
        pool_words |= layers.setdefault(cand.chunk.id, Layers.of(cand.chunk)).heading
    pool_cover = _share(terms, pool_words)
    key_in_pool = float(
        bool(top_term) and (top_term in pool_words or compound_hit(top_term, pool_words))
    )
    rows = []
    dense_of: dict[str, float] = {}
    for cand, words in zip(cands, span_words, strict=True):
        chunk = cand.chunk
        layer = layers[chunk.id]
        lex_span = _share(asked, words)
        lex_heading = _share(terms, layer.heading)
        lex_context = _share(terms, layer.context)
        lex_all = _share(terms, words | layer.heading | layer.context)
        if chunk.id not in dense_of:  # the section's vector: spans have none of their own
            vector = vectors.get(text_key(chunk.embed_text()))
            dense_of[chunk.id] = float(vector @ result.query_vector) if vector is not None else 0.0
        dense = dense_of[chunk.id]
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
                float(bool(question.designations & set(chunk.metadata.designations))),
                float(len(cand.text) < POLICY.label_chars and not leads_list(chunk, cand.index)),
                float(leads_list(chunk, cand.index)),
                float(is_item(cand.text)),
                float(cand.index == 0),
                math.log(1 + len(cand.text)),
                float(
                    question.wants_definition and defining(question.abbreviation, cand.text, terms)
                ),
                float(chunk.metadata.doc_type in question.doc_types),
                math.log(1 + len(terms)),
                float(held) * lex_all,
                dense * lex_all,
                pool_cover,
                key_in_pool,
                0.0,  # reader, filled below
                0.0,  # reader_rel, filled below
            ]
        )
    matrix = np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))
    if len(rows):
        matrix[:, 1] = matrix[:, 0] - matrix[:, 0].max()
        matrix[:, 6] = matrix[:, 5] - matrix[:, 5].max()
        if reader is not None:
            col = FEATURES.index("reader")
            matrix[:, col] = reader_column(result.question, cands, matrix, reader)
            matrix[:, col + 1] = matrix[:, col] - matrix[:, col].max()
    return matrix


class SpanReader(Protocol):
    """What features need of the reader (assistant.answer.reader.model.Reader)."""

    def probabilities(self, question: str, sentences: Sequence[str]) -> np.ndarray: ...


def reader_text(cand: Candidate) -> str:
    """The span as the reader was trained to read it: under its own heading.

    Example: span "Avgiften är 500 kronor." in section "Avgifter" -> "Avgifter: Avgiften är 500 kronor."
    """
    heading = cand.chunk.heading_path[-1] if cand.chunk.heading_path else ""
    return f"{heading}: {cand.text}" if heading else cand.text


def reader_column(
    question: str, cands: list[Candidate], matrix: np.ndarray, reader: SpanReader
) -> np.ndarray:
    """The reader's P for the READER_SPANS spans with the most lexical and dense overlap, 0 for
    the others (the reader costs ~20 ms a span on two cores)."""
    col = {name: i for i, name in enumerate(FEATURES)}
    prerank = matrix[:, col["lex_span"]] + matrix[:, col["lex_all"]] + matrix[:, col["dense"]]
    top = np.argsort(-prerank, kind="stable")[:READER_SPANS]
    out = np.zeros(len(cands))
    out[top] = reader.probabilities(question, [reader_text(cands[int(i)]) for i in top])
    return out


def beyond_title(
    terms: dict[str, float], result: RetrievalResult, designations: bool = False
) -> dict[str, float]:
    """The question's terms with those of the best-ranked document's title (and, with
    ``designations``, of its designations) weighed down: they say which document is asked about,
    not what in it. The key term is read from the title-weighed terms, the span's own overlap
    (``lex_span``) from those weighed for designations too; heading and document overlap keep
    every term.

    Example: for "Vad ska enligt SOU 2031:5 Plan för skolor ersätta riktlinjerna?" with the top
    document titled "Plan för skolor", designation "sou 2031:5", with ``designations``:
    {"sou": 0.3, "2031": 0.3, "5": 0.3, "plan": 0.3, "skol": 0.3, "ersätt": 1.0, "riktlinj": 1.0}
    """
    if not result.chunks:
        return terms
    top = result.chunks[0].chunk
    title = Layers.of(top).context
    if designations:
        title = title | set(analyze(" ".join(top.metadata.designations)))
    return {t: w * (POLICY.title_weight if t in title else 1.0) for t, w in terms.items()}


def _code_match(question: Question, chunk: Chunk, text: str) -> bool:
    """A code the question names ("delmål C1") heads the span or stands in it."""
    if not question.codes:
        return False
    where = f"{' '.join(chunk.heading_path)} {text}".lower()
    return any(
        code in where.split() or f"{code} " in where or f"{code}." in where
        for code in question.codes
    )


QUESTION_FEATURES = (
    "p_best",
    "p_margin",
    "best_lex_all",
    "best_lex_span",
    "best_top_term",
    "best_dense",
    "asks_typed",
    "log_pool",
    "q_terms",
    "terms_anywhere",
    "named_elsewhere",
    "best_reader",
)


def question_features(
    question: Question, pool: list[Candidate], matrix: np.ndarray, probs: np.ndarray
) -> np.ndarray:
    """One row of QUESTION_FEATURES: how well the best span and the whole pool speak of the
    question; the abstention model (scorer.py) reads it.

    Example: question_features(q, pool, feature_matrix(q, …, pool, …), probs)[0] -> the best P
    """
    if not len(pool):
        return np.zeros(len(QUESTION_FEATURES))
    order = np.argsort(-probs, kind="stable")
    best = int(order[0])
    second = float(probs[order[1]]) if len(order) > 1 else 0.0
    words: set[str] = set()
    for cand in pool:
        words |= set(analyze(cand.text))
    for chunk in {c.chunk.id: c.chunk for c in pool}.values():
        words |= Layers.of(chunk).heading
    col = {name: i for i, name in enumerate(FEATURES)}
    return np.array(
        [
            float(probs[best]),
            float(probs[best]) - second,
            matrix[best, col["lex_all"]],
            matrix[best, col["lex_span"]],
            matrix[best, col["top_term"]],
            matrix[best, col["dense"]],
            float(bool(question.asks)),
            math.log(1 + len(pool)),
            math.log(1 + len(question.terms)),
            _share(question.terms, words),
            # The question names a document ("SOU 2024:60") and the best span is not from it.
            float(bool(question.designations) and not matrix[best, col["designation_match"]]),
            float(matrix[:, col["reader"]].max()),
        ]
    )
