"""One gold case through a system behind the SystemUnderTest interface, scored with the real
verifier over the session's real index (tests/conftest.py)."""

from __future__ import annotations

import pytest

from assistant.answer.verify import CitationVerifier
from assistant.answers import Answer, Citation
from assistant.config import Settings
from assistant.errors import BadQuestion
from assistant.evaluation.gold import GoldCase, GoldSource, load_gold
from assistant.evaluation.metrics import source_matches
from assistant.evaluation.runner import SEARCH_K, SystemUnderTest, copy_groups, run_case, shown_text
from assistant.service import Assistant
from tests.conftest import ROOT

ALINGSAS = "alingsas-fardplan-god-och-nara-vard-remissvar.txt"


@pytest.fixture
def ours(assistant: Assistant) -> Assistant:
    return assistant


@pytest.fixture
def settings(assistant: Assistant) -> Settings:
    return assistant.settings


def _line_of(document: str, text: str) -> int:
    lines = (ROOT / "corpus" / document).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def _gold(case_id: str) -> GoldCase:
    return next(c for c in load_gold(ROOT / "evals" / "gold") if c.id == case_id)


def test_run_case_scores_facts_quotes_and_sources_with_the_real_verifier(ours, settings):
    case = _gold("al-002")  # "Vem är handläggare …" -> Elisabeth Olsson
    line = _line_of(ALINGSAS, "Handläggare: Elisabeth Olsson")
    right = Citation(1, ALINGSAS, "", "", None, (line, line), "Handläggare: Elisabeth Olsson")
    wrong_place = Citation(2, ALINGSAS, "", "", None, (1, 1), "Handläggare: Elisabeth Olsson")
    # A stand-in answerer behind the system interface; the ranking is our real search.
    system = SystemUnderTest(
        "fixed",
        "fixed",
        lambda q: Answer(q, "Se källan [1]", False, (right, wrong_place)),
        lambda q: ours.search(q, top_k=SEARCH_K).chunks,
        copy_groups(ours.chunks()),
    )
    result = run_case(system, case, CitationVerifier(settings.corpus_dir).verify)
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
    broken = SystemUnderTest("broken", "broken", refuse, lambda q: [])
    result = run_case(broken, _gold("al-002"), verify)
    assert not result.correct
    assert "refused" in result.error
    assert result.hit5 == 0.0
    silent = SystemUnderTest(
        "silent", "silent", lambda q: Answer(q, "Det framgår inte.", True), lambda q: []
    )
    assert run_case(silent, _gold("un-001"), verify).correct
    assert not run_case(silent, _gold("al-002"), verify).correct


def test_copies_collapsed_at_ingest_count_as_their_canonical_chunk(ours):
    chunks = ours.chunks()
    copy = next(c for c in chunks if c.duplicate_of)
    canonical = {c.id: c for c in ours.chunks()}[copy.duplicate_of]
    system = SystemUnderTest("ours", "ours", ours.ask, lambda q: [], copy_groups(chunks))
    assert (copy.document, shown_text(copy)) in system.hit(canonical).members
    assert source_matches(system.hit(canonical), GoldSource(copy.document, "", copy.text[:120]))
