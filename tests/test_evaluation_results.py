"""Aggregates of one system's case results: overall and per tag."""

from __future__ import annotations

import pytest

from assistant.evaluation.results import CaseResult, per_tag, summarize


def case_result(
    id_: str,
    correct: bool,
    *,
    abstain_expected: bool = False,
    abstained: bool = False,
    tags: tuple[str, ...] = ("dates",),
    citations: int = 1,
    verbatim: int = 1,
) -> CaseResult:
    return CaseResult(
        id=id_,
        tags=tags,
        question=f"fråga {id_}?",
        abstain_expected=abstain_expected,
        abstained=abstained,
        correct=correct,
        answer_correct=correct and not abstain_expected,
        facts_found=int(correct),
        facts_total=0 if abstain_expected else 1,
        citations=citations,
        citations_precise=citations if correct else 0,
        citations_verbatim=verbatim,
        sources_total=0 if abstain_expected else 1,
        sources_cited=int(correct),
        latency_ms=10.0,
        missing_facts=() if correct or abstain_expected else ("31 december 2021",),
        **(
            {}
            if abstain_expected
            else {"hit1": 1.0, "hit5": 1.0, "rr": 1.0, "recall10": 1.0, "ndcg10": 1.0}
        ),
    )


def test_summary_splits_answerable_and_unanswerable_cases():
    cases = [
        case_result("a", True),
        case_result("b", False, abstained=True, citations=0, verbatim=0),
        case_result(
            "c",
            True,
            abstain_expected=True,
            abstained=True,
            tags=("unanswerable",),
            citations=0,
            verbatim=0,
        ),
        case_result(
            "d", False, abstain_expected=True, tags=("unanswerable",), citations=2, verbatim=1
        ),
    ]
    m = summarize(cases)
    assert m["fact_accuracy"] == 0.5
    assert m["false_abstention_rate"] == 0.5
    assert m["abstention_accuracy"] == 0.5
    assert m["verbatim_rate"] == pytest.approx(
        2 / 3
    )  # over every citation shown, answerable or not
    tags = per_tag(cases)
    assert tags["dates"]["fact_accuracy"] == 0.5
    assert tags["dates"]["abstention_accuracy"] is None
    assert tags["unanswerable"]["abstention_accuracy"] == 0.5
    assert tags["unanswerable"]["hit@5"] is None


def test_citation_to_the_right_document_and_abstention_precision_and_recall():
    cases = [
        case_result("a", True),  # cites its gold document
        case_result("b", False),  # cites another document
        case_result("c", False, abstained=True, citations=0, verbatim=0),  # wrongly abstains
        case_result("u1", True, abstain_expected=True, abstained=True, citations=0, verbatim=0),
        case_result("u2", False, abstain_expected=True, abstained=False),
    ]
    m = summarize(cases)
    assert m["citation_right_document"] == pytest.approx(1 / 3)  # an abstention counts as wrong
    assert m["abstention_precision"] == 0.5  # two abstentions, one of them right
    assert m["abstention_recall"] == m["abstention_accuracy"] == 0.5
    assert summarize([case_result("a", True)])["abstention_precision"] is None  # never abstained
