"""assistant eval --generate: the fixed subset and the row of numbers beside the extractive one."""

from __future__ import annotations

from pathlib import Path

from assistant.answers import Answer
from assistant.evaluation.generated import format_rows, subset, summarise
from assistant.evaluation.gold import load_gold
from assistant.evaluation.results import CaseResult

GOLD = Path(__file__).resolve().parent.parent / "evals" / "gold"


def test_the_subset_is_40_answerable_cases_from_every_file_and_10_unanswerable():
    cases = load_gold(GOLD)
    chosen = subset(cases)
    assert sum(not c.abstain for c in chosen) == 40 and sum(c.abstain for c in chosen) == 10
    assert len({c.id for c in chosen}) == 50 and chosen == subset(list(reversed(cases)))
    prefixes = {c.id.split("-")[0] for c in chosen if not c.abstain}
    assert len(prefixes) >= 4


def _case(abstain_expected: bool, abstained: bool, answer_correct: bool, ms: float) -> CaseResult:
    return CaseResult(
        id="x",
        tags=(),
        question="q",
        abstain_expected=abstain_expected,
        abstained=abstained,
        correct=answer_correct or (abstain_expected and abstained),
        answer_correct=answer_correct,
        facts_found=int(answer_correct),
        facts_total=1,
        citations=1,
        citations_precise=1,
        citations_verbatim=1,
        sources_total=1,
        sources_cited=1,
        latency_ms=ms,
    )


def test_the_row_counts_dropped_sentences_against_all_generated_ones():
    results = [
        _case(False, False, True, 10_000),
        _case(False, False, False, 30_000),
        _case(True, True, False, 100),
    ]
    answers = [
        Answer("q", "a [1]", False, claims=("a [1]",), mode="generated", dropped_claims=1),
        Answer("q", "quotes", False, mode="extractive", dropped_claims=2),
        Answer("q", "none", True),
    ]
    row = summarise(results, answers)
    assert row["fact_accuracy"] == 0.5 and row["abstention_unanswerable"] == 1.0
    assert row["unsupported_rate"] == 3 / 4 and row["shown_generated_sentences"] == 1
    assert row["seconds_p50"] == 10.0
    table = format_rows({"rows": {"extractive": row, "generated": row}})
    assert "unsupported_rate" in table and "0.750" in table
