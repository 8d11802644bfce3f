"""Per-case metrics on hand-made inputs: ranks, facts, source and citation matching."""

from __future__ import annotations

import math

import pytest

from assistant.evaluation.gold import GoldSource
from assistant.evaluation.metrics import (
    Hit,
    citation_is_precise,
    facts_found,
    hit_at_k,
    ndcg_at_k,
    recall_at_k,
    reciprocal_rank,
    source_matches,
    word_overlap,
)

ALINGSAS = "alingsas-fardplan-god-och-nara-vard-remissvar.txt"


def _m(*sets: set[int]) -> list[frozenset[int]]:
    return [frozenset(s) for s in sets]


def test_hit_at_k_mrr_and_recall_on_a_hand_made_ranking():
    matched = _m(set(), set(), {0}, set(), {1})
    assert hit_at_k(matched, 1) == 0.0
    assert hit_at_k(matched, 3) == 1.0
    assert reciprocal_rank(matched) == pytest.approx(1 / 3)
    assert reciprocal_rank(_m(set(), set())) == 0.0
    assert recall_at_k(matched, n_sources=2, k=3) == 0.5
    assert recall_at_k(matched, n_sources=2, k=10) == 1.0


def test_ndcg_counts_each_gold_source_once():
    assert ndcg_at_k(_m({0}, {1}), n_sources=2, k=10) == pytest.approx(1.0)
    assert ndcg_at_k(_m(set(), {0}), n_sources=1, k=10) == pytest.approx(1 / math.log2(3))
    assert (
        ndcg_at_k(_m({0, 1}), n_sources=2, k=10) == 1.0
    )  # one chunk holding both quotes is perfect
    assert ndcg_at_k(_m({0}, {0}), n_sources=2, k=10) == pytest.approx(1 / (1 + 1 / math.log2(3)))
    assert ndcg_at_k(_m(set(), {0}), n_sources=1, k=1) == 0.0


def test_facts_match_across_swedish_and_iso_dates_case_and_dashes():
    assert facts_found([["15 mars 2024"]], "Beslutet fattades 2024-03-15 [1]") == [True]
    assert facts_found([["2024-03-15"]], "den 15 mars 2024") == [True]
    assert facts_found(
        [["15 mars 2024"], ["Elisabeth Olsson", "E. Olsson"]], "2024-03-16, ELISABETH\n OLSSON"
    ) == [False, True]
    assert facts_found([["Strategi 2024–2026"]], "strategi 2024 - 2026") == [True]


def test_a_chunk_is_relevant_by_document_stem_and_normalised_quote():
    quote = GoldSource(ALINGSAS, "x", "Handläggare: Elisabeth Olsson")
    assert source_matches(
        Hit(
            (
                (
                    "alingsas-fardplan-god-och-nara-vard-remissvar.pdf",
                    "Datum: 2021-12-01\nHANDLÄGGARE:  Elisabeth Olsson",
                ),
            )
        ),
        quote,
    )
    assert not source_matches(Hit((("other.txt", "Handläggare: Elisabeth Olsson"),)), quote)
    # A short chunk lying wholly inside the quote counts; a bare heading does not.
    long_quote = GoldSource(ALINGSAS, "x", "Datum: 2021-12-01 Handläggare: Elisabeth Olsson")
    assert source_matches(Hit(((ALINGSAS, "Handläggare: Elisabeth Olsson"),)), long_quote)
    assert not source_matches(Hit(((ALINGSAS, "Datum"),)), long_quote)


def test_citation_precision_wants_a_fact_or_half_the_words_of_a_gold_quote():
    gold = ["Berörda nämnder skall lämna remissvar senast 31 december 2021."]
    assert citation_is_precise("Svaret lämnas 2021-12-31.", [["31 december 2021"]], [])
    assert citation_is_precise("Nämnder skall lämna remissvar.", [["saknas"]], gold)
    assert not citation_is_precise(
        "Kommunstyrelsen beslutar att anta strategin.", [["saknas"]], gold
    )
    assert word_overlap("senast 31 december", "31 december 2021") == pytest.approx(2 / 3)
