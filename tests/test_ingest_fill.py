"""Answerable first (issue #22): an ingest switches to a generation searchable by BM25 as soon
as the files are chunked, and fill_vectors embeds what it lacks. Real Chroma in tmp dirs, the real
default model, small made-up documents."""

from pathlib import Path

import pytest

from assistant.cli.commands import main
from assistant.config import Settings
from assistant.documents import Chunk
from assistant.ingest import vectors
from assistant.service import Assistant

DOCS = {
    "norrby-protokoll.txt": (
        "Protokoll Norrby kommun\n\nKommunstyrelsen beslutade 2025-03-04 att avsätta 250 000 "
        "kronor till fritidsgårdarna. Beslutet gäller från och med juli.\n\nUppföljning\n\n"
        "Fritidsförvaltningen redovisar arbetet i oktober.\n"
    ),
    "sydby-plan.txt": (
        "Plan för biblioteken i Sydby kommun\n\nBiblioteken ska ha öppet sex dagar i veckan. "
        "Meröppet införs på tre filialer under 2026.\n\nAnsvar\n\nKulturnämnden ansvarar för "
        "planen och följer upp den varje år.\n"
    ),
}
QUESTIONS = ("Hur mycket avsatte Norrby till fritidsgårdarna?", "Vem ansvarar för planen?")


def _settings(tmp_path: Path, name: str) -> Settings:
    corpus = tmp_path / "corpus"
    if not corpus.exists():
        corpus.mkdir()
        for file, text in DOCS.items():
            (corpus / file).write_text(text, encoding="utf-8")
    return Settings(corpus_dir=corpus, index_dir=tmp_path / name)


def _answers(settings: Settings) -> list[tuple]:
    a = Assistant(settings)
    out = []
    for q in QUESTIONS:
        answer = a.ask(q)
        out.append((answer.answer, [(c.document, c.quote) for c in answer.citations]))
    return out


def test_documents_are_answerable_before_their_vectors(tmp_path: Path, capsys):
    settings = _settings(tmp_path, "index")
    summary = Assistant(settings).ingest(wait=False)
    assert summary.pending_vectors == summary.chunks - summary.duplicates > 0
    a = Assistant(settings)
    assert a.dense_state() == "partial"
    assert a.snapshot._collection is None  # nothing was embedded: search is lexical
    assert not (a.index_folder() / "chroma").exists()  # and Chroma was not even opened
    answer = a.ask(QUESTIONS[0])
    assert answer.citations and answer.citations[0].document == "norrby-protokoll.txt"
    assert "250 000" in answer.answer
    env = {"corpus": str(settings.corpus_dir), "index": str(settings.index_dir)}
    code = main(["--corpus", env["corpus"], "--index", env["index"], "ask", "--json", QUESTIONS[0]])
    assert code == 0
    assert '"dense": "partial"' in capsys.readouterr().out


def test_dense_search_among_given_chunks_skips_those_without_a_vector(tmp_path: Path):
    settings = _settings(tmp_path, "index")
    Assistant(settings).ingest()
    (settings.corpus_dir / "ny.txt").write_text("Ny plan\n\nEn plan för gator.\n", "utf-8")
    a = Assistant(settings)
    a.ingest(wait=False)
    ids = [c.id for c in a.chunks() if c.duplicate_of is None]
    waiting = [c.id for c in a.chunks() if c.document == "ny.txt"]
    assert a.dense_state() == "partial" and waiting
    found = a.snapshot.dense_query(a.embed_queries(["plan för gator"])[0], 10, None, ids)
    assert found and not {cid for cid, _ in found} & set(waiting)
    assert a.snapshot.dense_query(a.embed_queries(["gator"])[0], 10, None, waiting) == []
    assert a.ask("Vilken plan finns för gator?").citations[0].document == "ny.txt"


def test_an_interrupted_fill_resumes_where_it_stopped(tmp_path: Path, monkeypatch):
    settings = _settings(tmp_path, "index")
    monkeypatch.setattr(vectors, "EMBED_BATCH", 2)  # small parts, so the fill stops mid-way
    monkeypatch.setattr(vectors, "SAVE_EVERY", 2)
    a = Assistant(settings)
    missing = a.ingest(wait=False).pending_vectors
    assert missing > 2
    seen: list[tuple[int, int]] = []

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "embed":
            seen.append((done, total))
            if done >= 2:
                raise KeyboardInterrupt  # Ctrl-C after the first part was saved

    with pytest.raises(KeyboardInterrupt):
        a.fill_vectors(interrupt)
    assert Assistant(settings).dense_state() == "partial"  # the answerable generation stays
    assert a.fill_vectors() == missing - 2  # the saved part is not embedded again
    assert Assistant(settings).dense_state() == "complete"
    assert not (settings.index_dir / "pending-vectors").exists()
    assert a.fill_vectors() == 0


def test_a_completed_fill_answers_as_a_blocking_ingest(tmp_path: Path):
    blocking, filled = _settings(tmp_path, "blocking"), _settings(tmp_path, "filled")
    Assistant(blocking).ingest()
    Assistant(filled).ingest(wait=False)
    Assistant(filled).fill_vectors()
    assert Assistant(filled).dense_state() == Assistant(blocking).dense_state() == "complete"
    assert _answers(filled) == _answers(blocking)
    lexical = [p.name for p in (Assistant(filled).index_folder()).iterdir()]
    assert "lexical" in lexical  # the BM25 index of the answerable generation was carried over


def test_a_one_line_file_is_embedded_once_when_the_text_is_bounded():
    chunk = Chunk("c", "a.txt", "Taxa 2025", ("Taxa 2025",), "Taxa 2025", 1, 1, 0, 9, None)
    assert chunk.embed_text(96) == "Taxa 2025."
    assert chunk.embed_text(0) == chunk.search_text() == "Taxa 2025. Taxa 2025. Taxa 2025"


def test_the_embedded_text_is_bounded_but_keeps_title_and_headings():
    words = " ".join(f"ord{n}" for n in range(1000))
    chunk = Chunk("c", "a.txt", "Plan", ("Plan", "Mål"), words, 1, 1, 0, len(words), None)
    text = chunk.embed_text(96)
    assert text.startswith("Plan . Mål. ord0 ord1 ")
    assert text.split()[-1] == "ord95"
    assert chunk.embed_text() == chunk.search_text()  # the default embeds all of it


def test_ingest_no_wait_says_what_is_left_and_the_next_ingest_fills_it(tmp_path: Path, capsys):
    settings = _settings(tmp_path, "index")
    where = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    assert main([*where, "ingest", "--no-wait"]) == 0
    assert "still to embed: run `assistant ingest` to fill them in" in capsys.readouterr().out
    assert Assistant(settings).dense_state() == "partial"
    assert main([*where, "ingest"]) == 0
    assert "still to embed" not in capsys.readouterr().out
    assert Assistant(settings).dense_state() == "complete"


def test_an_ask_during_a_fill_embeds_a_bounded_number_of_short_stand_ins(tmp_path: Path):
    from assistant.store.embeddings import ON_DEMAND_WORDS, VectorsOnDemand

    settings = _settings(tmp_path, "index")
    Assistant(settings).ingest(wait=False)
    a = Assistant(settings)
    vectors = a.answerer.vectors
    assert isinstance(vectors, VectorsOnDemand)
    chunks = [c for c in a.snapshot.chunks if c.duplicate_of is None]
    assert len(chunks) > vectors.per_question >= 1
    from assistant.store.snapshot import text_key

    keys = [text_key(c.embed_text()) for c in chunks]
    one = vectors.for_question()
    got = [one.get(k) for k in keys]
    assert sum(v is not None for v in got) == vectors.per_question  # the rest read as missing
    again = vectors.for_question()  # made ones are kept and cost the next question nothing
    assert all(again.get(k) is not None for k in keys[: vectors.per_question + 1])
    stand_in = a.embedder.embed_stand_ins([chunks[0].embed_text(ON_DEMAND_WORDS)])[0]
    assert float(got[0] @ stand_in) == pytest.approx(1.0, abs=1e-6)
    assert a.ask(QUESTIONS[0]).citations[0].document == "norrby-protokoll.txt"
