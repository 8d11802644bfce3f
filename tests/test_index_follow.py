"""A long-running assistant (the web UI's) follows a CLI ingest between questions, and never shows
a quote that is no longer in the file (real index, real CLI process, real files)."""

from pathlib import Path

from assistant.config import Settings
from assistant.service import Assistant
from tests.conftest import fresh_corpus, index_env, run_cli

DOC = "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt"
QUESTION = "När ska återkoppling skickas?"


def _quotes(answer) -> str:
    return " ".join(c.quote for c in answer.citations)


def test_an_ingest_by_another_process_is_seen_at_the_next_question(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, [DOC])
    ui = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    ui.ingest()
    assert "2023-08-31" in _quotes(ui.ask(QUESTION))
    old_folder = ui.snapshot.folder
    path = corpus / DOC
    path.write_text(path.read_text(encoding="utf-8").replace("2023-08-31", "2023-09-30"), "utf-8")
    done = run_cli("ingest", env=index_env(corpus, ui.settings.index_dir))
    assert done.returncode == 0, done.stderr
    assert not old_folder.exists()  # the generation the UI had loaded is gone
    after = ui.ask(QUESTION)
    assert "2023-09-30" in _quotes(after) and "2023-08-31" not in _quotes(after)
    assert ui.snapshot.folder != old_folder


def test_a_quote_no_longer_in_the_file_is_not_shown(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, [DOC])
    ui = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    ui.ingest()
    assert "2023-08-31" in _quotes(ui.ask(QUESTION))
    path = corpus / DOC
    path.write_text(path.read_text(encoding="utf-8").replace("2023-08-31", "2023-09-30"), "utf-8")
    after = ui.ask(QUESTION)  # the index is not rebuilt: the old quote must not pass verification
    assert "2023-08-31" not in _quotes(after)
