"""Hostile files of issue #24 through the real CLI against a real index in tmp_path: .docx zip
bombs, Markdown lines that made parsing quadratic, a citation check that re-read whole files, and
many tiny files. Peak memory is the child process's own (resource.getrusage, tests/hostile_files.py)
and the ceilings here are generous; benchmarks/hostile.py measures the targets (500 MB, 10 s).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.language.places import gazetteer
from assistant.service import Assistant
from tests.conftest import CORPUS, ROOT
from tests.hostile_files import (
    SENTENCE,
    docx_with_media_bomb,
    docx_with_whitespace_document,
    markdown_with_line,
    odt_with_media_bomb,
    plain_docx,
    run_measured,
)

BASE = "alingsas-fardplan-god-och-nara-vard-remissvar.txt"
QUESTION = "När ska förvaltningen återkoppla till nämnden?"
CEILING_MB = 800  # the target is 500 MB (benchmarks/hostile.py); before the fix: 1.1 to 6.4 GB


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "corpus").mkdir()
    shutil.copy2(CORPUS / BASE, root / "corpus" / BASE)
    code, _, err, _, _ = run_measured(["ingest"], _env(root), ROOT)
    assert code == 0, err
    return root


@pytest.fixture
def root(built: Path, tmp_path: Path) -> Path:
    shutil.copytree(built / "corpus", tmp_path / "corpus")
    shutil.copytree(built / "index", tmp_path / "index")
    return tmp_path


def _env(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "ASSISTANT_CORPUS_DIR": str(root / "corpus"),
        "ASSISTANT_INDEX_DIR": str(root / "index"),
    }


def _indexed(root: Path) -> set[str]:
    live = (root / "index" / "CURRENT").read_text().strip()
    return set(json.loads((root / "index" / live / "manifest.json").read_text())["files"])


def _ask_cites(root: Path, name: str) -> tuple[float, float]:
    """Ask QUESTION through the CLI; the answer must quote SENTENCE from ``name``."""
    code, out, err, peak, seconds = run_measured(["ask", "--json", QUESTION], _env(root), ROOT)
    assert code == 0, err
    answer = json.loads(out)
    assert {c["document"] for c in answer["citations"]} == {name}, answer
    assert any(c["quote"] in SENTENCE for c in answer["citations"]), answer
    return peak, seconds


def test_a_media_bomb_in_a_docx_is_never_unpacked(root: Path) -> None:
    # case 2: word/media/big.bin, 1 GiB of zeros referenced from the document's relationships
    docx_with_media_bomb(root / "corpus" / "bild-bomb.docx", unpacked_mb=1024)
    code, _, err, peak, _ = run_measured(["ingest"], _env(root), ROOT)
    assert code == 0, err
    assert _indexed(root) == {BASE, "bild-bomb.docx"}  # read, not skipped: the text is all we need
    assert peak < CEILING_MB, f"ingest peaked at {peak:.0f} MB"
    peak, _ = _ask_cites(root, "bild-bomb.docx")
    assert peak < CEILING_MB, f"ask peaked at {peak:.0f} MB"


def test_a_media_bomb_in_an_odt_is_never_unpacked(root: Path) -> None:
    # odfpy's load() reads every part its manifest lists, Pictures/ too
    odt_with_media_bomb(root / "corpus" / "bild-bomb.odt", unpacked_mb=1024)
    code, out, err, peak, _ = run_measured(["ingest"], _env(root), ROOT)
    assert code == 0, err
    assert "bild-bomb.odt" in _indexed(root)
    assert peak < CEILING_MB, f"ingest peaked at {peak:.0f} MB"
    peak, _ = _ask_cites(root, "bild-bomb.odt")
    assert peak < CEILING_MB, f"ask peaked at {peak:.0f} MB"


def test_a_docx_whose_text_part_is_a_zip_bomb_is_skipped_by_name(root: Path) -> None:
    # case 3: word/document.xml is 512 MiB of whitespace packed into ~0.5 MB
    docx_with_whitespace_document(root / "corpus" / "tomrum.docx", unpacked_mb=512)
    plain_docx(root / "corpus" / "vanlig.docx")
    code, out, err, peak, _ = run_measured(["ingest"], _env(root), ROOT)
    assert code == 0, err
    said = out + err
    line = next(x for x in said.splitlines() if "tomrum.docx" in x)
    assert "zip bomb" in line and "word/document.xml" in line and "ASSISTANT_MAX_ZIP_RATIO" in line
    assert _indexed(root) == {BASE, "vanlig.docx"}  # the rest is read, nothing is lost
    assert peak < CEILING_MB, f"ingest peaked at {peak:.0f} MB"


def test_the_unzipped_size_limit_is_a_setting_named_in_the_message(root: Path) -> None:
    plain_docx(root / "corpus" / "vanlig.docx")
    env = {**_env(root), "ASSISTANT_MAX_UNZIPPED_MB": "1", "ASSISTANT_MAX_ZIP_RATIO": "10000"}
    docx_with_whitespace_document(root / "corpus" / "stor.docx", unpacked_mb=2)
    code, out, err, _, _ = run_measured(["ingest"], env, ROOT)
    assert code == 0, err
    line = next(x for x in (out + err).splitlines() if "stor.docx" in x)
    assert "word/document.xml" in line and "ASSISTANT_MAX_UNZIPPED_MB" in line
    assert _indexed(root) == {BASE, "vanlig.docx"}


@pytest.mark.parametrize(
    ("unit", "chars"), [("[", 200_000), ("**a ", 200_000)], ids=["brackets", "emphasis"]
)
def test_a_markdown_line_that_was_quadratic_is_read_in_linear_time(
    root: Path, unit: str, chars: int
) -> None:
    # case 4: before, 200,000 "[" did not finish in 130 s and "**a " x 50,000 took 105 s
    markdown_with_line(root / "corpus" / "lang-rad.md", unit, chars)
    code, _, err, peak, seconds = run_measured(["ingest"], _env(root), ROOT, timeout=180)
    assert code == 0, err
    assert "lang-rad.md" in _indexed(root)
    assert seconds < 90, f"ingest took {seconds:.0f} s"  # model load included; benchmark: ≤ 10 s
    peak, seconds = _ask_cites(root, "lang-rad.md")
    assert seconds < 60, f"ask took {seconds:.0f} s"


# --- case 5: the citation check reads what the index stored, and re-reads only a changed file


class _Opens:
    """Records which of ``watched`` files are opened, through Python's audit hook (real opens)."""

    def __init__(self, watched: list[Path]) -> None:
        self.watched = {str(p) for p in watched}
        self.seen: list[str] = []
        self.on = False
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple) -> None:
        if self.on and event == "open" and str(args[0]) in self.watched:
            self.seen.append(str(args[0]))


def test_the_citation_check_reads_the_index_not_the_file_until_it_changes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy2(CORPUS / BASE, corpus / BASE)
    md = markdown_with_line(corpus / "lang-rad.md", "[", 20_000)
    assistant = Assistant(Settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    assistant.ingest()
    opens = _Opens([md])
    opens.on = True
    answer = assistant.ask(QUESTION)
    opens.on = False
    cited = [c for c in answer.citations if c.document == "lang-rad.md"]
    assert cited and opens.seen == []  # verified from the index, the file never opened

    # touched, not changed: the hash says it is the same file; the quote still stands
    stat = md.stat()
    os.utime(md, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assistant.reload()
    assert assistant.verifier.verify(cited[0])

    # changed to the byte count, its mtime set back: the sentence is gone from the file, so the
    # stored text may not vouch for it (only the ctime and the hash tell)
    stat = md.stat()
    changed = md.read_text(encoding="utf-8").replace("3 mars 2031", "4 juni 2032")
    md.write_text(changed, encoding="utf-8")
    os.utime(md, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert md.stat().st_size == stat.st_size and md.stat().st_mtime_ns == stat.st_mtime_ns
    assistant.reload()
    assert not assistant.verifier.verify(cited[0])
    shown = assistant.ask(QUESTION)
    assert not any("3 mars 2031" in c.quote for c in shown.citations)


# --- case 6: many tiny files --------------------------------------------------------------


def test_places_in_a_one_line_text_cost_a_fraction_of_a_millisecond() -> None:
    # The gazetteer ran ~2,900 generator checks per text: 0.5 ms for one line, twice per file.
    places = gazetteer()
    places.find("warm up")
    started = time.perf_counter()
    for n in range(5000):
        places.find(f"Kommun nummer {n} beslutade om plan {n} för välfärd år 2001.")
    seconds = time.perf_counter() - started
    assert seconds < 1.5, f"{seconds:.2f} s for 5,000 one-line texts (before: 2.6 s)"
    found = places.find("Kommunstyrelsen i Enköping och Region Gävleborg, inte Habo")
    assert [p.name for p in found][:2] == ["Enköping", "Gävleborgs län"]
