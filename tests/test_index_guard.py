"""The index stays whole: one writer at a time, a full disk or a failing write leaves the previous
generation live with one clear message, and leftovers of interrupted writes are removed.

Real CLI processes, real Chroma; the full disk is a real tmpfs when this runs as root."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.store.guard import index_lock
from tests.conftest import ROOT, fresh_corpus, index_env, run_cli

A = "alingsas-fardplan-god-och-nara-vard-remissvar.txt"
B = "vasterbotten-fardplan-nara-vard-2030-rekommendation.txt"
QUESTION = "Vem är handläggare för remissvaret i Alingsås?"


def _env(corpus: Path, index: Path) -> dict[str, str]:
    return index_env(corpus, index)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=env)


def _documents(index: Path) -> set[str]:
    folder = index / (index / "CURRENT").read_text().strip()
    return set(json.loads((folder / "manifest.json").read_text())["files"])


def _one_clear_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0]


def test_two_ingests_at_once_both_land_in_the_index(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, [])
    outside = tmp_path / "new"
    outside.mkdir()
    for name in (A, B):
        shutil.copy2(ROOT / "corpus" / name, outside / name)
    env = _env(corpus, tmp_path / "index")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "assistant", "ingest", str(outside / name)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in (A, B)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert not any("Traceback" in err for _, err in results)
    assert _documents(tmp_path / "index") == {A, B}  # no lost update
    assert len(list((tmp_path / "index").glob("gen-*"))) == 1


def test_a_second_ingest_waits_for_the_lock_and_says_so(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, [A])
    index = tmp_path / "index"
    with index_lock(index):
        proc = subprocess.Popen(
            [sys.executable, "-m", "assistant", "ingest"],
            env=_env(corpus, index),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        line = proc.stderr.readline()  # blocks until the waiting message is printed
        assert "another ingest is writing this index; waiting" in line
        time.sleep(0.5)
        assert proc.poll() is None  # still waiting: it did not write past the lock
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert _documents(index) == {A}


def test_leftovers_of_an_interrupted_switch_are_removed(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, [A])
    index = tmp_path / "index"
    env = _env(corpus, index)
    assert _cli(env, "ingest").returncode == 0
    (index / "CURRENT.a1b2c3").write_text("gen-half")
    (index / "gen-20990101-000000-abcdef").mkdir()
    result = _cli(env, "ingest")
    assert result.returncode == 0, result.stderr
    assert "CURRENT.a1b2c3" in result.stdout and "gen-20990101-000000-abcdef" in result.stdout
    assert not list(index.glob("CURRENT.*"))
    assert len(list(index.glob("gen-*"))) == 1
    assert _cli(env, "ask", QUESTION).returncode == 0


def test_an_index_folder_that_cannot_be_made_is_one_line(tmp_path: Path):
    corpus = fresh_corpus(tmp_path, [A])
    blocker = tmp_path / "index"
    blocker.write_text("a file where the index folder should be")
    _one_clear_line(_cli(_env(corpus, blocker), "ingest"), "cannot write the index", str(blocker))


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 1 MB file system: room for one small generation, not for two."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a real full disk needs a tmpfs mount (root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("tmpfs mount not permitted here")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_is_one_line_and_the_previous_index_keeps_answering(
    tmp_path: Path, small_disk: Path
):
    corpus = fresh_corpus(tmp_path, [A])
    index = small_disk / "index"
    env = _env(corpus, index)
    assert _cli(env, "ingest").returncode == 0
    before = _cli(env, "ask", "--json", QUESTION)
    live = sorted(index.glob("gen-*"))
    shutil.copy2(ROOT / "corpus" / B, corpus / B)
    (corpus / "mer.txt").write_text(
        (ROOT / "corpus" / "enkoping-strategi-samverkan-hsvo-2024-2026.txt").read_text()
    )
    result = _cli(env, "ingest")
    _one_clear_line(result, "the disk is full", "MB", "previous index is still in place")
    assert sorted(index.glob("gen-*")) == live  # the partial generation is gone
    assert not list(index.glob("CURRENT.*"))
    after = _cli(env, "ask", "--json", QUESTION)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["citations"] == json.loads(before.stdout)["citations"]
