"""assistant/ui/export.py: an answer as Markdown and as a Word file, on real answers from a real index."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import docx

from assistant.answers import Answer
from assistant.ui.export import answer_to_docx, answer_to_markdown, export_name
from assistant.ui.render import render_answer_html
from tests.conftest import NO_ANSWER, UPPSALA  # noqa: F401  (fixtures answer/abstention live there)


def test_markdown_export_has_question_answer_and_quotes(answer: Answer) -> None:
    text = answer_to_markdown(answer)
    lines = text.splitlines()
    assert lines[0] == f"# Fråga: {UPPSALA}"
    assert answer.answer in text
    assert "## Källor" in text
    for c in answer.citations:
        assert f"[{c.n}] {c.title}" in text
        assert f"> {' '.join(c.quote.split())}" in lines


def test_markdown_export_of_an_abstention_lists_what_was_searched(abstention: Answer) -> None:
    text = answer_to_markdown(abstention, "en")
    assert "*No answer in the documents*" in text
    assert "## Searched" in text


def test_docx_export_opens_in_word_format(answer: Answer, tmp_path: Path) -> None:
    path = answer_to_docx(answer, tmp_path / "svar.docx")
    paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
    assert paragraphs[0] == f"Fråga: {UPPSALA}"
    assert "Källor" in paragraphs
    for c in answer.citations:
        assert " ".join(c.quote.split()) in paragraphs


def test_export_name() -> None:
    assert export_name("Vad beslutade Uppsala?") == "svar-vad-beslutade-uppsala"
    assert export_name("???") == "svar-fraga"


def test_dataclass_answers_are_unchanged_by_rendering(answer: Answer) -> None:
    before = dataclasses.asdict(answer)
    render_answer_html(answer)
    answer_to_markdown(answer)
    assert dataclasses.asdict(answer) == before
