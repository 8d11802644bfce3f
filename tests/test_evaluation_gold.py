"""Loading gold cases: the real gold set, and errors that name the folder or the file and line."""

from __future__ import annotations

import pytest

from assistant.errors import AssistantError
from assistant.evaluation.gold import GoldCase, GoldSource, load_gold
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
