"""Which files ingest reads: symbolic links stay inside the corpus, vanished or unreadable files
are reported by name and the rest is ingested (real files, real index in tmp_path)."""

import os
from pathlib import Path

import pytest

from assistant.documents import IngestSummary
from assistant.ingest.files import corpus_files
from assistant.service import Assistant
from tests.conftest import assistant_over, fresh_corpus

SMALL = ["alingsas-fardplan-god-och-nara-vard-remissvar.txt"]


def _assistant(tmp_path: Path, corpus: Path) -> Assistant:
    return assistant_over(corpus, tmp_path)


def test_a_link_out_of_the_corpus_is_not_followed_and_is_named(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    secret = tmp_path / "secret.txt"
    secret.write_text("Hemligt lösenord: hunter2 skickas till angriparen.\n", encoding="utf-8")
    (corpus / "x.txt").symlink_to(secret)
    (corpus / "etc").symlink_to(tmp_path, target_is_directory=True)
    a = _assistant(tmp_path, corpus)
    summary = a.ingest()
    reasons = {s.path: s.reason for s in summary.skipped}
    assert "outside the corpus folder" in reasons["x.txt"]
    assert "outside the corpus folder" in reasons["etc"]
    assert {c.document for c in a.snapshot.chunks} == set(SMALL)
    assert not any("hunter2" in c.text for c in a.snapshot.chunks)


def test_dangling_links_and_loops_are_reported_by_name(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    (corpus / "borta.txt").symlink_to(corpus / "finns-inte.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "a.txt").symlink_to(corpus / "b.txt")
    (corpus / "b.txt").symlink_to(corpus / "a.txt")
    summary = IngestSummary()
    assert corpus_files(corpus, summary) == [corpus / SMALL[0]]
    reasons = {s.path: s.reason for s in summary.skipped}
    assert "dangling" in reasons["borta.txt"] and "finns-inte.txt" in reasons["borta.txt"]
    assert "loop" in reasons["loop.txt"] and "loop" in reasons["a.txt"]


def test_a_link_inside_the_corpus_is_read(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    (corpus / "kopia.txt").symlink_to(corpus / SMALL[0])
    assert corpus_files(corpus) == [corpus / SMALL[0], corpus / "kopia.txt"]


def test_a_named_link_inside_the_corpus_pointing_out_is_refused(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    a = _assistant(tmp_path, corpus)
    a.ingest()
    (corpus / "x.txt").symlink_to("/etc/passwd")
    summary = a.ingest([corpus / "x.txt"])
    assert "outside the corpus folder" in summary.skipped[0].reason
    assert (corpus / "x.txt").is_symlink()  # not overwritten by a copy of its target
    assert {c.document for c in a.snapshot.chunks} == set(SMALL)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_named_and_the_rest_ingested(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    locked = corpus / "låst.txt"
    locked.write_text("Planen ska antas av fullmäktige.\n", encoding="utf-8")
    locked.chmod(0)
    a = _assistant(tmp_path, corpus)
    summary = a.ingest()
    assert "permission denied" in {s.path: s.reason for s in summary.skipped}["låst.txt"]
    assert {c.document for c in a.snapshot.chunks} == set(SMALL)


def test_a_file_that_vanishes_after_listing_is_named_and_the_rest_ingested(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, SMALL)
    (corpus / "flyktig.txt").write_text("Planen ska antas av fullmäktige.\n", encoding="utf-8")
    a = _assistant(tmp_path, corpus)

    def delete_while_reading(stage: str, done: int, total: int) -> None:
        if stage == "read" and done == 1:
            (corpus / "flyktig.txt").unlink()  # listed already; gone before it is hashed

    summary = a.ingest(progress=delete_while_reading)
    assert "disappeared" in {s.path: s.reason for s in summary.skipped}["flyktig.txt"]
    assert {c.document for c in a.snapshot.chunks} == set(SMALL)
