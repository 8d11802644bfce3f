"""Loading gold cases: the real gold set, the devcorpus questions, the fixed train/test split, and errors that name the folder or the file and line."""

from __future__ import annotations

import hashlib

import pytest

from assistant.errors import AssistantError
from assistant.evaluation.gold import (
    GoldCase,
    GoldSource,
    devcorpus_case,
    load_devcorpus,
    load_gold,
    load_splits,
    split_cases,
    split_of,
)
from tests.conftest import ROOT


def test_the_real_gold_set_loads_in_file_then_line_order():
    cases = load_gold(ROOT / "evals" / "gold")
    assert len({c.id for c in cases}) == len(cases)
    assert any(c.abstain for c in cases)
    assert all(isinstance(s, GoldSource) for c in cases for s in c.sources)


def test_a_case_takes_defaults_for_what_it_leaves_out():
    case = GoldCase.from_json({"id": "x-1", "question": "Vem?"})
    assert (case.language, case.tags, case.sources, case.abstain) == ("sv", (), (), False)


def test_an_empty_folder_and_a_bad_line_say_where_and_what_to_run(tmp_path):
    with pytest.raises(AssistantError, match="no gold cases in .*--gold"):
        load_gold(tmp_path)
    (tmp_path / "a.jsonl").write_text('{"id": "a-1", "question": "Vem?"}\n\n{"id": 1}\n')
    with pytest.raises(AssistantError, match=r"a\.jsonl:3 is not a gold case .*check_gold\.py"):
        load_gold(tmp_path)


def test_the_split_rule_depends_on_the_id_hash_only_and_gives_about_60_percent_train():
    ids = [f"x-{n:04d}" for n in range(2000)]
    share = sum(split_of(i) == "train" for i in ids) / len(ids)
    assert 0.55 < share < 0.65
    first = hashlib.sha1(b"al-001").digest()[0]
    assert split_of("al-001") == ("train" if first < 153.6 else "test")


def test_the_committed_splits_record_every_case_by_the_rule():
    recorded = load_splits(ROOT / "evals" / "splits.json")
    for name, cases in (
        ("gold", load_gold(ROOT / "evals" / "gold")),
        ("devcorpus", load_devcorpus(ROOT / "evals" / "devcorpus")),
    ):
        assert set(recorded[name]) == {c.id for c in cases}
        assert all(recorded[name][c.id] == split_of(c.id) for c in cases)
        parts = split_cases(cases, recorded[name], name, ROOT / "evals" / "splits.json")
        assert all(any(c.abstain for c in parts[s]) for s in ("train", "test"))
    heldout = {c.id for c in load_gold(ROOT / "evals" / "heldout")}
    assert not heldout & {i for block in recorded.values() for i in block}  # never split


def test_a_case_without_a_recorded_split_is_an_error_that_says_what_to_run(tmp_path):
    case = GoldCase.from_json({"id": "new-1", "question": "Vem?"})
    with pytest.raises(AssistantError, match=r"new-1.*make_splits\.py"):
        split_cases([case], {}, "gold", tmp_path / "splits.json")


def test_a_devcorpus_line_becomes_a_gold_case_with_document_sources():
    case = devcorpus_case(
        {
            "id": "dev-9",
            "question": "Who decides?",
            "expect": [["IVO", "Inspektionen för vård och omsorg"], ["1 juli 2025"]],
            "documents": ["a.md", "b.md"],
            "tags": ["who", "en"],
        }
    )
    assert case.language == "en" and not case.abstain
    assert case.expected_facts == (("IVO", "Inspektionen för vård och omsorg"), ("1 juli 2025",))
    assert [s.document for s in case.sources] == ["a.md", "b.md"]
    unanswerable = devcorpus_case({"id": "dev-10", "question": "När?", "abstain": True})
    assert (
        unanswerable.abstain and unanswerable.expected_facts == () and unanswerable.language == "sv"
    )


def test_the_copied_devcorpus_loads_and_names_only_documents_it_has():
    cases = load_devcorpus(ROOT / "evals" / "devcorpus")
    assert len(cases) == 100 and sum(c.abstain for c in cases) == 20
    corpus = {p.name for p in (ROOT / "evals" / "devcorpus" / "corpus").iterdir()}
    assert {s.document for c in cases for s in c.sources} <= corpus


def test_a_missing_devcorpus_says_how_to_restore_or_skip_it(tmp_path):
    with pytest.raises(AssistantError, match="--no-devcorpus"):
        load_devcorpus(tmp_path)
