"""assistant/ui/render.py: answers as HTML for the chat, on real answers from a real index
(tests/conftest.py's ``assistant``)."""

from __future__ import annotations

import html

from assistant.answers import Answer
from assistant.ui.render import (
    muted_html,
    render_answer_html,
    render_error_html,
    render_rewritten_html,
    stream_answer_html,
)
from assistant.ui.sources import render_sources_html
from tests.conftest import NO_ANSWER, UPPSALA  # noqa: F401  (fixtures answer/abstention live there)


# --- answers --------------------------------------------------------------------------------------
def test_answer_markers_link_to_the_sources_panel(answer: Answer) -> None:
    rendered = render_answer_html(answer)
    assert rendered.startswith('<div class="answer"')
    assert "abstained" not in rendered
    for c in answer.citations:
        assert f'href="#src-{c.n}"' in rendered


def test_answer_text_is_escaped() -> None:
    hostile = Answer("q", "<script>alert(1)</script> & mer [1]", False)
    rendered = render_answer_html(hostile)
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "&amp; mer" in rendered


def test_list_answers_become_bullets() -> None:
    rendered = render_answer_html(Answer("q", "Beslut:\n- ett [1]\n- två [2]", False))
    assert "<ul><li>ett" in rendered
    assert rendered.count("<li>") == 2


def test_an_abstention_looks_different_and_says_what_was_searched(abstention: Answer) -> None:
    rendered = render_answer_html(abstention)
    assert 'class="answer abstained"' in rendered
    assert 'role="note"' in rendered
    assert "Inget svar i dokumenten" in rendered
    panel = render_sources_html(abstention, lambda c: "")
    assert "Sökte i" in panel
    for searched in abstention.searched:
        assert html.escape(searched) in panel


def test_answers_stream_in_word_groups_and_end_whole(answer: Answer) -> None:
    steps = list(stream_answer_html(answer, words_per_step=3))
    assert len(steps) > 2
    assert steps[-1] == render_answer_html(answer)
    assert len(steps[0]) < len(steps[-1])
    first_words = " ".join(answer.answer.split()[:3])
    assert first_words in steps[0]


def test_errors_show_their_message_and_no_traceback() -> None:
    rendered = render_error_html("the question is empty: type a question")
    assert 'role="alert"' in rendered
    assert "the question is empty" in rendered
    assert "Traceback" not in rendered


def test_the_rewritten_question_is_shown() -> None:
    assert "Tolkad som" in render_rewritten_html("Vad beslutade Västerbotten?")
    assert "Understood as" in render_rewritten_html("x", "en")


def test_muted_notes_are_labels_in_the_chosen_language() -> None:
    assert muted_html("answering") == '<p class="muted">Söker i dokumenten …</p>'
    assert "Searching the documents" in muted_html("answering", "en")
