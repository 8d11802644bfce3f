"""Shared fixtures: a real index over a copy of the bundled corpus, built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.answer.features import Candidate, candidates
from assistant.answers import Answer
from assistant.config import Settings
from assistant.documents import Chunk, ChunkMetadata, RetrievalResult, RetrievedChunk, Span
from assistant.service import Assistant

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def corpus_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("corpus")
    for path in CORPUS.glob("*.txt"):
        shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def assistant(corpus_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    """The real default model, real Chroma, the real corpus (read-only for tests that use it)."""
    settings = Settings(corpus_dir=corpus_copy, index_dir=tmp_path_factory.mktemp("index"))
    built = Assistant(settings)
    built.ingest()
    return built


def run_cli(
    *args: str | bytes, env: Mapping[str, str] | None = None, text: bool = True, **kwargs: Any
) -> subprocess.CompletedProcess[Any]:
    """`python -m assistant ARGS` as a user runs it, from the repository root, output captured;
    ``env`` is added to this process's environment. Example: run_cli("ask", "När?").returncode"""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=text,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        **kwargs,
    )


def index_env(corpus: Path, index: Path) -> dict[str, str]:
    """The environment that points the CLI at a corpus and an index."""
    return {"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index)}


@pytest.fixture(scope="module")
def shared_index_env(assistant: Assistant) -> dict[str, str]:
    """The CLI pointed at the session's shared index (the ``assistant`` fixture's)."""
    return index_env(assistant.settings.corpus_dir, assistant.settings.index_dir)


def assistant_over(corpus: Path, root: Path) -> Assistant:
    """An assistant over ``corpus`` with its own index in root/index (not yet ingested)."""
    return Assistant(Settings(corpus_dir=corpus, index_dir=root / "index"))


def fresh_corpus(tmp_path: Path, names: list[str] | None = None) -> Path:
    """A private copy of (some of) the corpus for tests that change files."""
    target = tmp_path / "corpus"
    target.mkdir()
    for path in CORPUS.glob("*.txt"):
        if names is None or path.name in names:
            shutil.copy2(path, target / path.name)
    return target


UPPSALA = "Vad beslutade Uppsala om kompetensförsörjning?"
NO_ANSWER = "Hur många elefanter bor på Skansen?"


@pytest.fixture(scope="session")
def answer(assistant: Assistant) -> Answer:
    """A real cited answer (the UI's render and export tests draw it)."""
    result = assistant.ask(UPPSALA)
    assert not result.abstained
    assert result.citations
    return result


@pytest.fixture(scope="session")
def abstention(assistant: Assistant) -> Answer:
    """A real abstention."""
    result = assistant.ask(NO_ANSWER)
    assert result.abstained
    return result


def made_up_section(
    spans: tuple[str, ...],
    title: str = "Plan",
    heading: str = "Beslut",
    cid: str = "c1",
    document: str = "plan.txt",
    designations: tuple[str, ...] = (),
) -> Chunk:
    """A small section of a made-up document, one span per line, for answer-side unit tests."""
    return Chunk(
        id=cid,
        document=document,
        title=title,
        heading_path=("Plan", heading),
        text=" ".join(spans),
        line_start=1,
        line_end=len(spans),
        char_start=0,
        char_end=10,
        page=None,
        spans=tuple(Span(t, n + 1, n + 1, None) for n, t in enumerate(spans)),
        metadata=ChunkMetadata(designations=designations),
    )


def candidates_of(chunk: Chunk) -> list[Candidate]:
    """Every span of one section as a candidate, as the answerer takes them from a retrieval."""
    return candidates(RetrievalResult("", (RetrievedChunk(chunk, 0.0, 1),), np.zeros(2)))
