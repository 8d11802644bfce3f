"""Rows per evaluation set: gold splits cut from the whole-set results, the train/test gap, and the
devcorpus indexed into its own temporary index (real Chroma, the real default model) and split."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant import evaluation as ev
from assistant.config import Settings
from assistant.evaluation.gold import GoldCase
from assistant.evaluation.results import SystemResult
from assistant.evaluation.sets import (
    gold_split_rows,
    row_label,
    row_name,
    set_of,
    train_test_gaps,
)
from assistant.service import Assistant
from tests.conftest import ROOT
from tests.test_evaluation_results import case_result

DEV = ROOT / "evals" / "devcorpus"
# dev-001 (test split) and dev-002 (train) answerable, dev-081 (train) to abstain on.
TINY_DEV = ("dev-001", "dev-002", "dev-081")


def _case(case_id: str) -> GoldCase:
    return GoldCase.from_json({"id": case_id, "question": f"{case_id}?"})


def test_row_names_and_labels_say_system_and_set():
    assert row_name("ours", "gold-test") == "ours@gold-test"
    assert row_label("llamaindex", "devcorpus-train") == "naive llama-index · devcorpus train"
    assert set_of("ours@heldout") == "heldout"
    assert set_of("bm25") is None


def test_gold_split_rows_cut_the_whole_set_results_by_the_recorded_split(tmp_path):
    results = {
        system: SystemResult.from_cases(
            system, system, [case_result("a-1", True), case_result("a-2", False)]
        )
        for system in ("ours", "llamaindex")
    }
    splits = tmp_path / "splits.json"
    splits.write_text(
        json.dumps({"sets": {"gold": {"train": ["a-1"], "test": ["a-2"]}}}), encoding="utf-8"
    )
    rows = gold_split_rows(results, [_case("a-1"), _case("a-2")], splits)
    assert list(rows) == [
        "ours@gold-train",
        "llamaindex@gold-train",
        "ours@gold-test",
        "llamaindex@gold-test",
    ]
    assert rows["ours@gold-train"].metrics["fact_accuracy"] == 1.0
    assert rows["ours@gold-test"].metrics["fact_accuracy"] == 0.0
    assert train_test_gaps(rows) == {"gold": 1.0}
    assert gold_split_rows(results, [_case("a-1")], tmp_path / "none.json") == {}


@pytest.fixture
def evals_dir(tmp_path: Path) -> Path:
    """An evals-like folder: two gold cases, a devcorpus of three pages and three of its
    questions, and a splits.json for both; the index of the bundled corpus is built elsewhere."""
    root = tmp_path / "evals"
    (root / "gold").mkdir(parents=True)
    gold = [
        line
        for line in (ROOT / "evals" / "gold" / "alingsas.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ][:2]
    (root / "gold" / "g.jsonl").write_text("\n".join(gold) + "\n", encoding="utf-8")
    questions = [
        json.loads(line)
        for line in (DEV / "questions.jsonl").read_text("utf-8").splitlines()
        if line.strip() and json.loads(line)["id"] in TINY_DEV
    ]
    (root / "devcorpus" / "corpus").mkdir(parents=True)
    (root / "devcorpus" / "questions.jsonl").write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8"
    )
    pages = {d for q in questions for d in q.get("documents", ())}
    pages.add("remiss-2024-11-sou-2024-72-starkt-medicinsk-kompetens-i.md")  # dev-081's page
    for page in pages:
        shutil.copy(DEV / "corpus" / page, root / "devcorpus" / "corpus" / page)
    splits = {
        "gold": {"train": [json.loads(gold[0])["id"]], "test": [json.loads(gold[1])["id"]]},
        "devcorpus": {"train": ["dev-002", "dev-081"], "test": ["dev-001"]},
    }
    (root / "splits.json").write_text(json.dumps({"sets": splits}), encoding="utf-8")
    return root


def test_the_devcorpus_gets_its_own_index_and_its_own_rows(evals_dir, tmp_path):
    settings = Settings(corpus_dir=ROOT / "corpus", index_dir=tmp_path / "index")
    Assistant(settings).ingest()
    live = (settings.index_dir / "CURRENT").read_text(encoding="utf-8")
    report = ev.run(settings, evals_dir / "gold", tmp_path / "reports", quick=True)
    assert list(report.systems) == [
        "ours",
        "ours@gold-train",
        "ours@gold-test",
        "ours@devcorpus-train",
        "ours@devcorpus-test",
    ]
    train, test = report.systems["ours@devcorpus-train"], report.systems["ours@devcorpus-test"]
    assert [c.id for c in train.cases] == ["dev-002", "dev-081"]
    assert [c.id for c in test.cases] == ["dev-001"]
    # the pages were indexed on their own: citations name devcorpus pages, never the bundled corpus
    cited = test.cases[0]
    assert cited.hit5 == 1.0 and cited.sources_total == 1
    assert test.metrics["citation_right_document"] in (0.0, 1.0)
    assert any(n.startswith("devcorpus: 3 questions over") for n in report.notes)
    assert set(report.gated()) == {"gold-test", "devcorpus-test"}
    assert (settings.index_dir / "CURRENT").read_text(encoding="utf-8") == live  # untouched
    markdown = Path(report.files["md"]).read_text(encoding="utf-8")
    assert "| devcorpus test | ours | 1 |" in markdown
    assert "Train/test gap in our fact accuracy (train minus test): gold" in markdown
    skipped = ev.run(settings, evals_dir / "gold", tmp_path / "r2", quick=True, devcorpus=False)
    assert not [n for n in skipped.systems if "devcorpus" in n]
    assert "devcorpus left out (--no-devcorpus): its rows are not measured" in skipped.notes
