"""The spans of a retrieval that can answer a question (or one part of it) with their feature rows:
what the answerer scores (answerer.py) and what the scorer is fitted on (evaluation/fit.py), one
function so both see the same spans and the same features.

Does not: score the rows (scorer.py), choose claims (select.py) or label spans for fitting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from assistant.answer.eligibility import eligible
from assistant.answer.features import Candidate, SpanReader, feature_matrix
from assistant.answer.question import Question
from assistant.documents import RetrievalResult


@dataclass(frozen=True)
class Evidence:
    """Which candidates can answer (``keep``, one bool per candidate), those candidates (``pool``)
    and one feature row per pool span (``matrix``, len(pool) × len(FEATURES))."""

    keep: np.ndarray
    pool: list[Candidate]
    matrix: np.ndarray


def evidence(
    question: Question,
    result: RetrievalResult,
    cands: list[Candidate],
    vectors: Mapping[str, np.ndarray],
    terms: dict[str, float] | None = None,
    asks: str | None | bool = False,
    reader: SpanReader | None = None,
) -> Evidence:
    """The eligible spans of ``cands`` and their features, for the whole question or, with
    ``terms``/``asks``, for one part of it.

    subtle: the features are computed over the eligible spans only (the relative features compare
    a span with the best eligible one), at run time and when fitting alike.
    Example: evidence(q, result, cands, vectors).keep -> array([True, False, True])
    """
    terms = question.terms if terms is None else terms
    asked = question.asks if isinstance(asks, bool) else asks
    keep = eligible(asked, question.counted, cands, terms, question.designations)
    pool = [c for c, k in zip(cands, keep, strict=True) if k]
    matrix = feature_matrix(question, result, pool, vectors, terms, asked, reader)
    return Evidence(keep, pool, matrix)
