"""Per-case metrics as pure functions (which ranks hold a gold source, hit@k, MRR, recall@k,
nDCG@k, fact matching, citation precision, percentiles) and the catalogue of aggregate metrics
(per system, and for the drafting gold cases): label, direction, target and whether the ratchet
gates it.

Does not: call a system, time anything, aggregate over cases (results.py does) or read files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.evaluation.gold import GoldSource
from assistant.language.text import normalize_for_match, normalize_ws

MIN_CONTAINED_CHUNK = 15  # a chunk this short or shorter never counts as "inside the quote"


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk as evaluation sees it: (document, text) of every member of its copy group."""

    members: tuple[tuple[str, str], ...]


def stem(document: str) -> str:
    """Example: stem("corpus/a/Beslut.PDF") -> "beslut" (so a .pdf corpus meets .txt gold sources)"""
    return Path(document).stem.casefold()


def _plain(text: str) -> str:
    return normalize_ws(text).casefold()


def source_matches(hit: Hit, source: GoldSource) -> bool:
    """A member from the source's document whose text holds the quote (or, if short, lies inside it).

    Example: Hit((("a.pdf", "Handläggare:  Elisabeth Olsson"),)) matches ("a.txt", …, "handläggare: elisabeth olsson")
    """
    quote = _plain(source.quote)
    for document, text in hit.members:
        if stem(document) != stem(source.document):
            continue
        body = _plain(text)
        if quote in body or (len(body) > MIN_CONTAINED_CHUNK and body in quote):
            return True
    return False


def match_sources(hits: list[Hit], sources: Iterable[GoldSource]) -> list[frozenset[int]]:
    """For each rank, the indexes of the gold sources that hit covers."""
    sources = list(sources)
    return [frozenset(i for i, s in enumerate(sources) if source_matches(h, s)) for h in hits]


def hit_at_k(matched: list[frozenset[int]], k: int) -> float:
    """Example: hit_at_k([set(), {0}], 1) -> 0.0; hit_at_k([set(), {0}], 5) -> 1.0"""
    return 1.0 if any(matched[:k]) else 0.0


def reciprocal_rank(matched: list[frozenset[int]]) -> float:
    """Example: reciprocal_rank([set(), set(), {0}]) -> 1/3"""
    return next((1.0 / rank for rank, m in enumerate(matched, start=1) if m), 0.0)


def recall_at_k(matched: list[frozenset[int]], n_sources: int, k: int) -> float:
    """Fraction of the case's gold sources covered in the top k. Example: ([{0}, {0}], 2, 10) -> 0.5"""
    covered = frozenset().union(*matched[:k]) if matched[:k] else frozenset()
    return len(covered) / n_sources if n_sources else 0.0


def ndcg_at_k(matched: list[frozenset[int]], n_sources: int, k: int) -> float:
    """Each gold source is one relevant item; a rank gains the sources it covers first.

    Example: ndcg_at_k([set(), {0}], 1, 10) -> 1/log2(3) = 0.63. One chunk covering two sources
    at rank 1 is perfect (capped at 1.0).
    """
    seen: set[int] = set()
    dcg = 0.0
    for rank, m in enumerate(matched[:k], start=1):
        dcg += len(m - seen) / np.log2(rank + 1)
        seen |= m
    ideal = sum(1.0 / np.log2(rank + 1) for rank in range(1, min(n_sources, k) + 1))
    return float(min(1.0, dcg / ideal)) if ideal else 0.0


def facts_found(expected_facts: Iterable[Iterable[str]], text: str) -> list[bool]:
    """Per fact: is one of its alternatives in the text (case, dashes, whitespace, date forms folded)?

    Example: facts_found([["15 mars 2024"]], "Beslut 2024-03-15 [1]") -> [True]
    """
    haystack = normalize_for_match(text)
    return [any(normalize_for_match(alt) in haystack for alt in alts) for alts in expected_facts]


def word_overlap(a: str, b: str) -> float:
    """Shared words / words of the shorter text. Example: ("senast 31 december", "31 december 2021") -> 2/3"""
    wa, wb = set(re.findall(r"\w+", a.casefold())), set(re.findall(r"\w+", b.casefold()))
    return len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0


def citation_is_precise(
    quote: str, expected_facts: Iterable[Iterable[str]], gold_quotes: Iterable[str]
) -> bool:
    """A citation earns its place if its quote holds an expected fact or overlaps a gold quote (>= 50%)."""
    if any(facts_found([alts], quote)[0] for alts in expected_facts):
        return True
    return any(word_overlap(quote, gold) >= 0.5 for gold in gold_quotes)


def percentile(values: list[float], q: float) -> float | None:
    """Example: percentile([10, 20, 30], 50) -> 20.0"""
    return float(np.percentile(values, q)) if values else None


@dataclass(frozen=True)
class MetricSpec:
    key: str
    label: str
    higher_is_better: bool = True
    target: float | None = None
    gated: bool = True  # ratcheted against evals/baseline.json


# Targets are issue #10's, for every gated set (gold test split, held-out, devcorpus test split).
METRICS = (
    MetricSpec("hit@1", "hit@1"),
    MetricSpec("hit@5", "hit@5", target=0.95),
    MetricSpec("recall@10", "recall@10"),
    MetricSpec("mrr", "MRR"),
    MetricSpec("ndcg@10", "nDCG@10"),
    MetricSpec("fact_accuracy", "fact acc", target=0.85),
    MetricSpec("per_fact_accuracy", "facts found"),
    MetricSpec("answer_fact_accuracy", "fact acc (answer only)"),
    MetricSpec("citation_precision", "cite prec"),
    MetricSpec("citation_recall", "cite recall"),
    MetricSpec("citation_right_document", "cite right doc", target=0.85),
    MetricSpec("verbatim_rate", "verbatim", target=1.0),
    MetricSpec("abstention_accuracy", "abstain acc", target=0.85),
    MetricSpec("abstention_precision", "abstain prec"),
    # Abstaining is the positive class: its recall is abstention accuracy again (gated as that).
    MetricSpec("abstention_recall", "abstain recall", gated=False),
    MetricSpec("false_abstention_rate", "false abstain", higher_is_better=False, target=0.08),
    MetricSpec("latency_p50_ms", "p50 ms", higher_is_better=False, gated=False),
    MetricSpec("latency_p95_ms", "p95 ms", higher_is_better=False, gated=False),
)
# Drafting gold cases (evals/gold_drafting): our draft_decision only, gated like the rest.
DRAFTING_METRICS = (
    MetricSpec("drafting_cases_passed", "drafts passed", target=1.0),
    MetricSpec("drafting_wording_recall", "wording recall"),
    MetricSpec("drafting_source_recall", "source recall"),
    MetricSpec("drafting_verbatim_rate", "draft verbatim", target=1.0),
)
ALL_METRICS = METRICS + DRAFTING_METRICS  # what the gate and the baseline cover
SPECS = {m.key: m for m in ALL_METRICS}
RETRIEVAL_KEYS = ("hit@1", "hit@5", "recall@10", "mrr", "ndcg@10")
# The metrics shown per evaluation set (issue #10), ours beside the naive baseline.
SET_KEYS = (
    "fact_accuracy",
    "citation_right_document",
    "abstention_accuracy",
    "abstention_precision",
    "abstention_recall",
    "false_abstention_rate",
    "verbatim_rate",
    "hit@5",
)


def meets_target(value: float, spec: MetricSpec) -> bool:
    """Example: meets_target(0.949, SPECS["hit@5"]) -> False; meets_target(0.05, SPECS["false_abstention_rate"]) -> True"""
    assert spec.target is not None
    return value >= spec.target - 1e-9 if spec.higher_is_better else value <= spec.target + 1e-9
