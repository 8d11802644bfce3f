"""Ingest against real Chroma in tmp dirs: incremental updates, bad input, interruption."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.errors import IndexMissing
from assistant.service import Assistant
from assistant.store.chroma import IndexStore
from tests.conftest import ROOT, assistant_over, fresh_corpus, index_env, run_cli

SMALL = [
    "alingsas-fardplan-god-och-nara-vard-remissvar.txt",
    "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt",
]


def _assistant(tmp_path: Path, corpus: Path) -> Assistant:
    return assistant_over(corpus, tmp_path)


def test_enkoping_copies_are_collapsed_but_kept(assistant: Assistant):
    chunks = assistant.chunks()
    copies = [c for c in chunks if c.duplicate_of]
    assert copies, "the strategy printed twice must be collapsed"
    by_id = {c.id: c for c in chunks}
    for copy in copies:
        assert by_id[copy.duplicate_of].duplicate_of is None
        assert copy.spans  # a copy stays citable with its own lines
    assert assistant.snapshot._collection.count() == len(chunks) - len(copies)


def test_reingest_with_nothing_changed_does_no_work(assistant: Assistant):
    before = IndexStore(assistant.settings.index_dir).current()
    summary = assistant.ingest()
    assert (summary.changed, summary.unchanged, summary.removed) == (0, 5, 0)
    assert IndexStore(assistant.settings.index_dir).current() == before
    chunks = assistant.snapshot.chunks
    assert summary.chunks == len(chunks)
    assert summary.duplicates == sum(1 for c in chunks if c.duplicate_of)


def test_edit_replaces_old_text_and_delete_removes_it(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    a = _assistant(tmp_path, corpus)
    a.ingest()
    path = corpus / SMALL[1]
    path.write_text(
        path.read_text(encoding="utf-8").replace("2023-08-31", "2023-09-15"), encoding="utf-8"
    )
    summary = a.ingest()
    assert (summary.changed, summary.unchanged) == (1, 1)
    texts = " ".join(c.text for c in a.chunks())
    assert "2023-09-15" in texts and "2023-08-31" not in texts
    path.unlink()
    summary = a.ingest()
    assert summary.removed == 1
    assert {c.document for c in a.chunks()} == {SMALL[0]}


def test_bad_files_are_reported_and_the_rest_is_ingested(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    (corpus / "tom.txt").write_bytes(b"")
    (corpus / "trasig.pdf").write_bytes(b"%PDF-1.4 not really")
    (corpus / "bild.md").write_bytes(bytes(range(256)) * 10)
    (corpus / "gammal.txt").write_bytes(
        "Bakgrund\n\nKommunen ska anta planen för äldreomsorg.".encode("cp1252")
    )
    a = _assistant(tmp_path, corpus)
    summary = a.ingest()
    reasons = {s.path: s.reason for s in summary.skipped}
    assert set(reasons) == {"tom.txt", "trasig.pdf", "bild.md"}
    assert (
        "empty" in reasons["tom.txt"]
        and "PDF" in reasons["trasig.pdf"]
        and "binary" in reasons["bild.md"]
    )
    assert any("cp1252" in note for note in summary.notes)
    assert {c.document for c in a.chunks()} == {*SMALL, "gammal.txt"}


def test_a_file_that_breaks_keeps_its_previous_version(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    a = _assistant(tmp_path, corpus)
    a.ingest()
    (corpus / SMALL[0]).write_bytes(b"\x00\x01binary now")
    summary = a.ingest()
    assert "previously indexed version is kept" in summary.skipped[0].reason
    assert SMALL[0] in {c.document for c in a.chunks()}


def test_interrupted_ingest_leaves_previous_index_usable(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    a = _assistant(tmp_path, corpus)
    a.ingest()
    before = a.ask("När ska återkoppling skickas?")
    shutil.copy2(ROOT / "corpus" / "enkoping-strategi-samverkan-hsvo-2024-2026.txt", corpus)

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "write":
            raise KeyboardInterrupt  # Ctrl-C after embedding, before the new generation is live

    with pytest.raises(KeyboardInterrupt):
        a.ingest(progress=interrupt)
    a.reload()
    after = a.ask("När ska återkoppling skickas?")
    assert after.citations == before.citations
    assert "enkoping-strategi-samverkan-hsvo-2024-2026.txt" not in {c.document for c in a.chunks()}


def test_an_index_of_an_older_form_is_rebuilt_without_embedding_again(tmp_path: Path):
    a = _assistant(tmp_path, fresh_corpus(tmp_path, SMALL))
    a.ingest()
    live = a.index_folder()
    (live / "chunks.pickle").rename(live / "chunks.jsonl")  # the chunk table's older form
    embedded: list[int] = []

    def count(stage: str, done: int, total: int) -> None:
        if stage == "embed":
            embedded.append(total)

    summary = a.ingest(progress=count)
    assert any("older version" in note and "rebuilt" in note for note in summary.notes)
    assert embedded == []  # the vector table was whole: every vector came from it
    assert a.index_folder() != live and a.chunks()


def test_adding_a_file_to_an_index_of_other_parsing_code_keeps_every_document(tmp_path: Path):
    # An upload (ingest of one file) right after an upgrade changed the parsing code: the old
    # chunks cannot be reused, and the new index must still hold every document, not the upload
    # alone (it did: the other documents showed "inte indexerad" and drafting found nothing).
    corpus = fresh_corpus(tmp_path, SMALL)
    a = _assistant(tmp_path, corpus)
    a.ingest()
    manifest = a.index_folder() / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["pipeline"] = "parsing code of an older version"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    upload = tmp_path / "hallstahammar-tillsyn.txt"
    upload.write_text(
        "Hallstahammars kommun\nKommunstyrelsen beslutade 2025-02-10 om digital tillsyn.\n",
        encoding="utf-8",
    )
    summary = a.ingest([upload])
    assert any("every file is read again" in note for note in summary.notes)
    documents = {c.document for c in a.chunks()}
    assert documents == set(SMALL) | {upload.name}


def test_interrupted_ingest_loses_no_embedding_work(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    a = _assistant(tmp_path, corpus)
    a.ingest()
    shutil.copy2(ROOT / "corpus" / "enkoping-strategi-samverkan-hsvo-2024-2026.txt", corpus)
    embedded: list[int] = []

    def interrupt(stage: str, done: int, total: int) -> None:
        if stage == "embed":
            embedded.append(total)
        if stage == "write" and embedded:
            raise KeyboardInterrupt  # after embedding, before the vectors reach the store

    with pytest.raises(KeyboardInterrupt):
        a.ingest(progress=interrupt)
    assert embedded and embedded[-1] > 0
    embedded.clear()

    def count(stage: str, done: int, total: int) -> None:
        if stage == "embed":
            embedded.append(total)

    summary = a.ingest(progress=count)
    assert summary.changed == 0  # the file was answerable (lexical) before the interruption
    assert embedded == []  # every vector came from the pending cache
    assert a.dense_state() == "complete"
    assert not (tmp_path / "index" / "pending-vectors").exists()
    assert "enkoping-strategi-samverkan-hsvo-2024-2026.txt" in {
        c.document for c in a.snapshot.chunks
    }


def test_killed_ingest_process_leaves_previous_index_usable(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    index = tmp_path / "index"
    env = {**os.environ, **index_env(corpus, index)}
    run_cli("ingest", env=env, check=True)
    shutil.copy2(ROOT / "corpus" / "enkoping-strategi-samverkan-hsvo-2024-2026.txt", corpus)
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(2.5)  # mid-way: loading the model or embedding the new file
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    result = run_cli("ask", "--json", "När ska återkoppling skickas?", env=env)
    assert result.returncode == 0, result.stderr
    assert '"abstained": false' in result.stdout


def test_no_index_yet_is_a_clear_error(tmp_path: Path):
    a = _assistant(tmp_path, fresh_corpus(tmp_path, SMALL))
    with pytest.raises(IndexMissing, match="assistant ingest"):
        a.ask("När ska återkoppling skickas?")
