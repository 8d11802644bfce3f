"""Generated answers on top of real extractive answers: renumbered citations, fallbacks, the CLI.

The language model here is a llama-index CustomLLM that returns a hand-written text (the model is
an outside service; the real bundled model runs in test_generate_real.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from llama_index.core.llms import (
    CompletionResponse,
    CompletionResponseGen,
    CustomLLM,
    LLMMetadata,
)

from assistant.answer.verify import CitationVerifier
from assistant.cli import main
from assistant.generate.generator import Generator, evidence_of

QUESTION = "Vad beslutade kommunstyrelsen i Enköping?"


class CannedLLM(CustomLLM):
    """Answers every prompt with ``text``, in two pieces (so streaming is exercised)."""

    text: str = ""
    prompts: list[str] = []

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="canned")

    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        return CompletionResponse(text=self.text)

    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        self.prompts.append(prompt)

        def pieces() -> Iterator[CompletionResponse]:
            half = len(self.text) // 2
            yield CompletionResponse(text=self.text[:half], delta=self.text[:half])
            yield CompletionResponse(text=self.text, delta=self.text[half:])

        return pieces()


@pytest.fixture(scope="module")
def extractive(assistant):
    answer = assistant.ask(QUESTION)
    assert not answer.abstained and len(evidence_of(answer)) >= 2
    return answer


def _generate(assistant, extractive, text: str):
    llm = CannedLLM(text=text, prompts=[])
    with Generator(replace(assistant.settings, llm="openai-like"), llm=llm) as generator:
        streamed = list(generator.stream(extractive))
    return streamed, llm.prompts


def test_supported_sentences_are_shown_with_renumbered_verbatim_citations(assistant, extractive):
    evidence = evidence_of(extractive)
    last = len(evidence)
    text = f"Beslutet gäller HSVO 2024–2026, daterad 2024-03-15 [S{last}]. Det var ett bra beslut."
    streamed, prompts = _generate(assistant, extractive, text)
    answer = streamed[-1]
    assert "".join(s for s in streamed if isinstance(s, str)) == text
    assert answer.mode == "generated" and answer.dropped_claims == 1
    assert answer.answer == "Beslutet gäller HSVO 2024–2026, daterad 2024-03-15. [1]"
    assert [c.n for c in answer.citations] == [1]
    assert answer.citations[0].quote == evidence[last - 1].quote
    assert CitationVerifier(assistant.settings.corpus_dir).verify(answer.citations[0])
    assert f"[S1] {evidence[0].quote}" in prompts[0] and QUESTION in prompts[0]
    assert answer.to_json()["mode"] == "generated" and answer.to_json()["dropped_claims"] == 1


def test_nothing_supported_shows_the_extractive_answer_and_counts(assistant, extractive):
    answer = _generate(assistant, extractive, "Beslutet togs 1999-01-01 [S1].")[0][-1]
    assert answer.mode == "extractive" and answer.dropped_claims == 1
    assert answer.answer == extractive.answer and answer.citations == extractive.citations


def test_a_supported_answer_that_loses_the_quotes_date_shows_the_quotes(assistant, extractive):
    last = len(evidence_of(extractive))
    answer = _generate(assistant, extractive, f"Strategin gäller HSVO 2024–2026 [S{last}].")[0][-1]
    assert answer.mode == "extractive" and answer.answer == extractive.answer


def test_the_models_abstention_shows_the_extractive_answer(assistant, extractive):
    answer = _generate(assistant, extractive, "EJ I DOKUMENTEN")[0][-1]
    assert answer.mode == "extractive" and answer.answer == extractive.answer


def test_an_abstention_is_not_sent_to_the_model(assistant, abstention):
    streamed, prompts = _generate(assistant, abstention, "Skansen har 12 elefanter [S1].")
    assert streamed == [abstention] and prompts == []


def test_cli_with_a_server_that_does_not_answer_gives_one_note_and_the_quotes(
    assistant, capsys, monkeypatch
):
    monkeypatch.setenv("ASSISTANT_LLM", "openai-like")
    monkeypatch.setenv("ASSISTANT_LLM_URL", "http://127.0.0.1:9/v1")  # nothing listens on port 9
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", "any")
    monkeypatch.setenv("ASSISTANT_LLM_TIMEOUT", "5")
    settings = assistant.settings
    argv = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "ask"]
    status = main([*argv, "--generate", "--json", QUESTION, "När ska återkoppling skickas?"])
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert status == 0 and [r["mode"] for r in rows] == ["extractive", "extractive"]
    assert err.count("note:") == 1 and "127.0.0.1:9" in err and "Traceback" not in err


def test_cli_with_a_missing_bundled_model_says_what_to_run(
    assistant, capsys, monkeypatch, tmp_path
):
    monkeypatch.setenv("ASSISTANT_LLM", "bundled")
    monkeypatch.setenv("ASSISTANT_LLM_MODEL", str(tmp_path / "missing.gguf"))
    settings = assistant.settings
    argv = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "ask"]
    assert main([*argv, "--generate", QUESTION]) == 0
    out, err = capsys.readouterr()
    assert "missing.gguf" in err and "assistant llm install" in err and "ASSISTANT_LLM_URL" in err
    assert err.count("\n") == 1  # one line says how to get a model
    assert "Källor:" in out
