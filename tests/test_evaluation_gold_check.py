"""assistant/evaluation/gold_check.py and gold_rules.py: the real gold sets stay valid, and each rule catches its bad
case (made-up gold rows over a made-up corpus document)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.evaluation.gold_check import Coverage, check_devcorpus, check_gold_dir
from tests.conftest import ROOT

DOC = "exempelby-protokoll.txt"
OTHER = "exempelby-plan.txt"
_TEXT = (
    "Protokoll\n\nBakgrund\n\nBarn- och skolnämnden beslutade den 31 augusti 2031 att anta "
    "planen för skolorna i Exempelby kommun.\n"
)
_GOOD = {
    "id": "ex-001",
    "question": "När antogs planen?",
    "language": "sv",
    "tags": ["dates"],
    "expected_facts": [["2031-08-31", "31 augusti 2031"]],
    "sources": [
        {
            "document": DOC,
            "section": "Bakgrund",
            "quote": "beslutade den 31 augusti 2031 att anta planen",
        }
    ],
    "abstain": False,
}
_SMALL = Coverage(total=1, per_document=0, english=0, paraphrase=0, unanswerable=0)


def _write(folder: Path, rows: list[Any], name: str = "ex.jsonl") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    (folder / name).write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture
def made_up(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / DOC).write_text(_TEXT, "utf-8")
    (corpus / OTHER).write_text("Planen gäller 2031–2034 för Exempelby kommun.\n", "utf-8")
    return tmp_path


def _errors(made_up: Path, *rows: Any, coverage: Coverage = _SMALL) -> list[str]:
    _write(made_up / "gold", list(rows))
    check = check_gold_dir(made_up / "gold", made_up / "corpus", made_up / "gold", coverage)
    return check.errors


def _case(**changes: Any) -> dict[str, Any]:
    case = copy.deepcopy(_GOOD)
    case.update(changes)
    return case


def test_a_good_case_passes_and_its_date_fact_matches_in_either_form(made_up):
    assert _errors(made_up, _GOOD) == []


_SOURCE = _GOOD["sources"][0]
BAD_CASES = [
    ("not json", "{nope", "invalid JSON"),
    ("not an object", "[1, 2]", "line is not a JSON object"),
    (
        "missing field",
        {k: v for k, v in _GOOD.items() if k != "tags"},
        "bad fields (missing ['tags']",
    ),
    ("id shape", _case(id="ex-1"), "id must look like 'abc-001'"),
    ("empty question", _case(question=" "), "question must be a non-empty string"),
    ("language", _case(language="de"), "language must be one of ['en', 'sv']"),
    ("tags not a list", _case(tags="dates"), "tags must be a non-empty list of strings"),
    ("unknown tag", _case(tags=["dates", "gossip"]), "unknown tags ['gossip']"),
    ("duplicate tag", _case(tags=["dates", "dates"]), "duplicate tags"),
    ("english tag", _case(language="en"), "tag 'english' must be present exactly when"),
    ("abstain type", _case(abstain="no"), "abstain must be a boolean"),
    ("facts type", _case(expected_facts="x"), "expected_facts and sources must be lists"),
    ("abstain with facts", _case(abstain=True, tags=["unanswerable"]), "abstain cases need"),
    (
        "abstain untagged",
        _case(abstain=True, expected_facts=[], sources=[]),
        "abstain case without 'unanswerable' tag",
    ),
    ("unanswerable answered", _case(tags=["unanswerable"]), "'unanswerable' tag on a case with"),
    ("no facts", _case(expected_facts=[]), "needs at least one expected fact"),
    ("no sources", _case(sources=[]), "needs at least one source"),
    ("source fields", _case(sources=[{"document": DOC}]), "source must have exactly"),
    ("unknown document", _case(sources=[{**_SOURCE, "document": "x.txt"}]), "unknown document"),
    ("source types", _case(sources=[{**_SOURCE, "quote": 3}]), "quote and section must be strings"),
    ("short quote", _case(sources=[{**_SOURCE, "quote": "beslutade"}]), "quote length 9 outside"),
    (
        "quote not in document",
        _case(sources=[{**_SOURCE, "quote": "beslutade den 1 mars 2031 att riva skolan"}]),
        "quote not found in",
    ),
    ("empty section", _case(sources=[{**_SOURCE, "section": " "}]), "empty section"),
    (
        "section not found",
        _case(sources=[{**_SOURCE, "section": "Syfte"}]),
        "section text not found",
    ),
    (
        "cross-document",
        _case(tags=["dates", "cross-document"]),
        "needs sources from >= 2 documents",
    ),
    ("fact shape", _case(expected_facts=[["2031-08-31", ""]]), "fact must be a non-empty list"),
    (
        "fact not in document",
        _case(expected_facts=[["2031-08-30"]]),
        "alternative '2031-08-30' not found in source document(s)",
    ),
]


@pytest.mark.parametrize(
    ("row", "message"), [c[1:] for c in BAD_CASES], ids=[c[0] for c in BAD_CASES]
)
def test_each_rule_catches_its_bad_case(made_up, row, message):
    errors = _errors(made_up, row)
    assert any(message in e for e in errors), errors


def test_ids_are_unique_and_one_prefix_belongs_to_one_file(made_up):
    assert any("duplicate id (first in ex.jsonl)" in e for e in _errors(made_up, _GOOD, _GOOD))
    two = _errors(made_up, _GOOD, _case(id="zz-002"))
    assert any("several id prefixes ['ex', 'zz']" in e for e in two)
    _write(made_up / "gold", [_case(id="ex-002")], "other.jsonl")
    check = check_gold_dir(made_up / "gold", made_up / "corpus", made_up / "gold", _SMALL)
    assert any("id prefix 'ex' also used in" in e for e in check.errors)


def test_another_set_must_not_reuse_an_id_or_prefix_of_the_main_set(made_up):
    _write(made_up / "gold", [_GOOD])
    _write(made_up / "heldout", [_GOOD, _case(id="ex-002")])
    check = check_gold_dir(made_up / "heldout", made_up / "corpus", made_up / "gold", _SMALL)
    assert any("[ex-001]: id also used in evals/gold" in e for e in check.errors)
    assert any("[ex-002]: id prefix also used in evals/gold" in e for e in check.errors)


def test_the_main_set_must_meet_its_coverage_minimums(made_up):
    errors = _errors(made_up, _GOOD, coverage=Coverage(total=2, per_document=1, english=1))
    assert "coverage: 1 cases < 2" in errors
    assert f"coverage: {OTHER} cited by 0 cases < 1" in errors
    assert "coverage: tag 'english' on 0 cases < 1" in errors


def test_a_devcorpus_fact_must_stand_in_its_documents(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.md").write_text("Svar senast 17 februari 2032.\n", "utf-8")
    rows = [
        {"id": "d-1", "question": "?", "expect": [["2032-02-17"]], "documents": ["a.md"]},
        {"id": "d-2", "question": "?", "expect": [["18 februari 2032"]], "documents": ["a.md"]},
        {"id": "d-3", "question": "?", "abstain": True, "expect": [["x"]]},
        {"id": "d-3", "question": "?", "expect": [["x"]], "documents": ["b.md"]},
    ]
    _write(tmp_path, rows, "questions.jsonl")
    errors = check_devcorpus(tmp_path).errors
    assert [e.split("]: ")[1] for e in errors] == [
        "expect[0] alternative '18 februari 2032' not found in ['a.md']",
        "abstain cases need no expect and no documents",
        "id missing or used twice",
        "unknown document(s) ['b.md']",
        "expect[0] alternative 'x' not found in ['b.md']",
    ]


@pytest.mark.parametrize("folder", [None, "evals/heldout", "evals/devcorpus"])
def test_the_real_gold_sets_check_clean(folder):
    args = [] if folder is None else ["--dir", folder]
    result = subprocess.run(
        [sys.executable, "evals/check_gold.py", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("OK")


def test_the_checker_fails_with_the_message_on_a_bad_set(made_up):
    _write(made_up / "bad", [_case(expected_facts=[["2031-08-30"]])])
    result = subprocess.run(
        [sys.executable, "evals/check_gold.py", "--dir", str(made_up / "bad")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "alternative '2031-08-30' not found" in result.stdout
