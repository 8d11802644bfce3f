"""The real bundled model behind the real server, on 3 questions: the plumbing and the verifier.

Slow (about a minute on 2 cores): starts xllamacpp's server on 127.0.0.1 with the GGUF that
`assistant llm install` assembled, asks through `assistant ask --generate --json`, and checks that
nothing unsupported is shown. The model is opt-in: without it the test skips on a developer's
machine and fails in CI (.ci/run installs it).
"""

from __future__ import annotations

import json
import os

import pytest

from assistant.answer.verify import CitationVerifier
from assistant.answers import Citation
from assistant.cli import main
from assistant.generate.claims import check_answer
from assistant.generate.model import SHA256, bundled_available, check_model, default_model_path

QUESTIONS = [
    "När ska återkoppling om Färdplan Nära vård skickas?",
    "Vad beslutade kommunstyrelsen i Enköping?",
    "Vilken period gäller strategin för samverkan HSVO?",
]


@pytest.mark.slow
def test_the_bundled_model_answers_and_only_supported_sentences_are_shown(
    assistant, capsys, monkeypatch
):
    if not bundled_available() and not os.environ.get("CI"):
        pytest.skip("the bundled model is opt-in: run `assistant llm install` to test it")
    check_model(default_model_path(), SHA256)  # in CI a missing model is a failed install
    monkeypatch.setenv("ASSISTANT_LLM", "bundled")
    monkeypatch.setenv("ASSISTANT_LLM_MAX_TOKENS", "60")
    settings = assistant.settings
    argv = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "ask"]
    assert main([*argv, "--generate", "--json", *QUESTIONS]) == 0
    out, err = capsys.readouterr()
    assert "note:" not in err, err  # the server started and answered
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["question"] for r in rows] == QUESTIONS
    assert all(r["mode"] in ("generated", "extractive") for r in rows)
    assert all(isinstance(r["dropped_claims"], int) for r in rows)
    # The model wrote an answer to every question that had quotes (timed by the generator) …
    assert all("generate_ms" in r["timings_ms"] for r in rows if r["citations"]), rows
    # … and whatever was shown as generated is supported; the rest fell back to the quotes.
    generated = [r for r in rows if r["mode"] == "generated"]
    verifier = CitationVerifier(settings.corpus_dir)
    for row in generated:
        citations = [Citation(**{**c, "lines": tuple(c["lines"])}) for c in row["citations"]]
        assert all(verifier.verify(c) for c in citations)
        # Shown text, re-read with its [n] markers as evidence ids: every sentence is supported.
        shown = row["answer"]
        for c in citations:
            shown = shown.replace(f"[{c.n}]", f"[S{c.n}]")
        support = [f"{c.title}. {c.quote}" for c in citations]
        recheck = check_answer(shown, support)
        assert recheck.dropped == 0 and recheck.kept, (row["answer"], recheck)
