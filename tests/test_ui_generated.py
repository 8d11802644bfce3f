"""The chat's "Genererat svar" switch: streamed model text, then the checked answer marked generated."""

from __future__ import annotations

from dataclasses import replace

from assistant.generate.generator import Generator, evidence_of
from assistant.ui.actions import PageActions
from assistant.ui.generated import GENERATED, QUOTES, GeneratedAnswers, render_generated_html
from tests.test_generate_generator import QUESTION, CannedLLM


def _actions(assistant, text: str) -> PageActions:
    actions = PageActions(assistant)
    generator = Generator(replace(assistant.settings, llm="openai-like"), llm=CannedLLM(text=text))
    actions.generated = GeneratedAnswers(assistant.settings, generator)
    return actions


def test_generated_mode_streams_the_text_then_marks_the_checked_answer(assistant):
    last = len(evidence_of(assistant.ask(QUESTION)))
    actions = _actions(
        assistant, f"Beslutet gäller HSVO 2024–2026, daterad 2024-03-15 [S{last}]. Det var 1999."
    )
    state = {"question": "", "answer": None}
    steps, contents = [], []
    for step in actions.respond(QUESTION, [], state, "", "", "", "sv", GENERATED):
        steps.append(step)
        contents.append(step[0][-1]["content"])  # the chat history is updated in place
    assert any("Språkmodellen skriver" in c and "HSVO 2024" in c for c in contents)
    final = contents[-1]
    assert 'class="answer generated"' in final and "Genererat svar" in final
    assert "1 meningar utan stöd" in final and "1999" not in final
    assert steps[-1][2]["answer"].mode == "generated"
    assert "src-1" in steps[-1][3]  # the sources panel shows the generated answer's citation


def test_quotes_mode_is_unchanged(assistant):
    actions = _actions(assistant, "Ska inte användas [S1].")
    steps = list(
        actions.respond(QUESTION, [], {"question": "", "answer": None}, "", "", "", "sv", QUOTES)
    )
    assert steps[-1][2]["answer"].mode == "extractive"
    assert "generated" not in steps[-1][0][-1]["content"]


def test_a_fallback_to_the_quotes_says_so(assistant):
    answer = replace(assistant.ask(QUESTION), dropped_claims=2)
    html = render_generated_html(answer, "en")
    assert "No generated sentence passed" in html and "2 sentences" in html
